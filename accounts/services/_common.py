"""What the accounts services share: the supplier role that comes with a membership."""

from django.contrib.auth.models import Group

from certification.models import Company, Membership
from certification.roles import Role


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
