"""The demo's people: companies with valid business numbers and SME confirmations, and users with their
roles and memberships, all sharing the published demo password (``catalog.demo`` builds the rest)."""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from certification.models import Company, Membership
from certification.roles import Role
from certification.validators import business_number_check_digit

DEMO_PASSWORD = "sangsaeng-demo-2026"


def demo_business_number(index: int) -> str:
    first_nine = f"{210810000 + index * 137:09d}"
    return first_nine + str(business_number_check_digit(first_nine))


@functools.cache
def demo_password_hash() -> str:
    # one hash for every demo account: the hasher's work factor makes each one take most of a second, and
    # a demo has two dozen accounts sharing one published password anyway
    return make_password(DEMO_PASSWORD)


def demo_user(username: str, role: Role, company: Company | None = None):
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=username,
        defaults={"is_staff": role in (Role.ADMIN, Role.REVIEWER), "is_superuser": role is Role.ADMIN},
    )
    if created:
        user.password = demo_password_hash()
        user.save()
    user.groups.add(Group.objects.get(name=role.value))
    if company is not None:
        Membership.objects.get_or_create(user=user, defaults={"company": company})
    return user


def demo_company(index: int, name: str, region: str, size: str, name_en: str = "") -> Company:
    today = timezone.localdate()
    # SMEs carry a 중소기업 확인서 valid through next year (the real ones run about a year at a time)
    sme = (
        {
            "sme_confirmation_number": f"0012-2026-{index:05d}",
            "sme_confirmed_from": today.replace(month=1, day=1),
            "sme_confirmed_until": today.replace(year=today.year + 1, month=12, day=31),
        }
        if size == "sme"
        else {}
    )
    company, _ = Company.objects.get_or_create(
        business_number=demo_business_number(index),
        defaults={
            "name": name,
            "name_en": name_en,
            "region": region,
            "size": size,
            "representative": "김대표",
            "contact_email": f"contact{index}@example.kr",
            "contact_phone": f"02-555-{1000 + index}",
            **sme,
        },
    )
    return company


def partner_member(company: Company):
    """The demo user who answers for a partner enterprise (``partner1`` … one per partner)."""
    return (
        get_user_model()
        .objects.filter(membership__company=company, groups__name=Role.SUPPLIER.value)
        .order_by("pk")
        .first()
    )
