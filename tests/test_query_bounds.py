"""Query-string values a database would refuse are answered 400 with the field (or read correctly),
never passed on to become a driver error: ids beyond 64 bits, UTC offsets PostgreSQL does not accept,
instants beyond the calendar."""

import pytest

from tests.worlds import ListedWorld, api_client


@pytest.fixture
def world(db):
    return ListedWorld()


def test_an_unusual_utc_offset_is_applied_not_sent_to_the_database(world):
    admin = api_client(world.admin)
    # +20:01 is a valid ISO 8601 offset that PostgreSQL refuses ("time zone displacement out of range")
    response = admin.get("/api/v1/audit-events/", {"at_after": "0419-10-22T00:00:00+20:01"})
    assert response.status_code == 200
    assert response.json()["count"] > 0
    later = admin.get("/api/v1/audit-events/", {"at_after": "9999-12-31T23:00:00-14:00"})
    assert later.status_code == 400
    assert "at_after" in later.json()["errors"]


def test_an_instant_before_year_one_in_utc_is_a_400(world):
    response = api_client(world.admin).get(
        "/api/v1/audit-events/", {"at_before": "0001-01-01T00:00:00+20:00"}
    )
    assert response.status_code == 400
    assert "at_before" in response.json()["errors"]


@pytest.mark.parametrize("name", ["supplier", "partner"])
def test_a_listing_filter_id_beyond_64_bits_is_a_400(world, name):
    response = api_client(world.officer).get("/api/v1/listings/", {name: "10000000000000000000"})
    assert response.status_code == 400
    assert name in response.json()["errors"]


def test_a_listing_filter_id_in_range_still_filters(world):
    response = api_client(world.officer).get("/api/v1/listings/", {"supplier": world.company_a.pk})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [world.listing_a.pk]


@pytest.mark.parametrize("number", ["1e400", "-1e400", "100000000000000000000000", "-9223372036854775809"])
def test_a_json_number_no_column_holds_is_a_400_on_its_field(world, number):
    client = api_client(world.supplier_a)
    body = '{"partner": ' + number + ', "product_name": "조명"}'
    response = client.post("/api/v1/applications/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "partner": ["숫자가 허용 범위를 벗어났습니다 (number out of range: at most 19 digits, finite)."]
    }


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_constants_that_are_not_json_are_a_parse_error(world, constant):
    body = '{"partner": ' + constant + "}"
    response = api_client(world.supplier_a).post(
        "/api/v1/applications/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_a_nested_json_number_names_its_path(world):
    body = '{"format": "csv", "filters": {"supplier": [1, 1e400]}}'
    response = api_client(world.admin).post("/api/v1/exports/", body, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["filters.supplier.1"]


def test_an_export_filter_with_a_31_digit_supplier_id_is_a_400(world):
    response = api_client(world.admin).post(
        "/api/v1/exports/", {"format": "csv", "filters": {"supplier": ["1" * 31]}}, format="json"
    )
    assert response.status_code == 400
    assert "filters" in response.json()["errors"]


@pytest.mark.parametrize("name", ["supplier", "partner"])
def test_a_search_id_beyond_64_bits_is_a_400(world, name, settings):
    settings.SEARCH_BACKEND = "database"
    response = api_client(world.officer).get("/api/v1/search/", {name: "10000000000000000000"})
    assert response.status_code == 400
    assert name in response.json()["errors"]


def test_a_listing_certificate_id_beyond_64_bits_is_a_400(world):
    response = api_client(world.supplier_a).post("/api/v1/listings/", {"certificate": 10**19}, format="json")
    assert response.status_code == 400
    assert "certificate" in response.json()["errors"]
