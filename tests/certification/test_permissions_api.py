"""Roles × endpoints: who may call what, and another company's records are 404, never 403 or data."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from certification.models import AuditEvent, CertificationApplication, Company
from tests.factories import PDF_BYTES, open_call

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "supplier_a", "supplier_b", "reviewer", "officer", "admin"]


@pytest.fixture
def records(reg):
    """Supplier A owns a certificate, a draft and an under-review application; B owns nothing."""
    certificate = reg.certificate()
    draft = reg.draft()
    return {
        "certificate": certificate,
        "approved": certificate.application,
        "draft": draft,
        "document": draft.documents.get(),
        "event": AuditEvent.objects.filter(application=draft).first(),
    }


# expected status per role: the whole signed-in public / the registry's readers / supplier A's records
SIGNED_IN = dict(anonymous=403, supplier_a=200, supplier_b=200, reviewer=200, officer=200, admin=200)
REGISTRY_READERS = dict(anonymous=403, supplier_a=200, supplier_b=200, reviewer=200, officer=403, admin=200)
A_RECORD = dict(anonymous=403, supplier_a=200, supplier_b=404, reviewer=200, officer=403, admin=200)

# (method, path template, expected status per role)
READS = [
    ("get", "/api/v1/companies/", SIGNED_IN),
    ("get", "/api/v1/companies/{company}/", SIGNED_IN),
    ("get", "/api/v1/applications/", REGISTRY_READERS),
    ("get", "/api/v1/applications/{draft}/", A_RECORD),
    ("get", "/api/v1/certificates/", SIGNED_IN),
    (
        "get",
        "/api/v1/certificates/{certificate}/",
        dict(anonymous=403, supplier_a=200, supplier_b=404, reviewer=200, officer=200, admin=200),
    ),
    ("get", "/api/v1/documents/", REGISTRY_READERS),
    ("get", "/api/v1/documents/{document}/", A_RECORD),
    ("get", "/api/v1/documents/{document}/download/", A_RECORD),
    ("get", "/api/v1/audit-events/", REGISTRY_READERS),
    ("get", "/api/v1/audit-events/{event}/", A_RECORD),
]


def fill(path: str, reg, records) -> str:
    return path.format(
        company=reg.company_a.pk,
        draft=records["draft"].pk,
        certificate=records["certificate"].pk,
        document=records["document"].pk,
        event=records["event"].pk,
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method, path, expected", READS, ids=[r[1] for r in READS])
def test_reads(reg, records, role, method, path, expected):
    response = getattr(reg.client(reg.user(role)), method)(fill(path, reg, records))
    assert response.status_code in (
        {401, 403} if expected[role] == 403 and role == "anonymous" else {expected[role]}
    )
    if response.status_code >= 400:
        assert set(response.json()) == {"detail", "code", "errors"}


@pytest.mark.parametrize("role", ROLES)
def test_list_scoping(reg, records, role):
    """What each role's lists contain: suppliers only their company's rows, never B's view of A."""
    reg.draft(reg.supplier_b)  # one of B's own
    client = reg.client(reg.user(role))
    applications = client.get("/api/v1/applications/")
    certificates = client.get("/api/v1/certificates/")
    documents = client.get("/api/v1/documents/")
    events = client.get("/api/v1/audit-events/", {"page_size": 100})
    if role in ("anonymous",):
        return
    suppliers = {row["supplier"]["id"] for row in applications.json().get("results", [])}
    cert_suppliers = {row["supplier"]["id"] for row in certificates.json()["results"]}
    if role == "supplier_a":
        assert suppliers == {reg.company_a.pk}
        assert cert_suppliers == {reg.company_a.pk}
        assert {d["application"] for d in documents.json()["results"]} <= set(
            CertificationApplication.objects.filter(supplier=reg.company_a).values_list("pk", flat=True)
        )
    if role == "supplier_b":
        assert suppliers == {reg.company_b.pk}
        assert cert_suppliers == set()
        b_apps = set(
            CertificationApplication.objects.filter(supplier=reg.company_b).values_list("pk", flat=True)
        )
        assert {d["application"] for d in documents.json()["results"]} <= b_apps
        assert {e["application"] for e in events.json()["results"]} <= b_apps
    if role in ("reviewer", "admin"):
        assert suppliers == {reg.company_a.pk, reg.company_b.pk}
    if role == "officer":
        assert applications.status_code == 403
        assert cert_suppliers == {reg.company_a.pk}


# expected status per signed-in role for writes on supplier A's records: A's own, a reviewer's on A's draft
# (which is in the wrong state for it: 409) and one on A's active certificate
OWNER_WRITE = dict(supplier_a=200, supplier_b=404, reviewer=403, officer=403, admin=200)
REVIEW_OF_DRAFT = dict(supplier_a=403, supplier_b=404, reviewer=409, officer=403, admin=409)
CERTIFICATE_STATUS = dict(supplier_a=403, supplier_b=404, reviewer=200, officer=403, admin=200)

