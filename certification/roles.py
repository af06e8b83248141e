"""The roles of the scheme, as Django groups, and how to ask which one a user holds."""

from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission


class Role(StrEnum):
    SUPPLIER = "supplier"
    REVIEWER = "reviewer"
    # appointed by admins to score applications on the panels they are assigned to
    EVALUATOR = "evaluator"
    OFFICER = "procurement_officer"
    ADMIN = "admin"
    # reads the program dashboard (figures, search insight); changes nothing
    PROGRAM_STAFF = "program_staff"


# Django-admin permissions per role: reviewers work the review queue there; admins manage everything.
# Business rules are still enforced by the services the admin actions call.
ROLE_ADMIN_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.REVIEWER: (
        "certification.view_company",
        "certification.view_certificationapplication",
        "certification.change_certificationapplication",
        "certification.view_certificate",
        "certification.change_certificate",
        "certification.view_evidencedocument",
        "certification.view_auditevent",
        "certification.view_reviewstageresult",
        "certification.view_partnerconfirmation",
        "catalog.view_productlisting",
    ),
    Role.ADMIN: ("certification.*", "catalog.*", "feeds.*", "search.*", "program.*"),
}


def _permissions(patterns: tuple[str, ...]) -> list[Permission]:
    chosen = []
    for pattern in patterns:
        app_label, codename = pattern.split(".")
        found = Permission.objects.filter(content_type__app_label=app_label)
        chosen.extend(found if codename == "*" else found.filter(codename=codename))
    return chosen


def ensure_role_groups(**kwargs) -> None:
    """Creates the role groups with their admin permissions. Runs after every migrate (post_migrate)."""
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        if role in ROLE_ADMIN_PERMISSIONS:
            group.permissions.add(*_permissions(ROLE_ADMIN_PERMISSIONS[role]))


def has_role(user: AbstractBaseUser | AnonymousUser, role: Role) -> bool:
    if not user.is_authenticated:
        return False
    if role is Role.ADMIN and user.is_superuser:
        return True
    # groups are prefetched per request by the permission classes that call this repeatedly
    return any(group.name == role.value for group in user.groups.all())


def is_admin(user: AbstractBaseUser | AnonymousUser) -> bool:
    return has_role(user, Role.ADMIN)
