"""Turning the services' errors into form errors and messages."""

from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from core.domain import Conflict, NotPermitted, RuleViolation


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Puts each field's messages next to the field; errors about fields the form lacks go on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                if target is None and field not in ("__all__", "non_field_errors"):
                    message = f"{field}: {message}"
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def report_domain_error(request: HttpRequest, exc: Conflict | NotPermitted) -> None:
    if isinstance(exc, NotPermitted):
        messages.error(request, _("이 작업을 할 권한이 없습니다.") + f" ({exc})")
    else:
        messages.error(request, _("현재 상태에서는 이 작업을 할 수 없습니다.") + f" ({exc})")


def report_form_errors(request: HttpRequest, form: forms.Form, errors: dict | None = None) -> None:
    """A form posted from a page section that redirects back: its errors (default: all) as messages,
    each after its field's label."""
    for field, messages_of_field in (form.errors if errors is None else errors).items():
        label = form.fields[field].label if field in form.fields else ""
        for error in messages_of_field:
            messages.error(request, f"{label}: {error}" if label else error)


def report_validation_error(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


class Outcome:
    """Whether the service call in a ``reported`` block went through."""

    ok = False

    def __bool__(self) -> bool:
        return self.ok


@contextmanager
def reported(request: HttpRequest, form: forms.Form | None = None) -> Iterator[Outcome]:
    """Runs the service call in the block and reports what it refused: validation errors next to the
    form's fields (or as messages without a form), a wrong role or state as a message.

        with reported(request, form) as done:
            services.update_application(...)
        if done:
            ...
    """
    outcome = Outcome()
    try:
        yield outcome
    except (RuleViolation, ValidationError) as exc:
        # a broken rule shows like a validation error: beside its field when the form has one
        error = (
            exc if isinstance(exc, ValidationError) else ValidationError({exc.field or "__all__": [str(exc)]})
        )
        if form is not None:
            add_service_errors(form, error)
        else:
            report_validation_error(request, error)
    except (Conflict, NotPermitted) as exc:
        report_domain_error(request, exc)
    else:
        outcome.ok = True
