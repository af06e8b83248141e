"""The relevance page of a text every row holds, on PostgreSQL (``search.backends.fulltext.
postgres_partition``, migration ``0015_postgres_field_bonus_index``): the rows holding a universal term
outside their description scored whole, merged with the constant-score rest read in index order, give the
same rows in the same order as scoring every row, for every sort, offset page and cursor walk."""

import pytest
from django.db import connection

from search.backends.base import SearchFilters, SearchQuery, SortOrder
from search.backends.fulltext import postgres_partition
from search.backends.fulltext.postgres import PostgresTextSearch, universal_terms
from search.models import SearchEntry
from search.plan import build_plan
from tests.search.conftest import generated_database

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's field-bonus index (migration 0015)")


def _universal(database) -> list[str]:
    """The programme's words every generated product holds (상생, 협력, 제품), as analysed queries."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT lexeme FROM search_universal_term ORDER BY lexeme")
        listed = [row[0] for row in cursor.fetchall()]
    terms = [
        term
        for term in listed
        if term.isalnum() and not term.isascii() and universal_terms(build_plan(term, database.vocabulary))
    ]
    assert len(terms) >= 2, "the generated catalog has words in every product (상생, 협력, 제품)"
    return terms


def _add(entry: SearchEntry, term: str, field: str) -> None:
    SearchEntry.objects.filter(pk=entry.pk).update(
        **{field: getattr(entry, field) + f"{term} "}, all_morph=entry.all_morph + f"{term} "
    )


@pytest.fixture
def catalog(settings):
    """The generated catalog with a universal term moved out of the description of a few rows: in the
    name, the specification, the company (beside the description) and only in the company, so the rows
    scored whole score above, just above and below the rest."""
    database = generated_database(settings, size=240, seed=47)
    first, second = _universal(database)[:2]
    rows = list(SearchEntry.objects.order_by("listing_id")[10:200:19])
    _add(rows[0], first, "name_morph")
    _add(rows[1], first, "spec_morph")
    _add(rows[2], first, "company_morph")
    _add(rows[3], second, "name_morph")
    _add(rows[4], first, "name_morph")
    _add(rows[4], second, "company_morph")
    only_company = rows[5]
    body = only_company.body_morph.replace(f" {first} ", " ")
    SearchEntry.objects.filter(pk=only_company.pk).update(
        body_morph=body, company_morph=only_company.company_morph + f"{first} "
    )
    moved = {row.listing_id for row in rows[:6]}
    assert {first, second} <= universal_terms(build_plan(f"{first} {second}", database.vocabulary))
    return database, first, second, moved


def _page(database, query: SearchQuery) -> list[tuple[int, float | None]]:
    return [(hit.id, hit.score) for hit in database.search(query).hits]


def _walk(database, query: SearchQuery) -> list[tuple[int, float | None]]:
    """Every row, page after page by cursor."""
    seen, result = [], database.search(query)
    while True:
        seen += [(hit.id, hit.score) for hit in result.hits]
        if result.next_cursor is None:
            return seen
        result = database.search(SearchQuery(**{**query.__dict__, "search_after": result.next_cursor}))


def _every_page(database, text: str) -> list:
    pages = []
    for sort in SortOrder.CHOICES:
        for filters in (SearchFilters(), SearchFilters(sector="goods")):
            for page, size in ((1, 20), (3, 7), (30, 7), (5, 50)):
                pages.append(_page(database, SearchQuery(text, filters, sort, page=page, page_size=size)))
            pages.append(_walk(database, SearchQuery(text, filters, sort, page_size=9)))
    return pages


def test_the_split_page_orders_every_row_as_scoring_every_row_does(catalog, monkeypatch):
    database, first, second, _moved = catalog
    texts = (
        first,
        f"{first} {second}",
        f"{first}{second}을 찾습니다",
        f"{first} 조명",
        f"{second} 없는낱말",
        "상생협력제품을 찾습니다",  # the bench's texts
        "제품",
    )
    assert database.text.score_partition(build_plan(first, database.vocabulary)) is not None
    split = {text: _every_page(database, text) for text in texts}
    monkeypatch.setattr(PostgresTextSearch, "score_partition", lambda self, plan: None)
    for text in texts:
        assert split[text] == _every_page(database, text), text


def test_the_scored_side_is_the_rows_with_a_term_outside_the_description(catalog):
    """The test above exercises both sides: scores above, just above and below the rest's constant."""
    database, first, _second, moved = catalog
    plan = build_plan(first, database.vocabulary)
    scored, rest, constant = database.text.score_partition(plan)
    visible = database._visible()
    scored_ids = set(visible.filter(scored).values_list("listing_id", flat=True))
    # the rows given the first term outside the description (and any generated so), not the row given
    # the second term only
    assert moved - {sorted(moved)[3]} <= scored_ids and sorted(moved)[3] not in scored_ids
    assert visible.filter(rest).count() == visible.count() - len(scored_ids)
    scores = dict(_walk(database, SearchQuery(first, page_size=50)))
    assert {scores[i] for i in scored_ids} > {constant + 16, constant + 6, constant + 1, constant - 1}
    assert {score for i, score in scores.items() if i not in scored_ids} == {constant}


def test_too_many_rows_to_score_whole_fall_back_to_scoring_every_row(catalog, monkeypatch):
    """A universal term outside the description of many rows (``ltd.`` in company names) would make the
    split slower than the statement it replaces: past ``MAX_SCORED`` rows the page is that statement."""
    database, first, second, moved = catalog
    plan = build_plan(first, database.vocabulary)
    monkeypatch.setattr(postgres_partition, "MAX_SCORED", len(moved) - 1)
    assert database.text.score_partition(plan) is None
    assert database.text.score_partition(build_plan(second, database.vocabulary)) is not None
    scores = [score for _id, score in _walk(database, SearchQuery(first, page_size=50))]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) > 2
