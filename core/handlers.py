"""Django's error views (``handler400``/``403``/``404``/``500``) that answer the API's JSON error shape under
``/api/`` and keep Django's HTML pages everywhere else.

DRF's exception handler (``core.exceptions``) covers errors raised inside an API view. These cover what
happens before or around one: a path no route matches (a non-numeric or negative id), a body Django refuses
while reading it (``RequestDataTooBig``, ``TooManyFieldsSent``: both ``SuspiciousOperation``, which Django
answers with ``handler400``), and a crash outside DRF.

A lost database (restarted, failed over, out of connections) is not a server bug: every request in
flight fails with ``OperationalError``/``InterfaceError`` wherever it touches the database, in a view, in
the session or authentication middleware, or in DRF. All of those end in ``handler500`` while the
exception is being handled, so ``server_error`` answers them 503 with ``Retry-After`` (JSON under
``/api/``, a plain page elsewhere). The next request opens a new connection (``CONN_HEALTH_CHECKS``), so
the processes recover on their own once the database is back.
"""

import sys

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

API_PREFIX = "/api/"

TOO_LARGE = "요청 본문이 너무 큽니다 (request body too large)."
TOO_MANY_FIELDS = "요청의 필드가 너무 많습니다 (too many fields in the request)."
BAD_REQUEST = "잘못된 요청입니다 (bad request)."
DATABASE_UNAVAILABLE = "데이터베이스에 잠시 연결할 수 없습니다. 잠시 후 다시 시도하세요 (the database is briefly unavailable; try again shortly)."
# seconds a client should wait before retrying: a restart or fail-over takes a few seconds
RETRY_AFTER_SECONDS = 5
# no template: rendering the site's base page would query the database that just failed
DATABASE_UNAVAILABLE_PAGE = (
    '<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>503</title></head>'
    f"<body><h1>503</h1><p>{DATABASE_UNAVAILABLE}</p></body></html>"
)


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def api_error(status: int, detail: str, code: str, errors: dict | None = None) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code, "errors": errors or {}}, status=status)


def suspicious_operation_answer(exc: SuspiciousOperation) -> tuple[int, str, str]:
    """(status, detail, code) for a request Django refused to read: a body over the limit is a 413 (the
    client may retry smaller), everything else a 400."""
    if isinstance(exc, RequestDataTooBig):
        return 413, TOO_LARGE, "request_too_large"
    if isinstance(exc, TooManyFieldsSent):
        return 400, TOO_MANY_FIELDS, "too_many_fields"
    return 400, BAD_REQUEST, "bad_request"


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if not is_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, SuspiciousOperation):
        return api_error(*suspicious_operation_answer(exception))
    return api_error(400, BAD_REQUEST, "bad_request")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if not is_api(request):
        return defaults.permission_denied(request, exception)
    return api_error(403, "You do not have permission to perform this action.", "permission_denied")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if not is_api(request):
        return defaults.page_not_found(request, exception)
    return api_error(404, "Not found.", "not_found")


def database_unavailable(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        response = api_error(503, DATABASE_UNAVAILABLE, "database_unavailable")
    else:
        response = HttpResponse(
            DATABASE_UNAVAILABLE_PAGE, status=503, content_type="text/html; charset=utf-8"
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this inside its ``except`` block: the exception being handled is the cause
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_unavailable(request)
    if not is_api(request):
        return defaults.server_error(request)
    return api_error(500, "A server error occurred.", "error")
