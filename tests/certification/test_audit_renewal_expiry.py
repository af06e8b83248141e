"""The audit trail is append-only; renewals keep the old certificate valid until decided; expiry."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from certification import services
from certification.models import AuditEvent, Certificate, CertificationApplication
from tests.factories import confirm_partner, pass_all_stages

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------- audit trail
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_audit_event_cannot_be_changed_or_deleted_through_the_api(reg, method):
    reg.draft()
    event = AuditEvent.objects.first()
    for user in (reg.admin, reg.reviewer, reg.supplier_a):
        response = getattr(reg.client(user), method)(
            f"/api/v1/audit-events/{event.pk}/", {"comment": "tampered"}, format="json"
        )
        assert response.status_code == 405
    event.refresh_from_db()
    assert event.comment != "tampered"


def test_audit_event_cannot_be_created_through_the_api(reg):
    response = reg.client(reg.admin).post("/api/v1/audit-events/", {"action": "approve"}, format="json")
    assert response.status_code == 405


def test_audit_event_model_is_append_only(reg):
    reg.draft()
    event = AuditEvent.objects.first()
    with pytest.raises(PermissionError):
        event.delete()
    event.comment = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(comment="changed")
    event.refresh_from_db()
    assert event.comment != "changed"


def test_audit_events_filter_by_application_and_certificate(reg):
    certificate = reg.certificate()
    other = reg.draft()
    services.suspend_certificate(reg.reviewer, certificate_id=certificate.pk, reason="품질 점검")
    client = reg.client(reg.reviewer)
    by_app = client.get("/api/v1/audit-events/", {"application": other.pk}).json()["results"]
    assert {e["application"] for e in by_app} == {other.pk}
    by_cert = client.get("/api/v1/audit-events/", {"certificate": certificate.pk}).json()["results"]
    assert {e["action"] for e in by_cert} == {"issue", "suspend"}
    suspend = next(e for e in by_cert if e["action"] == "suspend")
    assert (suspend["from_state"], suspend["to_state"], suspend["actor_name"]) == (
        "active",
        "suspended",
        "reviewer",
    )
    assert suspend["comment"] == "품질 점검"


def test_audit_events_of_other_company_are_hidden(reg):
    reg.draft(reg.supplier_b)
    own = reg.draft()
    events = reg.client(reg.supplier_a).get("/api/v1/audit-events/", {"page_size": 100}).json()["results"]
    assert events and {e["application"] for e in events} == {own.pk}


# ------------------------------------------------------------------- renewal
def test_renewal_keeps_old_certificate_active_until_the_new_one_is_decided(reg):
    old = reg.certificate()
    response = reg.client(reg.supplier_a).post(f"/api/v1/certificates/{old.pk}/renew/", format="json")
    assert response.status_code == 201
    renewal = response.json()
    assert renewal["status"] == "draft"
    assert renewal["renewal_of"] == old.pk
    assert renewal["product_name"] == old.product_name
    # a second renewal while one is open is a conflict
    second = reg.client(reg.supplier_a).post(f"/api/v1/certificates/{old.pk}/renew/")
    assert second.status_code == 409 and second.json()["code"] == "renewal_exists"

    services.attach_evidence(
        reg.supplier_a,
        application_id=renewal["id"],
        upload=SimpleUploadedFile("갱신.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    client = reg.client(reg.reviewer)
    # a renewal is a new agreement: the partner confirms it again before it is submitted
    refused = reg.client(reg.supplier_a).post(f"/api/v1/applications/{renewal['id']}/submit/")
    assert refused.status_code == 409 and refused.json()["code"] == "partner_not_confirmed"
    confirm_partner(reg.supplier_a, CertificationApplication.objects.get(pk=renewal["id"]))
    reg.client(reg.supplier_a).post(f"/api/v1/applications/{renewal['id']}/submit/")
    client.post(f"/api/v1/applications/{renewal['id']}/start-review/")
    pass_all_stages(reg.reviewer, CertificationApplication.objects.get(pk=renewal["id"]))
    old.refresh_from_db()
    assert old.status == "active"  # still valid while the renewal is under review

    response = client.post(
        f"/api/v1/applications/{renewal['id']}/approve/", {"comment": "갱신 승인"}, format="json"
    )
    assert response.status_code == 200
    new_number = response.json()["certificate"]["number"]
    old.refresh_from_db()
    assert old.status == "expired"
    assert new_number in old.status_reason
    new = Certificate.objects.get(number=new_number)
    assert new.renewed_from_id == old.pk
    detail = reg.client(reg.supplier_a).get(f"/api/v1/certificates/{old.pk}/").json()
    assert detail["renewed_by"] == new_number
    assert AuditEvent.objects.filter(certificate=old, action="superseded", to_state="expired").exists()


def test_rejected_renewal_leaves_old_certificate_active(reg):
    old = reg.certificate()
    renewal = services.start_renewal(reg.supplier_a, certificate_id=old.pk)
    reg.client(reg.supplier_a).post(
        "/api/v1/documents/",
        {
            "application": renewal.pk,
            "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n"),
        },
    )
    confirm_partner(reg.supplier_a, renewal)
    services.submit_application(reg.supplier_a, application_id=renewal.pk)
    services.start_review(reg.reviewer, application_id=renewal.pk)
    services.reject_application(reg.reviewer, application_id=renewal.pk, comment="요건 미달")
    old.refresh_from_db()
    assert old.status == "active"
    # after a rejection a new renewal may be opened
    assert reg.client(reg.supplier_a).post(f"/api/v1/certificates/{old.pk}/renew/").status_code == 201


def test_revoked_certificate_cannot_be_renewed(reg):
    certificate = reg.certificate()
    services.revoke_certificate(reg.reviewer, certificate_id=certificate.pk, reason="부정")
    response = reg.client(reg.supplier_a).post(f"/api/v1/certificates/{certificate.pk}/renew/")
    assert response.status_code == 409
    assert not CertificationApplication.objects.filter(renewal_of=certificate).exists()


# -------------------------------------------------------------------- expiry
def test_expire_command_is_idempotent(reg):
    due = reg.certificate()
    suspended_due = reg.certificate()
    current = reg.certificate()
    services.suspend_certificate(reg.reviewer, certificate_id=suspended_due.pk, reason="점검")
    yesterday = timezone.localdate() - timedelta(days=1)
    Certificate.objects.filter(pk__in=[due.pk, suspended_due.pk]).update(expires_on=yesterday)

    out = StringIO()
    call_command("expire_certificates", stdout=out)
    assert "Expired 2 certificate(s)." in out.getvalue()
    for certificate in (due, suspended_due):
        certificate.refresh_from_db()
        assert certificate.status == "expired"
        assert certificate.audit_events.filter(action="expire", actor_name="system").count() == 1
    current.refresh_from_db()
    assert current.status == "active"

    out = StringIO()
    call_command("expire_certificates", stdout=out)
    assert "Expired 0 certificate(s)." in out.getvalue()
    assert AuditEvent.objects.filter(action="expire").count() == 2


def test_expire_command_accepts_a_date(reg):
    certificate = reg.certificate()
    out = StringIO()
    call_command(
        "expire_certificates", "--today", (certificate.expires_on + timedelta(days=1)).isoformat(), stdout=out
    )
    assert "Expired 1 certificate(s)." in out.getvalue()
    with pytest.raises(CommandError):
        call_command("expire_certificates", "--today", "tomorrow")


def test_expired_certificate_cannot_be_reinstated(reg):
    certificate = reg.certificate()
    services.suspend_certificate(reg.reviewer, certificate_id=certificate.pk, reason="점검")
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    response = reg.client(reg.reviewer).post(
        f"/api/v1/certificates/{certificate.pk}/reinstate/", {"reason": "해제"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "certificate_expired"


def test_certificate_filters(reg):
    goods = reg.certificate()
    services_cert = reg.certificate(sector="services")
    Certificate.objects.filter(pk=goods.pk).update(expires_on=timezone.localdate() + timedelta(days=30))
    services.suspend_certificate(reg.reviewer, certificate_id=services_cert.pk, reason="점검")
    client = reg.client(reg.officer)

    def ids(**params):
        return {row["id"] for row in client.get("/api/v1/certificates/", params).json()["results"]}

    soon = (timezone.localdate() + timedelta(days=60)).isoformat()
    assert ids(expires_before=soon) == {goods.pk}
    assert ids(expires_after=soon) == {services_cert.pk}
    assert ids(status="suspended") == {services_cert.pk}
    assert ids(sector="goods") == {goods.pk}
    assert ids(supplier=reg.company_a.pk) == {goods.pk, services_cert.pk}
    assert ids(supplier=reg.company_b.pk) == set()
    assert ids(partner=reg.partner.pk) == {goods.pk, services_cert.pk}
    ordered = client.get("/api/v1/certificates/", {"ordering": "expires_on"}).json()["results"]
    assert [row["id"] for row in ordered] == [goods.pk, services_cert.pk]


def test_application_filters_and_ordering(reg):
    goods = reg.submitted()
    construction = reg.draft(sector="construction")
    other = reg.draft(reg.supplier_b, sector="services")
    client = reg.client(reg.reviewer)

    def ids(**params):
        response = client.get("/api/v1/applications/", params)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    today = timezone.localdate().isoformat()
    assert ids(status="submitted") == {goods.pk}
    assert ids(status=["draft", "submitted"]) == {goods.pk, construction.pk, other.pk}
    assert ids(sector="construction") == {construction.pk}
    assert ids(supplier=reg.company_b.pk) == {other.pk}
    assert ids(partner=reg.partner.pk) == {goods.pk, construction.pk, other.pk}
    assert ids(submitted_after=today) == {goods.pk}
    assert ids(submitted_before="2000-01-01") == set()
    assert ids(created_after=today, created_before=today) == {goods.pk, construction.pk, other.pk}
    assert ids(q="LED") == {goods.pk}
    ordered = client.get("/api/v1/applications/", {"ordering": "created_at"}).json()["results"]
    assert [row["id"] for row in ordered] == [goods.pk, construction.pk, other.pk]
