"""Reads about accounts: whose company, who administers it, what waits for a decision."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from accounts.models import Invitation, OfficerRequest, OfficerRequestStatus
from certification.models import Company, Membership
from certification.roles import Role, has_role, is_admin

User = AbstractBaseUser | AnonymousUser


def membership_of(user: User) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.select_related("company").filter(user=user).first()


def is_company_administrator(user: User, company: Company) -> bool:
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, company=company, is_administrator=True).exists()


def may_manage_members(user: User, company: Company) -> bool:
    """Company administrators manage their own company's members; site administrators any company's."""
    return is_admin(user) or is_company_administrator(user, company)


def members_of(company: Company) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(company=company)
        .select_related("user")
        .order_by("-is_administrator", "user__email", "user__username")
    )


def invitations_of(company: Company) -> QuerySet[Invitation]:
    return Invitation.objects.filter(company=company, accepted_at__isnull=True, revoked_at__isnull=True)


def verified_emails(user: User) -> set[str]:
    if not user.is_authenticated:
        return set()
    return {
        address.lower()
        for address in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    }


def officer_request_of(user: User) -> OfficerRequest | None:
    if not user.is_authenticated:
        return None
    return OfficerRequest.objects.filter(user=user).first()


def pending_officer_requests() -> QuerySet[OfficerRequest]:
    return OfficerRequest.objects.filter(status=OfficerRequestStatus.PENDING).select_related("user")


def needs_company(user: User) -> bool:
    """A signed-in user with no company, no role and no officer request: a supplier who has yet to register
    (or be invited to) a company."""
    if not user.is_authenticated or user.is_staff or user.is_superuser:
        return False
    if Membership.objects.filter(user=user).exists() or OfficerRequest.objects.filter(user=user).exists():
        return False
    return not any(has_role(user, role) for role in Role)
