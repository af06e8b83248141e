"""Every kind of message arrives by real SMTP, in the recipient's language, with a link that works when
followed; the inbox holds the same message."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from catalog.feeds import services as feed_services
from certification import services
from certification.models import Certificate
from certification.services._records import audit
from notifications import reminders
from notifications.kinds import Kind
from notifications.models import EmailDelivery, Notification
from tests.factories import evaluate_stage
from tests.worlds import page_client


def _received(w):
    application = w.draft()
    return w.supplier_a, lambda: services.submit_application(w.supplier_a, application_id=application.pk)


def _supplement(w):
    application = w.under_review()
    deadline = timezone.now() + timedelta(days=10)
    return w.supplier_a, lambda: services.request_supplement(
        w.reviewer, application_id=application.pk, comment="시험성적서를 첨부하세요", deadline=deadline
    )


def _stage(w):
    application = w.under_review()
    return w.supplier_a, lambda: evaluate_stage(w.reviewer, application, "presentation")


def _approved(w):
    application = w.reviewed()
    return w.supplier_a, lambda: services.approve_application(w.reviewer, application_id=application.pk)


def _rejected(w):
    application = w.under_review()
    return w.supplier_a, lambda: services.reject_application(
        w.reviewer, application_id=application.pk, comment="협력 실적이 부족합니다"
    )


def _failed_stage(w):
    application = w.under_review()
    return w.supplier_a, lambda: evaluate_stage(w.reviewer, application, "presentation", marks=(40, 40, 40))


def _suspended(w):
    certificate = w.certificate()
    return w.supplier_a, lambda: services.suspend_certificate(
        w.reviewer, certificate_id=certificate.pk, reason="품질 점검"
    )


def _reinstated(w):
    certificate = w.certificate()
    services.suspend_certificate(w.reviewer, certificate_id=certificate.pk, reason="품질 점검")
    return w.supplier_a, lambda: services.reinstate_certificate(
        w.reviewer, certificate_id=certificate.pk, reason="점검 완료"
    )


def _revoked(w):
    certificate = w.certificate()
    return w.supplier_a, lambda: services.revoke_certificate(
        w.reviewer, certificate_id=certificate.pk, reason="허위 서류"
    )


def _expiring(w):
    certificate = w.certificate()
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=timezone.localdate() + timedelta(days=30))
    return w.supplier_a, reminders.send_expiry_reminders


def _partner_asked(w):
    # the partner-confirmation work writes this audit action; the mapping notifies the partner's members
    application = w.draft()
    return w.partner_member, lambda: audit(
        w.supplier_a, "partner_confirmation_requested", application=application
    )


def _partner_confirmed(w):
    application = w.draft()
    return w.supplier_a, lambda: audit(w.partner_member, "partner_confirmed", application=application)


def _partner_declined(w):
    application = w.draft()
    return w.supplier_a, lambda: audit(
        w.partner_member, "partner_declined", application=application, comment="협약 내용과 다릅니다"
    )


def _export(w):
    return w.admin, lambda: feed_services.run_export(w.admin, export_format="csv")


# kind, the scenario (setup, then the fact), what the Korean and English subjects say, where the link goes
CASES = [
    (Kind.APPLICATION_RECEIVED, _received, "신청이 접수", "Application received", "/supplier/applications/"),
    (Kind.SUPPLEMENT_REQUESTED, _supplement, "보완 요청", "Supplement requested", "/supplier/applications/"),
    (
        Kind.STAGE_RESULT,
        _stage,
        "대면평가 결과: 합격",
        "Presentation review: passed",
        "/supplier/applications/",
    ),
    (Kind.APPROVED, _approved, "인증 승인", "Approved: certificate", "/supplier/applications/"),
    (Kind.REJECTED, _rejected, "신청 반려", "Application rejected", "/supplier/applications/"),
    (Kind.REJECTED, _failed_stage, "신청 반려", "Application rejected", "/supplier/applications/"),
    (Kind.CERTIFICATE_SUSPENDED, _suspended, "인증 정지:", "Certificate suspended", "/verify/"),
    (Kind.CERTIFICATE_REINSTATED, _reinstated, "인증 정지 해제", "Certificate reinstated", "/verify/"),
    (Kind.CERTIFICATE_REVOKED, _revoked, "인증 취소", "Certificate revoked", "/verify/"),
    (Kind.EXPIRY_REMINDER, _expiring, "인증 만료 30일 전", "expires in 30 days", "/supplier/"),
    (
        Kind.PARTNER_CONFIRMATION_REQUESTED,
        _partner_asked,
        "참여 확인 요청",
        "confirm your participation",
        "/partner/requests/",
    ),
    (
        Kind.PARTNER_CONFIRMED,
        _partner_confirmed,
        "참여를 확인",
        "Your partner confirmed",
        "/supplier/applications/",
    ),
    (
        Kind.PARTNER_DECLINED,
        _partner_declined,
        "참여를 거절",
        "Your partner declined",
        "/supplier/applications/",
    ),
    (Kind.EXPORT_FINISHED, _export, "내보내기 #", "Export #", "/exports/"),
]


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize(
    ("kind", "scenario", "korean", "english", "path"),
    CASES,
    ids=[f"{case[0]}-{case[1].__name__.strip('_')}" for case in CASES],
)
def test_each_kind_arrives_in_the_recipients_language_with_a_working_link(
    world, mailbox, committed, kind, scenario, korean, english, path, language
):
    recipient, fact = scenario(world)
    world.prefer(recipient, language)
    mailbox.clear()
    with committed():
        fact()
    expected = korean if language == "ko" else english
    # a failed stage brings its stage result and the rejection: each kind is one message
    [mail] = [mail for mail in mailbox.to(recipient.email) if expected in mail.subject]
    notification = Notification.objects.get(recipient=recipient, kind=kind)
    # a long encoded subject is folded on the wire; unfolded it is the same line
    assert notification.subject == " ".join(mail.subject.split()) and notification.language == language
    assert notification.body in mail.text.replace("\r\n", "\n") and notification.link in mail.links()
    # the same words in the HTML part, and the footer's way to the preferences
    assert notification.link in mail.html and "/notifications/preferences/" in mail.text
    assert urlsplit(notification.link).netloc == "sangsaeng.example.kr"
    link = urlsplit(notification.link)
    assert link.path.startswith(path)
    assert page_client(recipient).get(link.path).status_code == 200
    assert EmailDelivery.objects.get(notification=notification).status == "sent"
    assert mail.message["Auto-Submitted"] == "auto-generated"
    greeting = "Dear " if language == "en" else "님,"
    assert greeting in mail.text and greeting in notification.body


def test_every_member_of_the_applying_company_hears_and_no_one_else(world, mailbox, committed):
    application = world.draft()
    with committed():
        services.submit_application(world.supplier_a, application_id=application.pk)
    assert sorted(r for mail in mailbox.messages for r in mail.recipients) == [
        world.colleague_a.email,
        world.supplier_a.email,
    ]


def test_the_approval_carries_the_certificate_document(world, mailbox, committed):
    application = world.reviewed()
    with committed():
        certificate = services.approve_application(world.reviewer, application_id=application.pk)
    mail = mailbox.single(to=world.supplier_a.email)
    attachments = list(mail.message.iter_attachments())
    assert [part.get_filename() for part in attachments] == [f"certificate-{certificate.number}.pdf"]
    assert attachments[0].get_content_type() == "application/pdf"
    assert attachments[0].get_content().startswith(b"%PDF")


def test_supplement_mail_names_the_deadline_and_the_request(world, mailbox, committed):
    application = world.under_review()
    deadline = timezone.make_aware(timezone.datetime(2031, 3, 14, 18, 0))
    with committed():
        services.request_supplement(
            world.reviewer,
            application_id=application.pk,
            comment="시험성적서 & 협약서 원본",
            deadline=deadline,
        )
    mail = mailbox.single(to=world.supplier_a.email)
    assert "2031년 3월 14일 18:00" in mail.text
    # plain text is not HTML-escaped; the HTML part is
    assert "시험성적서 & 협약서 원본" in mail.text
    assert "시험성적서 &amp; 협약서 원본" in mail.html


def test_an_export_the_sweep_fails_tells_its_administrator(world, mailbox, committed, settings):
    from catalog.feeds import tasks as feed_tasks
    from catalog.feeds.models import ExportJob

    job = feed_services.create_export_job(world.admin, export_format="csv")
    stale = timezone.now() - timedelta(seconds=settings.EXPORT_LEASE_SECONDS + 60)
    # its worker died on the last attempt allowed
    ExportJob.objects.filter(pk=job.pk).update(
        status="running", attempts=settings.EXPORT_MAX_ATTEMPTS, claimed_at=stale, heartbeat_at=stale
    )
    with committed():
        feed_tasks.sweep_stale_exports.delay()
    mail = mailbox.single(to=world.admin.email)
    assert f"내보내기 #{job.pk} 실패" in mail.subject
    assert Notification.objects.filter(recipient=world.admin, kind=Kind.EXPORT_FINISHED).count() == 1
