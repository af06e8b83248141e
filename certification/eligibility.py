"""Who may apply, and to which call, for what: the rules a submission is checked against at the moment it
commits (under the application's and the call's row locks, see ``certification.services._workflow``).

- The call (모집공고) must be open, or, for the answer to a supplement request, the reviewer's supplement
  deadline not yet past; the call must accept the sector, offer the task type, and the task type allow the
  detailed item (세부품명번호).
- The applicant (주관기업) must be an SME with a 중소기업 확인서 valid on the submit date; the partner (협력기업)
  is another company, recorded as a mentor enterprise or a 소재·부품 enterprise, and has confirmed that it
  takes part on the terms the application states (``certification.partners``).

Each refusal names its rule by a stable code (docs/api.md, "Errors").
"""

from datetime import datetime

from django.utils import timezone

from certification.calls import Call
from certification.models import (
    ApplicationStatus,
    CertificationApplication,
    CompanySize,
    Membership,
    PartnerKind,
)
from certification.partners import OPEN_STATUSES, ConfirmationStatus, PartnerConfirmation, changed_terms
from core.domain import Conflict, RuleViolation


def check_call_open(application: CertificationApplication, call: Call, now: datetime) -> None:
    """A first submission needs the call open now; a resubmission after a supplement request is allowed
    until the deadline the reviewer set, even after the call closed."""
    deadline = application.supplement_deadline
    if application.status == ApplicationStatus.SUPPLEMENT_REQUESTED and deadline is not None:
        if now > deadline:
            raise Conflict(
                f"보완 제출 기한({_seoul(deadline)})이 지났습니다 (the supplement deadline has passed).",
                code="supplement_overdue",
            )
        return
    if now < call.opens_at:
        raise Conflict(
            f"'{call.title}' 공고는 {_seoul(call.opens_at)}에 접수를 시작합니다 (the call is not open yet).",
            code="call_not_open",
        )
    if now >= call.closes_at:
        raise Conflict(
            f"'{call.title}' 공고는 {_seoul(call.closes_at)}에 마감되었습니다 (the call has closed).",
            code="call_closed",
        )


def check_call_scope(application: CertificationApplication, call: Call) -> None:
    """The call accepts the application's sector, offers its task type, and the task type its item."""
    if application.sector not in call.sectors:
        raise RuleViolation(
            f"'{call.title}' 공고는 {application.get_sector_display()} 분야를 받지 않습니다 "
            f"(the call does not accept this sector).",
            code="sector_not_in_call",
            field="sector",
        )
    offered = call.task_types.filter(task_type=application.task_type).first()
    if offered is None:
        raise RuleViolation(
            f"'{call.title}' 공고에는 {application.get_task_type_display()} 과제가 없습니다 "
            f"(the call does not offer this task type).",
            code="task_type_not_in_call",
            field="task_type",
        )
    if not offered.allows(application.classification_code):
        raise RuleViolation(
            f"{application.classification_code}은(는) 이 공고의 {application.get_task_type_display()} "
            f"대상 세부품명번호가 아닙니다 (the task type does not allow this item).",
            code="item_not_eligible",
            field="classification_code",
        )


def check_not_self_partnership(supplier_id: int | None, partner_id: int | None) -> None:
    if supplier_id is not None and supplier_id == partner_id:
        raise RuleViolation(
            "협력기업은 신청기업(주관기업)과 달라야 합니다 (a company cannot partner itself).",
            code="self_partnership",
            field="partner",
        )


def check_parties(application: CertificationApplication, now: datetime) -> None:
    """The applicant is an SME with a confirmation valid on the submit date (Korean time); the partner
    is another company and its kind is recorded."""
    problem = application.supplier.sme_problem(timezone.localdate(now))
    if problem:
        raise RuleViolation(
            f"{problem} — 주관기업은 중소기업이어야 합니다 (the applicant must be an SME).", code="not_an_sme"
        )
    check_not_self_partnership(application.supplier_id, application.partner_id)
    if not application.partner_kind:
        raise RuleViolation(
            "협력기업이 멘토기업인지 소재·부품기업인지 고르세요 (choose the partner's kind).",
            code="partner_kind_required",
            field="partner_kind",
        )
    # a mentor lends the production capacity of a mid-sized or large enterprise; an SME partner takes
    # part as a 소재·부품 enterprise
    if application.partner_kind == PartnerKind.MENTOR and application.partner.size == CompanySize.SME:
        raise RuleViolation(
            f"{application.partner.name}은(는) 중소기업이라 멘토기업이 될 수 없습니다; 소재·부품기업으로 고르세요 "
            f"(a mentor enterprise is mid-sized or large).",
            code="mentor_not_large",
            field="partner_kind",
        )


