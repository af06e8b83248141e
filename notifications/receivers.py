"""Listening to the registry and the feed: an audit event created, an export job finished.

Both run in the writer's transaction (the export's in its own), so the notifications they record commit or
roll back with the fact.
"""

from django.db.models.signals import post_save

from catalog.feeds.signals import export_finished
from certification.models import AuditEvent
from notifications import facts


def on_audit_event(sender, instance: AuditEvent, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:  # raw: loaddata replays history, it does not happen again
        facts.report_audit_event(instance)


def on_export_finished(sender, job, **kwargs) -> None:
    facts.report_export_finished(job)


def connect() -> None:
    post_save.connect(on_audit_event, sender=AuditEvent, dispatch_uid="notifications.audit_event")
    export_finished.connect(on_export_finished, dispatch_uid="notifications.export_finished")
