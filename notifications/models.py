"""The inbox, the e-mail outbox and each user's choices.

A ``Notification`` is what a user reads in the inbox; its ``EmailDelivery`` (when the user has an address
and has not turned the kind off) is the same message on its way by e-mail. Both are written in the
transaction of the fact they report, so a rolled-back change notifies no one; the e-mail leaves after the
commit (``notifications.delivery``). Unique keys make every write idempotent: a fact reported twice, or
the daily reminder job run twice, adds nothing.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from notifications.kinds import Kind


class Language(models.TextChoices):
    KOREAN = "ko", "한국어"
    ENGLISH = "en", "English"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    # the fact it reports ("audit:<event id>", "expiry:<certificate id>:<days>", "export:<job id>"):
    # one notification per fact and recipient
    source = models.CharField(max_length=100)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.KOREAN)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    link = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "source"], name="one_notification_per_fact")
        ]
        # the header's unread count and the inbox, per user
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind}: {self.subject}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("delivery status", "대기")
    SENDING = "sending", pgettext_lazy("delivery status", "발송중")
    SENT = "sent", pgettext_lazy("delivery status", "발송됨")
    FAILED = "failed", pgettext_lazy("delivery status", "실패")


class EmailDelivery(models.Model):
    """One e-mail, claimed by one worker at a time (pending → sending → sent), retried while pending."""

    # the inbox entry it repeats; none for account e-mails (address confirmation, password reset,
    # invitations), which go to an address that may not have a user yet
    notification = models.OneToOneField(
        Notification, null=True, blank=True, on_delete=models.CASCADE, related_name="delivery"
    )
    subject = models.CharField(max_length=300)
    # "<source>:<recipient id>": the same message is never recorded, so never sent, twice
    idempotency_key = models.CharField(max_length=150, unique=True)
    to_address = models.EmailField()
    # the message as sent: the plain text (with the footer) and its HTML part, in the recipient's language
    text_body = models.TextField()
    html_body = models.TextField(blank=True)
    # the certificate whose document (PDF) is attached, drawn when the message is sent
    attach_certificate = models.ForeignKey(
        "certification.Certificate", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # when a pending message is due (again): the sweep re-queues those a worker never took
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name_plural = "e-mail deliveries"

    def __str__(self) -> str:
        return f"{self.idempotency_key} → {self.to_address} ({self.status})"


class Preference(models.Model):
    """A user's language for messages and the optional kinds they turned off (e-mail only: the inbox
    keeps every notification)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
    )
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.KOREAN)
    muted_kinds = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"

    def wants_email(self, kind: str) -> bool:
        return kind not in self.muted_kinds


class ExpiryReminder(models.Model):
    """A reminder sent for a certificate at a threshold (days before expiry): recorded once, so running
    the daily job again sends nothing new."""

    certificate = models.ForeignKey(
        "certification.Certificate", on_delete=models.CASCADE, related_name="expiry_reminders"
    )
    days_before = models.PositiveSmallIntegerField()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["certificate", "-days_before"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "days_before"], name="one_reminder_per_threshold")
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id} −{self.days_before}d"
