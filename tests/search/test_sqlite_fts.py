"""The database backend on SQLite's FTS5 index (search.backends.fulltext.sqlite): the index stays equal to
the search table through every write path, user text is never FTS5 syntax, and a text query is answered
through the index, not by scanning the search table."""

import pytest
from django.db import connection, transaction

from search import sync
from search.analysis import analyze_query
from search.backends.fulltext import text_search_for
from search.backends.fulltext.sqlite import FTS_TABLE, WORDS_VOCAB_TABLE, SqliteTextSearch, match_expression
from search.backends.sql import LikeTextSearch
from search.models import SearchEntry
from search.plan import build_plan
from tests.search.conftest import HOSTILE_INPUTS, ids, run, sync_now

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index exists on SQLite only"),
]

COLUMNS = ("name", "name_morph", "spec_morph", "body_morph", "company_morph", "codes", "regions")

# what users type that FTS5 would read as syntax if it were not quoted
FTS_SYNTAX = [
    '"',
    '""',
    'LED"',
    '"*^():-+',
    "*",
    "^LED",
    "LED*",
    "-LED",
    "+LED",
    "name_morph: LED",
    "{codes}: x",
    "LED AND",
    "AND",
    "OR",
    "NOT LED",
    "LED NOT 조명",
    "NEAR(LED 조명)",
    "NEAR",
    "LED OR 가로등",
    "!!!",
    "※※",
    "...",
    "·",
    "(",
    ")",
    ":",
    "가" * 300,
    "LED " * 200,
    "공기청정기 " * 100 + '"',
]


@pytest.fixture
def db_backend(settings):
    from search.backends import get_backend

    settings.SEARCH_BACKEND = "database"
    settings.SEARCH_FALLBACK_TO_DATABASE = False
    settings.SEARCH_SYNC_ON_COMMIT = False
    return get_backend()


@pytest.fixture
def indexed(db_backend, catalog):
    sync_now(db_backend)
    return catalog


def _fts_rows(*terms: str, column: str = "name_morph") -> set[int]:
    """Rows the index finds for each term in a column: what the index holds, read through the index."""
    with connection.cursor() as cursor:
        found: set[int] = set()
        for term in terms:
            expression = f'{column}: "{term}"'
            cursor.execute(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?", [expression])
            found |= {row[0] for row in cursor.fetchall()}
    return found


def assert_index_equals_table() -> None:
    """FTS5's own consistency check against its content table, plus the row counts of both indexes."""
    with connection.cursor() as cursor:
        # raises "database disk image is malformed" (SQLITE_CORRUPT_VTAB) when index and table differ
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 1)")
        cursor.execute(f"SELECT count(*) FROM {FTS_TABLE}_docsize")
        indexed = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM search_fts_words_docsize")
        words = cursor.fetchone()[0]
    assert indexed == words == SearchEntry.objects.count()


def _words() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT term, doc FROM {WORDS_VOCAB_TABLE}")
        return dict(cursor.fetchall())


def test_dispatch_by_vendor():
    assert isinstance(text_search_for("sqlite"), SqliteTextSearch)
    assert type(text_search_for("mysql")) is LikeTextSearch


def test_index_follows_writes_deletes_and_rebuilds(db_backend, indexed):
    assert_index_equals_table()
    assert _fts_rows("가로등") == {indexed.street.pk}
    db_backend.delete([indexed.street.pk])
    assert_index_equals_table()
    assert _fts_rows("가로등") == set()
    db_backend.index([indexed.street.pk])
    assert_index_equals_table()
    assert _fts_rows("가로등") == {indexed.street.pk}
    SearchEntry.objects.filter(pk=indexed.street.pk).update(
        name="보안등", name_morph=" 보안등 "
    )  # the update trigger
    assert_index_equals_table()
    assert _fts_rows("가로등") == set() and _fts_rows("보안등") == {indexed.street.pk}
    stats = sync.rebuild(db_backend)
    assert stats.indexed == 5
    assert_index_equals_table()
    assert _fts_rows("가로등") == {indexed.street.pk} and _fts_rows("보안등") == set()


