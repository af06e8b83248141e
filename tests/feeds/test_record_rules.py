"""The bulk read of the feed's records (``iter_records``: one streamed query, the times converted and
truncated by the database) gives each listing the same record as ``ListingRecord.of`` gives a listing
loaded with its relations: the same change time, times in the zone asked for, the same regions.

Written to kill the mutants ``bench/mutation.py`` left alive over ``catalog/feeds/records.py``
(docs/operations.md, "Mutation testing of the rules")."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.feeds.records import ListingRecord, iter_records
from catalog.models import ProductListing
from catalog.selectors import with_related
from certification.models import Certificate, Company
from tests.factories import make_listing

# not the process's zone (Django sets it to TIME_ZONE, Seoul): a read that ignores the zone asked for
# would give Seoul's wall time
NEW_YORK = ZoneInfo("America/New_York")
BASE = datetime(2026, 6, 1, 9, 0, 0, 400_000, tzinfo=UTC)


def bulk(zone, chunk_size: int = 100) -> list[ListingRecord]:
    return list(iter_records(ProductListing.objects.all(), chunk_size, zone))


def loaded(zone) -> list[ListingRecord]:
    listings = with_related(ProductListing.objects.order_by("pk"))
    return [ListingRecord.of(listing, zone) for listing in listings]


@pytest.fixture
def stamped(world):
    """The feed world plus a listing without delivery regions, every change time set to ``BASE``."""
    world.regionless = make_listing(world.supplier_a, world.cert_goods, regions=())
    ProductListing.objects.update(created_at=BASE, updated_at=BASE)
    Certificate.objects.update(updated_at=BASE)
    Company.objects.update(updated_at=BASE)
    return world


@pytest.mark.parametrize("chunk_size", [1, 2, 100])
def test_the_bulk_read_gives_each_listing_the_record_a_loaded_listing_gives(stamped, chunk_size):
    records = bulk(NEW_YORK, chunk_size)
    assert records == loaded(NEW_YORK)
    by_id = {record.id: record for record in records}
    assert by_id[stamped.goods.pk].region_codes == ("11", "41")
    assert by_id[stamped.services.pk].region_codes == ("26",)
    assert by_id[stamped.regionless.pk].region_codes == ()


def test_the_bulk_read_gives_times_in_the_zone_asked_for_in_whole_seconds(stamped):
    for zone in (NEW_YORK, UTC, ZoneInfo("Asia/Seoul")):
        for record in bulk(zone):
            assert record.created_at.tzinfo is zone
            assert record.created_at == record.last_change == BASE.replace(microsecond=0)
            # the wall time of that zone, not the process's read with the zone's label
            assert record.created_at.hour == BASE.astimezone(zone).hour


def test_the_bulk_reads_change_time_is_the_latest_change_of_anything_the_row_shows(stamped):
    """chgDt moves when the listing, its certificate, the supplier or the partner changes: each made the
    latest change in turn."""
    goods = stamped.goods
    changes = (
        ProductListing.objects.filter(pk=goods.pk),
        Certificate.objects.filter(pk=goods.certificate_id),
        Company.objects.filter(pk=goods.supplier_id),
        Company.objects.filter(pk=stamped.cert_goods.partner_id),
    )
    for hours, queryset in enumerate(changes, start=1):
        later = BASE + timedelta(hours=hours)
        queryset.update(updated_at=later)
        record = next(record for record in bulk(NEW_YORK) if record.id == goods.pk)
        assert record.last_change == later.replace(microsecond=0)
        assert record.created_at == BASE.replace(microsecond=0)


@pytest.mark.parametrize(("chunk_size", "chunks"), [(1, 4), (3, 2), (100, 1)])
def test_the_bulk_read_holds_one_chunk_at_a_time(stamped, chunk_size, chunks):
    """The regions are read a chunk of listings at a time, never the whole export at once (memory)."""
    with CaptureQueriesContext(connection) as queries:
        assert len(bulk(NEW_YORK, chunk_size)) == 4
    region_reads = [query for query in queries.captured_queries if "deliveryregion_id" in query["sql"]]
    assert len(region_reads) == chunks
