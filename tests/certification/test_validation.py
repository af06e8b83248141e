"""Bad input of every kind answers 400 with field messages, and nothing is half-written."""

import pytest
from django.core.exceptions import ValidationError

from certification.models import CertificationApplication, Company
from certification.validators import (
    business_number_check_digit,
    format_business_number,
    normalize_business_number,
    validate_business_number,
)
from tests.factories import application_fields, open_call, valid_business_number

pytestmark = pytest.mark.django_db

# 220-81-62517 is a well-known valid number (check digit 7) used in public examples
KNOWN_VALID = "2208162517"


def company_body(**overrides) -> dict:
    body = {
        "name": "한빛정밀",
        "name_en": "Hanbit Precision",
        "business_number": "220-81-62517",
        "size": "sme",
        "region": "41",
        "representative": "김민수",
        "contact_email": "contact@hanbit.example",
    }
    body.update(overrides)
    return body


def application_body(reg, sector: str = "goods", **overrides) -> dict:
    body = application_fields(sector if sector in ("goods", "services", "construction") else "goods")
    body["sector"] = sector
    body["agreement_start"] = body["agreement_start"].isoformat()
    body["agreement_end"] = body["agreement_end"].isoformat()
    body["partner"] = reg.partner.pk
    body["call"] = open_call().pk
    body.update(overrides)
    return body


# ------------------------------------------------------------ business numbers
def test_check_digit_algorithm_matches_the_design_formula():
    assert business_number_check_digit(KNOWN_VALID[:9]) == int(KNOWN_VALID[9])
    validate_business_number(KNOWN_VALID)
    validate_business_number("220-81-62517")
    for seed in range(50):
        validate_business_number(valid_business_number(seed))


@pytest.mark.parametrize(
    "value, code",
    [
        ("2208162518", "check_digit"),
        ("220816251", "format"),
        ("22081625170", "format"),
        ("22O8162517", "format"),
        ("", "format"),
    ],
)
def test_invalid_business_numbers(value, code):
    with pytest.raises(ValidationError) as info:
        validate_business_number(value)
    assert info.value.code == code


def test_normalise_and_format():
    assert normalize_business_number(" 220-81-62517 ") == KNOWN_VALID
    assert format_business_number(KNOWN_VALID) == "220-81-62517"


