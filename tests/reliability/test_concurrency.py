"""Parallel writers on PostgreSQL: no lost updates, unique numbers, exports from one snapshot.

Each test starts its threads at a barrier so they really overlap; every thread closes its own database
connection, or the test database could not be dropped afterwards. SQLite serialises writers with
``BEGIN IMMEDIATE``, so these races cannot happen there and the tests skip.
"""

import csv
import itertools
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from catalog import services as catalog_services
from catalog.feeds import services as feed_services
from catalog.feeds import streaming
from catalog.feeds.models import ExportedRow
from catalog.models import PriceChange, ProductListing
from certification import services as registry
from certification.models import Certificate, Company
from tests.factories import (
    bulk_listings,
    listing_fields,
    make_application,
    pass_all_stages,
    valid_business_number,
)
from tests.reliability.conftest import requires_postgresql
from tests.worlds import ListedWorld

# serialized rollback: each test starts from the migrated reference data (classification codes,
# regions), whatever transactional test ran before it and emptied the tables
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_in_parallel(calls: list[Callable[[], object]], timeout: float = 60) -> list[object]:
    """Runs each call in its own thread, all released at once; returns results or raised exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def worker(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except BaseException as exc:  # handed to the main thread, which asserts on it
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a writer hung (deadlock?)"
    return results


@pytest.fixture
def world(settings, media_in_tmp):
    requires_postgresql()
    settings.SEARCH_BACKEND = "database"
    settings.SEARCH_SYNC_ON_COMMIT = False  # keep the threads on the catalog, not the search table
    return ListedWorld()


def test_parallel_price_changes_lose_no_update(world):
    listing = world.listing_a
    start = listing.unit_price
    prices = [start + 1000 * (n + 1) for n in range(8)]
    results = run_in_parallel(
        [
            lambda price=price: catalog_services.update_listing(
                world.supplier_a, listing_id=listing.pk, unit_price=price
            )
            for price in prices
        ]
    )
    assert all(isinstance(result, ProductListing) for result in results), results

    history = list(PriceChange.objects.filter(listing=listing).order_by("id"))
    assert len(history) == len(prices)
    # a chain: every change starts from the price the previous one left, and the last one is current
    assert history[0].old_price == start
    for before, after in itertools.pairwise(history):
        assert after.old_price == before.new_price
    assert sorted(change.new_price for change in history) == sorted(prices)
    listing.refresh_from_db()
    assert listing.unit_price == history[-1].new_price


def test_parallel_approvals_issue_unique_consecutive_numbers(world):
    applications = []
    for n in range(6):
        application = make_application(world.supplier_a, world.partner, product_name=f"동시 승인 {n}")
        registry.submit_application(world.supplier_a, application_id=application.pk)
        registry.start_review(world.reviewer, application_id=application.pk)
        pass_all_stages(world.reviewer, application)
        applications.append(application)

    results = run_in_parallel(
        [
            lambda pk=application.pk: registry.approve_application(
                world.reviewer, application_id=pk, comment="병렬 승인"
            )
            for application in applications
        ]
    )
    assert all(isinstance(result, Certificate) for result in results), results
    numbers = sorted(certificate.number for certificate in results)
    assert len(set(numbers)) == len(numbers)
    sequence = sorted(
        int(number.rsplit("-", 1)[1]) for number in Certificate.objects.values_list("number", flat=True)
    )
    assert sequence == list(range(sequence[0], sequence[0] + len(sequence))), "gaps or repeats in the numbers"


def test_concurrent_registration_of_one_business_number_is_a_validation_error(world, monkeypatch):
    """Both requests pass full_clean before either inserts (forced with a barrier inside full_clean),
    so the unique index decides: the loser must get a field error, not an IntegrityError (a 500)."""
    writers = 3
    validated = threading.Barrier(writers)
    original_full_clean = Company.full_clean

    def full_clean_then_wait(self, *args, **kwargs):
        original_full_clean(self, *args, **kwargs)
        validated.wait(timeout=10)

    monkeypatch.setattr(Company, "full_clean", full_clean_then_wait)
    number = valid_business_number(77_777)
    fields = {"name": "동시등록", "size": "sme", "region": "11", "representative": "홍길동"}
    results = run_in_parallel(
        [lambda: registry.create_company(world.admin, business_number=number, **fields)] * writers
    )
    created = [result for result in results if isinstance(result, Company)]
    rejected = [result for result in results if isinstance(result, ValidationError)]
    assert len(created) == 1 and len(rejected) == writers - 1, results
    assert all("business_number" in error.message_dict for error in rejected)
    assert Company.objects.filter(business_number=number).count() == 1


def test_an_export_running_while_listings_change_reads_one_snapshot(world, monkeypatch):
    """Prices of every listing change, one listing is added and one unpublished while the export is
    half-way through its rows: the file must be one consistent snapshot, rows once each, counts equal."""
    monkeypatch.setattr(streaming, "CHUNK_SIZE", 25)  # many fetches, so a racing writer would show
    bulk_listings(world.listing_a, 120)
    before = ProductListing.objects.count()
    changed = threading.Event()

    def change_everything() -> None:
        try:
            # one transaction: a consistent reader sees all of it or none of it
            with transaction.atomic():
                for listing in ProductListing.objects.select_for_update().order_by("pk"):
                    catalog_services.update_listing(
                        world.supplier_a if listing.supplier_id == world.company_a.pk else world.supplier_b,
                        listing_id=listing.pk,
                        unit_price=listing.unit_price + 7,
                    )
            catalog_services.create_listing(
                world.supplier_a,
                certificate_id=world.cert_a.pk,
                delivery_regions=["11"],
                **listing_fields("goods", name="중간 추가"),
            )
            catalog_services.update_listing(world.supplier_b, listing_id=world.listing_b.pk, published=False)
        finally:
            connection.close()
            changed.set()

    class InterleaveMidway:
        seen = 0

        def start(self, total: int) -> None:
            self.total = total

        def advance(self, count: int = 1) -> None:
            self.seen += count
            if self.seen == 30:  # past the first chunk, well before the last
                thread = threading.Thread(target=change_everything)
                thread.start()
                thread.join(timeout=60)

    job = feed_services.run_export(world.admin, export_format="csv", progress=InterleaveMidway())
    assert changed.is_set()
    assert job.status == "succeeded", job.error_message

    with Path(job.file.path).open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    listing_ids = [int(row["listing_id"]) for row in rows]
    assert len(listing_ids) == len(set(listing_ids)), "a listing appears twice"
    assert len(rows) == job.row_count == job.listed_count
    assert ExportedRow.objects.filter(job=job).count() == job.listed_count
    assert sorted(ExportedRow.objects.filter(job=job).values_list("listing_id", flat=True)) == sorted(
        listing_ids
    )
    # one snapshot: the state before the writer (all old prices, no new listing, listing_b still listed)
    copies = {row["cntrctPrceAmt"] for row in rows if int(row["listing_id"]) != world.listing_b.pk}
    assert copies == {str(world.listing_a.unit_price)}, "rows from before and after the change are mixed"
    assert len(rows) == before
    assert world.listing_b.pk in listing_ids