# (action, path, body, expected per role)
WRITES = [
    ("post", "/api/v1/applications/{draft}/submit/", {}, OWNER_WRITE),
    ("post", "/api/v1/applications/{draft}/withdraw/", {}, OWNER_WRITE),
    ("patch", "/api/v1/applications/{draft}/", {"description": "x"}, OWNER_WRITE),
    ("post", "/api/v1/applications/{draft}/start-review/", {}, REVIEW_OF_DRAFT),
    ("post", "/api/v1/applications/{draft}/approve/", {}, REVIEW_OF_DRAFT),
    ("post", "/api/v1/applications/{draft}/reject/", {"comment": "x"}, REVIEW_OF_DRAFT),
    ("post", "/api/v1/applications/{draft}/request-supplement/", {"comment": "x"}, REVIEW_OF_DRAFT),
    (
        "post",
        "/api/v1/applications/{draft}/record-stage/",
        {"stage": "site"},
        REVIEW_OF_DRAFT,
    ),
    ("post", "/api/v1/certificates/{certificate}/suspend/", {"reason": "x"}, CERTIFICATE_STATUS),
    ("post", "/api/v1/certificates/{certificate}/revoke/", {"reason": "x"}, CERTIFICATE_STATUS),
    ("post", "/api/v1/certificates/{certificate}/reinstate/", {"reason": "x"}, REVIEW_OF_DRAFT),
    (
        "post",
        "/api/v1/certificates/{certificate}/renew/",
        {},
        dict(supplier_a=201, supplier_b=404, reviewer=403, officer=403, admin=201),
    ),
    (
        "delete",
        "/api/v1/documents/{document}/",
        None,
        dict(supplier_a=204, supplier_b=404, reviewer=403, officer=403, admin=204),
    ),
    (
        "patch",
        "/api/v1/companies/{company}/",
        {"address": "서울"},
        dict(supplier_a=200, supplier_b=403, reviewer=403, officer=403, admin=200),
    ),
]


@pytest.mark.parametrize("role", ["supplier_a", "supplier_b", "reviewer", "officer", "admin"])
@pytest.mark.parametrize("method, path, body, expected", WRITES, ids=[f"{w[0]} {w[1]}" for w in WRITES])
def test_writes(reg, records, role, method, path, body, expected):
    client = reg.client(reg.user(role))
    kwargs = {"format": "json"} if body is not None else {}
    response = getattr(client, method)(fill(path, reg, records), body, **kwargs)
    assert response.status_code == expected[role], response.content


def test_anonymous_writes_are_refused(reg, records):
    client = APIClient()
    assert client.post(f"/api/v1/applications/{records['draft'].pk}/submit/").status_code in (401, 403)
    assert client.post("/api/v1/companies/", {}, format="json").status_code in (401, 403)


@pytest.mark.parametrize(
    "role, expected", [("supplier_a", 201), ("admin", 400), ("reviewer", 403), ("officer", 403)]
)
def test_create_application_by_role(reg, role, expected):
    body = {
        "call": open_call().pk,
        "partner": reg.partner.pk,
        "sector": "construction",
        "task_type": "capacity_building",
        "cooperation_type": "facility_support",
        "product_name": "학교 실내건축",
        "classification_code": "CS02",
        "agreement_start": "2025-01-01",
        "agreement_end": "2026-12-31",
    }
    if role == "admin":
        body["supplier"] = "not-a-company"
    response = reg.client(getattr(reg, role)).post("/api/v1/applications/", body, format="json")
    assert response.status_code == expected


@pytest.mark.parametrize(
    "role, expected", [("supplier_a", 403), ("reviewer", 403), ("officer", 403), ("admin", 201)]
)
def test_create_company_is_admin_only(reg, role, expected):
    body = {
        "name": "새기업",
        "business_number": "220-81-62517",
        "size": "sme",
        "region": "11",
        "representative": "이영희",
    }
    response = reg.client(getattr(reg, role)).post("/api/v1/companies/", body, format="json")
    assert response.status_code == expected
    assert Company.objects.filter(business_number="2208162517").exists() is (expected == 201)


@pytest.mark.parametrize(
    "role, expected", [("supplier_a", 201), ("supplier_b", 400), ("reviewer", 403), ("officer", 403)]
)
def test_upload_by_role(reg, records, role, expected):
    upload = SimpleUploadedFile("시험성적서.pdf", PDF_BYTES, "application/pdf")
    response = reg.client(getattr(reg, role)).post(
        "/api/v1/documents/", {"application": records["draft"].pk, "kind": "test_report", "file": upload}
    )
    assert response.status_code == expected, response.content
    if role == "supplier_b":
        # another company's application reads as non-existent, without confirming it exists
        assert "application" in response.json()["errors"]


def test_token_authentication(reg, records):
    token = Token.objects.create(user=reg.supplier_a)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get("/api/v1/applications/")
    assert response.status_code == 200
    assert response.json()["count"] == 2
    client.credentials(HTTP_AUTHORIZATION="Token wrong")
    assert client.get("/api/v1/applications/").status_code in (401, 403)


def test_supplier_without_company_sees_nothing(reg, records):
    from certification.roles import Role
    from tests.factories import make_user

    loner = make_user(Role.SUPPLIER)
    client = reg.client(loner)
    assert client.get("/api/v1/applications/").json()["count"] == 0
    assert client.get("/api/v1/certificates/").json()["count"] == 0
    assert client.get(f"/api/v1/applications/{records['draft'].pk}/").status_code == 404
