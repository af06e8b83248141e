"""A real SMTP server for the tests: messages go through Django's SMTP backend over a socket to aiosmtpd,
and the tests read what arrived (headers, both bodies, the links in them) and follow the links.

    def test_reset(client, mailbox):
        ...
        mail = mailbox.single(to="kim@example.com")
        client.get(mail.link_to("/accounts/"))
"""

import re
import socket
import threading
import time
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller

LINK = re.compile(r"https?://[^\s<>\"')]+")


@dataclass(frozen=True)
class ReceivedMail:
    sender: str
    recipients: tuple[str, ...]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"] or "")

    def body(self, subtype: str = "plain") -> str:
        part = self.message.get_body(preferencelist=(subtype,))
        return part.get_content() if part is not None else ""

    @property
    def text(self) -> str:
        return self.body("plain")

    @property
    def html(self) -> str:
        return self.body("html")

    def links(self) -> list[str]:
        return LINK.findall(self.text)

    def link_to(self, path_prefix: str) -> str:
        """The one link in the plain body whose path starts with ``path_prefix``, as a path a test client
        can follow (scheme and host dropped)."""
        found = [link for link in self.links() if urlsplit(link).path.startswith(path_prefix)]
        assert len(found) == 1, f"expected one link to {path_prefix} in {self.subject!r}, found {found}"
        parts = urlsplit(found[0])
        return parts.path + (f"?{parts.query}" if parts.query else "")


class Mailbox:
    """What the SMTP server received, in order of arrival."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: list[ReceivedMail] = []

    def add(self, mail: ReceivedMail) -> None:
        with self._lock:
            self._messages.append(mail)

    @property
    def messages(self) -> list[ReceivedMail]:
        with self._lock:
            return list(self._messages)

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()

    def to(self, address: str) -> list[ReceivedMail]:
        return [mail for mail in self.messages if address.lower() in (r.lower() for r in mail.recipients)]

    def single(self, to: str) -> ReceivedMail:
        found = self.to(to)
        assert len(found) == 1, f"expected one message to {to}, got {[m.subject for m in found]}"
        return found[0]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[ReceivedMail]:
        """Waits until at least ``count`` messages arrived (mail sent by a worker process)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


class _Handler:
    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd calls this hook by name
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        self.mailbox.add(ReceivedMail(envelope.mail_from, tuple(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server():
    """One SMTP server for the session on a private loopback port: (host, port, mailbox)."""
    mailbox = Mailbox()
    port = _free_port()
    controller = Controller(_Handler(mailbox), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield "127.0.0.1", port, mailbox
    finally:
        controller.stop()


@pytest.fixture
def mailbox(smtp_server, settings) -> Mailbox:
    """Django sends through SMTP to the session's server; the mailbox starts empty for each test."""
    host, port, box = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = host
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    box.clear()
    return box
