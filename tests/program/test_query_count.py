"""The program pages ask the database the same number of queries whatever the data size: every figure is
an aggregate query, never a loop over rows (bench/dashboard.py measures the time at 100,000 listings)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from search.models import SearchLogEntry
from tests.factories import bulk_listings, make_application, open_call
from tests.worlds import page_client

pytestmark = pytest.mark.django_db

PATHS = ("/program/", "/program/search/", "/statistics/", "/program/data/funnel.csv")


def queries(client) -> dict[str, int]:
    counts = {}
    for path in PATHS:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200, path
        counts[path] = len(captured)
    return counts


def grow(world) -> None:
    """More of everything the figures count: certificates in another sector, listings, a second call with
    applications, and search log entries."""
    world.certificate(world.supplier_b, "construction")
    world.certificate(world.supplier_a, "services")
    bulk_listings(world.listings_a[0], 30)
    second = open_call(title="두 번째 공고")
    for _ in range(3):
        make_application(world.supplier_a, world.partner, "goods", call=second)
    SearchLogEntry.objects.bulk_create(
        SearchLogEntry(
            created_at=timezone.now(),
            query=f"검색어 {n}",
            result_count=n % 3,
            backend="database",
            source="page",
        )
        for n in range(200)
    )


def test_query_count_is_the_same_at_two_sizes(world):
    client = page_client(world.admin)
    queries(client)  # warm: the session, content types and the synonym dictionary load once
    small = queries(client)
    grow(world)
    assert queries(client) == small
