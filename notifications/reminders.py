"""Expiry reminders: the daily job tells a certificate's holder 90, 30 and 7 days before it expires.

A reminder is recorded per certificate and threshold (``ExpiryReminder``) with its notifications, in one
transaction, so running the job twice (or a message delivered twice) sends nothing new. A job that missed
days catches up with the nearest threshold only: a certificate 25 days from expiry gets the 30-day
reminder, never a stale 90-day one.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from certification.models import Certificate, CertificateStatus
from notifications import services
from notifications.kinds import Kind
from notifications.models import ExpiryReminder
from notifications.recipients import members_of
from notifications.rendering import absolute

# a suspended certificate still expires on its date; a revoked or expired one has nothing left to renew
REMINDED_STATUSES = (CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED)


def threshold_for(days_left: int) -> int | None:
    """The nearest reminder threshold ``days_left`` has reached, or None when it is further off."""
    reached = [days for days in settings.NOTIFICATION_EXPIRY_REMINDER_DAYS if days_left <= days]
    return min(reached) if reached else None


def send_expiry_reminders(today: date | None = None) -> int:
    """Records the reminders due today and notifies each certificate's holder; returns how many
    certificates were reminded now."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=max(settings.NOTIFICATION_EXPIRY_REMINDER_DAYS))
    due = Certificate.objects.filter(
        status__in=REMINDED_STATUSES, expires_on__gte=today, expires_on__lte=horizon
    ).select_related("supplier")
    reminded = 0
    for certificate in due:
        days_left = (certificate.expires_on - today).days
        threshold = threshold_for(days_left)
        if threshold is None or certificate.expiry_reminders.filter(days_before__lte=threshold).exists():
            continue
        try:
            with transaction.atomic():
                ExpiryReminder.objects.create(certificate=certificate, days_before=threshold)
                services.notify(
                    members_of(certificate.supplier_id),
                    Kind.EXPIRY_REMINDER,
                    source=f"expiry:{certificate.pk}:{threshold}",
                    context={"certificate": certificate, "days_left": days_left, "threshold": threshold},
                    link=absolute(reverse("web:supplier-dashboard")),
                )
        except IntegrityError:
            continue  # another run recorded it meanwhile
        reminded += 1
    return reminded
