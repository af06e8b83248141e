"""Public certificate verification over the API: anyone may ask, by certificate number or business
number, optionally for a past day; unknown numbers are a plain 404 and bad input a 400 naming the field.
The responses carry the allow-lists below and nothing else."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from certification import services
from certification.api import public as public_api
from tests.certification.conftest import renewed
from tests.factories import make_company

V = "/api/v1/public/certificates/"

VERIFICATION_FIELDS = {
    "number",
    "status",
    "status_label",
    "valid",
    "status_changed_on",
    "status_reason",
    "valid_from",
    "valid_until",
    "sector",
    "item_number",
    "item_name",
    "product_name",
    "supplier",
    "partner",
    "renewal_of",
    "renewed_by",
    "verification_url",
    "as_of",
}
SUPPLIER_FIELDS = {"name", "business_number"}
PARTNER_FIELDS = {"name"}
AS_OF_FIELDS = {"date", "status", "status_label", "valid"}


def test_serializers_declare_exactly_the_allow_list():
    assert set(public_api.VerificationSerializer().fields) == VERIFICATION_FIELDS
    assert set(public_api.PublicSupplierSerializer().fields) == SUPPLIER_FIELDS
    assert set(public_api.PublicPartnerSerializer().fields) == PARTNER_FIELDS
    assert set(public_api.AsOfSerializer().fields) == AS_OF_FIELDS
    assert set(public_api.HolderVerificationSerializer().fields) == {
        "business_number",
        "supplier",
        "count",
        "results",
    }


def test_anyone_verifies_a_certificate_by_number(reg, settings):
    certificate = reg.certificate()
    response = reg.client(None).get(f"{V}{certificate.number}/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == VERIFICATION_FIELDS
    assert set(body["supplier"]) == SUPPLIER_FIELDS and set(body["partner"]) == PARTNER_FIELDS
    assert body["number"] == certificate.number
    assert body["status"] == "active" and body["valid"] is True
    assert body["valid_from"] == certificate.issued_on.isoformat()
    assert body["valid_until"] == certificate.expires_on.isoformat()
    assert body["item_number"] == "3911160501"
    assert body["item_name"] == "LED조명기구"  # named by its 8-digit class
    assert body["product_name"] == "고효율 LED 평판조명"
    assert body["supplier"] == {
        "name": "가나조명㈜",
        "business_number": reg.company_a.business_number_display,
    }
    assert body["partner"] == {"name": "대한전자"}
    assert body["verification_url"] == f"{settings.SITE_BASE_URL}/verify/{certificate.number}/"
    assert body["as_of"] is None


def test_no_private_data_in_the_answer(reg):
    certificate = reg.certificate()
    services.suspend_certificate(reg.reviewer, certificate_id=certificate.pk, reason="현장 점검")
    text = reg.client(None).get(f"{V}{certificate.number}/").content.decode()
    for private in ("reviewer", "supplier-a", "홍길동", "협약서", "대기업과 공동개발한 제품"):
        assert private not in text
    assert json.loads(text)["status_reason"] == "현장 점검"  # a suspension's reason is published


def test_the_number_is_normalised(reg):
    certificate = reg.certificate()
    typed = f"  {certificate.number.lower().replace('-', '－', 1)} "
    response = reg.client(None).get(f"{V}{typed}/")
    assert response.status_code == 200
    assert response.json()["number"] == certificate.number


@pytest.mark.parametrize("number", ["WW-2099-999999", "WB-2020-0010000001"])
def test_unknown_number_is_not_found(reg, number):
    reg.certificate()
    response = reg.client(None).get(f"{V}{number}/")
    assert response.status_code == 404
    assert response.json()["code"] == "certificate_not_found"


@pytest.mark.parametrize("number", ["123", "WW-26-1", "<script>", "WW-2026-000001-1"])
def test_malformed_number_is_a_400_on_the_field(reg, number):
    response = reg.client(None).get(f"{V}{number}/")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_certificate_number"
    assert "number" in response.json()["errors"]


def test_business_number_lists_every_certificate_with_or_without_dashes(reg):
    first = reg.certificate()
    second = reg.certificate(product_name="두 번째 조명")
    reg.certificate(reg.supplier_b, "services")  # another holder's
    dashed = reg.company_a.business_number_display
    for typed in (dashed, reg.company_a.business_number, f" {dashed} "):
        response = reg.client(None).get(V, {"business_number": typed})
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["business_number"] == dashed
        assert body["supplier"] == {"name": "가나조명㈜", "business_number": dashed}
        assert body["count"] == 2
        assert {row["number"] for row in body["results"]} == {first.number, second.number}
        assert all(set(row) == VERIFICATION_FIELDS for row in body["results"])


def test_a_company_without_certificates_looks_like_an_unknown_number(reg):
    """An applicant's draft is private: its business number answers exactly like one nobody holds."""
    reg.submitted()  # supplier A applied, nothing issued
    unknown = make_company("무관기업")
    answers = [
        reg.client(None).get(V, {"business_number": company.business_number})
        for company in (reg.company_a, unknown)
    ]
    assert [a.status_code for a in answers] == [404, 404]
    assert answers[0].json() == answers[1].json()
    assert answers[0].json()["code"] == "certificate_not_found"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "invalid_business_number"),
        ("123-45-6789", "invalid_business_number"),
        ("1234567890", "invalid_business_number"),
    ],
)
def test_malformed_business_number_is_a_400(reg, value, code):
    response = reg.client(None).get(V, {"business_number": value})
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert "business_number" in response.json()["errors"]


