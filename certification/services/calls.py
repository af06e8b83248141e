"""Calls for applications (모집공고): admins open rounds, change them and close them."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from certification.calls import Call, CallTaskType
from certification.panels import (
    DEFAULT_CRITERIA,
    CriterionScore,
    EvaluationCriterion,
    ReviewStageKind,
    criteria_problem,
)
from certification.services._records import audit, clean_fields, require_role
from core.domain import Conflict

CALL_FIELDS = ("title", "year", "round", "opens_at", "closes_at", "sectors", "pass_score")


@transaction.atomic
def create_call(
    actor: AbstractBaseUser,
    *,
    task_types: list[dict[str, Any]],
    criteria: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Call:
    """``task_types``: ``{"task_type": ..., "any_item": bool, "eligible_items": [10-digit numbers]}``;
    ``criteria``: the evaluation sheet, ``{"stage": ..., "name": ..., "weight": points}`` rows whose points
    add up to 100 per stage (default: the scheme's sheet, ``panels.DEFAULT_CRITERIA``)."""
    require_role(actor)
    call = Call()
    clean_fields(call, fields)
    call.save()
    _set_task_types(call, task_types)
    _set_criteria(call, default_criteria() if criteria is None else criteria)
    audit(actor, "call_create", comment=_summary(call))
    return call


@transaction.atomic
def update_call(
    actor: AbstractBaseUser,
    *,
    call_id: int,
    task_types: list[dict[str, Any]] | None = None,
    criteria: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Call:
    """Changes a call under its row lock, which a submit to the call takes too: closing a call early and
    a submit in flight are ordered, never interleaved."""
    require_role(actor)
    call = Call.objects.select_for_update().get(pk=call_id)
    clean_fields(call, fields)
    call.save()
    if task_types is not None:
        _set_task_types(call, task_types)
    if criteria is not None:
        _set_criteria(call, criteria)
    audit(actor, "call_update", comment=_summary(call))
    return call


def _set_task_types(call: Call, task_types: list[dict[str, Any]]) -> None:
    call.task_types.all().delete()
    for values in task_types:
        offered = CallTaskType(call=call, **values)
        offered.full_clean()
        offered.save()


def default_criteria() -> list[dict[str, Any]]:
    return [
        {"stage": stage, "name": name, "weight": weight}
        for stage, rows in DEFAULT_CRITERIA.items()
        for name, weight in rows
    ]


def _set_criteria(call: Call, criteria: list[dict[str, Any]]) -> None:
    """Replaces the call's evaluation sheet: every stage's criteria must weigh 100 in all, and a sheet
    that evaluators have scored against stays as it is."""
    if CriterionScore.objects.filter(criterion__call=call).exists():
        raise Conflict(
            "평가가 시작된 공고의 평가 항목은 바꿀 수 없습니다 "
            "(evaluators have scored against this call's criteria; they can no longer change).",
            code="criteria_in_use",
        )
    rows = [
        EvaluationCriterion(call=call, position=position, **values)
        for position, values in enumerate(criteria)
    ]
    errors = []
    for row in rows:
        try:
            row.full_clean(exclude=["call"], validate_unique=False)
        except ValidationError as error:
            errors.extend(f"{row.name or '?'}: {message}" for message in error.messages)
    for stage in ReviewStageKind:
        problem = criteria_problem([row for row in rows if row.stage == stage])
        if problem is not None:
            errors.append(f"{stage.label}: {problem}")
    names = [(row.stage, row.name) for row in rows]
    if len(set(names)) != len(names):
        errors.append("한 단계에 같은 이름의 항목이 두 번 있습니다 (a criterion is listed twice in a stage).")
    if errors:
        raise ValidationError({"criteria": errors})
    call.criteria.all().delete()
    EvaluationCriterion.objects.bulk_create(rows)


def _summary(call: Call) -> str:
    offered = ", ".join(call.task_types.values_list("task_type", flat=True))
    opens, closes = timezone.localtime(call.opens_at), timezone.localtime(call.closes_at)
    return (
        f"#{call.pk} {call.title} ({call.year}-{call.round}) {opens:%Y-%m-%d %H:%M}–{closes:%Y-%m-%d %H:%M} "
        f"KST {'/'.join(call.sectors)}: {offered}"
    )