@pytest.mark.parametrize("typed", ["220-81-62517", "2208162517", "220 81 62517"])
def test_company_created_with_or_without_dashes_is_stored_normalised_and_shown_dashed(reg, typed):
    response = reg.client(reg.admin).post(
        "/api/v1/companies/", company_body(business_number=typed), format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["business_number"] == "220-81-62517"
    assert Company.objects.get(pk=response.json()["id"]).business_number == KNOWN_VALID


@pytest.mark.parametrize(
    "number",
    ["220-81-62518", "220-81-6251", "220-81-625170", "abc-de-fghij", "", "220-81-62517-220-81-62517"],
)
def test_company_with_bad_business_number_is_400(reg, number):
    before = Company.objects.count()
    response = reg.client(reg.admin).post(
        "/api/v1/companies/", company_body(business_number=number), format="json"
    )
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "invalid"
    assert "business_number" in body["errors"]
    assert Company.objects.count() == before


def test_duplicate_business_number_is_400_even_when_typed_differently(reg):
    client = reg.client(reg.admin)
    assert client.post("/api/v1/companies/", company_body(), format="json").status_code == 201
    response = client.post("/api/v1/companies/", company_body(business_number="2208162517"), format="json")
    assert response.status_code == 400
    assert "business_number" in response.json()["errors"]


def test_company_filter_by_business_number_with_dashes(reg):
    number = reg.company_a.business_number
    response = reg.client(reg.supplier_b).get(
        "/api/v1/companies/", {"business_number": format_business_number(number)}
    )
    assert [row["id"] for row in response.json()["results"]] == [reg.company_a.pk]


def test_company_bad_choices_and_email(reg):
    response = reg.client(reg.admin).post(
        "/api/v1/companies/",
        company_body(size="huge", region="99", contact_email="not-an-email"),
        format="json",
    )
    assert response.status_code == 400
    assert {"size", "region", "contact_email"} <= set(response.json()["errors"])


# ----------------------------------------------------- classification per sector
@pytest.mark.parametrize(
    "sector, code",
    [
        ("goods", "39111605"),
        ("goods", "3911160501"),
        ("services", "81111500"),
        ("construction", "CS02"),
    ],
)
def test_classification_code_fits_sector(reg, sector, code):
    body = application_body(reg, sector, classification_code=code)
    response = reg.client(reg.supplier_a).post("/api/v1/applications/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "draft"
    assert response.json()["supplier"]["id"] == reg.company_a.pk


@pytest.mark.parametrize(
    "sector, code",
    [
        ("construction", "39111605"),  # a goods number for construction work
        ("goods", "CS02"),  # a work-type code for goods
        ("goods", "81111500"),  # a service segment for goods
        ("services", "39111605"),  # a goods segment for services
        ("goods", "3911"),  # wrong length
        ("goods", "391116050"),  # 9 digits
        ("goods", "99999999"),  # well-formed but not a goods segment
        ("goods", "10999999"),  # goods segment, but not a registered number
        ("construction", "CW99"),
    ],
)
def test_classification_code_that_does_not_fit_sector_is_400(reg, sector, code):
    body = application_body(reg, sector, classification_code=code)
    before = CertificationApplication.objects.count()
    response = reg.client(reg.supplier_a).post("/api/v1/applications/", body, format="json")
    assert response.status_code == 400, response.json()
    assert "classification_code" in response.json()["errors"]
    assert CertificationApplication.objects.count() == before


def test_task_type_must_fit_sector(reg):
    body = application_body(reg, "construction", task_type="innovative_growth")
    response = reg.client(reg.supplier_a).post("/api/v1/applications/", body, format="json")
    assert response.status_code == 400
    assert "task_type" in response.json()["errors"]


@pytest.mark.parametrize("start, end", [("2026-01-01", "2025-12-31"), ("2026-01-01", "2026-01-01")])
def test_agreement_dates_out_of_order_is_400(reg, start, end):
    body = application_body(reg, agreement_start=start, agreement_end=end)
    response = reg.client(reg.supplier_a).post("/api/v1/applications/", body, format="json")
    assert response.status_code == 400
    assert "agreement_end" in response.json()["errors"]


def test_agreement_dates_out_of_order_on_update_is_400_and_unchanged(reg):
    application = reg.draft()
    response = reg.client(reg.supplier_a).patch(
        f"/api/v1/applications/{application.pk}/", {"agreement_end": "2020-01-01"}, format="json"
    )
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.agreement_end.isoformat() == "2027-12-31"


def test_partner_must_be_another_company(reg):
    body = application_body(reg, partner=reg.company_a.pk)
    response = reg.client(reg.supplier_a).post("/api/v1/applications/", body, format="json")
    assert response.status_code == 400
    assert "partner" in response.json()["errors"]


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"partner": 999999}, "partner"),
        ({"partner": 99999999999999999999999}, "partner"),
        ({"partner": "abc"}, "partner"),
        ({"sector": "food"}, "sector"),
        ({"agreement_start": "2025-13-45"}, "agreement_start"),
        ({"product_name": "x" * 201}, "product_name"),
        ({"product_name": "nul\x00byte"}, "product_name"),
        ({"product_name": ""}, "product_name"),
        ({"cooperation_type": ["joint_development"]}, "cooperation_type"),
    ],
)
def test_malformed_application_fields_are_400(reg, overrides, field):
    body = application_body(reg, **overrides)
    response = reg.client(reg.supplier_a).post("/api/v1/applications/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]


def test_missing_required_fields_are_listed(reg):
    response = reg.client(reg.supplier_a).post("/api/v1/applications/", {}, format="json")
    assert response.status_code == 400
    assert {"partner", "sector", "product_name", "classification_code"} <= set(response.json()["errors"])


# ------------------------------------------------------------------ unknown fields
def test_unknown_field_on_create_is_400(reg):
    body = application_body(reg, colour="blue", status="approved")
    response = reg.client(reg.supplier_a).post("/api/v1/applications/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"colour": ["unknown field"], "status": ["unknown field"]}
    assert not CertificationApplication.objects.exists()


def test_supplier_cannot_choose_another_supplier(reg):
    body = application_body(reg, supplier=reg.company_b.pk)
    response = reg.client(reg.supplier_a).post("/api/v1/applications/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"supplier": ["unknown field"]}


def test_admin_may_file_for_a_supplier(reg):
    body = application_body(reg, supplier=reg.company_b.pk)
    response = reg.client(reg.admin).post("/api/v1/applications/", body, format="json")
    assert response.status_code == 201
    assert response.json()["supplier"]["id"] == reg.company_b.pk


@pytest.mark.parametrize(
    "path, body",
    [
        ("/api/v1/companies/{company}/", {"nickname": "x"}),
        ("/api/v1/applications/{application}/", {"bogus": 1}),
    ],
)
def test_unknown_field_on_patch_is_400(reg, path, body):
    application = reg.draft()
    url = path.format(company=reg.company_a.pk, application=application.pk)
    response = reg.client(reg.supplier_a).patch(url, body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {next(iter(body)): ["unknown field"]}


@pytest.mark.parametrize(
    "action, body",
    [
        ("submit", {"comment": "ok", "force": True}),
        ("withdraw", {"reason": "x"}),
    ],
)
def test_unknown_field_on_action_is_400_and_state_unchanged(reg, action, body):
    application = reg.draft()
    response = reg.client(reg.supplier_a).post(
        f"/api/v1/applications/{application.pk}/{action}/", body, format="json"
    )
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.status == "draft"


def test_unknown_field_on_certificate_action_is_400(reg):
    certificate = reg.certificate()
    response = reg.client(reg.reviewer).post(
        f"/api/v1/certificates/{certificate.pk}/revoke/",
        {"reason": "점검", "until": "2030-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"until": ["unknown field"]}


def test_renew_rejects_any_body_field(reg):
    certificate = reg.certificate()
    response = reg.client(reg.supplier_a).post(
        f"/api/v1/certificates/{certificate.pk}/renew/", {"product_name": "new"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"product_name": ["unknown field"]}


# ------------------------------------------------------------- malformed requests
def test_malformed_json_is_400(reg):
    response = reg.client(reg.supplier_a).post(
        "/api/v1/applications/", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "code", "errors"}


def test_json_list_instead_of_object_is_400(reg):
    response = reg.client(reg.supplier_a).post("/api/v1/applications/", [1, 2], format="json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "path, params",
    [
        ("/api/v1/applications/", {"status": "nonsense"}),
        ("/api/v1/applications/", {"partner": "abc"}),
        ("/api/v1/applications/", {"partner": "99999999999999999999999"}),
        ("/api/v1/applications/", {"supplier": "1.5"}),
        ("/api/v1/certificates/", {"supplier": "-1"}),
        ("/api/v1/audit-events/", {"application": "1e400"}),
        ("/api/v1/applications/", {"q": "nul\x00"}),
        ("/api/v1/companies/", {"business_number": "\x00"}),
        ("/api/v1/applications/", {"created_after": "yesterday"}),
        ("/api/v1/certificates/", {"expires_before": "2026-02-30"}),
        ("/api/v1/audit-events/", {"at_after": "soon"}),
    ],
)
def test_bad_filter_values_are_400(reg, path, params):
    response = reg.client(reg.reviewer).get(path, params)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


@pytest.mark.parametrize(
    "params",
    [
        {"ordering": "no_such_field"},
        {"page_size": "abc"},
        {"ordering": "-status,created_at"},
    ],
)
def test_odd_but_harmless_query_values_never_500(reg, params):
    reg.draft()
    response = reg.client(reg.reviewer).get("/api/v1/applications/", params)
    assert response.status_code in (200, 400)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/applications/abc/",
        "/api/v1/applications/99999999999999999999999/",
        "/api/v1/certificates/0/",
        "/api/v1/documents/99999999999999999999999/download/",
    ],
)
def test_bad_ids_are_404(reg, path):
    response = reg.client(reg.reviewer).get(path)
    assert response.status_code == 404
