"""Evaluation panels: a reviewer seats the evaluators of a stage, each evaluator scores the application
against the call's criteria, and closing the panel gives the stage its result (``review.record_review_stage``).

Every operation runs on the locked application, so a score racing the panel's closing, or two reviewers
forming the same panel, are ordered: one wins and the other sees its outcome.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from certification.identity import company_id_of
from certification.models import CertificationApplication
from certification.panels import (
    CriterionScore,
    EvaluationCriterion,
    EvaluationPanel,
    PanelSeat,
    ReviewStageKind,
    criteria_problem,
)
from certification.roles import Role, has_role
from certification.services._records import audit, locked_application
from certification.services._workflow import check, check_stage_order
from core.domain import Conflict, RuleViolation

#: the most evaluators one panel seats: a bound on the request, well above any real panel
MAX_PANEL_SIZE = 15


def known_stage(stage: str) -> ReviewStageKind:
    if stage not in ReviewStageKind.values:
        raise ValidationError({"stage": [f"알 수 없는 심사 단계입니다 (unknown stage {stage!r})."]})
    return ReviewStageKind(stage)


def stage_criteria(application: CertificationApplication, stage: str) -> list[EvaluationCriterion]:
    return list(EvaluationCriterion.objects.filter(call_id=application.call_id, stage=stage))


def tied_to_application(user: AbstractBaseUser, application: CertificationApplication) -> bool:
    """A conflict of interest: the user is a member of the applicant or of its partner."""
    return company_id_of(user) in (application.supplier_id, application.partner_id)


@transaction.atomic
def form_panel(
    actor: AbstractBaseUser, *, application_id: int, stage: str, evaluators: Iterable[int]
) -> EvaluationPanel:
    """Seats ``evaluators`` (user ids) on the stage's panel, creating it or changing who sits on it while
    it is open; an evaluator who already scored keeps the seat."""
    application = locked_application(application_id)
    check(actor, "form_panel", application)
    known_stage(stage)
    check_stage_order(application, stage)
    problem = criteria_problem(stage_criteria(application, stage))
    if problem is not None:
        raise Conflict(problem, code="criteria_incomplete")
    chosen = _panel_members(application, list(evaluators))

    panel, _ = EvaluationPanel.objects.get_or_create(
        application=application, stage=stage, defaults={"formed_by": actor}
    )
    seats = {seat.evaluator_id: seat for seat in panel.seats.all()}
    leaving = [seat for evaluator_id, seat in seats.items() if evaluator_id not in chosen]
    if any(seat.submitted for seat in leaving):
        raise Conflict(
            "이미 평가표를 제출한 평가위원은 뺄 수 없습니다 (an evaluator who has scored keeps the seat).",
            code="evaluator_has_scored",
        )
    for seat in leaving:
        seat.delete()
    PanelSeat.objects.bulk_create(
        PanelSeat(panel=panel, evaluator=user) for user_id, user in chosen.items() if user_id not in seats
    )
    audit(
        actor,
        "form_panel",
        application=application,
        from_state=application.status,
        to_state=application.status,
        comment=f"{stage}: {', '.join(user.get_username() for user in chosen.values())}",
    )
    return panel


def _panel_members(application: CertificationApplication, ids: list[int]) -> dict[int, AbstractBaseUser]:
    """The chosen evaluators by id, refused unless there are enough of them, each holds the evaluator
    role and none is tied to either company."""
    minimum = settings.EVALUATION_PANEL_MINIMUM
    if len(set(ids)) != len(ids):
        raise RuleViolation(
            "같은 평가위원을 두 번 배정했습니다 (an evaluator is listed twice).",
            code="evaluator_listed_twice",
            field="evaluators",
        )
    if not minimum <= len(ids) <= MAX_PANEL_SIZE:
        raise RuleViolation(
            f"평가위원은 {minimum}–{MAX_PANEL_SIZE}명이어야 합니다 "
            f"(a panel seats {minimum} to {MAX_PANEL_SIZE} evaluators).",
            code="panel_incomplete",
            field="evaluators",
        )
    users = {user.pk: user for user in get_user_model().objects.filter(pk__in=ids).prefetch_related("groups")}
    not_evaluators = [str(pk) for pk in ids if pk not in users or not has_role(users[pk], Role.EVALUATOR)]
    if not_evaluators:
        raise RuleViolation(
            f"평가위원으로 위촉되지 않은 사용자입니다: {', '.join(not_evaluators)} "
            f"(not appointed evaluators: {', '.join(not_evaluators)}).",
            code="not_an_evaluator",
            field="evaluators",
        )
    tied = [user.get_username() for user in users.values() if tied_to_application(user, application)]
    if tied:
        raise RuleViolation(
            f"신청기업 또는 협력기업 소속인 평가위원은 배정할 수 없습니다: {', '.join(tied)} "
            f"(conflict of interest: a member of the applicant or its partner: {', '.join(tied)}).",
            code="conflict_of_interest",
            field="evaluators",
        )
    return {pk: users[pk] for pk in ids}


@transaction.atomic
def score_stage(
    actor: AbstractBaseUser,
    *,
    application_id: int,
    stage: str,
    scores: Mapping[int, Decimal],
    comment: str = "",
) -> PanelSeat:
    """Records the actor's evaluation sheet for the stage: ``scores`` maps every criterion's id to the
    points given (0 to its weight). A sheet may be submitted again until the panel closes."""
    application = locked_application(application_id)
    check(actor, "score_stage", application, text=comment)
    known_stage(stage)
    seat = (
        PanelSeat.objects.select_related("panel")
        .filter(panel__application=application, panel__stage=stage, evaluator=actor)
        .first()
    )
    if seat is None:
        raise Conflict(
            f"이 신청의 {ReviewStageKind(stage).label} 평가위원이 아닙니다 "
            f"(you have no seat on this application's {stage} panel).",
            code="not_on_panel",
        )
    if not seat.panel.is_open:
        raise Conflict(
            "평가가 이미 마감되었습니다 (the panel has closed: its result is recorded).", code="panel_closed"
        )
    if tied_to_application(actor, application):
        raise Conflict(
            "신청기업 또는 협력기업 소속이 되어 평가할 수 없습니다 "
            "(conflict of interest: you are now a member of the applicant or its partner).",
            code="conflict_of_interest",
        )
    criteria = stage_criteria(application, stage)
    points = _sheet(criteria, scores)
    seat.scores.all().delete()
    CriterionScore.objects.bulk_create(
        CriterionScore(seat=seat, criterion=c, points=points[c.pk]) for c in criteria
    )
    seat.total = sum(points.values(), Decimal(0))
    seat.comment = comment
    seat.submitted_at = timezone.now()
    seat.save(update_fields=["total", "comment", "submitted_at"])
    audit(
        actor,
        "score_stage",
        application=application,
        from_state=application.status,
        to_state=application.status,
        comment=f"{stage}: {seat.total}",
    )
    return seat


def _sheet(criteria: list[EvaluationCriterion], scores: Mapping[int, Decimal]) -> dict[int, Decimal]:
    """The points per criterion id, refused unless every criterion is scored once within its weight."""
    by_id = {criterion.pk: criterion for criterion in criteria}
    unknown = sorted(set(scores) - set(by_id))
    missing = [by_id[pk].name for pk in by_id if pk not in scores]
    errors = []
    if unknown:
        errors.append(
            f"이 단계의 평가 항목이 아닙니다: {', '.join(map(str, unknown))} "
            f"(not criteria of this stage: {', '.join(map(str, unknown))})."
        )
    if missing:
        errors.append(f"점수를 입력하지 않은 항목: {'; '.join(missing)} (every criterion needs a score).")
    for pk, points in scores.items():
        criterion = by_id.get(pk)
        if criterion is not None and not 0 <= points <= criterion.weight:
            errors.append(
                f"{criterion.name}: 0–{criterion.weight}점 사이로 입력하세요 "
                f"(between 0 and {criterion.weight} points)."
            )
    if errors:
        raise ValidationError({"scores": errors})
    return {pk: Decimal(scores[pk]) for pk in by_id}


def closing_panel(application: CertificationApplication, stage: str) -> EvaluationPanel:
    """The stage's open panel once every evaluator on it has scored, to be closed by recording the result."""
    panel = (
        EvaluationPanel.objects.filter(application=application, stage=stage).prefetch_related("seats").first()
    )
    label = ReviewStageKind(stage).label
    if panel is None:
        raise Conflict(
            f"{label} 평가위원이 배정되지 않았습니다 (no panel has been formed for this stage).",
            code="panel_incomplete",
        )
    waiting = [seat for seat in panel.seats.all() if not seat.submitted]
    if waiting or len(panel.seats.all()) < settings.EVALUATION_PANEL_MINIMUM:
        raise Conflict(
            f"{label}: 평가표 {len(waiting)}건이 아직 제출되지 않았습니다 "
            f"(the panel is incomplete: {len(waiting)} evaluation sheet(s) still missing).",
            code="panel_incomplete",
        )
    return panel
