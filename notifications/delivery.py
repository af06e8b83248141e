"""Sending one recorded e-mail (a notification's, or an account message), once: claimed, sent through Django's mail backend, the outcome recorded.

A delivery is claimed by a conditional UPDATE (pending → sending, attempts + 1), so a message delivered
twice to the workers (acks late) sends once. An SMTP failure puts it back to pending with the time of its
next attempt (exponential backoff) until ``NOTIFICATION_EMAIL_MAX_ATTEMPTS`` attempts, then it fails.
A worker that dies while sending leaves the row "sending": the sweep fails it after
``NOTIFICATION_SENDING_LEASE_SECONDS`` rather than send again, since the server may have taken it (never
twice). The sweep also re-queues pending deliveries whose hand-off to a worker was lost.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from smtplib import SMTPException

from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.utils import timezone

from certification import document
from notifications.models import DeliveryStatus, EmailDelivery

logger = logging.getLogger(__name__)

#: the errors worth another attempt: the server refused or could not be reached
RETRYABLE = (SMTPException, OSError)


@dataclass
class Outcome:
    status: str
    # seconds until the next attempt, when there is one
    retry_in: float | None = None
    error: Exception | None = None


def backoff_seconds(attempts: int) -> int:
    """30 s, 60 s, 120 s, … (``NOTIFICATION_EMAIL_RETRY_SECONDS`` doubled per attempt), capped."""
    return get_exponential_backoff_interval(
        factor=settings.NOTIFICATION_EMAIL_RETRY_SECONDS,
        retries=max(0, attempts - 1),
        maximum=settings.NOTIFICATION_EMAIL_RETRY_MAX_SECONDS,
        full_jitter=False,
    )


def build_email(delivery: EmailDelivery) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=delivery.subject,
        body=delivery.text_body,
        to=[delivery.to_address],
        # RFC 3834: no out-of-office replies to a machine
        headers={"Auto-Submitted": "auto-generated"},
    )
    if delivery.html_body:
        message.attach_alternative(delivery.html_body, "text/html")
    certificate = delivery.attach_certificate
    if certificate is not None:
        # drawn now, as the certificate stands when the message leaves
        message.attach(
            document.filename(certificate), document.certificate_document(certificate), "application/pdf"
        )
    return message


def deliver(delivery_id: int) -> Outcome:
    """Sends the delivery if it is pending; anything else (sent, failed, another worker's) is left as is."""
    claimed = EmailDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now()
    )
    if not claimed:
        return Outcome("not claimed")
    delivery = EmailDelivery.objects.select_related("notification", "attach_certificate").get(pk=delivery_id)
    try:
        build_email(delivery).send()
    except RETRYABLE as exc:
        return _failed_attempt(delivery, exc)
    except Exception as exc:
        # not the mail server: a message that cannot be built will not build next time either
        logger.exception("notification e-mail %s could not be sent", delivery.pk)
        _finish(delivery, DeliveryStatus.FAILED, last_error=_describe(exc))
        return Outcome(DeliveryStatus.FAILED, error=exc)
    _finish(delivery, DeliveryStatus.SENT, sent_at=timezone.now(), last_error="")
    return Outcome(DeliveryStatus.SENT)


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def _finish(delivery: EmailDelivery, status: str, **fields) -> None:
    EmailDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
        status=status, **fields
    )


def _failed_attempt(delivery: EmailDelivery, exc: Exception) -> Outcome:
    if delivery.attempts >= settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS:
        logger.error("notification e-mail %s failed %s times: %s", delivery.pk, delivery.attempts, exc)
        _finish(delivery, DeliveryStatus.FAILED, last_error=_describe(exc))
        return Outcome(DeliveryStatus.FAILED, error=exc)
    wait = backoff_seconds(delivery.attempts)
    logger.warning(
        "notification e-mail %s attempt %s failed (%s); again in %ss",
        delivery.pk,
        delivery.attempts,
        exc,
        wait,
    )
    _finish(
        delivery,
        DeliveryStatus.PENDING,
        last_error=_describe(exc),
        next_attempt_at=timezone.now() + timedelta(seconds=wait),
    )
    return Outcome(DeliveryStatus.PENDING, retry_in=wait, error=exc)


@dataclass
class Sweep:
    requeued: list[int] = field(default_factory=list)
    abandoned: list[int] = field(default_factory=list)


def sweep(now: datetime | None = None) -> Sweep:
    """Fails deliveries stuck "sending" past the lease, and returns the pending ones overdue by more than
    ``NOTIFICATION_SWEEP_GRACE_SECONDS`` (their worker's retry, or their first hand-off, was lost) to be
    queued again; their due time moves on, so the next sweep waits for them again."""
    now = now or timezone.now()
    result = Sweep()
    stuck = EmailDelivery.objects.filter(
        status=DeliveryStatus.SENDING,
        claimed_at__lt=now - timedelta(seconds=settings.NOTIFICATION_SENDING_LEASE_SECONDS),
    )
    result.abandoned = list(stuck.values_list("pk", flat=True))
    if result.abandoned:
        logger.error(
            "notification e-mails %s were interrupted while sending; not sent again", result.abandoned
        )
        EmailDelivery.objects.filter(pk__in=result.abandoned, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.FAILED,
            last_error="작업자가 발송 중에 멈췄습니다; 중복을 피하려고 다시 보내지 않습니다 "
            "(the worker stopped while sending; not sent again, to avoid a duplicate).",
        )
    overdue = EmailDelivery.objects.filter(
        status=DeliveryStatus.PENDING,
        next_attempt_at__lte=now - timedelta(seconds=settings.NOTIFICATION_SWEEP_GRACE_SECONDS),
    ).order_by("next_attempt_at")
    result.requeued = list(overdue.values_list("pk", flat=True)[: settings.NOTIFICATION_SWEEP_BATCH])
    EmailDelivery.objects.filter(pk__in=result.requeued).update(next_attempt_at=now)
    return result
