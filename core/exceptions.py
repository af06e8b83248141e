"""One JSON error shape for the whole API.

Every error answers ``{"detail": "...", "code": "...", "errors": {field: [messages]}}`` so a client can
show field messages next to the inputs and a summary above them.
"""

import logging
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core import domain

logger = logging.getLogger(__name__)


class Conflict(exceptions.APIException):
    """The request does not fit the resource's current state (e.g. approving a draft)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "A backing service is unavailable; try again shortly."
    default_code = "service_unavailable"


def _django_validation_to_drf(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(
            {
                ("non_field_errors" if field == NON_FIELD_ERRORS else field): [
                    m for e in errs for m in e.messages
                ]
                for field, errs in exc.error_dict.items()
            }
        )
    return exceptions.ValidationError({"non_field_errors": exc.messages})


def json_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    # a business rule's own code (``stage_failed``, ``call_closed``, ...) replaces the generic one
    rule_code = exc.code if isinstance(exc, domain.DomainError) else None
    if isinstance(exc, DjangoValidationError):
        exc = _django_validation_to_drf(exc)
    elif isinstance(exc, Http404 | ObjectDoesNotExist):
        exc = exceptions.NotFound()
    elif isinstance(exc, domain.RuleViolation):
        exc = exceptions.ValidationError({exc.field or "non_field_errors": [str(exc)]})
    elif isinstance(exc, domain.Conflict):
        exc = Conflict(str(exc))
    elif isinstance(exc, domain.NotPermitted):
        exc = exceptions.PermissionDenied(str(exc))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, IntegrityError):
        # a uniqueness race the service's checks could not see (two writers validated at once): the
        # request lost, and repeating it will show the ordinary validation error; not a server fault
        logger.warning("integrity error answered as 409: %s", exc)
        exc = Conflict("The request conflicts with a concurrent change; reload and try again.")
    elif isinstance(exc, FileNotFoundError):
        # a record whose stored file vanished (restored backup, cleaned media): the file is gone for
        # the client, and operators need the log line to restore it
        logger.error("stored file missing: %s", exc)
        exc = exceptions.NotFound("The stored file is missing.")

    response = exception_handler(exc, context)
    if response is None:
        return None

    if isinstance(exc, exceptions.ValidationError):
        data = response.data
        if isinstance(data, list):
            errors: dict[str, Any] = {"non_field_errors": data}
        else:
            errors = data
        response.data = {"detail": "Invalid input.", "code": rule_code or "invalid", "errors": errors}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        code = rule_code or getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data = {"detail": str(detail), "code": code, "errors": {}}
    return response
