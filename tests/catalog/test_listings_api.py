import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from catalog.models import PriceChange
from certification import services as certification_services
from tests.factories import (
    PDF_BYTES,
    confirm_partner,
    listing_fields,
    make_listing,
    pass_all_stages,
    today_plus,
)

URL = "/api/v1/listings/"


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def png_bytes(size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return buffer.getvalue()


# ------------------------------------------------------------------ reading
def test_anonymous_is_refused(world):
    assert world.client().get(URL).status_code in (401, 403)


def test_officer_reads_the_listed_catalog(world):
    response = world.client(world.officer).get(URL)
    assert response.status_code == 200
    assert ids(response) == {world.listing_a.pk, world.listing_b.pk}
    row = next(r for r in response.json()["results"] if r["id"] == world.listing_a.pk)
    assert row["certificate"]["number"] == world.cert_a.number
    assert row["supplier"]["business_number"].count("-") == 2
    assert row["partner"]["name"] == "대한전자"
    assert row["classification_name"] == "LED조명기구"
    assert {r["code"] for r in row["delivery_regions"]} == {"11", "41"}
    assert row["listed"] is True


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sector": "goods"}, {"a"}),
        ({"sector": "services"}, {"b"}),
        ({"classification_code": "3911160501"}, {"a"}),
        ({"classification_prefix": "8111"}, {"b"}),
        ({"price_min": 1_000_000}, {"b"}),
        ({"price_max": 200_000}, {"a"}),
        ({"region": "41"}, {"a"}),
        ({"region": "26"}, {"b"}),
        ({"certificate_status": "active"}, {"a", "b"}),
        ({"has_identification_number": "true"}, set()),
        ({"has_identification_number": "false"}, {"a", "b"}),
    ],
)
def test_filters(world, params, expected):
    names = {"a": world.listing_a.pk, "b": world.listing_b.pk}
    response = world.client(world.officer).get(URL, params)
    assert response.status_code == 200, response.json()
    assert ids(response) == {names[key] for key in expected}


def test_filter_by_supplier_partner_and_certified_since(world):
    client = world.client(world.officer)
    assert ids(client.get(URL, {"supplier": world.company_b.pk})) == {world.listing_b.pk}
    assert ids(client.get(URL, {"partner": world.partner.pk})) == {world.listing_a.pk, world.listing_b.pk}
    assert ids(client.get(URL, {"certified_since": today_plus(1).isoformat()})) == set()


@pytest.mark.parametrize(
    "params",
    [
        {"price_min": "abc"},
        {"sector": "weapons"},
        {"region": "99"},
        {"certified_since": "yesterday"},
        {"page": "999"},
    ],
)
def test_bad_filter_values_are_400_or_404_never_500(world, params):
    response = world.client(world.officer).get(URL, params)
    assert response.status_code in (400, 404)
    assert "detail" in response.json()


def test_ordering_by_price(world):
    client = world.client(world.officer)
    ascending = [r["id"] for r in client.get(URL, {"ordering": "unit_price"}).json()["results"]]
    descending = [r["id"] for r in client.get(URL, {"ordering": "-unit_price"}).json()["results"]]
    assert ascending == [world.listing_a.pk, world.listing_b.pk]
    assert descending == list(reversed(ascending))


def test_page_size_is_capped(world):
    for n in range(3):
        make_listing(world.supplier_a, world.cert_a, specification=f"모델 {n}")
    response = world.client(world.officer).get(URL, {"page_size": 2})
    assert len(response.json()["results"]) == 2
    assert response.json()["count"] == 5
    big = world.client(world.officer).get(URL, {"page_size": 10_000})
    assert big.status_code == 200


def test_list_query_count_is_constant_in_rows(world):
    client = world.client(world.officer)
    client.get(URL)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for n in range(12):
        make_listing(world.supplier_a, world.cert_a, specification=f"모델 {n}", regions=("11", "26", "41"))
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert len(response.json()["results"]) == 14
    assert len(many) == len(few)


