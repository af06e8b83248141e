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
