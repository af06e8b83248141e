"""A query plan on SQLite's FTS5 index: the embedded default's inverted index.

Migration ``search/0006_sqlite_fts5`` creates two FTS5 tables kept in step with ``search_searchentry`` by
triggers, so every write (the outbox worker, a rebuild's bulk insert, a delete) updates them in the same
transaction, and a rollback undoes both:

* ``search_fts`` (external content: it stores only the index, the text stays in the search table) over
  the name, the four morpheme columns, the codes and the regions. Its tokenizer splits on spaces exactly
  like the padded morpheme text (``unicode61`` with every ASCII punctuation mark a token character, so
  ``3.5``, ``1/2``, ``123-45-67890`` stay one token; diacritics kept);
* ``search_fts_words`` (contentless) over the name as written plus the name and specification morphemes,
  split like ``search.vocabulary.words_of``; its ``fts5vocab`` view lists each word with the number of
  products having it: the typo-correction vocabulary without reading every row.

The plan's condition becomes one ``MATCH`` expression bound as a parameter (every term a double-quoted
phrase with its quotes doubled, so nothing a user types is FTS5 syntax). The score stays the shared
integer sum of ``search.backends.sql``, evaluated only on the rows the index found, so the order is the
one Elasticsearch and the ``LIKE`` translation compute.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Expression, Q, QuerySet
from django.db.models.expressions import RawSQL

from search.backends import sql
from search.backends.relevance import FIELD_WEIGHTS
from search.backends.sql import LikeTextSearch
from search.plan import QueryPlan, TermGroup

FTS_TABLE = "search_fts"
WORDS_TABLE = "search_fts_words"
WORDS_VOCAB_TABLE = "search_fts_words_vocab"
MORPH_COLUMNS = tuple(FIELD_WEIGHTS)  # name_morph, spec_morph, body_morph, company_morph
_ANY_MORPH = "{" + " ".join(MORPH_COLUMNS) + "}"

_checked = False


class FullTextUnavailable(RuntimeError):
    pass


def require_fts5() -> None:
    """Fail loudly, once per process, when this SQLite lacks FTS5 (every Python build we know has it)."""
    global _checked
    if _checked:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_compileoption_used('ENABLE_FTS5')")
        if not cursor.fetchone()[0]:
            raise FullTextUnavailable(
                "이 SQLite에는 FTS5 전문 검색이 없습니다 (This SQLite build lacks FTS5 full-text search, "
                "which the database search backend needs: use a Python whose sqlite3 has it, or PostgreSQL)."
            )
    _checked = True


def phrase(term: str) -> str:
    """A term as an FTS5 string: double-quoted, its quotes doubled, so it is never an operator."""
    return '"' + term.replace('"', '""') + '"'


def _alternative(terms: tuple[str, ...]) -> str:
    """All terms of an alternative in one morpheme field (as ``sql._anywhere``)."""
    if len(terms) == 1:
        return f"{_ANY_MORPH}: {phrase(terms[0])}"
    together = " AND ".join(phrase(term) for term in terms)
    return " OR ".join(f"({column}: ({together}))" for column in MORPH_COLUMNS)


def _group(group: TermGroup) -> str:
    return "(" + " OR ".join(f"({_alternative(terms)})" for terms in group.alternatives) + ")"


def match_expression(plan: QueryPlan) -> str | None:
    """The FTS5 query for the plan's text and verbatim codes, or None when only a classification prefix
    (or nothing) can match."""
    options: list[str] = []
    if plan.groups:
        groups = plan.groups if plan.any_group else plan.required
        options.append("(" + (" OR " if plan.any_group else " AND ").join(_group(g) for g in groups) + ")")
    options += [f"(codes: {phrase(code)})" for code in plan.codes]
    return " OR ".join(options) if options else None


def matching(expression: str) -> Q:
    """Rows the FTS5 expression matches: a rowid lookup through the index, never a scan of the table."""
    return Q(listing_id__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [expression]))


def _classification(prefix: str) -> Q:
    """``classification_code`` starting with an 8-digit prefix as a range the column's index can serve
    (``LIKE 'x%'`` cannot on SQLite, and OR-ed with the text match would force a scan)."""
    following = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return Q(classification_code__gte=prefix, classification_code__lt=following)


class SqliteTextSearch(LikeTextSearch):
    """FTS5 ``MATCH`` for the condition; the shared score on the matched rows."""

    def __init__(self) -> None:
        require_fts5()

    def condition(self, plan: QueryPlan) -> Q | None:
        if plan.match_all:
            return None
        options: list[Q] = []
        expression = match_expression(plan)
        if expression is not None:
            options.append(matching(expression))
        if plan.classification_prefix:
            options.append(_classification(plan.classification_prefix))
        if not options:
            return Q(pk__in=[])
        condition = options[0]
        for option in options[1:]:
            condition |= option
        return condition

    def score(self, plan: QueryPlan) -> Expression:
        return sql.score(plan)

    def region(self, code: str) -> Q:
        return matching(f"regions: {phrase(code)}")

    def suggest_match(self, prefix: str, terms: list[str]) -> Q:
        """The name starting with the prefix (its first tokens), or name morphemes that do; the same rows
        as ``LikeTextSearch.suggest_match`` found by the index."""
        words = prefix.lower().split()
        options = [f"(name: ^{phrase(' '.join(words))}*)", f"(name_morph: {phrase(' '.join(words))}*)"]
        if len(terms) > 1:
            complete = " AND ".join(phrase(term) for term in terms[:-1])
            options.append(f"(name_morph: ({complete} AND {phrase(terms[-1])}*))")
        return matching(" OR ".join(options))

    def vocabulary_words(self, visible: QuerySet) -> Iterable[tuple[str, int]]:
        """Every word with its number of products, from the index's own term list (``fts5vocab``)."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT term, doc FROM {WORDS_VOCAB_TABLE}")
            return cursor.fetchall()
