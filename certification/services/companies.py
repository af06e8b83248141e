"""Registering and editing companies (suppliers and partners)."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from certification import signals
from certification.identity import company_of
from certification.models import Company
from certification.roles import Role, has_role
from certification.services._records import clean_fields, require_role
from certification.validators import normalize_business_number
from core.domain import NotPermitted

COMPANY_FIELDS = (
    "name",
    "name_en",
    "business_number",
    "size",
    "region",
    "representative",
    "contact_email",
    "contact_phone",
    "address",
    "sme_confirmation_number",
    "sme_confirmed_from",
    "sme_confirmed_until",
)
SME_FIELDS = COMPANY_FIELDS[-3:]


@transaction.atomic
def create_company(actor: AbstractBaseUser, **fields: Any) -> Company:
    require_role(actor)  # admins register companies; suppliers get theirs on onboarding
    fields["business_number"] = normalize_business_number(fields.get("business_number", ""))
    company = Company()
    clean_fields(company, fields)
    _save_company(company)
    return company


@transaction.atomic
def update_company(actor: AbstractBaseUser, *, company_id: int, **fields: Any) -> Company:
    company = Company.objects.select_for_update().get(pk=company_id)
    own = company_of(actor)
    if not has_role(actor, Role.ADMIN) and (own is None or own.pk != company.pk):
        raise NotPermitted("only the company's own users or an admin may edit it")
    if "business_number" in fields:
        fields["business_number"] = normalize_business_number(fields["business_number"])
        if fields["business_number"] != company.business_number and not has_role(actor, Role.ADMIN):
            raise NotPermitted("only an admin may change a business registration number")
    # the SME confirmation is evidence the operator checks against the issued 확인서, not a self-declaration
    changed = [name for name in SME_FIELDS if name in fields and fields[name] != getattr(company, name)]
    if changed and not has_role(actor, Role.ADMIN):
        raise NotPermitted("only an admin may record a company's SME confirmation (중소기업 확인서)")
    old_names = (company.name, company.name_en)
    clean_fields(company, fields)
    _save_company(company)
    if (company.name, company.name_en) != old_names:
        signals.company_changed.send(sender=Company, company=company)
    return company


def _save_company(company: Company) -> None:
    """Saves after full_clean; a concurrent registration of the same number can still win between the
    two, and then the unique index answers: report it like full_clean would have."""
    try:
        with transaction.atomic():  # savepoint: the caller's transaction stays usable
            company.save()
    except IntegrityError as exc:
        if Company.objects.filter(business_number=company.business_number).exclude(pk=company.pk).exists():
            raise ValidationError(
                {
                    "business_number": [
                        "이미 등록된 사업자등록번호입니다 (business number already registered)."
                    ]
                }
            ) from exc
        raise
