"""Django's error views (``handler400``/``403``/``404``/``500``) that answer the API's JSON error shape under
``/api/`` and keep Django's HTML pages everywhere else.

DRF's exception handler (``core.exceptions``) covers errors raised inside an API view. These cover what
happens before or around one: a path no route matches (a non-numeric or negative id), a body Django refuses
while reading it (``RequestDataTooBig``, ``TooManyFieldsSent``: both ``SuspiciousOperation``, which Django
answers with ``handler400``), and a crash outside DRF.
"""

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

API_PREFIX = "/api/"

TOO_LARGE = "요청 본문이 너무 큽니다 (request body too large)."
TOO_MANY_FIELDS = "요청의 필드가 너무 많습니다 (too many fields in the request)."
BAD_REQUEST = "잘못된 요청입니다 (bad request)."


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


def server_error(request: HttpRequest) -> HttpResponse:
    if not is_api(request):
        return defaults.server_error(request)
    return api_error(500, "A server error occurred.", "error")