# --------------------------------------------------------------- visibility
@pytest.mark.parametrize("change", ["suspend", "revoke"])
def test_suspension_and_revocation_delist_at_once(world, change):
    action = getattr(certification_services, f"{change}_certificate")
    action(world.reviewer, certificate_id=world.cert_a.pk, reason="점검")
    client = world.client(world.officer)
    assert ids(client.get(URL)) == {world.listing_b.pk}
    assert client.get(f"{URL}{world.listing_a.pk}/").status_code == 404
    # the owner still sees it, marked as not listed
    own = world.client(world.supplier_a).get(f"{URL}{world.listing_a.pk}/")
    assert own.status_code == 200 and own.json()["listed"] is False


def test_expiry_by_date_delists_without_any_write(world, monkeypatch):
    from django.utils import timezone

    late = world.cert_a.expires_on + (today_plus(1) - today_plus(0))
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: late)
    assert ids(world.client(world.officer).get(URL)) == set()


def test_unpublished_listing_is_hidden_from_officers(world):
    world.client(world.supplier_a).patch(f"{URL}{world.listing_a.pk}/", {"published": False}, format="json")
    assert ids(world.client(world.officer).get(URL)) == {world.listing_b.pk}
    mine = world.client(world.supplier_a).get(URL, {"mine": "true"})
    assert ids(mine) == {world.listing_a.pk}


# ------------------------------------------------------------------ writing
def test_supplier_creates_a_listing_under_its_certificate(world):
    body = {
        "certificate": world.cert_a.pk,
        "delivery_regions": ["11", "28"],
        **listing_fields("goods", name="LED 투광등"),
    }
    response = world.client(world.supplier_a).post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["name"] == "LED 투광등"
    assert response.json()["classification_code"] == "3911160501"


def test_supplier_cannot_list_under_another_companys_certificate(world):
    body = {"certificate": world.cert_a.pk, **listing_fields("goods")}
    assert world.client(world.supplier_b).post(URL, body, format="json").status_code == 403


@pytest.mark.parametrize("role", ["officer", "reviewer"])
def test_non_suppliers_cannot_create(world, role):
    body = {"certificate": world.cert_a.pk, **listing_fields("goods")}
    assert world.client(getattr(world, role)).post(URL, body, format="json").status_code == 403


