"""Calls for applications (모집공고): admins open rounds, change them and close them."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from certification.calls import Call, CallTaskType
from certification.services._records import audit, clean_fields, require_role

CALL_FIELDS = ("title", "year", "round", "opens_at", "closes_at", "sectors")


@transaction.atomic
def create_call(actor: AbstractBaseUser, *, task_types: list[dict[str, Any]], **fields: Any) -> Call:
    """``task_types``: ``{"task_type": ..., "any_item": bool, "eligible_items": [10-digit numbers]}``."""
    require_role(actor)
    call = Call()
    clean_fields(call, fields)
    call.save()
    _set_task_types(call, task_types)
    audit(actor, "call_create", comment=_summary(call))
    return call


@transaction.atomic
def update_call(
    actor: AbstractBaseUser, *, call_id: int, task_types: list[dict[str, Any]] | None = None, **fields: Any
) -> Call:
    """Changes a call under its row lock, which a submit to the call takes too: closing a call early and
    a submit in flight are ordered, never interleaved."""
    require_role(actor)
    call = Call.objects.select_for_update().get(pk=call_id)
    clean_fields(call, fields)
    call.save()
    if task_types is not None:
        _set_task_types(call, task_types)
    audit(actor, "call_update", comment=_summary(call))
    return call


def _set_task_types(call: Call, task_types: list[dict[str, Any]]) -> None:
    call.task_types.all().delete()
    for values in task_types:
        offered = CallTaskType(call=call, **values)
        offered.full_clean()
        offered.save()


def _summary(call: Call) -> str:
    offered = ", ".join(call.task_types.values_list("task_type", flat=True))
    opens, closes = timezone.localtime(call.opens_at), timezone.localtime(call.closes_at)
    return (
        f"#{call.pk} {call.title} ({call.year}-{call.round}) {opens:%Y-%m-%d %H:%M}–{closes:%Y-%m-%d %H:%M} "
        f"KST {'/'.join(call.sectors)}: {offered}"
    )
