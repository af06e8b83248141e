"""A company registered by its first user, who becomes its administrator; members and their roles."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts import selectors
from accounts.models import MemberRole, OfficerRequest
from accounts.services._common import join, leave, require_manager
from certification.models import Company, Membership
from certification.validators import validate_business_number
from core.domain import Conflict, NotPermitted, RuleViolation

ALREADY_REGISTERED = (
    "이 사업자등록번호로 등록된 회사가 이미 있습니다. 회사 관리자에게 초대를 요청하세요 "
    "(A company with this business registration number is already registered; ask your company's "
    "administrator to invite you)."
)


def clean_business_number(value: str) -> str:
    """The 10 ASCII digits of a business registration number as people type it: full-width digits and
    separators are normalised (NFKC), any other digit (Arabic-Indic, …) is refused, the check digit must
    match."""
    text = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", value or ""))
    if not re.fullmatch(r"[0-9]{10}", text):
        raise RuleViolation(
            "사업자등록번호는 숫자 10자리입니다 (a business registration number is 10 digits).",
            code="business_number_invalid",
            field="business_number",
        )
    try:
        validate_business_number(text)
    except ValidationError as exc:
        raise RuleViolation(exc.messages[0], code="business_number_invalid", field="business_number") from exc
    return text


def register_company(user, *, business_number: str, **fields) -> Company:
    """Registers the company ``user`` works for and makes ``user`` its first administrator (and a supplier).
    A number already registered is refused: the company exists, so its administrator invites."""
    number = clean_business_number(business_number)
    if not selectors.verified_emails(user):
        raise NotPermitted(
            "이메일 주소를 먼저 확인하세요 (confirm your e-mail address first).", code="email_not_verified"
        )
    if OfficerRequest.objects.filter(user=user).exists():
        raise NotPermitted(
            "조달 담당자 계정은 회사를 등록할 수 없습니다 (a procurement officer account cannot register a company).",
            code="officer_account",
        )
    if Membership.objects.filter(user=user).exists():
        raise Conflict(
            "이미 회사에 소속되어 있습니다 (you already belong to a company).", code="already_member"
        )
    if Company.objects.filter(business_number=number).exists():
        raise Conflict(ALREADY_REGISTERED, code="company_registered")
    company = Company(business_number=number, **fields)
    try:
        company.full_clean()
    except ValidationError as exc:
        if "business_number" in exc.message_dict:  # registered a moment ago by someone else
            raise Conflict(ALREADY_REGISTERED, code="company_registered") from exc
        raise
    try:
        with transaction.atomic():
            company.save()
            join(user, company, administrator=True)
    except IntegrityError as exc:  # the same number, or this user joining elsewhere, at the same moment
        raise Conflict(ALREADY_REGISTERED, code="company_registered") from exc
    return company


def _keep_an_administrator(membership: Membership) -> None:
    others = Membership.objects.filter(company=membership.company, is_administrator=True).exclude(
        pk=membership.pk
    )
    if membership.is_administrator and not others.exists():
        raise Conflict(
            "회사에는 관리자가 한 명 이상 있어야 합니다 (a company keeps at least one administrator).",
            code="last_administrator",
        )


@transaction.atomic
def remove_member(actor, *, membership: Membership) -> None:
    """Removes a member from the company (and with it the supplier role); never the last administrator."""
    membership = (
        Membership.objects.select_for_update().select_related("company", "user").get(pk=membership.pk)
    )
    require_manager(actor, membership.company)
    # the company's administrators are locked too, so two removals at once cannot leave none
    list(Membership.objects.select_for_update().filter(company=membership.company, is_administrator=True))
    _keep_an_administrator(membership)
    leave(membership)


@transaction.atomic
def set_member_role(actor, *, membership: Membership, role: str) -> Membership:
    """Makes a member an administrator, or an administrator a member (never the last one)."""
    if role not in MemberRole.values:
        raise RuleViolation("알 수 없는 역할입니다 (unknown role).", code="role_invalid", field="role")
    membership = Membership.objects.select_for_update().select_related("company").get(pk=membership.pk)
    require_manager(actor, membership.company)
    list(Membership.objects.select_for_update().filter(company=membership.company, is_administrator=True))
    administrator = role == MemberRole.ADMINISTRATOR
    if not administrator:
        _keep_an_administrator(membership)
    membership.is_administrator = administrator
    membership.save(update_fields=["is_administrator"])
    return membership
