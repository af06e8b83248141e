"""Tests that kill the mutations of the visibility rule a mutation run found surviving (issue 22): each
test names the mutation it catches. A renewal issued ahead of the old certificate's end is the real case
behind the first two: its certificate is active, yet its ``issued_on`` is still to come."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.selectors import listed_listings
from catalog.visibility import DelistReason, certificate_valid_on, delist_reason
from certification.models import Certificate
from tests.worlds import ListedWorld, api_client

URL = "/api/v1/listings/"


@pytest.fixture
def world(db):
    return ListedWorld()


def issued_tomorrow(world) -> None:
    # as a renewal issued ahead is: active, valid only from a day still to come
    tomorrow = timezone.localdate() + timedelta(days=1)
    Certificate.objects.filter(pk=world.cert_a.pk).update(issued_on=tomorrow)
    world.listing_a.refresh_from_db()
    world.cert_a.refresh_from_db()


def test_a_certificate_issued_tomorrow_does_not_list_its_products_today(world):
    """Kills: deleting ``issued_on <= today`` from the rule (``VALIDITY_BOUNDS`` / ``certificate_valid_on``)."""
    issued_tomorrow(world)
    today = timezone.localdate()
    assert world.cert_a.status == "active"
    assert not certificate_valid_on(world.cert_a, today)
    assert certificate_valid_on(world.cert_a, today + timedelta(days=1))
    assert not listed_listings().filter(pk=world.listing_a.pk).exists()
    assert listed_listings(today + timedelta(days=1)).filter(pk=world.listing_a.pk).exists()
    ids = [row["id"] for row in api_client(world.officer).get(URL).json()["results"]]
    assert world.listing_a.pk not in ids and world.listing_b.pk in ids


def test_the_reason_a_product_issued_tomorrow_is_not_listed_is_not_yet_valid(world):
    """Kills: deleting the not-yet-valid branch of ``delist_reason`` (it would say None: listed)."""
    issued_tomorrow(world)
    assert delist_reason(world.listing_a) == DelistReason.NOT_YET_VALID
    # and an unpublished one still says why first by its certificate
    world.listing_a.published = False
    assert delist_reason(world.listing_a) == DelistReason.NOT_YET_VALID
    assert delist_reason(world.listing_b) is None


def test_a_listing_that_expires_by_date_alone_gets_a_new_etag(world):
    """Kills: dropping the listed flag from the listing's ETag. Expiry by date changes no row's
    ``updated_at``; only the listed flag tells a revalidating client its copy is stale."""
    client = api_client(world.supplier_a)  # the owner still sees the listing after it leaves the catalog
    url = f"{URL}{world.listing_a.pk}/"
    first = client.get(url)
    assert first.status_code == 200 and first.json()["listed"] is True
    etag = first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    yesterday = timezone.localdate() - timedelta(days=1)
    # a queryset update leaves updated_at as it was, as the passing of midnight would
    Certificate.objects.filter(pk=world.cert_a.pk).update(expires_on=yesterday)
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert again.json()["listed"] is False
    assert again["ETag"] != etag


# survivors of the mutmut run of catalog/visibility.py (docs/operations.md), killed here
def test_a_certificate_past_its_end_date_is_expired_before_the_nightly_job_says_so(world):
    """Kills: ``status == EXPIRED or expires_on < today`` → ``and`` in ``delist_reason``."""
    yesterday = timezone.localdate() - timedelta(days=1)
    Certificate.objects.filter(pk=world.cert_a.pk).update(expires_on=yesterday)  # status still active
    world.listing_a.refresh_from_db()
    assert world.listing_a.certificate.status == "active"
    assert delist_reason(world.listing_a) == DelistReason.EXPIRED


def test_a_certificate_is_valid_on_its_last_day(world):
    """Kills: ``expires_on < today`` → ``<=`` in ``delist_reason``."""
    Certificate.objects.filter(pk=world.cert_a.pk).update(expires_on=timezone.localdate())
    world.listing_a.refresh_from_db()
    assert delist_reason(world.listing_a) is None


def test_annotate_listed_answers_for_the_day_asked(world):
    """Kills: ``annotate_listed`` ignoring its ``today`` (``listed_q(None)``)."""
    from catalog.models import ProductListing
    from catalog.visibility import annotate_listed

    issued_tomorrow(world)
    tomorrow = timezone.localdate() + timedelta(days=1)
    rows = ProductListing.objects.filter(pk=world.listing_a.pk)
    assert annotate_listed(rows).get().is_listed is False
    assert annotate_listed(rows, tomorrow).get().is_listed is True
