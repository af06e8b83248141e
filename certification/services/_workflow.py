"""The services' side of ``certification.workflow``: refuse what the table does not allow, in one order
for every action: who acts, then what the request must carry, then the state, then the state's
conditions (so a blank reason is a 400 even in a wrong state, as the API has always answered)."""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils import timezone

from certification import eligibility, workflow
from certification.models import ApplicationStatus, Certificate, CertificationApplication
from certification.workflow import Actor, Requirement, Transition
from core.domain import Conflict, NotPermitted

Record = CertificationApplication | Certificate


def check(
    actor: AbstractBaseUser, name: str, record: Record, *, text: str = "", now: datetime | None = None
) -> Transition:
    """Raises NotPermitted, ValidationError, RuleViolation or Conflict unless ``actor`` may take action
    ``name`` on the (locked) ``record`` at ``now`` (default: the clock); ``text`` is the comment or reason
    that comes with it."""
    transition = workflow.transition(name)
    if not workflow.may_act(actor, transition, record):
        if Actor.OWNER in transition.actors:
            raise NotPermitted("only the applying supplier may do this")
        raise NotPermitted(f"this action needs the role {' or '.join(a.value for a in transition.actors)}")
    _check_request(transition, record, text)
    if record.status not in transition.sources:
        noun = "a certificate" if transition.subject is workflow.Subject.CERTIFICATE else "an application"
        raise Conflict(
            f"cannot {transition.name} {noun} that is {record.status} "
            f"(allowed from: {', '.join(transition.sources)})"
        )
    _check_conditions(transition, record, now or timezone.now())
    return transition


def _check_request(transition: Transition, record: Record, text: str) -> None:
    required = transition.required_text
    if required is not None and not text.strip():
        raise ValidationError({required.value: [transition.prompt]})
    if Requirement.COMPLETE in transition.requires:
        record.full_clean()
    if Requirement.EVIDENCE in transition.requires and not record.documents.exists():
        raise ValidationError(
            {"documents": ["증빙서류를 하나 이상 첨부해야 합니다 (attach at least one evidence document)."]}
        )


def _check_conditions(transition: Transition, record: Record, now: datetime) -> None:
    if Requirement.CALL_OPEN in transition.requires:
        eligibility.check_call_open(record, record.call, now)
    if Requirement.ELIGIBLE in transition.requires:
        eligibility.check_call_scope(record, record.call)
        eligibility.check_parties(record, now)
    if Requirement.NO_FAILED_STAGE in transition.requires:
        failed = list(record.stages.filter(passed=False).values_list("stage", flat=True))
        if failed:
            raise Conflict(
                f"cannot {transition.name}: review stage(s) failed: {', '.join(failed)}", code="stage_failed"
            )
    if Requirement.NOT_EXPIRED in transition.requires and record.expires_on < timezone.localdate():
        raise Conflict(
            f"an expired certificate cannot be {transition.past_en}; apply for renewal",
            code="certificate_expired",
        )
    if Requirement.NO_OPEN_RENEWAL in transition.requires:
        closed = (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN)
        if record.renewal_applications.exclude(status__in=closed).exists():
            raise Conflict("a renewal application for this certificate already exists", code="renewal_exists")
