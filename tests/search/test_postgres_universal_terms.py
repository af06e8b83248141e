"""The lexemes every search row holds (migration ``0012_postgres_universal_terms``) on PostgreSQL: the
table never lists a lexeme some row lacks, whatever is written; a rebuild recounts it; a text of such
terms has no text condition (its facets come from the covering index) and the same rows, scores, totals
and facets as the ``LIKE`` translation."""

import pytest
from django.db import connection, transaction

from search.backends import get_backend
from search.backends.base import SearchQuery
from search.backends.database import entry_from_document
from search.backends.fulltext import postgres_facets
from search.backends.fulltext.postgres import PostgresTextSearch, universal_terms
from search.backends.sql import LikeTextSearch
from search.models import SearchEntry
from search.plan import build_plan
from tests.search.conftest import generated_database

pytestmark = pytest.mark.django_db
TABLE = SearchEntry._meta.db_table


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's universal-term table (migration 0012)")


@pytest.fixture
def database(settings):
    return generated_database(settings, size=200, seed=31)


def listed() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT lexeme FROM search_universal_term")
        return {row[0] for row in cursor.fetchall()}


def recounted() -> set[str]:
    """The lexemes in every row, counted afresh."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT word FROM ts_stat('SELECT search_vector FROM {TABLE}') "
            f"WHERE ndoc = (SELECT count(*) FROM {TABLE})"
        )
        return {row[0] for row in cursor.fetchall()}


def a_universal_term() -> str:
    """A listed Hangul word that a query analyses to itself (상생, 협력, 제품 in the generated catalog)."""
    terms = [term for term in sorted(listed()) if term.isalnum() and not term.isascii()]
    vocabulary = get_backend("database").vocabulary
    terms = [term for term in terms if term in universal_terms(build_plan(term, vocabulary))]
    assert terms, "the generated catalog has words in every product (상생, 협력, 제품)"
    return terms[0]


def test_a_rebuild_lists_exactly_the_lexemes_every_row_holds(database):
    assert listed() == recounted() != set()


def test_an_insert_lacking_a_listed_lexeme_removes_it_in_its_transaction(database):
    term = a_universal_term()
    document = dict(SearchEntry.objects.order_by("listing_id").first().document)
    document |= {"id": 10**9, "name_morph": "외톨이", "spec_morph": "", "body_morph": "", "company_morph": ""}
    with transaction.atomic():
        entry_from_document(document).save()
        assert term not in listed()
        assert listed() <= recounted()
    assert term not in listed() and listed() == recounted()


def test_updates_and_deletes_keep_the_table_a_subset_and_a_refresh_recounts(database):
    term = a_universal_term()
    first = SearchEntry.objects.order_by("listing_id").first()
    SearchEntry.objects.filter(pk=first.pk).update(
        name_morph=" 다른 ", spec_morph=" ", body_morph=" ", all_morph=" 다른 회사 "
    )
    SearchEntry.objects.filter(pk=first.pk).update(company_morph=" 회사 ")
    assert term not in listed() and listed() <= recounted()
    SearchEntry.objects.filter(pk=first.pk).delete()  # every row left holds the term again
    assert listed() <= recounted() and term in recounted()
    PostgresTextSearch().after_rebuild()
    assert listed() == recounted() and term in listed()


def facet_plan(database, text: str) -> str:
    matched = database._matched(database._visible(), build_plan(text, database.vocabulary))
    cutoff = database._visible().first().expires_on
    inner, grouped, inner_params, grouped_params, _width = postgres_facets._statement(
        matched, [("sector", None)], cutoff
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {TABLE}")
        cursor.execute(f"EXPLAIN WITH matched AS ({inner}) {grouped}", [*inner_params, *grouped_params])
        return "\n".join(row[0] for row in cursor.fetchall())


def test_a_universal_text_has_no_text_condition_in_its_page_or_facets(database):
    """Without the text test the facets need only the facet columns (at 100,000 rows: an index-only scan
    of the covering index, as for browsing); a text some rows lack keeps its test (the check can fail)."""
    term = a_universal_term()
    plan = build_plan(term, database.vocabulary)
    assert universal_terms(plan)
    matched = database._matched(database._visible(), plan)
    assert "@@" not in str(matched.values("listing_id").query)
    assert "@@" not in facet_plan(database, term)
    assert "search_vector @@" in facet_plan(database, "조명")


def test_a_universal_text_finds_what_like_finds_before_and_after_a_row_without_it(database, monkeypatch):
    term = a_universal_term()

    def both(text: str) -> None:
        query = SearchQuery(text=text, page_size=50)
        fulltext = database.search(query)
        with monkeypatch.context() as patched:
            patched.setattr(type(database), "text", property(lambda self: LikeTextSearch()))
            like = database.search(query)
        assert fulltext.total == like.total > 0, text
        assert [(h.id, h.score) for h in fulltext.hits] == [(h.id, h.score) for h in like.hits], text
        assert fulltext.facets == like.facets and fulltext.expiring_soon == like.expiring_soon, text

    for text in (term, f"{term} 조명", f"{term} 없는낱말"):
        both(text)
    first = SearchEntry.objects.order_by("listing_id").first()
    SearchEntry.objects.filter(pk=first.pk).update(
        name_morph=" 다른 ", spec_morph=" ", body_morph=" ", all_morph=" 다른 회사 "
    )
    SearchEntry.objects.filter(pk=first.pk).update(company_morph=" 회사 ")
    assert term not in universal_terms(build_plan(term, database.vocabulary))
    for text in (term, f"{term} 조명"):
        both(text)