def test_a_rolled_back_write_leaves_the_index_as_it_was(db_backend, indexed):
    words_before = _words()
    with pytest.raises(RuntimeError), transaction.atomic():
        db_backend.delete([indexed.street.pk, indexed.panel.pk])
        assert _fts_rows("가로등") == set()
        raise RuntimeError("boom")
    assert_index_equals_table()
    assert _fts_rows("가로등") == {indexed.street.pk}
    assert _words() == words_before


def test_vocabulary_counts_products_per_word(db_backend, indexed):
    words = _words()
    # the name as written (공기청정기) and its morphemes, once per product however often they occur
    assert words["공기청정기"] == 1
    assert words["led"] == 2
    assert words["purifier"] == 1
    assert db_backend.vocabulary().correct("purifer") == "purifier"


def test_tokens_are_the_space_separated_morphemes(db_backend, indexed):
    # punctuation inside a morpheme (3.5, 1/2, a code with dashes) is part of the token, as with LIKE
    SearchEntry.objects.filter(pk=indexed.panel.pk).update(name_morph=" 3.5 w 1/2 조명 ", codes=" ks-c-7651 ")
    assert _fts_rows("3.5") == _fts_rows("1/2") == {indexed.panel.pk}
    assert _fts_rows("ks-c-7651", column="codes") == {indexed.panel.pk}
    assert _fts_rows("3") == _fts_rows("5") == _fts_rows("ks", column="codes") == set()


@pytest.mark.parametrize("text", FTS_SYNTAX + HOSTILE_INPUTS)
def test_user_text_is_never_fts_syntax(db_backend, indexed, text):
    result = run(db_backend, text)
    assert result.total >= 0
    db_backend.suggest(text)
    db_backend.suggest(text[:3])


def test_keywords_and_quotes_are_plain_words(db_backend, indexed):
    # FTS5 operators typed by a user are words: "LED AND" finds what "LED" does, never a syntax error
    assert ids(run(db_backend, "LED AND")) == ids(run(db_backend, "LED"))
    assert ids(run(db_backend, 'LED"')) == ids(run(db_backend, "LED"))
    assert run(db_backend, "NEAR").total == 0


def test_match_expression_quotes_every_term():
    plan = build_plan('a"b 조명')
    expression = match_expression(plan)
    assert '"a""b"' in expression or '"a"' in expression
    assert all(part.count('"') % 2 == 0 for part in expression.split(" OR "))


def _plan_of(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(row[-1] for row in cursor.fetchall())


@pytest.mark.parametrize("text", ["LED 가로등", "공기청정기", "조명 및 가로등", "43211503"])
def test_text_queries_use_the_index(db_backend, indexed, text):
    plan = build_plan(text)
    matched = db_backend._matched(db_backend._visible(), plan).order_by("-score", "name_length")
    explained = _plan_of(matched)
    assert "VIRTUAL TABLE INDEX" in explained and FTS_TABLE in explained, explained
    # the search table is read by rowid (or the classification index), never scanned for the text
    assert "SCAN search_searchentry" not in explained, explained


def test_region_filter_uses_the_index(db_backend, indexed):
    from search.backends.base import SearchFilters

    filtered = db_backend._filtered(db_backend._visible(), SearchFilters(region="41"))
    assert "SCAN search_searchentry" not in _plan_of(filtered)
    assert sorted(ids(run(db_backend, region="41"))) == sorted([indexed.panel.pk, indexed.interior.pk])


@pytest.mark.parametrize(
    "prefix", ["공기", "공기청", "청정", "가정용 공", "led", "LED 가", "고효", "h", "ap-3", "냉장"]
)
def test_suggest_finds_what_like_finds_through_the_index(db_backend, indexed, prefix):
    terms = list(analyze_query(prefix).terms)
    fts = SearchEntry.objects.filter(text_search_for("sqlite").suggest_match(prefix, terms))
    like = SearchEntry.objects.filter(LikeTextSearch().suggest_match(prefix, terms))
    assert set(fts.values_list("pk", flat=True)) == set(like.values_list("pk", flat=True))
    assert "SCAN search_searchentry" not in _plan_of(fts)
