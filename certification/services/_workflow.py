"""The services' side of ``certification.workflow``: refuse what the table does not allow, in one order
for every action: who acts, then what the request must carry, then the state, then the state's
conditions (so a blank reason is a 400 even in a wrong state, as the API has always answered)."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils import timezone

from certification import eligibility, workflow
from certification.codes import is_single_item
from certification.models import (
    ApplicationStatus,
    Certificate,
    CertificateStatus,
    CertificationApplication,
    ReviewStageKind,
)
from certification.services._records import locked_certificate
from certification.validity import renewal_window_closed
from certification.workflow import Actor, Requirement, Transition
from core.domain import Conflict, NotPermitted, RuleViolation

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
        if Actor.PARTNER in transition.actors:
            raise NotPermitted(
                "협력기업 소속 사용자만 답할 수 있습니다 (only a member of the partner company may answer)."
            )
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
    if Requirement.SINGLE_ITEM in transition.requires and not is_single_item(
        record.sector, record.classification_code
    ):
        raise RuleViolation(
            "인증은 한 품목에 대해 받습니다: 10자리 세부품명번호를 입력하세요 "
            "(a certificate covers one item: give its 10-digit detailed item number).",
            code="detailed_item_required",
            field="classification_code",
        )
    if Requirement.EVIDENCE in transition.requires and not record.documents.exists():
        raise ValidationError(
            {"documents": ["증빙서류를 하나 이상 첨부해야 합니다 (attach at least one evidence document)."]}
        )


def check_stage_order(application: CertificationApplication, stage: str) -> None:
    """The stages run in order (대면평가 → 현장평가 → 심의위원회), each recorded once: a stage waits for the
    previous one to pass. Asked on the locked application, so two reviewers recording at once get one
    result and one Conflict."""
    order = list(ReviewStageKind.values)
    recorded = dict(application.stages.values_list("stage", "passed"))
    if stage in recorded:
        raise Conflict(
            f"이미 기록된 심사 단계입니다: {ReviewStageKind(stage).label} (stage already recorded).",
            code="stage_already_recorded",
        )
    previous = order[order.index(stage) - 1] if order.index(stage) else None
    if previous is not None and not recorded.get(previous):
        raise Conflict(
            f"{ReviewStageKind(previous).label} 단계를 통과해야 {ReviewStageKind(stage).label} 단계를 기록할 수 "
            f"있습니다 (stages run in order: {previous} must pass before {stage}).",
            code="stage_out_of_order",
        )


def _check_conditions(transition: Transition, record: Record, now: datetime) -> None:
    if Requirement.CALL_OPEN in transition.requires:
        eligibility.check_call_open(record, record.call, now)
    if Requirement.ELIGIBLE in transition.requires:
        eligibility.check_call_scope(record, record.call)
        eligibility.check_parties(record, now)
    if Requirement.PARTNER_CONFIRMED in transition.requires:
        eligibility.check_partner_confirmed(record)
    if Requirement.PARTNER_ASKED in transition.requires:
        eligibility.check_partner_asked(record)
    if Requirement.NO_FAILED_STAGE in transition.requires:
        failed = list(record.stages.filter(passed=False).values_list("stage", flat=True))
        if failed:
            raise Conflict(
                f"cannot {transition.name}: review stage(s) failed: {', '.join(failed)}", code="stage_failed"
            )
    if (
        Requirement.COMMITTEE_PASSED in transition.requires
        and not record.stages.filter(stage=ReviewStageKind.COMMITTEE, passed=True).exists()
    ):
        raise Conflict(
            "심의위원회 결정을 통과해야 승인할 수 있습니다 (approval needs a passed committee decision).",
            code="committee_not_passed",
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
    if Requirement.RENEWABLE in transition.requires and record.renewal_of_id:
        _check_renewable(transition, record.renewal_of_id)


def _check_renewable(transition: Transition, certificate_id: int) -> None:
    """A renewal lives only while the certificate it renews may still be renewed. The old certificate is
    locked too, so a revocation committing meanwhile is either seen here or waits for this action."""
    old = locked_certificate(certificate_id)
    if old.status == CertificateStatus.REVOKED:
        raise Conflict(
            f"취소된 인증서({old.number})의 갱신은 {transition.label_ko}할 수 없습니다 "
            f"(the certificate this renews was revoked; a renewal cannot be {transition.past_en})",
            code="renewal_of_revoked_certificate",
        )
    if renewal_window_closed(old.expires_on, timezone.localdate()):
        raise Conflict(
            f"인증서({old.number})가 {old.expires_on.isoformat()}에 만료되어 갱신 기간이 지났습니다; "
            f"새로 신청하세요 (the renewal window closed "
            f"{settings.CERTIFICATE_RENEWAL_WINDOW_DAYS} days after expiry; apply anew)",
            code="renewal_window_closed",
        )
