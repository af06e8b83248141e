"""Which full-text translation of a query plan the database backend uses, per database vendor.

``text_search_for(connection.vendor)`` returns an object with the plan's ``condition`` (which rows match)
and ``score`` (the shared integer relevance of ``search.backends.relevance``), plus the hooks the backend
needs around them: a region filter, the suggest condition and the typo-correction vocabulary. SQLite uses
its FTS5 index (``search.backends.fulltext.sqlite``); any other vendor the portable ``LIKE`` translation
(``search.backends.sql``), which stays the reference the others must agree with.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Expression, Q, QuerySet

from search import vocabulary as vocabularies
from search.analysis import analyze_query
from search.backends import sql
from search.plan import QueryPlan


class LikeTextSearch:
    """``LIKE '% term %'`` over the space-padded morpheme columns: works on every database, scans."""

    def condition(self, plan: QueryPlan) -> Q | None:
        return sql.condition(plan)

    def score(self, plan: QueryPlan) -> Expression:
        return sql.score(plan)

    def region(self, code: str) -> Q:
        """Rows delivering to a region (``regions`` holds the codes padded by spaces)."""
        return Q(regions__contains=f" {code} ")

    def suggest_condition(self, prefix: str) -> Q:
        """Rows whose name starts with ``prefix`` (already whitespace-normalised), or one of whose name
        morphemes does; ``공기청`` also finds ``공기 청정기`` (all but the last morpheme whole)."""
        lowered = prefix.lower()
        match = Q(name__istartswith=prefix) | Q(name_morph__contains=f" {lowered}")
        analysis = analyze_query(prefix)
        if len(analysis.terms) > 1:
            complete = Q()
            for term in analysis.terms[:-1]:
                complete &= Q(name_morph__contains=f" {term} ")
            match |= complete & Q(name_morph__contains=f" {analysis.terms[-1]}")
        return match

    def vocabulary_words(self, visible: QuerySet) -> Iterable[tuple[str, int]]:
        """(word, number of products) over the names and the name and specification morphemes."""
        rows = visible.values_list("name", "name_morph", "spec_morph")
        return vocabularies.count_words(vocabularies.words_of(*row) for row in rows.iterator(chunk_size=2000))


TextSearch = LikeTextSearch


def text_search_for(vendor: str) -> TextSearch:
    """The translation for a database vendor (``connection.vendor``)."""
    if vendor == "sqlite":
        from search.backends.fulltext.sqlite import SqliteTextSearch

        return SqliteTextSearch()
    return LikeTextSearch()
