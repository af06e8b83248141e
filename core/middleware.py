"""Request checks that belong to no single view."""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse


class RejectNulInQueryStringMiddleware:
    """Answers 400 to a query string carrying a NUL character (``%00``).

    PostgreSQL refuses NUL in any text value, so a NUL reaching a filter such as ``icontains`` is a
    driver error (a 500) on PostgreSQL while SQLite quietly accepts it. Form and serializer fields already
    refuse NUL; pages that read ``request.GET`` directly did not. No legitimate client sends one.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values):
            message = "Null characters are not allowed in the query string."
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message, "code": "invalid", "errors": {}}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)
