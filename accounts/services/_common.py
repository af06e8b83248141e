"""What the accounts services share: who manages a company's members, and the supplier role that comes
with a membership."""

from django.contrib.auth.models import Group

from accounts import selectors
from certification.models import Company, Membership
from certification.roles import Role
from core.domain import NotPermitted


def require_manager(actor, company: Company) -> None:
    """Company administrators manage their company's members and invitations (site administrators any)."""
    if not selectors.may_manage_members(actor, company):
        raise NotPermitted(
            "회사 관리자만 구성원과 초대를 관리할 수 있습니다 "
            "(only the company's administrators manage its members and invitations).",
            code="not_company_administrator",
        )


def join(user, company: Company, *, administrator: bool) -> Membership:
    """Makes ``user`` a member of ``company``; a member of a company acts as its supplier."""
    membership = Membership.objects.create(user=user, company=company, is_administrator=administrator)
    group, _ = Group.objects.get_or_create(name=Role.SUPPLIER.value)
    user.groups.add(group)
    return membership


def leave(membership: Membership) -> None:
    user = membership.user
    membership.delete()
    user.groups.remove(*user.groups.filter(name=Role.SUPPLIER.value))
