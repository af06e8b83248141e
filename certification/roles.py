"""The four roles of the scheme, as Django groups, and how to ask which one a user holds."""

from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group


class Role(StrEnum):
    SUPPLIER = "supplier"
    REVIEWER = "reviewer"
    OFFICER = "procurement_officer"
    ADMIN = "admin"


def ensure_role_groups() -> None:
    for role in Role:
        Group.objects.get_or_create(name=role.value)


def has_role(user: AbstractBaseUser | AnonymousUser, role: Role) -> bool:
    if not user.is_authenticated:
        return False
    if role is Role.ADMIN and user.is_superuser:
        return True
    # groups are prefetched per request by the permission classes that call this repeatedly
    return any(group.name == role.value for group in user.groups.all())


def is_admin(user: AbstractBaseUser | AnonymousUser) -> bool:
    return has_role(user, Role.ADMIN)
