"""The partner enterprise (협력기업) as a party to an application: it confirms (or declines, with a reason)
that it takes part, on the terms the application states, before the application may be submitted.

One ``PartnerConfirmation`` row per request the applicant makes. A row is open while it is ``requested``
or ``confirmed``; at most one row per application is open. The terms the partner is asked about are copied
onto the row when it is requested, so the partner sees exactly what it answers and an edit of those terms
afterwards voids the row (``invalidated``) instead of changing what was agreed. The services
(``certification.services.partners``) make every change; these models hold the data and the rules that
need nothing but the rows.
"""

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

#: the application's fields the partner agrees to: that it is the partner, how the two cooperate, on which
#: product (its name and item number) and for how long (the cooperation agreement's dates). The rest is the
#: applicant's filing: the call, the task type and sector it applies under, how it records the partner's
#: kind, the English name and the description; editing those keeps the partner's answer.
AGREED_FIELDS: tuple[str, ...] = (
    "partner",
    "cooperation_type",
    "product_name",
    "classification_code",
    "agreement_start",
    "agreement_end",
)


def agreed_terms(application: Any) -> dict[str, Any]:
    """The application's agreed fields as JSON-ready values (the partner by id, dates as ISO days)."""
    terms: dict[str, Any] = {}
    for name in AGREED_FIELDS:
        value = application.partner_id if name == "partner" else getattr(application, name)
        terms[name] = value.isoformat() if isinstance(value, date) else value
    return terms


def changed_terms(application: Any, terms: dict[str, Any]) -> list[str]:
    """The agreed fields whose current value differs from ``terms``, in ``AGREED_FIELDS`` order."""
    current = agreed_terms(application)
    return [name for name in AGREED_FIELDS if current[name] != terms.get(name)]


class ConfirmationStatus(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("confirmation status", "확인 요청")
    CONFIRMED = "confirmed", pgettext_lazy("confirmation status", "참여 확인")
    DECLINED = "declined", pgettext_lazy("confirmation status", "참여 거절")
    INVALIDATED = "invalidated", pgettext_lazy("confirmation status", "무효")


#: the states in which a row still speaks for the application (at most one such row per application)
OPEN_STATUSES: tuple[str, ...] = (ConfirmationStatus.REQUESTED, ConfirmationStatus.CONFIRMED)


class PartnerConfirmation(models.Model):
    """One request for the partner's confirmation, and its answer."""

    application = models.ForeignKey(
        "certification.CertificationApplication",
        on_delete=models.CASCADE,
        related_name="partner_confirmations",
    )
    # the company asked: the application's partner when requested (the application may change partner)
    partner = models.ForeignKey("certification.Company", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=20, choices=ConfirmationStatus.choices, default=ConfirmationStatus.REQUESTED
    )
    terms = models.JSONField(_("agreed terms"), help_text="the application's agreed fields when requested")
    # where the partner's invitation goes when the partner has no members yet
    contact_email = models.EmailField(_("partner contact e-mail"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True, help_text="the partner's comment with a confirmation")
    reason = models.TextField(blank=True, help_text="why the partner declined (the applicant reads it)")
    invalidated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="one_open_partner_confirmation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} → {self.partner_id}: {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
