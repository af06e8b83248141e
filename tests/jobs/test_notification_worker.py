"""Notification e-mail sent by a real Celery worker on real Redis: the mail server is down at first, the
worker's retry (exponential backoff, counted on the delivery row) gets it through once the server is up,
and the message arrives exactly once."""

import socket

import pytest
from aiosmtpd.controller import Controller

from certification import services
from notifications.models import EmailDelivery
from tests.jobs.conftest import wait_for
from tests.mail import Mailbox, _Handler
from tests.worlds import World

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_port(monkeypatch) -> int:
    """The worker's mail server: a port where nothing listens yet (set before the worker starts)."""
    port = _free_port()
    monkeypatch.setenv("EMAIL_HOST", "127.0.0.1")
    monkeypatch.setenv("EMAIL_PORT", str(port))
    monkeypatch.setenv("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    monkeypatch.setenv("NOTIFICATION_EMAIL_RETRY_SECONDS", "1")
    return port


def test_the_worker_retries_until_the_mail_server_is_up_and_sends_once(smtp_port, start_worker, settings):
    settings.SEARCH_SYNC_ON_COMMIT = False
    world = World()
    world.supplier_a.email = "supplier-a@example.kr"
    world.supplier_a.save(update_fields=["email"])
    application = world.draft()
    worker = start_worker()

    services.submit_application(world.supplier_a, application_id=application.pk)  # commits: handed off

    def failed_once():
        return EmailDelivery.objects.filter(
            to_address="supplier-a@example.kr", attempts__gte=1, status="pending"
        )

    row = wait_for(lambda: failed_once().first(), "a failed first attempt", worker)
    assert row.last_error
    mailbox = Mailbox()
    server = Controller(_Handler(mailbox), hostname="127.0.0.1", port=smtp_port)
    server.start()
    try:
        sent = wait_for(
            lambda: EmailDelivery.objects.filter(pk=row.pk, status="sent").first(), "the retried send", worker
        )
        mailbox.wait_for(1)
    finally:
        server.stop()
    assert sent.attempts >= 2
    # the partner's confirmation of the draft was announced too; the application received is sent once
    received = [mail for mail in mailbox.to("supplier-a@example.kr") if "신청이 접수" in mail.subject]
    assert len(received) == 1
