"""What every registry write shares: the role gate, row locks, validated assignment and the audit trail."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import models

from certification.models import AuditEvent, Certificate, CertificationApplication
from certification.roles import Role, has_role
from core.domain import NotPermitted


def require_role(actor: AbstractBaseUser, *roles: Role) -> None:
    """Admins pass every role gate; ``require_role(actor)`` alone admits admins only."""
    if not any(has_role(actor, role) for role in (*roles, Role.ADMIN)):
        raise NotPermitted(f"this action needs the role {' or '.join(r.value for r in roles)}")


def locked_application(pk: int) -> CertificationApplication:
    return CertificationApplication.objects.select_for_update().get(pk=pk)


def locked_certificate(pk: int) -> Certificate:
    return Certificate.objects.select_for_update().get(pk=pk)


def clean_fields(instance: models.Model, fields: dict[str, Any]) -> None:
    for field, value in fields.items():
        setattr(instance, field, value)
    instance.full_clean()


def audit(
    actor: AbstractBaseUser | None,
    action: str,
    *,
    application: CertificationApplication | None = None,
    certificate: Certificate | None = None,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
) -> AuditEvent:
    """Appends to the trail; ``actor`` None is the system (the scheduled expiry job)."""
    signed_in = actor is not None and actor.is_authenticated
    return AuditEvent.objects.create(
        actor=actor if signed_in else None,
        actor_name=actor.get_username() if signed_in else "system",
        action=action,
        application=application,
        certificate=certificate,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
    )
