"""Backfills the certificate status history from the audit trail, which has recorded every certificate
status change since the first release: ``issue`` (to active), ``suspend``, ``reinstate``, ``revoke``,
``expire`` and ``superseded`` events, each with its time, actor and comment (the reason). A certificate
with no such event (one loaded in bulk) gets an issue row at the start of its issue date and, unless it
is active, one row to its present status at its ``status_changed_at``."""

from datetime import datetime, time

from django.db import migrations
from django.utils import timezone

KIND_OF_ACTION = {
    "issue": "issued",
    "suspend": "suspended",
    "reinstate": "reinstated",
    "revoke": "revoked",
    "expire": "expired",
    "superseded": "superseded",
}
KIND_OF_STATUS = {"suspended": "suspended", "revoked": "revoked", "expired": "expired"}


def backfill(apps, schema_editor) -> None:
    Certificate = apps.get_model("certification", "Certificate")
    AuditEvent = apps.get_model("certification", "AuditEvent")
    Change = apps.get_model("certification", "CertificateStatusChange")
    done = set(Change.objects.values_list("certificate_id", flat=True).distinct())
    events = AuditEvent.objects.filter(certificate__isnull=False, action__in=KIND_OF_ACTION).exclude(
        certificate_id__in=done
    )
    rows = [
        Change(
            certificate_id=event.certificate_id,
            kind=KIND_OF_ACTION[event.action],
            from_status=event.from_state,
            to_status=event.to_state,
            effective_at=event.at,
            actor_id=event.actor_id,
            actor_name=event.actor_name,
            reason=event.comment,
        )
        for event in events.order_by("at", "id").iterator()
    ]
    Change.objects.bulk_create(rows, batch_size=1000)
    done |= {row.certificate_id for row in rows}
    for certificate in Certificate.objects.exclude(pk__in=done).iterator():
        issued_at = timezone.make_aware(datetime.combine(certificate.issued_on, time.min))
        rows = [
            Change(
                certificate=certificate,
                kind="issued",
                to_status="active",
                effective_at=issued_at,
                actor_name="system",
                reason=certificate.number,
            )
        ]
        if certificate.status in KIND_OF_STATUS:
            rows.append(
                Change(
                    certificate=certificate,
                    kind=KIND_OF_STATUS[certificate.status],
                    from_status="active",
                    to_status=certificate.status,
                    effective_at=max(certificate.status_changed_at, issued_at),
                    actor_name="system",
                    reason=certificate.status_reason,
                )
            )
        Change.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("certification", "0003_history_status_changes")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
