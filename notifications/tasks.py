"""Notification work on Celery: sending one e-mail, the sweep of pending ones, the daily expiry reminders.

Without a broker these run in-process (eager); a failed attempt then waits for the sweep instead of being
retried on the spot, so a request never waits on a mail server's retries.
"""

import logging

from celery import shared_task

from notifications import delivery, reminders

logger = logging.getLogger(__name__)


@shared_task(name="notifications.send_email", bind=True, ignore_result=True, max_retries=None)
def send_email(self, delivery_id: int) -> str:
    """Sends one recorded e-mail; on an SMTP or network error, retried with exponential backoff until the
    delivery's attempts run out (the row counts them, so redelivered messages count too)."""
    outcome = delivery.deliver(delivery_id)
    if outcome.retry_in is not None and not self.request.is_eager:
        raise self.retry(exc=outcome.error, countdown=outcome.retry_in)
    return outcome.status


@shared_task(name="notifications.send_pending", ignore_result=True)
def send_pending() -> dict[str, list[int]]:
    """Re-queues pending e-mails whose hand-off was lost and fails those stuck while sending."""
    result = delivery.sweep()
    for delivery_id in result.requeued:
        send_email.delay(delivery_id)
    return {"requeued": result.requeued, "abandoned": result.abandoned}


@shared_task(name="notifications.expiry_reminders", ignore_result=True)
def send_expiry_reminders() -> int:
    """The daily expiry reminders (90, 30 and 7 days before)."""
    return reminders.send_expiry_reminders()
