"""Which company a user acts for.

Selectors, services and the catalog all ask this; it lives apart from them so that reads never have to
import the write layer to answer it.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from certification.models import Company

User = AbstractBaseUser | AnonymousUser


def company_of(user: User) -> Company | None:
    membership = getattr(user, "membership", None)
    return membership.company if membership else None


def company_id_of(user: User) -> int | None:
    # the id alone needs no join: scoping a queryset asks this on every request
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    return membership.company_id if membership else None
