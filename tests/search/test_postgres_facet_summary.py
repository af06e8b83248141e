"""The facet summary of the whole search table (migration ``0013_postgres_facet_summary``) and per sector
(``0014_postgres_facet_summary_by_sector``) on PostgreSQL:
after inserts, updates, deletes, a truncate and a rebuild each equals a fresh ``GROUP BY`` of the table;
its price bands are ``PRICE_RANGES``; browsing and a text every row holds read their facets from it, equal
to the counting of the rows, on any day (visibility and expiring soon come from the dates it keeps)."""

import datetime

import pytest
from django.db import connection

from catalog.visibility import expiring_soon_cutoff
from search import sync
from search.backends.base import SearchFilters, SearchQuery
from search.backends.database import TERMS_FACETS, entry_from_document
from search.backends.facets import PRICE_RANGES
from search.backends.fulltext import postgres_facets
from search.models import SearchEntry
from tests.search.conftest import generated_database

pytestmark = pytest.mark.django_db
TABLE = SearchEntry._meta.db_table


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's facet summary (migration 0013)")


@pytest.fixture
def database(settings):
    return generated_database(settings, size=150, seed=41)


def summary(by_sector: bool = False) -> set[tuple]:
    table, key = ("search_facet_count_sector", "sector, ") if by_sector else ("search_facet_count", "")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {key}dimension, value, issued_on, expires_on, n FROM {table} WHERE n <> 0")
        return set(cursor.fetchall())


def fresh(by_sector: bool = False) -> set[tuple]:
    """The same counts from the table itself, one plain GROUP BY per dimension (and sector)."""
    rows: set[tuple] = set()
    key, grouped = ("sector, ", "1, 3, 4, 5") if by_sector else ("", "2, 3, 4")
    with connection.cursor() as cursor:
        for dimension, expression in [
            ("total", "''"),
            ("sector", "sector"),
            ("classification_segment", "classification_segment"),
            ("classification_family", "classification_family"),
            ("supplier_id", "supplier_id::text"),
            ("partner_id", "partner_id::text"),
            ("band", "search_price_band(unit_price)::text"),
        ]:
            cursor.execute(
                f"SELECT {key}%s, {expression}, issued_on, expires_on, count(*) FROM {TABLE} "
                f"GROUP BY {grouped}",
                [dimension],
            )
            rows |= set(cursor.fetchall())
        cursor.execute(
            f"SELECT {key}'region', code, issued_on, expires_on, count(*) "
            f"FROM {TABLE}, unnest(regions_array) AS code GROUP BY {grouped}"
        )
        rows |= set(cursor.fetchall())
    return rows


def both_equal_a_fresh_group_by() -> bool:
    return summary() == fresh() and summary(by_sector=True) == fresh(by_sector=True)


def test_the_summary_equals_a_fresh_group_by_after_every_kind_of_write(database):
    assert summary() == fresh() != set()
    assert summary(by_sector=True) == fresh(by_sector=True) != set()
    entries = list(SearchEntry.objects.order_by("listing_id")[:6])
    document = dict(entries[0].document) | {"id": 10**9, "unit_price": 250_000_000, "regions": ["11", "26"]}
    entry_from_document(document).save()  # insert
    assert both_equal_a_fresh_group_by()
    SearchEntry.objects.filter(pk__in=[e.pk for e in entries[:2]]).update(
        sector="services", unit_price=50, expires_on=datetime.date(2030, 1, 1), regions=" 30 "
    )  # update of the keys and dates
    assert both_equal_a_fresh_group_by()
    SearchEntry.objects.filter(pk__in=[e.pk for e in entries[2:5]]).delete()
    assert both_equal_a_fresh_group_by()
    database.write([dict(entries[5].document) | {"supplier_id": 77}])  # the write path: delete + insert
    assert both_equal_a_fresh_group_by()
    sync.rebuild(database)
    assert both_equal_a_fresh_group_by()
    with connection.cursor() as cursor:
        for table in ("search_facet_count", "search_facet_count_sector"):
            cursor.execute(f"SELECT count(*) FROM {table} WHERE n = 0")
            assert cursor.fetchone()[0] == 0  # a rebuild clears the counts that fell to 0
        cursor.execute(f"TRUNCATE {TABLE}")
    assert summary() == fresh() == set()
    assert summary(by_sector=True) == set()


def test_price_bands_are_the_facet_price_ranges():
    with connection.cursor() as cursor:
        for position, price in enumerate(PRICE_RANGES):
            for bound in (price.low, price.high - 1 if price.high else None):
                if bound is not None:
                    cursor.execute("SELECT search_price_band(%s)", [bound])
                    assert cursor.fetchone()[0] == position, (price, bound)


@pytest.mark.parametrize("days", [0, 200, 700])
def test_summary_counts_equal_counting_the_visible_rows_on_any_day(database, days):
    day = datetime.date.today() + datetime.timedelta(days=days)
    cutoff = day + datetime.timedelta(days=60)
    visible = SearchEntry.objects.filter(issued_on__lte=day, expires_on__gte=day)
    counted = postgres_facets.facet_counts(visible, TERMS_FACETS, cutoff)
    assert postgres_facets.summary_counts(TERMS_FACETS, day, cutoff) == counted
    assert counted.total == visible.count()
    for sector in ["goods", "services", "construction", "no such sector"]:
        of_sector = postgres_facets.facet_counts(visible.filter(sector=sector), TERMS_FACETS, cutoff)
        assert postgres_facets.summary_counts(TERMS_FACETS, day, cutoff, sector) == of_sector
    assert postgres_facets.summary_counts(TERMS_FACETS, day, cutoff, "goods").total > 0


def test_browsing_reads_the_summary_and_filters_count_the_rows(database, monkeypatch):
    read: list[int] = []
    real = postgres_facets.summary_counts

    def recorded(*args):
        read.append(1)
        return real(*args)

    monkeypatch.setattr(postgres_facets, "summary_counts", recorded)
    browse = database.search(SearchQuery())
    assert read and browse.total == database._visible().count()
    counted = postgres_facets.facet_counts(database._visible(), TERMS_FACETS, expiring_soon_cutoff())
    assert browse.total == counted.total and browse.expiring_soon == counted.expiring
    read.clear()
    goods = database.search(SearchQuery(filters=SearchFilters(sector="goods"), sort="price_asc"))
    assert read  # one sector alone: the per-sector summary
    of_goods = postgres_facets.facet_counts(
        database._visible().filter(sector="goods"), TERMS_FACETS, expiring_soon_cutoff()
    )
    assert goods.total == of_goods.total > 0 and goods.expiring_soon == of_goods.expiring
    assert goods.facets == database._facets(of_goods)
    read.clear()
    database.search(SearchQuery(filters=SearchFilters(sector="goods", price_min=100_000)))
    database.search(SearchQuery(filters=SearchFilters(region="11")))
    database.search(SearchQuery(text="조명", filters=SearchFilters(sector="goods")))
    database.search(SearchQuery(text="조명"))
    assert not read
