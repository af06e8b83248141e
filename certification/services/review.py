"""The reviewer's side of an application: start the review, record the stages, and decide."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from certification import signals, workflow
from certification.models import Certificate, CertificationApplication, ReviewStageResult
from certification.services._records import audit, locked_application
from certification.services._workflow import check, check_stage_order
from certification.services.applications import advance
from certification.services.certificates import issue_certificate, supersede
from certification.services.panels import closing_panel, known_stage
from core.domain import RuleViolation


@transaction.atomic
def start_review(
    actor: AbstractBaseUser, *, application_id: int, comment: str = ""
) -> CertificationApplication:
    return advance(actor, "start_review", application_id, comment)


#: the supplement deadline when the reviewer sets none (the admin's bulk action): two weeks, end of day
DEFAULT_SUPPLEMENT_DAYS = 14


@transaction.atomic
def request_supplement(
    actor: AbstractBaseUser, *, application_id: int, comment: str, deadline: datetime | None = None
) -> CertificationApplication:
    """Sends the application back for a supplement, answerable until ``deadline`` even after the call
    closes (default: the end of the day ``DEFAULT_SUPPLEMENT_DAYS`` from now, Korean time)."""
    now = timezone.now()
    if deadline is None:
        last_day = timezone.localdate(now) + timedelta(days=DEFAULT_SUPPLEMENT_DAYS)
        deadline = timezone.make_aware(datetime.combine(last_day, time.max))
    elif deadline <= now:
        raise RuleViolation(
            "보완 제출 기한은 앞으로의 일시여야 합니다 (the supplement deadline must be in the future).",
            code="supplement_deadline_past",
            field="deadline",
        )
    return advance(actor, "request_supplement", application_id, comment, supplement_deadline=deadline)


@transaction.atomic
def record_review_stage(
    actor: AbstractBaseUser, *, application_id: int, stage: str, comment: str = ""
) -> ReviewStageResult:
    """Closes the stage's panel once every evaluator has scored: the result is the panel's average, which
    passes at the call's pass score. A failed stage rejects the application."""
    application = locked_application(application_id)
    check(actor, "record_stage", application, text=comment)
    known_stage(stage)
    check_stage_order(application, stage)
    panel = closing_panel(application, stage)
    average = panel.average()
    pass_score = application.call.pass_score
    result = ReviewStageResult(
        application=application,
        stage=stage,
        passed=average >= pass_score,
        score=average,
        comment=comment,
        reviewer=actor,
    )
    result.full_clean()
    result.save()
    panel.closed_at = result.recorded_at
    panel.save(update_fields=["closed_at"])
    audit(
        actor,
        f"stage_{stage}",
        application=application,
        from_state=application.status,
        to_state=application.status,
        comment=f"{'passed' if result.passed else 'failed'} {average}/{pass_score} {comment}".strip(),
    )
    if not result.passed:
        _reject_for_failed_stage(actor, application, result, pass_score)
    return result


def _reject_for_failed_stage(
    actor: AbstractBaseUser,
    application: CertificationApplication,
    result: ReviewStageResult,
    pass_score: Decimal,
) -> None:
    """A failed stage ends the review: the application is rejected with the stage's reasons."""
    reasons = (
        f"{result.get_stage_display()} 불합격: 평균 {result.score}점 < 합격 {pass_score}점 "
        f"(stage failed: average {result.score} below the pass score {pass_score}). {result.comment}"
    ).strip()
    from_state = application.status
    application.status = workflow.transition("fail_stage").target
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_at", "updated_at"])
    audit(
        actor,
        "fail_stage",
        application=application,
        from_state=from_state,
        to_state=application.status,
        comment=reasons,
    )


@transaction.atomic
def reject_application(
    actor: AbstractBaseUser, *, application_id: int, comment: str
) -> CertificationApplication:
    return advance(actor, "reject", application_id, comment, decided_at=timezone.now())


@transaction.atomic
def approve_application(actor: AbstractBaseUser, *, application_id: int, comment: str = "") -> Certificate:
    """Approves and issues the certificate; on a renewal the old certificate ends where the new begins."""
    application = advance(actor, "approve", application_id, comment, decided_at=timezone.now())
    certificate = issue_certificate(actor, application)
    if application.renewal_of_id:
        supersede(actor, application.renewal_of_id, certificate)
    signals.certificate_issued.send(sender=Certificate, certificate=certificate)
    return certificate
