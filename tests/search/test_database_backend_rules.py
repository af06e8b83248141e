"""The database backend's own rules beside the shared plan (mutation run of ``DatabaseBackend._matched``,
``_after``, ``_ordering``, ``_cursor_values`` and ``_facets``): what a page is ordered by, what a cursor
carries and continues after, how the facets are labelled and ordered. The search table's rows are written
directly (no catalog): these rules read the table only."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.db.models import F

from search.backends.base import FacetBucket, InvalidQuery, SearchQuery, SortOrder
from search.backends.cursors import decode_cursor, encode_cursor
from search.backends.database import SORTS, DatabaseBackend
from search.backends.facets import PRICE_RANGES, label_classifications
from search.backends.relevance import FIELD_WEIGHTS, GROUP_WEIGHT
from search.backends.sql import FacetCounts
from search.models import SearchEntry
from search.plan import QueryPlan, TermGroup, build_plan

CHAIR = QueryPlan(groups=(TermGroup((("의자",),)),))
MOMENT = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)


def test_a_page_without_text_is_read_in_the_name_index_order_and_with_text_by_score_first():
    relevance = SearchQuery()
    assert DatabaseBackend._ordering(relevance, QueryPlan(match_all=True)) == ("name_length", "-listing_id")
    assert DatabaseBackend._ordering(relevance, CHAIR) == ("-score", "name_length", "-listing_id")
    # the other sorts never depend on the score: the same order with or without text
    for sort in (SortOrder.PRICE_ASC, SortOrder.PRICE_DESC, SortOrder.NEWEST):
        assert DatabaseBackend._ordering(SearchQuery(sort=sort), QueryPlan(match_all=True)) == SORTS[sort][0]
        assert DatabaseBackend._ordering(SearchQuery(sort=sort), CHAIR) == SORTS[sort][0]


def test_a_cursor_carries_the_sort_values_of_the_last_row_in_the_sorts_order():
    row = {"score": 56.0, "name_length": 9, "listing_id": 41, "unit_price": 125_000, "created_at": MOMENT}
    assert DatabaseBackend._cursor_values(SortOrder.RELEVANCE, row) == [56, 9, 41]
    assert DatabaseBackend._cursor_values(SortOrder.NEWEST, row) == ["2026-06-01T09:30:00+00:00", 41]
    assert DatabaseBackend._cursor_values(SortOrder.PRICE_ASC, row) == [125_000, 41]
    assert DatabaseBackend._cursor_values(SortOrder.PRICE_DESC, row) == [125_000, 41]
    # and of the types the next page reads back (a score of 56.0 in a cursor would be refused)
    for sort in SortOrder.CHOICES:
        values = DatabaseBackend._cursor_values(sort, row)
        assert (
            decode_cursor(encode_cursor("database", sort, values), "database", sort, SORTS[sort][1]) == values
        )


def _counts(**terms: list[FacetBucket]) -> FacetCounts:
    empty = {name: [] for name in ("sector", "classification_segment", "classification_family")}
    return FacetCounts(
        total=9,
        expiring=2,
        prices={"100k_1m": 4, "gte_100m": 5},
        regions={"51": 3, "43": 3, "26": 4, "50": 0},
        terms={"supplier_id": [], "partner_id": [], **empty, **terms},
    )


def test_the_facets_are_labelled_and_ordered_as_the_elasticsearch_backend_orders_them():
    suppliers = [FacetBucket("7", 5, "한빛전기"), FacetBucket("3", 4, "청정에어")]
    partners = [FacetBucket("2", 9, "미래가전")]
    facets = DatabaseBackend._facets(
        _counts(
            sector=[FacetBucket("goods", 6), FacetBucket("services", 2), FacetBucket("unknown", 1)],
            supplier_id=suppliers,
            partner_id=partners,
        )
    )
    assert facets["sector"] == [
        FacetBucket("goods", 6, "물품"),
        FacetBucket("services", 2, "용역"),
        FacetBucket("unknown", 1, ""),
    ]
    # regions by count, then by code (not in the choices' order, where 강원 51 comes before 충북 43); a
    # region no row is in is left out
    assert [(bucket.value, bucket.count) for bucket in facets["region"]] == [("26", 4), ("43", 3), ("51", 3)]
    assert [bucket.label for bucket in facets["region"]] == ["부산광역시", "충청북도", "강원특별자치도"]
    # every price band in its order, with its label, empty ones too
    assert facets["price"] == [
        FacetBucket(band.key, {"100k_1m": 4, "gte_100m": 5}.get(band.key, 0), band.label)
        for band in PRICE_RANGES
    ]
    assert facets["supplier"] == suppliers and facets["partner"] == partners
    assert facets["classification_segment"] == [] and facets["classification_family"] == []


@pytest.mark.django_db
def test_the_classification_facets_are_labelled_each_from_its_own_buckets():
    segments, families = [FacetBucket("39", 3)], [FacetBucket("391116", 2), FacetBucket("401615", 1)]
    facets = DatabaseBackend._facets(_counts(classification_segment=segments, classification_family=families))
    assert facets["classification_segment"] == label_classifications(segments)
    assert facets["classification_family"] == label_classifications(families)
    assert all(bucket.label for bucket in facets["classification_family"])


def entry(listing_id: int, name: str, *, price: int, created: datetime, text: str = "") -> SearchEntry:
    morph = f" {text} " if text else " "
    return SearchEntry(
        listing_id=listing_id,
        name=name,
        name_morph=morph,
        spec_morph=" ",
        body_morph=" ",
        company_morph=" ",
        all_morph=morph,
        codes=" ",
        regions=" 11 ",
        sector="goods",
        classification_code="3911160501",
        classification_segment="39",
        classification_family="391116",
        supplier_id=listing_id % 3,  # the score of the keyset test: ties on purpose
        supplier_name="공급사",
        partner_id=1,
        partner_name="협력사",
        unit_price=price,
        issued_on=date(2026, 1, 1),
        expires_on=date(2099, 1, 1),
        created_at=created,
        document={"id": listing_id},
    )


@pytest.fixture
def rows(db) -> list[SearchEntry]:
    later = MOMENT + timedelta(hours=1)
    entries = [
        entry(1, "의자", price=500, created=MOMENT),
        entry(2, "책상의자", price=100, created=later),
        entry(3, "의자", price=500, created=later),
        entry(4, "긴 책상", price=100, created=MOMENT),
        entry(5, "원목 의자", price=900, created=later),
        entry(6, "책상의자", price=500, created=MOMENT),
        entry(7, "의자", price=100, created=MOMENT),
    ]
    return SearchEntry.objects.bulk_create(entries)


def _scored() -> Any:
    return SearchEntry.objects.annotate(score=F("supplier_id"), name_length=F("listing_id") % 2 + 3)


@pytest.mark.parametrize("sort", SortOrder.CHOICES)
def test_a_cursor_page_holds_exactly_the_rows_after_the_cursors_row(rows, sort):
    backend = DatabaseBackend()
    fields, _types = SORTS[sort]
    ordered = list(_scored().order_by(*fields).values())
    assert len({tuple(row[f.lstrip("-")] for f in fields[:-1]) for row in ordered}) < len(ordered)  # ties
    for index, row in enumerate(ordered):
        cursor = encode_cursor(backend.name, sort, backend._cursor_values(sort, row))
        after = backend._after(_scored(), SearchQuery(sort=sort, search_after=cursor))
        assert [r["listing_id"] for r in after.order_by(*fields).values()] == [
            r["listing_id"] for r in ordered[index + 1 :]
        ]


def test_without_text_every_row_matches_with_no_score(rows):
    matched = DatabaseBackend()._matched(SearchEntry.objects.all(), QueryPlan(match_all=True))
    assert sorted(matched.values_list("listing_id", "score", "name_length")) == [
        (row.listing_id, 0, len(row.name)) for row in sorted(rows, key=lambda row: row.listing_id)
    ]


def test_a_text_matches_only_the_rows_it_finds_and_scores_them(db):
    SearchEntry.objects.bulk_create(
        [
            entry(1, "사무용 의자", price=1, created=MOMENT, text="사무 용 의자"),
            entry(2, "책상", price=1, created=MOMENT, text="책상"),
        ]
    )
    matched = DatabaseBackend()._matched(SearchEntry.objects.all(), build_plan("의자"))
    assert list(matched.values_list("listing_id", "name_length")) == [(1, 6)]
    # the plan's sum: the part, and the name it is in
    assert matched.get().score == GROUP_WEIGHT + FIELD_WEIGHTS["name_morph"]


@pytest.mark.parametrize("moment", ["yesterday", "2026-13-45T10:00:00", "2026-02-30T10:00:00+00:00"])
def test_a_newest_cursor_whose_time_is_no_time_is_refused(rows, moment):
    cursor = encode_cursor("database", SortOrder.NEWEST, [moment, 4])
    with pytest.raises(InvalidQuery):
        DatabaseBackend()._after(_scored(), SearchQuery(sort=SortOrder.NEWEST, search_after=cursor))


def test_a_forged_time_is_refused_in_the_words_of_any_malformed_cursor(rows):
    # the API answers the exception's text as the 400's message: a forged time reads as any forged cursor
    with pytest.raises(InvalidQuery) as garbage:
        decode_cursor("not a cursor", "database", SortOrder.NEWEST, SORTS[SortOrder.NEWEST][1])
    cursor = encode_cursor("database", SortOrder.NEWEST, ["2026-13-45T10:00:00", 4])
    with pytest.raises(InvalidQuery) as forged:
        DatabaseBackend()._after(_scored(), SearchQuery(sort=SortOrder.NEWEST, search_after=cursor))
    assert str(forged.value) == str(garbage.value) == "malformed cursor"
