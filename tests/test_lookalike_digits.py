"""Identifiers are ASCII digits: a number typed in full-width digits is the same number (NFKC), one in
other scripts' digits (Arabic-Indic ٠-٩, Devanagari) is refused, on every way in: the API, the admin,
the pages' forms, the search parameters (the feed's own check: tests/feeds/test_validation.py)."""

import pytest
from django.core.exceptions import ValidationError

from catalog.models import ProductListing
from certification.admin import CompanyForm
from certification.codes import covers_item, is_single_item, validate_classification_code
from certification.models import Company
from certification.validators import normalize_business_number, validate_business_number
from core.identifiers import DigitsValidator, is_ascii_digits, normalize_identifier
from search.api.serializers import SearchParamsSerializer
from tests.factories import valid_business_number
from tests.worlds import ListedWorld, api_client


def full_width(digits: str) -> str:
    return "".join(chr(0xFF10 + int(ch)) if ch.isascii() and ch.isdigit() else ch for ch in digits)


def arabic_indic(digits: str) -> str:
    return "".join(chr(0x0660 + int(ch)) for ch in digits)


def devanagari(digits: str) -> str:
    return "".join(chr(0x0966 + int(ch)) for ch in digits)


NUMBER = valid_business_number(7)


@pytest.fixture
def world(db):
    return ListedWorld()


def company_body(number: str) -> dict:
    return {
        "name": "한빛정밀",
        "business_number": number,
        "size": "sme",
        "region": "41",
        "representative": "김민수",
        "contact_email": "contact@hanbit.example",
    }


# ------------------------------------------------------------------ the helper
def test_full_width_digits_and_hyphens_are_the_same_number():
    assert normalize_identifier(" ５８７－１３ ") == "587-13"
    assert normalize_business_number(full_width(f"{NUMBER[:3]}-{NUMBER[3:5]}-{NUMBER[5:]}")) == NUMBER


@pytest.mark.parametrize("spell", [arabic_indic, devanagari])
def test_other_scripts_digits_are_not_digits(spell):
    assert spell("12").isdigit()  # what Python says, and why the helper does not ask it
    assert not is_ascii_digits(spell("12345678"), 8)
    assert normalize_business_number(spell(NUMBER)) == spell(NUMBER)  # NFKC leaves them: refused, not read
    with pytest.raises(ValidationError):
        validate_business_number(normalize_business_number(spell(NUMBER)))
    with pytest.raises(ValidationError):
        DigitsValidator(8, "8 digits")(spell("12345678"))


def test_the_validators_check_stored_values_without_normalising():
    validate_business_number(NUMBER)
    with pytest.raises(ValidationError):
        validate_business_number(full_width(NUMBER))
    with pytest.raises(ValidationError):
        validate_classification_code("goods", full_width("3911160501"))
    assert not is_single_item("goods", arabic_indic("3911160501"))
    assert not covers_item(arabic_indic("39111605"), "3911160501")


# ------------------------------------------------------------------ the API
def test_a_full_width_business_number_is_the_existing_company(world):
    client = api_client(world.admin)
    existing = world.company_a.business_number
    response = client.post("/api/v1/companies/", company_body(full_width(existing)), format="json")
    assert response.status_code == 400
    assert "business_number" in response.json()["errors"]
    assert Company.objects.filter(name="한빛정밀").count() == 0
    created = client.post("/api/v1/companies/", company_body(full_width(NUMBER)), format="json")
    assert created.status_code == 201, created.json()
    assert Company.objects.get(pk=created.json()["id"]).business_number == NUMBER


@pytest.mark.parametrize("spell", [arabic_indic, devanagari])
def test_a_business_number_in_other_digits_is_refused(world, spell):
    response = api_client(world.admin).post("/api/v1/companies/", company_body(spell(NUMBER)), format="json")
    assert response.status_code == 400
    assert "business_number" in response.json()["errors"]
    assert not Company.objects.filter(name="한빛정밀").exists()


def test_the_company_filter_reads_full_width_and_ignores_other_digits(world):
    client = api_client(world.admin)
    number = world.company_a.business_number
    found = client.get("/api/v1/companies/", {"business_number": full_width(number)}).json()["results"]
    assert [row["id"] for row in found] == [world.company_a.pk]
    other = client.get("/api/v1/companies/", {"business_number": arabic_indic(number)}).json()["results"]
    assert other == []


def test_the_goods_identification_number_is_ascii(world):
    client = api_client(world.admin)
    url = f"/api/v1/listings/{world.listing_a.pk}/identification-number/"
    response = client.post(url, {"goods_identification_number": full_width("24012345")}, format="json")
    assert response.status_code == 200
    assert ProductListing.objects.get(pk=world.listing_a.pk).goods_identification_number == "24012345"
    refused = client.post(url, {"goods_identification_number": arabic_indic("24012346")}, format="json")
    assert refused.status_code == 400
    assert "goods_identification_number" in refused.json()["errors"]
    assert ProductListing.objects.get(pk=world.listing_a.pk).goods_identification_number == "24012345"


def test_an_application_classification_code_in_other_digits_is_refused(world):
    from tests.factories import open_call

    body = {
        "sector": "goods",
        "partner": world.partner.pk,
        "partner_kind": "mentor",
        "task_type": "innovative_growth",
        "cooperation_type": "joint_development",
        "product_name": "조명",
        "classification_code": arabic_indic("3911160501"),
        "agreement_start": "2025-01-01",
        "agreement_end": "2027-12-31",
        "call": open_call().pk,
    }
    response = api_client(world.supplier_a).post("/api/v1/applications/", body, format="json")
    assert response.status_code == 400
    assert "classification_code" in response.json()["errors"]


# ------------------------------------------------------------------ admin and search
def test_the_admin_company_form_stores_ascii(db):
    data = {**company_body(full_width(NUMBER)), "name_en": "", "sme_confirmation_number": ""}
    form = CompanyForm(data=data)
    form.is_valid()
    assert form.cleaned_data["business_number"] == NUMBER
    refused = CompanyForm(data={**data, "business_number": arabic_indic(NUMBER)})
    assert not refused.is_valid()
    assert "business_number" in refused.errors


def test_the_admin_listing_form_reads_full_width_goods_numbers():
    from catalog.admin import ProductListingForm

    field = ProductListingForm.base_fields["goods_identification_number"]
    assert field.clean(full_width("24012345")) == "24012345"
    assert field.clean(arabic_indic("24012345")) == arabic_indic("24012345")  # the model validator refuses it


def test_the_search_classification_filter_reads_full_width_and_refuses_other_digits():
    params = SearchParamsSerializer(data={"classification": "３９"})
    assert params.is_valid(), params.errors
    assert params.validated_data["classification"] == "39"
    refused = SearchParamsSerializer(data={"classification": arabic_indic("39")})
    assert not refused.is_valid()
    assert "classification" in refused.errors
    ids = SearchParamsSerializer(data={"supplier": arabic_indic("12")})
    assert not ids.is_valid() and "supplier" in ids.errors
