"""Sent after the commit, retried on SMTP failure, never twice; turned-off kinds stay in the inbox only;
a rolled-back change sends nothing."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from certification import services
from notifications import delivery, tasks
from notifications import services as notification_services
from notifications.kinds import ESSENTIAL, Kind
from notifications.models import EmailDelivery, Notification, Preference
from tests.conftest import dead_url


def _dead_port() -> int:
    return int(dead_url().rsplit(":", 1)[1])


def test_an_smtp_failure_is_retried_and_the_message_arrives_once(world, mailbox, committed, settings):
    real_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = _dead_port()
    application = world.draft()
    with committed():
        services.submit_application(world.supplier_a, application_id=application.pk)
    assert mailbox.messages == []
    failed = EmailDelivery.objects.get(to_address=world.supplier_a.email)
    assert (failed.status, failed.attempts) == ("pending", 1)
    assert "Connection refused" in failed.last_error or "Errno" in failed.last_error
    assert failed.next_attempt_at > timezone.now()  # backed off: not before its time

    settings.EMAIL_PORT = real_port
    # the retry: the sweep finds it overdue (its worker retry, in eager mode, waits for the sweep)
    later = failed.next_attempt_at + timedelta(seconds=settings.NOTIFICATION_SWEEP_GRACE_SECONDS + 1)
    swept = delivery.sweep(now=later)
    assert failed.pk in swept.requeued
    for delivery_id in swept.requeued:
        tasks.send_email.delay(delivery_id)
    sent = EmailDelivery.objects.get(pk=failed.pk)
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 2, "")
    assert len(mailbox.to(world.supplier_a.email)) == 1

    # the same message delivered again, and later sweeps: nothing more
    assert tasks.send_email.delay(failed.pk).get() == "not claimed"
    assert failed.pk not in delivery.sweep(now=later + timedelta(hours=1)).requeued
    assert len(mailbox.to(world.supplier_a.email)) == 1


def test_a_delivery_gives_up_after_its_attempts(world, mailbox, committed, settings):
    settings.EMAIL_PORT = _dead_port()
    settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS = 2
    application = world.draft()
    with committed():
        services.submit_application(world.supplier_a, application_id=application.pk)
    row = EmailDelivery.objects.get(to_address=world.supplier_a.email)
    assert delivery.deliver(row.pk).status == "failed"
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 2)
    assert delivery.deliver(row.pk).status == "not claimed"


def test_backoff_doubles_and_is_capped(settings):
    settings.NOTIFICATION_EMAIL_RETRY_SECONDS = 30
    settings.NOTIFICATION_EMAIL_RETRY_MAX_SECONDS = 100
    assert [delivery.backoff_seconds(n) for n in (1, 2, 3, 4)] == [30, 60, 100, 100]


def test_a_message_stuck_sending_is_failed_not_sent_again(world, mailbox, settings):
    application = world.draft()
    services.submit_application(world.supplier_a, application_id=application.pk)  # no commit: not handed off
    row = EmailDelivery.objects.get(to_address=world.supplier_a.email)
    # a worker claimed it and died before it could record the outcome
    EmailDelivery.objects.filter(pk=row.pk).update(status="sending", attempts=1, claimed_at=timezone.now())
    later = timezone.now() + timedelta(seconds=settings.NOTIFICATION_SENDING_LEASE_SECONDS + 1)
    result = delivery.sweep(now=later)
    assert result.abandoned == [row.pk] and row.pk not in result.requeued
    row.refresh_from_db()
    assert row.status == "failed" and "not sent again" in row.last_error
    assert mailbox.messages == []


def test_a_lost_hand_off_is_sent_by_the_pending_sweep(world, mailbox, settings):
    application = world.draft()
    services.submit_application(world.supplier_a, application_id=application.pk)  # on-commit never ran
    assert mailbox.messages == []
    rows = EmailDelivery.objects.filter(status="pending")
    assert rows.count() == 2
    EmailDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(hours=1))
    tasks.send_pending.delay()
    assert sorted(r for mail in mailbox.messages for r in mail.recipients) == sorted(
        [world.supplier_a.email, world.colleague_a.email]
    )
    tasks.send_pending.delay()
    assert len(mailbox.messages) == 2


def test_a_rolled_back_change_notifies_no_one(world, mailbox, committed):
    application = world.draft()
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        services.submit_application(world.supplier_a, application_id=application.pk)
        raise RuntimeError("the request failed after the submit")
    assert mailbox.messages == []
    assert not Notification.objects.exists()
    assert not EmailDelivery.objects.exists()


def test_the_same_fact_reported_twice_notifies_once(world, mailbox, committed):
    from notifications import facts

    application = world.draft()
    with committed():
        services.submit_application(world.supplier_a, application_id=application.pk)
        event = application.audit_events.get(action="submit")
        assert facts.report_audit_event(event) == []
    assert len(mailbox.to(world.supplier_a.email)) == 1
    assert (
        Notification.objects.filter(recipient=world.supplier_a, kind=Kind.APPLICATION_RECEIVED).count() == 1
    )


def test_a_turned_off_kind_is_not_emailed_but_stays_in_the_inbox(world, mailbox, committed):
    notification_services.update_preferences(world.supplier_a, muted_kinds=[Kind.APPLICATION_RECEIVED])
    application = world.draft()
    with committed():
        services.submit_application(world.supplier_a, application_id=application.pk)
    assert mailbox.to(world.supplier_a.email) == []
    assert len(mailbox.to(world.colleague_a.email)) == 1  # the colleague did not turn it off
    assert Notification.objects.filter(recipient=world.supplier_a, kind=Kind.APPLICATION_RECEIVED).exists()


@pytest.mark.parametrize("kind", sorted(ESSENTIAL))
def test_an_essential_kind_cannot_be_turned_off(world, kind):
    from core.domain import RuleViolation

    with pytest.raises(RuleViolation) as caught:
        notification_services.update_preferences(world.supplier_a, muted_kinds=[kind])
    assert caught.value.code == "essential_notification"
    preference = Preference.objects.filter(user=world.supplier_a).first()
    assert preference is None or kind not in preference.muted_kinds


def test_an_essential_kind_is_sent_even_if_stored_muted(world, mailbox, committed):
    # stored by hand (an old row, the admin): the send path checks again
    world.prefer(world.supplier_a, muted=(Kind.REJECTED,))
    application = world.under_review()
    with committed():
        services.reject_application(world.reviewer, application_id=application.pk, comment="부적합")
    assert len(mailbox.to(world.supplier_a.email)) == 1


def test_a_user_without_an_address_gets_the_inbox_entry_only(world, mailbox, committed):
    world.colleague_a.email = ""
    world.colleague_a.save(update_fields=["email"])
    application = world.draft()
    with committed():
        services.submit_application(world.supplier_a, application_id=application.pk)
    assert Notification.objects.filter(recipient=world.colleague_a).count() == 1
    assert not EmailDelivery.objects.filter(notification__recipient=world.colleague_a).exists()
