"""A certificate's life: issued on approval, suspended, reinstated or revoked by reviewers, expired by
the scheduled job or superseded by its renewal, and renewed by its supplier. Every status change sends
``certificate_changed`` so the catalog and search follow inside the same transaction."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from certification import signals, workflow
from certification.models import (
    Certificate,
    CertificateNumberSequence,
    CertificationApplication,
)
from certification.services._records import audit, locked_certificate
from certification.services._workflow import check
from certification.services.applications import APPLICATION_FIELDS


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
        expires_on=today + timedelta(days=settings.CERTIFICATE_VALIDITY_DAYS),
        renewed_from_id=application.renewal_of_id,
    )
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
) -> Certificate:
    from_state = certificate.status
    certificate.status = workflow.transition(name).target
    certificate.status_reason = reason
    certificate.status_changed_at = timezone.now()
    certificate.save(update_fields=["status", "status_reason", "status_changed_at", "updated_at"])
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


def _change_status(actor: AbstractBaseUser, name: str, certificate_id: int, reason: str) -> Certificate:
    certificate = locked_certificate(certificate_id)
    check(actor, name, certificate, text=reason)
    return _set_status(actor, certificate, name, reason)


@transaction.atomic
def suspend_certificate(actor: AbstractBaseUser, *, certificate_id: int, reason: str) -> Certificate:
    return _change_status(actor, "suspend", certificate_id, reason)


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
