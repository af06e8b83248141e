"""The plan (``search.plan``) on PostgreSQL's full-text index: ``tsquery`` over ``search_vector``.

``search/migrations/0006_postgres_fulltext`` adds the generated columns this module reads (the model does
not know them, so SQLite and the write path are untouched): ``search_vector``, the Kiwi morphemes as
lexemes weighted A (name), B (specification), C (description), D (company); ``codes_array`` and
``regions_array``; each with a GIN index.

The translation is the ``LIKE`` one (``search.backends.sql``) term for term, so rows and scores are the
same and only the index changes:

* a term anywhere: the lexeme (``'제품'``); in one field: the lexeme with the field's weight (``'제품':A``);
  an alternative of several terms must match in one field: ``('a':A & 'b':A) | ('a':B & 'b':B) | …``;
* groups: ``&`` for a strict plan, ``|`` for an any-group (or relaxed) plan; one ``@@`` per condition, which
  the GIN index answers;
* the score is the same integer sum (``search.backends.relevance``): one ``CASE`` per group, with the
  group's field weights nested inside it (checked only for rows that match the group), evaluated only on
  the rows the index found. ``ts_rank_cd`` is not added to it: its fractions would
  reorder equal scores that Elasticsearch and the ``LIKE`` translation break by name length, and the
  contract is the same order on every backend.

Safety: a query string is never SQL. Each lexeme is quoted in ``tsquery`` syntax (quotes and backslashes
doubled) and the whole ``tsquery`` is a bound parameter cast with ``::tsquery``; ``to_tsquery('simple', …)``
is not used because it would re-parse the morphemes with PostgreSQL's parser (``1.5kw`` → ``1.5`` + ``kw``),
unlike the index, which holds them as the analysis wrote them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date

from django.db import connection, transaction
from django.db.models import BooleanField, Expression, IntegerField, Q, QuerySet
from django.db.models.expressions import RawSQL

from search.backends.fulltext import postgres_facets
from search.backends.relevance import CODE_WEIGHT, EXTRA_NAME_WEIGHT, EXTRA_WEIGHT, FIELD_WEIGHTS
from search.backends.sql import FacetCounts, LikeTextSearch
from search.models import SearchEntry
from search.plan import QueryPlan, TermGroup

TABLE = SearchEntry._meta.db_table
VECTOR = f'"{TABLE}"."search_vector"'
CODES = f'"{TABLE}"."codes_array"'
REGIONS = f'"{TABLE}"."regions_array"'
# the tsvector weight of each morpheme field (the migration's setweight letters)
FIELD_LETTERS: dict[str, str] = {
    "name_morph": "A",
    "spec_morph": "B",
    "body_morph": "C",
    "company_morph": "D",
}
# the migration leaves tokens of 255 characters or more out of the index (a lexeme is at most 2 KB)
MAX_LEXEME_CHARS = 254
# the vocabulary's words (``search.vocabulary.words_of``), as a PostgreSQL regular expression
_WORD_PATTERN = "[0-9A-Za-z\uac00-\ud7a3]+"
# the lexemes in every row (migration 0012) and the text condition that is true of every row
UNIVERSAL = "search_universal_term"
TRUE = "TRUE"


def lexeme(term: str, weights: str = "", prefix: bool = False) -> str | None:
    """A term as a quoted ``tsquery`` lexeme, or None when the index cannot hold it."""
    if not term or len(term) > MAX_LEXEME_CHARS or "\x00" in term:
        return None
    quoted = "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"
    label = ("*" if prefix else "") + weights
    return f"{quoted}:{label}" if label else quoted


def _either(queries: Iterable[str | None]) -> str | None:
    """OR of the queries that can match (None: none can)."""
    present = [query for query in queries if query]
    return " | ".join(f"({query})" for query in present) if present else None


def _both(queries: Iterable[str | None]) -> str | None:
    """AND of the queries (None: one of them cannot match, so neither can the whole)."""
    queries = list(queries)
    if not queries or any(query is None for query in queries):
        return None
    return " & ".join(f"({query})" for query in queries)


def _alternative(terms: tuple[str, ...], letter: str = "") -> str | None:
    return _both(lexeme(term, letter) for term in terms)


def _in_field(group: TermGroup, letter: str) -> str | None:
    """Some alternative of the group has all its terms in the field of this weight."""
    return _either(_alternative(alternative, letter) for alternative in group.alternatives)


def _anywhere(group: TermGroup) -> str | None:
    """Some alternative in some one field (a one-term alternative: any field)."""
    return _either(
        _alternative(alternative)
        if len(alternative) == 1
        else _either(_alternative(alternative, letter) for letter in FIELD_LETTERS.values())
        for alternative in group.alternatives
    )


def _matches(tsquery: str) -> Q:
    return Q(RawSQL(f"{VECTOR} @@ %s::tsquery", [tsquery], output_field=BooleanField()))


def _codes_sql(plan: QueryPlan) -> tuple[str, list] | None:
    """The identifiers matched verbatim (GIN on ``codes_array``) or the classification prefix."""
    parts, params = [], []
    codes = [code for code in plan.codes if "\x00" not in code]  # PostgreSQL text cannot hold NUL
    if codes:
        parts.append(f"{CODES} && %s::text[]")
        params.append(codes)
    if plan.classification_prefix:
        parts.append(f'"{TABLE}"."classification_code" LIKE %s')
        params.append(_like_escaped(plan.classification_prefix) + "%")
    return ("(" + " OR ".join(parts) + ")", params) if parts else None


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _text_query(plan: QueryPlan, universal: frozenset[str] = frozenset()) -> str | None:
    """The text condition, or ``TRUE`` when it holds for every row: a group with a universal term is
    true of every row, so it is left out of a strict plan and makes an any-group plan match everything."""
    if plan.any_group:
        if any(_is_universal(group, universal) for group in plan.groups):
            return TRUE
        return _either(_anywhere(group) for group in plan.groups)
    required = [group for group in plan.required if not _is_universal(group, universal)]
    if plan.required and not required:
        return TRUE
    return _both(_anywhere(group) for group in required)


def _is_universal(group: TermGroup, universal: frozenset[str]) -> bool:
    """Some one-term alternative of the group (matched in any field) is in every row."""
    return any(len(alternative) == 1 and alternative[0] in universal for alternative in group.alternatives)


def universal_terms(plan: QueryPlan) -> frozenset[str]:
    """The plan's terms that every row of the search table holds (``search_universal_term``, kept in step
    by the triggers of migration 0012: it may miss one, never lists one a row lacks)."""
    terms = {
        alternative[0]
        for group in plan.groups
        for alternative in group.alternatives
        if len(alternative) == 1 and lexeme(alternative[0]) is not None
    }
    if not terms:
        return frozenset()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT lexeme FROM {UNIVERSAL} WHERE lexeme = ANY(%s)", [sorted(terms)])
        return frozenset(row[0] for row in cursor.fetchall())


class PostgresTextSearch(LikeTextSearch):
    """``search.backends.sql``'s contract on ``tsvector``/``tsquery`` and array columns with GIN indexes."""

    vendor = "postgresql"

    def condition(self, plan: QueryPlan) -> Q | None:
        if plan.match_all:
            return None
        options: list[Q] = []
        if plan.groups:
            text = _text_query(plan, universal_terms(plan))
            if text == TRUE:
                # no condition at all: PostgreSQL then reads the total and the facets from the covering
                # index of the facet columns, as for browsing
                return Q()
            if text is not None:
                options.append(_matches(text))
        codes = _codes_sql(plan)
        if codes is not None:
            options.append(Q(RawSQL(codes[0], codes[1], output_field=BooleanField())))
        if not options:
            return Q(pk__in=[])
        condition = options[0]
        for option in options[1:]:
            condition |= option
        return condition

    def score(self, plan: QueryPlan) -> Expression:
        parts: list[str] = []
        params: list = []
        universal = universal_terms(plan)

        def when(
            tsquery: str | None, weight: int, inner: list[tuple[str | None, int]], always: bool = False
        ) -> None:
            """``weight`` when the row matches ``tsquery``, plus the ``inner`` weights it matches. Each inner
            query matches a subset of the rows ``tsquery`` matches (a field or the name of a term that
            must match somewhere), so a row that does not match it skips their checks: the same sum with
            fewer ``@@`` on a text whose parts many rows lack."""
            if tsquery is None:
                return
            nested = [(query, int(extra)) for query, extra in inner if query is not None]
            fields = "".join(
                f" + CASE WHEN {VECTOR} @@ %s::tsquery THEN {extra} ELSE 0 END" for _q, extra in nested
            )
            if always:  # every row matches the group: its weight without the test
                parts.append(f"({int(weight)}{fields})")
                params.extend(query for query, _extra in nested)
                return
            parts.append(f"CASE WHEN {VECTOR} @@ %s::tsquery THEN {int(weight)}{fields} ELSE 0 END")
            params.extend([tsquery, *(query for query, _extra in nested)])

        for group in plan.groups:
            fields = [
                (_in_field(group, FIELD_LETTERS[column]), weight) for column, weight in FIELD_WEIGHTS.items()
            ]
            when(_anywhere(group), group.weight, fields, _is_universal(group, universal))
        for extra in plan.extras:
            when(lexeme(extra), EXTRA_WEIGHT, [(lexeme(extra, "A"), EXTRA_NAME_WEIGHT)])
        codes = _codes_sql(plan)
        if codes is not None:
            parts.append(f"CASE WHEN {codes[0]} THEN {CODE_WEIGHT} ELSE 0 END")
            params += codes[1]
        return RawSQL("(" + (" + ".join(parts) or "0") + ")", params, output_field=IntegerField())

    def score_partition(self, plan: QueryPlan) -> tuple[Q, Q, int] | None:
        # imported here: the partition is built from this module's translation
        from search.backends.fulltext.postgres_partition import score_partition

        return score_partition(plan)

    def after_rebuild(self) -> None:
        """Statistics for the planner and the visibility map for index-only facet scans, at once rather
        than when autovacuum gets to the replaced rows (outside a transaction: VACUUM cannot run in one).
        First the lexemes every row holds, recounted (the triggers only ever remove some)."""
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT search_universal_term_refresh()")
            # the facet summary's counts that fell to 0 (kept by the triggers rather than deleted per write)
            cursor.execute(f"DELETE FROM {postgres_facets.SUMMARY} WHERE n = 0")
            cursor.execute(f"DELETE FROM {postgres_facets.SECTOR_SUMMARY} WHERE n = 0")
        if not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute(f'VACUUM (ANALYZE) "{TABLE}"')

    @contextmanager
    def text_index_scans(self) -> Iterator[None]:
        """No sequential scan of the search table for a text condition (``enable_seqscan`` off for these
        statements only). The planner prices a bitmap heap scan as if the matched rows were spread over
        every page; they cluster (products of a family are written together), so for broad words it
        chose a parallel scan of all ~12,000 pages: 태양광 발전설비 공사 전문 업체 read 12,471 pages in ~150 ms
        where the bitmap scan reads 1,446 in ~40 ms (``docs/benchmarks.md``, session 18). A sequential
        scan also reads through a small ring of buffers, so the table never stays in shared buffers."""
        # A savepoint inside a caller's transaction (a job, a test): an error in the search rolls back to it,
        # the setting with it, and leaves the caller's transaction usable. A request runs in autocommit,
        # where this is the transaction itself and there is no savepoint to pay for.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)"
            )
            previous = cursor.fetchone()[0]
            yield
            # back to what it was: inside a caller's transaction a local setting would outlive the search
            cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [previous])

    def region(self, code: str) -> Q:
        return Q(RawSQL(f"{REGIONS} @> ARRAY[%s]::text[]", [code], output_field=BooleanField()))

    def suggest_match(self, prefix: str, terms: list[str]) -> Q:
        # the name as typed: a trigram index serves ILIKE; a morpheme of the name: a prefix lexeme
        match = Q(RawSQL(f'"{TABLE}"."name" ILIKE %s', [_like_escaped(prefix) + "%"], BooleanField()))
        for words in (prefix.lower().split(), terms):
            if not words:
                continue
            query = _both([lexeme(word, "A") for word in words[:-1]] + [lexeme(words[-1], "A", prefix=True)])
            if query is not None:
                match |= _matches(query)
        return match

    def facet_counts(
        self, queryset: QuerySet[SearchEntry], columns: Iterable[tuple[str, str | None]], cutoff: date
    ) -> FacetCounts:
        return postgres_facets.facet_counts(queryset, columns, cutoff)

    def summary_counts(
        self, columns: Iterable[tuple[str, str | None]], day: date, cutoff: date, sector: str | None = None
    ) -> FacetCounts | None:
        return postgres_facets.summary_counts(columns, day, cutoff, sector)

    def vocabulary_words(self, queryset: QuerySet[SearchEntry]) -> Iterable[tuple[str, int]]:
        """Counted by PostgreSQL: the words each visible row has once, then the rows per word, so a
        process loading the vocabulary reads ~one row per distinct word instead of every product."""
        rows_sql, rows_params = queryset.order_by().values("listing_id").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"""SELECT word, count(*) FROM "{TABLE}" AS entry
                    CROSS JOIN LATERAL (
                        SELECT DISTINCT lower(found[1]) AS word
                        FROM regexp_matches(
                            entry.name || ' ' || entry.name_morph || ' ' || entry.spec_morph, %s, 'g'
                        ) AS found
                    ) AS words
                    WHERE entry.listing_id IN ({rows_sql})
                    GROUP BY word""",
                [_WORD_PATTERN, *rows_params],
            )
            return cursor.fetchall()
