"""The test SMTP server receives what Django sends over a real socket, both bodies and the links."""

from django.core.mail import EmailMultiAlternatives


def test_a_message_sent_through_smtp_arrives_with_its_links(mailbox):
    message = EmailMultiAlternatives(
        "확인 (Confirm)",
        "링크: https://example.test/accounts/confirm/abc/?next=%2F\n",
        "from@example.test",
        ["Kim@Example.test"],
    )
    message.attach_alternative("<p>링크</p>", "text/html")
    message.send()

    mail = mailbox.single(to="kim@example.test")
    assert mail.subject == "확인 (Confirm)"
    assert "<p>링크</p>" in mail.html
    assert mail.link_to("/accounts/confirm/") == "/accounts/confirm/abc/?next=%2F"
