"""Liveness and dependency health: what an operator or load balancer polls."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from search.backends import get_backend


def database_health() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; report it rather than raise
        return {"ok": False, "vendor": connection.vendor, "error": str(exc)[:200]}
    return {"ok": True, "vendor": connection.vendor}


@require_GET
def healthz(request):
    checks = {"database": database_health(), "search": get_backend().health()}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "degraded", **checks}, status=200 if healthy else 503)
