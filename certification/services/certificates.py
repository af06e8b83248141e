"""A certificate's life: issued on approval, suspended, reinstated or revoked by reviewers, expired by
the scheduled job or superseded by its renewal, and renewed by its supplier. Every status change sends
``certificate_changed`` so the catalog and search follow inside the same transaction."""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from certification import signals, workflow
from certification.models import (
    Certificate,
    CertificateNumberSequence,
    CertificateStatusChange,
    CertificationApplication,
    StatusChangeKind,
)
from certification.services._records import audit, locked_certificate
from certification.services._workflow import check
from certification.services.applications import APPLICATION_FIELDS
from certification.validity import valid_through
from core.domain import RuleViolation

# the history's kind of each status-changing action of the workflow table
KIND_OF = {
    "suspend": StatusChangeKind.SUSPENDED,
    "reinstate": StatusChangeKind.REINSTATED,
    "lift_suspension": StatusChangeKind.AUTO_REINSTATED,
    "revoke": StatusChangeKind.REVOKED,
    "expire": StatusChangeKind.EXPIRED,
    "supersede": StatusChangeKind.SUPERSEDED,
}


def _record_change(
    actor: AbstractBaseUser | None, certificate: Certificate, kind: str, from_status: str, reason: str
) -> CertificateStatusChange:
    """Appends to the certificate's status history; ``actor`` None is the system (the daily job)."""
    signed_in = actor is not None and actor.is_authenticated
    return CertificateStatusChange.objects.create(
        certificate=certificate,
        kind=kind,
        from_status=from_status,
        to_status=certificate.status,
        effective_at=certificate.status_changed_at,
        actor=actor if signed_in else None,
        actor_name=actor.get_username() if signed_in else "system",
        reason=reason,
        suspended_until=certificate.suspended_until,
    )


def _next_certificate_number(year: int) -> str:
    sequence, _ = CertificateNumberSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return f"WW-{year}-{sequence.last_value:06d}"


def issue_certificate(actor: AbstractBaseUser, application: CertificationApplication) -> Certificate:
    today = timezone.localdate()
    certificate = Certificate.objects.create(
        number=_next_certificate_number(today.year),
        application=application,
        supplier_id=application.supplier_id,
        partner_id=application.partner_id,
        sector=application.sector,
        product_name=application.product_name,
        classification_code=application.classification_code,
        issued_on=today,
        expires_on=valid_through(today),
        renewed_from_id=application.renewal_of_id,
    )
    _record_change(actor, certificate, StatusChangeKind.ISSUED, "", certificate.number)
    audit(
        actor,
        "issue",
        application=application,
        certificate=certificate,
        to_state=certificate.status,
        comment=certificate.number,
    )
    return certificate


def supersede(actor: AbstractBaseUser, old_certificate_id: int, new_certificate: Certificate) -> None:
    """Ends the renewed certificate, unless it has already ended some other way."""
    old = locked_certificate(old_certificate_id)
    if workflow.allows(old, "supersede"):
        _set_status(
            actor, old, "supersede", f"renewed as {new_certificate.number}", audit_action="superseded"
        )


def _set_status(
    actor: AbstractBaseUser | None,
    certificate: Certificate,
    name: str,
    reason: str,
    audit_action: str = "",
    suspended_until: date | None = None,
) -> Certificate:
    from_state = certificate.status
    certificate.status = workflow.transition(name).target
    certificate.status_reason = reason
    certificate.status_changed_at = timezone.now()
    certificate.suspended_until = suspended_until
    certificate.save(
        update_fields=["status", "status_reason", "status_changed_at", "suspended_until", "updated_at"]
    )
    _record_change(actor, certificate, KIND_OF[name], from_state, reason)
    audit(
        actor,
        audit_action or name,
        certificate=certificate,
        application=certificate.application,
        from_state=from_state,
        to_state=certificate.status,
        comment=reason,
    )
    signals.certificate_changed.send(sender=Certificate, certificate=certificate)
    return certificate


def _change_status(
    actor: AbstractBaseUser, name: str, certificate_id: int, reason: str, **fields: date | None
) -> Certificate:
    certificate = locked_certificate(certificate_id)
    check(actor, name, certificate, text=reason)
    return _set_status(actor, certificate, name, reason, **fields)


@transaction.atomic
def suspend_certificate(
    actor: AbstractBaseUser, *, certificate_id: int, reason: str, until: date | None = None
) -> Certificate:
    """Suspends; with ``until`` the suspension lifts by itself after that day (the daily job)."""
    if until is not None and until < timezone.localdate():
        raise RuleViolation(
            "정지 종료일은 오늘 이후여야 합니다 (the suspension's end date must not be in the past).",
            code="suspension_end_in_past",
            field="until",
        )
    return _change_status(actor, "suspend", certificate_id, reason, suspended_until=until)


@transaction.atomic
def reinstate_certificate(actor: AbstractBaseUser, *, certificate_id: int, reason: str) -> Certificate:
    return _change_status(actor, "reinstate", certificate_id, reason)


@transaction.atomic
def revoke_certificate(actor: AbstractBaseUser, *, certificate_id: int, reason: str) -> Certificate:
    return _change_status(actor, "revoke", certificate_id, reason)


def expire_due_certificates(today: date | None = None) -> int:
    """Marks certificates past their expiry date as expired. Safe to run repeatedly."""
    today = today or timezone.localdate()
    expired = 0
    due_ids = Certificate.objects.filter(
        status__in=workflow.transition("expire").sources, expires_on__lt=today
    ).values_list("pk", flat=True)
    for certificate_id in list(due_ids):
        with transaction.atomic():
            certificate = locked_certificate(certificate_id)
            # re-read under the lock: a reviewer may have acted since the list was taken
            if workflow.allows(certificate, "expire") and certificate.expires_on < today:
                _set_status(
                    None, certificate, "expire", f"validity ended {certificate.expires_on.isoformat()}"
                )
                expired += 1
    return expired


def lift_ended_suspensions(today: date | None = None) -> int:
    """Reinstates suspended certificates whose suspension ended before ``today`` and whose validity has
    not; the history records it as automatic. Safe to run repeatedly."""
    today = today or timezone.localdate()
    lifted = 0
    due_ids = Certificate.objects.filter(
        status__in=workflow.transition("lift_suspension").sources,
        suspended_until__lt=today,
        expires_on__gte=today,
    ).values_list("pk", flat=True)
    for certificate_id in list(due_ids):
        with transaction.atomic():
            certificate = locked_certificate(certificate_id)
            # re-read under the lock: a reviewer may have revoked it or changed the end date meanwhile
            ended = certificate.suspended_until is not None and certificate.suspended_until < today
            if workflow.allows(certificate, "lift_suspension") and ended and certificate.expires_on >= today:
                reason = f"suspension ended {certificate.suspended_until.isoformat()}"
                _set_status(None, certificate, "lift_suspension", reason)
                lifted += 1
    return lifted


@transaction.atomic
def start_renewal(actor: AbstractBaseUser, *, certificate_id: int) -> CertificationApplication:
    """Opens a draft renewal application copied from the certificate's application."""
    certificate = locked_certificate(certificate_id)
    check(actor, "renew", certificate)
    source = certificate.application
    application = CertificationApplication.objects.create(
        supplier_id=source.supplier_id,
        created_by=actor,
        renewal_of=certificate,
        **{field: getattr(source, field) for field in APPLICATION_FIELDS},
    )
    audit(
        actor,
        "create_renewal",
        application=application,
        certificate=certificate,
        to_state=application.status,
        comment=f"renewal of {certificate.number}",
    )
    return application
