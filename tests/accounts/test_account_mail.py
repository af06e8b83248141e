"""Account e-mails (password reset, address confirmation, invitations) leave through the notification
outbox: recorded with the request's change, retried when the mail server refuses, sent once."""

from datetime import timedelta

from django.db import transaction

from accounts.services import invite_member
from notifications import delivery, tasks
from notifications.models import EmailDelivery
from tests.accounts.conftest import committed, sign_up
from tests.conftest import dead_url


def test_a_reset_mail_refused_by_the_server_is_retried_and_arrives_once(world, mailbox, settings):
    real_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = int(dead_url().rsplit(":", 1)[1])
    with committed():
        world.client().post("/accounts/password/reset/", {"email": world.supplier_a.email})
    assert mailbox.messages == []
    waiting = EmailDelivery.objects.get(to_address=world.supplier_a.email)
    assert (waiting.status, waiting.attempts, waiting.notification) == ("pending", 1, None)
    assert "비밀번호 재설정" in waiting.subject

    settings.EMAIL_PORT = real_port
    later = waiting.next_attempt_at + timedelta(seconds=settings.NOTIFICATION_SWEEP_GRACE_SECONDS + 1)
    for delivery_id in delivery.sweep(now=later).requeued:
        tasks.send_email.delay(delivery_id)
    assert EmailDelivery.objects.get(pk=waiting.pk).status == "sent"
    assert tasks.send_email.delay(waiting.pk).get() == "not claimed"
    (mail,) = mailbox.to(world.supplier_a.email)
    assert mail.link_to("/accounts/password/reset/key/")


def test_every_sign_up_mail_is_its_own_delivery(world, mailbox):
    sign_up(world.client(), "first@saessak.kr")
    sign_up(world.client(), "second@saessak.kr")
    rows = EmailDelivery.objects.filter(to_address__endswith="@saessak.kr")
    assert rows.count() == 2 and set(rows.values_list("status", flat=True)) == {"sent"}
    assert len(mailbox.to("first@saessak.kr")) == len(mailbox.to("second@saessak.kr")) == 1


def test_an_invitation_rolled_back_leaves_no_mail(world, mailbox):
    try:
        with transaction.atomic():
            invite_member(world.supplier_a, company=world.company_a, email="later@saessak.kr")
            assert EmailDelivery.objects.filter(to_address="later@saessak.kr").exists()
            raise RuntimeError("the caller's change failed")
    except RuntimeError:
        pass
    assert not EmailDelivery.objects.filter(to_address="later@saessak.kr").exists()
    assert mailbox.to("later@saessak.kr") == []
