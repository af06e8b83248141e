"""The registry's scheduled jobs as Celery tasks (CELERY_BEAT_SCHEDULE in config.settings).

The same services as ``manage.py expire_certificates``; both are safe to run repeatedly, so a message
delivered twice (acks late) changes nothing the second time.
"""

from celery import shared_task

from certification import services


@shared_task(name="certification.lift_ended_suspensions", ignore_result=True)
def lift_ended_suspensions() -> int:
    """Reinstates certificates whose suspension has ended (daily, before the expiry run)."""
    return services.lift_ended_suspensions()


@shared_task(name="certification.expire_certificates", ignore_result=True)
def expire_certificates() -> int:
    """Expires active or suspended certificates whose validity has ended (daily)."""
    return services.expire_due_certificates()