@pytest.mark.parametrize(
    "as_of", ["2026-13-01", "yesterday", "2026-1-1", "0001-01-01", "9999-12-31", "2026-02-30"]
)
def test_malformed_or_far_reference_date_is_a_400(reg, as_of):
    certificate = reg.certificate()
    response = reg.client(None).get(f"{V}{certificate.number}/", {"as_of": as_of})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_date"
    assert "as_of" in response.json()["errors"]


def test_as_of_reads_the_history(reg, monkeypatch):
    """Issued today, revoked ten days later: valid on the issue day, revoked on the tenth, not issued the
    day before (the whole clock moves, as it would)."""
    certificate = reg.certificate()
    today = timezone.localdate()
    later = timezone.now() + timedelta(days=10)
    monkeypatch.setattr(timezone, "now", lambda: later)
    services.revoke_certificate(reg.reviewer, certificate_id=certificate.pk, reason="부정 취득")
    client = reg.client(None)

    def as_of(day):
        return client.get(f"{V}{certificate.number}/", {"as_of": day.isoformat()}).json()

    on_issue = as_of(today)
    assert on_issue["status"] == "revoked" and on_issue["valid"] is False  # today, by the status column
    assert on_issue["as_of"] == {
        "date": today.isoformat(),
        "status": "active",
        "status_label": "유효 (active)",
        "valid": True,
    }
    assert as_of(today + timedelta(days=10))["as_of"]["status"] == "revoked"
    before = as_of(today - timedelta(days=1))["as_of"]
    assert before["status"] is None and before["valid"] is False
    after_expiry = as_of(certificate.expires_on + timedelta(days=1))["as_of"]
    assert after_expiry["status"] == "revoked"


def test_an_unmarked_expiry_reads_expired(reg):
    certificate = reg.certificate()
    type(certificate).objects.filter(pk=certificate.pk).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    body = reg.client(None).get(f"{V}{certificate.number}/").json()
    assert body["status"] == "expired" and body["valid"] is False


def test_renewal_links_both_ways(reg):
    old = reg.certificate()
    new = renewed(reg, old)
    client = reg.client(None)
    assert client.get(f"{V}{old.number}/").json()["renewed_by"] == new.number
    assert client.get(f"{V}{new.number}/").json()["renewal_of"] == old.number


def test_signed_in_users_get_the_same_answer(reg):
    certificate = reg.certificate()
    anonymous = reg.client(None).get(f"{V}{certificate.number}/").json()
    assert reg.client(reg.supplier_b).get(f"{V}{certificate.number}/").json() == anonymous


def test_the_public_endpoints_are_throttled_per_client(reg, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "public": "3/hour"}
    certificate = reg.certificate()
    client = reg.client(None)
    answers = [
        client.get(f"{V}{certificate.number}/").status_code,
        client.get("/api/v1/public/certificate-events/").status_code,
        client.get(V, {"business_number": reg.company_a.business_number}).status_code,
    ]
    assert answers == [200, 200, 200]
    limited = client.get(f"{V}{certificate.number}/")
    assert limited.status_code == 429 and limited.json()["code"] == "throttled"
