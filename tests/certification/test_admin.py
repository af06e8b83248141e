"""The admin runs the same transitions as the API, through the services, and keeps the trail read-only."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from certification.models import AuditEvent, Certificate, Company

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, reg):
    superuser = get_user_model().objects.create_superuser("root", "root@example.com", "pw-for-tests-123")
    client.force_login(superuser)
    return client


def run_action(admin_client, model: str, action: str, ids, comment: str = ""):
    return admin_client.post(
        reverse(f"admin:certification_{model}_changelist"),
        {"action": action, "_selected_action": [str(i) for i in ids], "comment": comment},
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(
    "model",
    [
        "company",
        "certificationapplication",
        "certificate",
        "evidencedocument",
        "auditevent",
        "classificationcode",
        "certificatenumbersequence",
    ],
)
def test_changelists_render(admin_client, reg, model):
    reg.certificate()
    response = admin_client.get(reverse(f"admin:certification_{model}_changelist"))
    assert response.status_code == 200


def test_change_pages_render(admin_client, reg):
    certificate = reg.certificate()
    for url in (
        reverse("admin:certification_certificationapplication_change", args=[certificate.application_id]),
        reverse("admin:certification_certificate_change", args=[certificate.pk]),
        reverse("admin:certification_company_change", args=[reg.company_a.pk]),
        reverse("admin:certification_auditevent_change", args=[AuditEvent.objects.first().pk]),
    ):
        assert admin_client.get(url).status_code == 200


def test_review_actions(admin_client, reg):
    submitted = reg.submitted()
    draft = reg.draft()
    response = run_action(admin_client, "certificationapplication", "start_review", [submitted.pk, draft.pk])
    texts = messages_of(response)
    assert any("review started: 1" in t for t in texts)
    assert any("cannot start_review" in t for t in texts)  # the draft: Conflict shown as a message
    submitted.refresh_from_db()
    draft.refresh_from_db()
    assert (submitted.status, draft.status) == ("under_review", "draft")

    response = run_action(admin_client, "certificationapplication", "reject", [submitted.pk], comment="")
    assert any("comment" in t or "사유" in t for t in messages_of(response))
    submitted.refresh_from_db()
    assert submitted.status == "under_review"

    run_action(admin_client, "certificationapplication", "request_supplement", [submitted.pk], "성적서 보완")
    submitted.refresh_from_db()
    assert submitted.status == "supplement_requested"
    assert submitted.audit_events.filter(action="request_supplement", actor_name="root").exists()


def test_approve_and_reject_actions(admin_client, reg):
    to_approve = reg.reviewed()
    to_reject = reg.under_review()
    run_action(admin_client, "certificationapplication", "approve", [to_approve.pk], "적합")
    run_action(admin_client, "certificationapplication", "reject", [to_reject.pk], "부적합")
    assert Certificate.objects.filter(application=to_approve).exists()
    to_reject.refresh_from_db()
    assert to_reject.status == "rejected"
    # approving again is a conflict reported as a message, not an error page
    response = run_action(admin_client, "certificationapplication", "approve", [to_approve.pk])
    assert response.status_code == 200
    assert Certificate.objects.filter(application=to_approve).count() == 1


def test_certificate_actions(admin_client, reg):
    certificate = reg.certificate()
    run_action(admin_client, "certificate", "suspend", [certificate.pk], "품질 점검")
    certificate.refresh_from_db()
    assert (certificate.status, certificate.status_reason) == ("suspended", "품질 점검")
    run_action(admin_client, "certificate", "reinstate", [certificate.pk], "점검 완료")
    certificate.refresh_from_db()
    assert certificate.status == "active"
    response = run_action(admin_client, "certificate", "revoke", [certificate.pk], "")
    certificate.refresh_from_db()
    assert certificate.status == "active"
    assert any("사유" in t for t in messages_of(response))
    run_action(admin_client, "certificate", "revoke", [certificate.pk], "부정 인증")
    certificate.refresh_from_db()
    assert certificate.status == "revoked"


def test_audit_events_are_read_only_in_admin(admin_client, reg):
    reg.draft()
    event = AuditEvent.objects.first()
    assert admin_client.get(reverse("admin:certification_auditevent_add")).status_code == 403
    assert (
        admin_client.get(reverse("admin:certification_auditevent_delete", args=[event.pk])).status_code == 403
    )
    response = admin_client.post(
        reverse("admin:certification_auditevent_change", args=[event.pk]), {"comment": "tampered"}
    )
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.comment != "tampered"


def test_company_added_in_admin_with_dashes_is_normalised(admin_client, reg):
    response = admin_client.post(
        reverse("admin:certification_company_add"),
        {
            "name": "한빛정밀",
            "name_en": "",
            "business_number": "220-81-62517",
            "size": "sme",
            "region": "41",
            "representative": "김민수",
            "contact_email": "",
            "contact_phone": "",
            "address": "",
            "members-TOTAL_FORMS": "0",
            "members-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Company.objects.get(name="한빛정밀").business_number == "2208162517"
    response = admin_client.post(
        reverse("admin:certification_company_add"),
        {
            "name": "잘못된기업",
            "business_number": "220-81-62518",
            "size": "sme",
            "region": "41",
            "representative": "김민수",
            "members-TOTAL_FORMS": "0",
            "members-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200  # form redisplayed with the error
    assert not Company.objects.filter(name="잘못된기업").exists()


def test_admin_suspends_until_a_date_and_shows_the_history(admin_client, reg):
    certificate = reg.certificate()
    until = (timezone.localdate() + timedelta(days=3)).isoformat()
    url = reverse("admin:certification_certificate_changelist")
    selected = {"action": "suspend", "_selected_action": [str(certificate.pk)], "comment": "점검"}
    admin_client.post(url, {**selected, "until": until}, follow=True)
    certificate.refresh_from_db()
    assert (certificate.status, certificate.suspended_until.isoformat()) == ("suspended", until)

    other = reg.certificate()
    bad = admin_client.post(
        url, {**selected, "_selected_action": [str(other.pk)], "until": "soon"}, follow=True
    )
    # the admin's action form refuses a date it cannot read before any action runs
    assert messages_of(bad)
    other.refresh_from_db()
    assert other.status == "active"

    page = admin_client.get(reverse("admin:certification_certificate_change", args=[certificate.pk]))
    assert "certificate status changes" in page.content.decode().lower()
