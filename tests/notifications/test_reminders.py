"""Expiry reminders at 90, 30 and 7 days: each sent once per certificate and threshold, whatever how often
the daily job runs; a job that missed days sends the nearest threshold only."""

from datetime import timedelta

import pytest
from django.utils import timezone

from certification import services
from certification.models import Certificate
from notifications import reminders, tasks
from notifications.kinds import Kind
from notifications.models import ExpiryReminder, Notification


@pytest.fixture
def certificate(world):
    return world.certificate()


def _expiring_in(certificate, days: int) -> None:
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=timezone.localdate() + timedelta(days=days)
    )


def test_the_daily_job_run_twice_sends_once(world, certificate, mailbox, committed):
    _expiring_in(certificate, 90)
    with committed():
        assert tasks.send_expiry_reminders.delay().get() == 1
    with committed():
        assert tasks.send_expiry_reminders.delay().get() == 0
    mails = mailbox.to(world.supplier_a.email)
    assert len(mails) == 1 and "90일" in mails[0].subject
    assert list(ExpiryReminder.objects.values_list("days_before", flat=True)) == [90]


def test_each_threshold_once_as_the_days_pass(world, certificate, mailbox, committed):
    expires_on = timezone.localdate() + timedelta(days=100)
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=expires_on)
    sent_on = []
    for days_left in range(100, -1, -1):
        today = expires_on - timedelta(days=days_left)
        with committed():
            if reminders.send_expiry_reminders(today=today):
                sent_on.append(days_left)
    assert sent_on == [90, 30, 7]
    assert len(mailbox.to(world.supplier_a.email)) == 3


def test_a_missed_day_sends_the_nearest_threshold_only(world, certificate, mailbox, committed):
    _expiring_in(certificate, 25)  # the job did not run at 90 or 30 days
    with committed():
        reminders.send_expiry_reminders()
    assert list(ExpiryReminder.objects.values_list("days_before", flat=True)) == [30]
    [mail] = mailbox.to(world.supplier_a.email)
    assert "25일" in mail.subject


def test_a_revoked_certificate_is_not_reminded(world, certificate, mailbox, committed):
    services.revoke_certificate(world.reviewer, certificate_id=certificate.pk, reason="위반")
    _expiring_in(certificate, 7)
    with committed():
        assert reminders.send_expiry_reminders() == 0
    assert not Notification.objects.filter(kind=Kind.EXPIRY_REMINDER).exists()


def test_the_schedule_runs_the_reminders_after_the_expiry(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["notifications-expiry-reminders"]["task"] == "notifications.expiry_reminders"
    expire = schedule["certificates-expire"]["schedule"]
    remind = schedule["notifications-expiry-reminders"]["schedule"]
    assert (min(expire.hour), min(expire.minute)) < (min(remind.hour), min(remind.minute))
    assert schedule["notifications-send-pending"]["task"] == "notifications.send_pending"