def _seoul(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M KST")


# ----------------------------------------------------------------- the partner's confirmation
def open_confirmation(application: CertificationApplication) -> PartnerConfirmation | None:
    """The request that speaks for the application now (requested or confirmed), if any."""
    return application.partner_confirmations.filter(status__in=OPEN_STATUSES).first()


def last_confirmation(application: CertificationApplication) -> PartnerConfirmation | None:
    """The latest request, whatever its answer: what the applicant's page reports."""
    return application.partner_confirmations.order_by("-requested_at", "-id").first()


def check_partner_confirmed(application: CertificationApplication) -> None:
    """The partner named now has confirmed the agreed terms as they stand now. An edit voids an answer
    (``services.partners``); the comparison here holds even for a row changed behind the services."""
    confirmation = open_confirmation(application)
    if (
        confirmation is not None
        and confirmation.status == ConfirmationStatus.CONFIRMED
        and confirmation.partner_id == application.partner_id
        and not changed_terms(application, confirmation.terms)
    ):
        return
    latest = last_confirmation(application)
    if latest is not None and latest.status == ConfirmationStatus.DECLINED:
        why = f"협력기업이 참여를 거절했습니다: {latest.reason} (the partner declined: {latest.reason})"
    elif confirmation is not None and confirmation.status == ConfirmationStatus.REQUESTED:
        why = "협력기업의 답을 기다리는 중입니다 (the partner has not answered yet)"
    else:
        why = "협력기업에 참여 확인을 요청하세요 (ask the partner to confirm first)"
    raise Conflict(
        f"협력기업의 참여 확인 없이 제출할 수 없습니다 — {why}. "
        f"(an application cannot be submitted until its partner confirms taking part).",
        code="partner_not_confirmed",
    )


def check_partner_requestable(application: CertificationApplication, contact_email: str) -> None:
    """A request goes to another company, never over an open request or a confirmation still valid, and
    names a contact e-mail when the partner has nobody to answer it yet."""
    check_not_self_partnership(application.supplier_id, application.partner_id)
    confirmation = open_confirmation(application)
    if confirmation is not None and confirmation.status == ConfirmationStatus.CONFIRMED:
        raise Conflict(
            "협력기업이 이미 참여를 확인했습니다 (the partner has already confirmed).",
            code="partner_already_confirmed",
        )
    if confirmation is not None:
        raise Conflict(
            "협력기업의 답을 기다리는 요청이 이미 있습니다 (a request is already waiting for the partner).",
            code="partner_confirmation_pending",
        )
    if not contact_email and not partner_has_members(application):
        raise RuleViolation(
            f"{application.partner.name}에는 아직 사용자가 없습니다: 초대할 담당자 이메일을 입력하세요 "
            f"(the partner has no users yet: give a contact e-mail to invite).",
            code="partner_contact_required",
            field="contact_email",
        )


def partner_has_members(application: CertificationApplication) -> bool:
    return Membership.objects.filter(company_id=application.partner_id).exists()


def check_partner_asked(application: CertificationApplication) -> PartnerConfirmation:
    """The request the partner answers: open and not answered yet."""
    confirmation = open_confirmation(application)
    if confirmation is not None and confirmation.status == ConfirmationStatus.CONFIRMED:
        raise Conflict(
            "이미 참여를 확인했습니다 (the partner has already confirmed).", code="partner_already_confirmed"
        )
    if confirmation is None:
        raise Conflict(
            "답할 참여 확인 요청이 없습니다 (there is no open request to answer).",
            code="no_partner_request",
        )
    return confirmation