def test_no_listing_under_a_suspended_certificate(world):
    certification_services.suspend_certificate(world.reviewer, certificate_id=world.cert_a.pk, reason="점검")
    body = {"certificate": world.cert_a.pk, **listing_fields("goods")}
    response = world.client(world.supplier_a).post(URL, body, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"unit_price": 0}, "unit_price"),
        ({"unit_price": -5}, "unit_price"),
        ({"unit_price": "many"}, "unit_price"),
        ({"unit": "bushel"}, "unit"),
        ({"classification_code": "4321150"}, "classification_code"),
        ({"classification_code": "81111500"}, "classification_code"),
        ({"classification_code": "4016150501"}, "classification_code"),
        ({"delivery_regions": ["99"]}, "delivery_regions"),
        ({"colour": "red"}, "colour"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_input_gets_field_errors(world, overrides, field):
    body = {"certificate": world.cert_a.pk, **listing_fields("goods"), **overrides}
    response = world.client(world.supplier_a).post(URL, body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]


def test_services_listing_requires_scope_and_period(world):
    body = {"certificate": world.cert_b.pk, **listing_fields("services"), "service_scope": ""}
    response = world.client(world.supplier_b).post(URL, body, format="json")
    assert response.status_code == 400
    assert "service_scope" in response.json()["errors"]


def test_detailed_item_number_under_the_certificate_classification_is_accepted(world):
    body = {"certificate": world.cert_a.pk, **listing_fields("goods", classification_code="3911160501")}
    assert world.client(world.supplier_a).post(URL, body, format="json").status_code == 201


def test_price_change_is_kept_as_history(world):
    client = world.client(world.supplier_a)
    response = client.patch(f"{URL}{world.listing_a.pk}/", {"unit_price": 99000}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["unit_price"] == 99000
    history = client.get(f"{URL}{world.listing_a.pk}/price-history/").json()
    assert history == [{"old_price": 125000, "new_price": 99000, "changed_at": history[0]["changed_at"]}]
    assert PriceChange.objects.count() == 1


def test_supplier_cannot_edit_or_delete_another_suppliers_listing(world):
    client = world.client(world.supplier_b)
    assert client.patch(f"{URL}{world.listing_a.pk}/", {"unit_price": 1}, format="json").status_code == 403
    assert client.delete(f"{URL}{world.listing_a.pk}/").status_code == 403
    world.client(world.supplier_a).patch(f"{URL}{world.listing_a.pk}/", {"published": False}, format="json")
    # once unlisted it is invisible to B altogether
    assert client.patch(f"{URL}{world.listing_a.pk}/", {"unit_price": 1}, format="json").status_code == 404


def test_owner_deletes_listing(world):
    assert world.client(world.supplier_a).delete(f"{URL}{world.listing_a.pk}/").status_code == 204
    assert world.client(world.officer).get(f"{URL}{world.listing_a.pk}/").status_code == 404


def test_image_upload_is_validated(world, settings):
    client = world.client(world.supplier_a)
    url = f"{URL}{world.listing_a.pk}/"
    settings.MEDIA_ROOT = settings.BASE_DIR / "var" / "test-media"
    good = io.BytesIO(png_bytes())
    good.name = "photo.png"
    assert client.patch(url, {"image": good}, format="multipart").status_code == 200
    fake = io.BytesIO(b"MZ\x90\x00 not an image")
    fake.name = "photo.png"
    response = client.patch(url, {"image": fake}, format="multipart")
    assert response.status_code == 400 and "image" in response.json()["errors"]
    settings.LISTING_IMAGE_MAX_BYTES = 100
    big = io.BytesIO(png_bytes((64, 64)))
    big.name = "big.png"
    response = client.patch(url, {"image": big}, format="multipart")
    assert response.status_code == 400 and "image" in response.json()["errors"]


def test_identification_number_is_admin_only_and_goods_only(world):
    url = f"{URL}{world.listing_a.pk}/identification-number/"
    assert (
        world.client(world.supplier_a).post(url, {"goods_identification_number": "24012345"}).status_code
        == 403
    )
    response = world.client(world.admin).post(url, {"goods_identification_number": "24012345"}, format="json")
    assert response.status_code == 200 and response.json()["goods_identification_number"] == "24012345"
    services_url = f"{URL}{world.listing_b.pk}/identification-number/"
    response = world.client(world.admin).post(
        services_url, {"goods_identification_number": "24012346"}, format="json"
    )
    assert response.status_code == 400
    bad = world.client(world.admin).post(url, {"goods_identification_number": "12AB"}, format="json")
    assert bad.status_code == 400


# ------------------------------------------------------------- conditional
def test_detail_has_etag_and_last_modified_and_revalidates(world):
    client = world.client(world.officer)
    url = f"{URL}{world.listing_a.pk}/"
    first = client.get(url)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    world.client(world.supplier_a).patch(url, {"unit_price": 130000}, format="json")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_renewal_carries_listings_to_the_new_certificate(world):
    renewal = certification_services.start_renewal(world.supplier_a, certificate_id=world.cert_a.pk)
    certification_services.attach_evidence(
        world.supplier_a,
        application_id=renewal.pk,
        upload=SimpleUploadedFile("갱신.pdf", PDF_BYTES),
        kind="agreement",
    )
    confirm_partner(world.supplier_a, renewal)
    certification_services.submit_application(world.supplier_a, application_id=renewal.pk)
    certification_services.start_review(world.reviewer, application_id=renewal.pk)
    pass_all_stages(world.reviewer, renewal)
    new_certificate = certification_services.approve_application(world.reviewer, application_id=renewal.pk)
    world.listing_a.refresh_from_db()
    assert world.listing_a.certificate_id == new_certificate.pk
    row = world.client(world.officer).get(f"{URL}{world.listing_a.pk}/").json()
    assert row["certificate"]["number"] == new_certificate.number and row["listed"] is True
