"""The OpenAPI schema documents the error answers of every operation, once for all views.

Without this, drf-spectacular documents only the success of an operation, while the API answers 400, 403,
404, 409 ... by design (an outside client fuzzing the schema saw 77 "undocumented" status codes). Each
operation gets the errors it can answer, all with the one error shape of ``core.exceptions``; what an
operation declares itself (a 410 with its reason, a 503 of search) is kept, and given the error body
when it declared none.
"""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
BODY_METHODS = ("POST", "PUT", "PATCH")


class ErrorSerializer(serializers.Serializer):
    """The API's one error shape (``core.exceptions.json_exception_handler``)."""

    detail = serializers.CharField(help_text="a sentence for people")
    code = serializers.CharField(
        help_text="stable, for programs: invalid, not_found, conflict, a rule's code…"
    )
    errors = serializers.DictField(
        child=serializers.JSONField(),
        help_text="field name → messages (non_field_errors for the request as a whole); empty otherwise",
    )


ERROR_DESCRIPTIONS = {
    400: "invalid input: field messages in `errors` (`code` invalid, parse_error, or a rule's own code)",
    401: "not signed in (a missing or invalid token)",
    # DRF authenticates a sent token before any permission, on public operations too, and answers a bad
    # one with 403 (its first authenticator, the session, names no WWW-Authenticate challenge)
    403: "signed in, but this role or company may not do this; or the token sent is not valid "
    "(`code` authentication_failed, on public operations too)",
    404: "no such record, or not one this user may see (ids are ASCII digits)",
    409: "the request conflicts with the record's current state",
    413: "the request body is larger than the server accepts",
    415: "the request body's content type is not accepted",
    429: "too many requests: wait and retry (`Retry-After`)",
    # core.handlers.server_error: the database restarting or failing over, never a bug
    503: "a backing service is briefly unavailable (`code` database_unavailable): retry after `Retry-After`",
}

# A conditional GET (an ETag) answers 304 to a matching If-None-Match: declared on those operations, or a
# schema-checking client (schemathesis's status_code_conformance) calls the answer undocumented.
NOT_MODIFIED = OpenApiResponse(description="not modified: the If-None-Match matched the ETag; no body")


def error_statuses(method: str) -> list[int]:
    """The errors an operation may answer, by what every view shares: validation, throttles, sign-in and
    roles on all (a public operation still refuses a token that is not valid), state conflicts on writes,
    body limits where there is a body, and a 503 while the database is unavailable (every operation reads
    it)."""
    statuses = [400, 401, 403, 404, 429, 503]
    if method not in SAFE_METHODS:
        statuses.append(409)
    if method in BODY_METHODS:
        statuses += [413, 415]
    return sorted(statuses)


class ErrorDocumentingAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for status in error_statuses(self.method):
            if str(status) not in responses:
                responses[str(status)] = self._error_response(status, ERROR_DESCRIPTIONS[status])
        for code, response in responses.items():
            # an error the view declared with a description only gets the error body too
            if code >= "400" and "content" not in response:
                responses[code] = self._error_response(int(code), response.get("description", ""))
        return dict(sorted(responses.items()))

    def _error_response(self, status: int, description: str) -> dict[str, Any]:
        return self._get_response_for_code(
            OpenApiResponse(ErrorSerializer, description=description), str(status)
        )
