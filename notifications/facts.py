"""From the facts that already exist to notifications: an audit event of the registry (the table in
``notifications.kinds``), a finished export job, a certificate nearing expiry (``notifications.reminders``).

Each builder gathers what the kind's templates show and where its link points; ``services.notify``
records it in the fact's own transaction.
"""

from typing import Any

from django.urls import reverse

from catalog.feeds.models import ExportJob, ExportStatus
from certification.models import AuditEvent
from certification.panels import ReviewStageKind
from notifications import services
from notifications.kinds import FROM_AUDIT, Audience, Kind, split_label
from notifications.models import Notification
from notifications.recipients import members_of
from notifications.rendering import absolute


def report_audit_event(event: AuditEvent) -> list[Notification]:
    """Notifies whoever the table names for the event's action; nothing for an action not in it."""
    rule = FROM_AUDIT.get(event.action)
    if rule is None or event.application_id is None:
        return []
    application = event.application
    certificate = event.certificate
    company_id = application.partner_id if rule.audience is Audience.PARTNER else application.supplier_id
    context: dict[str, Any] = {
        "event": event,
        "application": application,
        "certificate": certificate,
        "supplier": application.supplier,
        "partner": application.partner,
        "comment": event.comment,
    }
    link = absolute(reverse("web:application-detail", args=[application.pk]))
    attach = None
    match rule.kind:
        case Kind.SUPPLEMENT_REQUESTED:
            context["deadline"] = application.supplement_deadline
        case Kind.STAGE_RESULT:
            stage = event.action.removeprefix("stage_")
            result = application.stages.filter(stage=stage).first()
            context["result"] = result
            context["stage_ko"], context["stage_en"] = (
                split_label(ReviewStageKind(result.stage).label) if result else ("", "")
            )
            context["pass_score"] = application.call.pass_score
        case Kind.APPROVED:
            attach = certificate
        case Kind.CERTIFICATE_SUSPENDED | Kind.CERTIFICATE_REINSTATED | Kind.CERTIFICATE_REVOKED:
            certificate = certificate or getattr(application, "certificate", None)
            context["certificate"] = certificate
            link = absolute(reverse("web:verify-certificate", args=[certificate.number]))
        case Kind.PARTNER_CONFIRMATION_REQUESTED:
            # the partner's members confirm or decline on the request's page
            link = absolute(reverse("web:partner-request", args=[application.pk]))
    return services.notify(
        members_of(company_id),
        rule.kind,
        source=f"audit:{event.pk}",
        context=context,
        link=link,
        attach_certificate=attach,
    )


# the outcomes an administrator is told of: a cancel is their own doing
REPORTED_EXPORTS = (ExportStatus.SUCCEEDED, ExportStatus.FAILED)


def report_export_finished(job: ExportJob) -> list[Notification]:
    """Tells the administrator who started the export how it ended."""
    if job.status not in REPORTED_EXPORTS or job.created_by is None:
        return []
    status_ko, status_en = split_label(ExportStatus(job.status).label)
    return services.notify(
        [job.created_by],
        Kind.EXPORT_FINISHED,
        source=f"export:{job.pk}",
        context={
            "job": job,
            "succeeded": job.status == ExportStatus.SUCCEEDED,
            "status_ko": status_ko,
            "status_en": status_en,
        },
        link=absolute(reverse("web:export-detail", args=[job.pk])),
    )
