"""A query plan (``search.plan``) as SQL for the database backend: a ``WHERE`` condition and a score.

Every term is matched as ``LIKE '% term %'`` on the space-padded morpheme columns (``contains`` escapes
``%`` and ``_`` and binds the value, so no user text is SQL). The score is a sum of ``CASE`` expressions
with the weights of ``search.backends.relevance``, the same sum the Elasticsearch translation computes.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import and_, or_

from django.db.models import Case, Count, Expression, IntegerField, Q, QuerySet, Value, When

from search import vocabulary as vocabularies
from search.backends.base import FacetBucket
from search.backends.facets import PRICE_RANGES, REGION_LABELS, TERMS_FACET_SIZE, PriceRange
from search.backends.relevance import CODE_WEIGHT, EXTRA_NAME_WEIGHT, EXTRA_WEIGHT, FIELD_WEIGHTS
from search.models import SearchEntry
from search.plan import QueryPlan, TermGroup


def _all(conditions: list[Q]) -> Q:
    return reduce(and_, conditions)


def _any(conditions: list[Q]) -> Q:
    return reduce(or_, conditions)


def _contains(column: str, term: str) -> Q:
    return Q(**{f"{column}__contains": f" {term} "})


def _in_field(group: TermGroup, column: str) -> Q:
    """Some alternative of the group has all its terms in this column."""
    return _any(
        [_all([_contains(column, term) for term in alternative]) for alternative in group.alternatives]
    )


def _anywhere(group: TermGroup) -> Q:
    """Some alternative in some one field (a one-term alternative: the combined column, one LIKE)."""
    conditions = []
    for alternative in group.alternatives:
        if len(alternative) == 1:
            conditions.append(_contains("all_morph", alternative[0]))
        else:
            conditions.append(_any([_all([_contains(c, t) for t in alternative]) for c in FIELD_WEIGHTS]))
    return _any(conditions)


def _codes(plan: QueryPlan) -> Q | None:
    conditions = [_contains("codes", code) for code in plan.codes]
    if plan.classification_prefix:
        conditions.append(Q(classification_code__startswith=plan.classification_prefix))
    return _any(conditions) if conditions else None


def condition(plan: QueryPlan) -> Q | None:
    """Which rows match (None: every row)."""
    if plan.match_all:
        return None
    options: list[Q] = []
    if plan.groups:
        if plan.any_group:
            options.append(_any([_anywhere(group) for group in plan.groups]))
        else:
            options.append(_all([_anywhere(group) for group in plan.required]))
    codes = _codes(plan)
    if codes is not None:
        options.append(codes)
    return _any(options) if options else Q(pk__in=[])


def _when(condition: Q, weight: int) -> Case:
    return Case(When(condition, then=Value(weight)), default=Value(0), output_field=IntegerField())


def score(plan: QueryPlan) -> Expression:
    parts: list[Expression] = []
    for group in plan.groups:
        parts.append(_when(_anywhere(group), group.weight))
        parts += [_when(_in_field(group, column), weight) for column, weight in FIELD_WEIGHTS.items()]
    for extra in plan.extras:
        parts += [
            _when(_contains("all_morph", extra), EXTRA_WEIGHT),
            _when(_contains("name_morph", extra), EXTRA_NAME_WEIGHT),
        ]
    codes = _codes(plan)
    if codes is not None:
        parts.append(_when(codes, CODE_WEIGHT))
    return reduce(lambda total, part: total + part, parts, Value(0, output_field=IntegerField()))


@dataclass
class FacetCounts:
    """What the facets count over the matched rows, before labels: the total, the expiring ones, per price
    band key, per region code, and the terms facets' buckets (``LikeTextSearch.facet_counts``)."""

    total: int
    expiring: int
    prices: dict[str, int]
    regions: dict[str, int]
    terms: dict[str, list[FacetBucket]]


def price_condition(price: PriceRange) -> Q:
    condition = Q()
    if price.low is not None:
        condition &= Q(unit_price__gte=price.low)
    if price.high is not None:
        condition &= Q(unit_price__lt=price.high)
    return condition


class LikeTextSearch:
    """The portable text search (``LIKE`` over the space-padded columns): every database, no index. The
    full-text translations (``search.backends.fulltext``) keep this shape and fall back to it where their
    engine adds nothing."""

    vendor = "any"

    def condition(self, plan: QueryPlan) -> Q | None:
        return condition(plan)

    def score(self, plan: QueryPlan) -> Expression:
        return score(plan)

    def score_partition(self, plan: QueryPlan) -> tuple[Q, Q, int] | None:
        """For a plan every row matches: (the rows to score, the others, the others' one score), so the
        relevance page is a merge (``DatabaseBackend._page_rows``); None: score the matched rows."""
        return None

    def after_rebuild(self) -> None:
        """A rebuild replaced every row and committed (nothing to do without an index of its own)."""

    def text_index_scans(self) -> AbstractContextManager[None]:
        """The statements of a search with a text condition run under it: where the engine's planner
        misjudges the text index (PostgreSQL), it is told to use it; nothing here."""
        return nullcontext()

    def summary_counts(
        self, columns: Iterable[tuple[str, str | None]], day: date, cutoff: date, sector: str | None = None
    ) -> FacetCounts | None:
        """The counts of every row visible on ``day`` (of one ``sector`` if given), from a summary kept in
        step with the table; None where the engine keeps none (then ``facet_counts`` counts the rows)."""
        return None

    def region(self, code: str) -> Q:
        """Rows delivering to a region (filter and facet)."""
        return Q(regions__contains=f" {code} ")

    def suggest_match(self, prefix: str, terms: list[str]) -> Q:
        """Names starting with what was typed, or with a morpheme starting with it; for a prefix of several
        morphemes (공기청 → 공기 + 청…) all but the last whole, the last as a prefix."""
        match = Q(name__istartswith=prefix) | Q(name_morph__contains=f" {prefix.lower()}")
        if len(terms) > 1:
            complete = _all([_contains("name_morph", term) for term in terms[:-1]])
            match |= complete & Q(name_morph__contains=f" {terms[-1]}")
        return match

    def vocabulary_words(self, queryset: QuerySet[SearchEntry]) -> Iterable[tuple[str, int]]:
        """(word, number of rows with it) over the rows' names and name and specification morphemes."""
        rows = queryset.values_list("name", "name_morph", "spec_morph")
        return vocabularies.count_words(vocabularies.words_of(*row) for row in rows.iterator(chunk_size=2000))

    def facet_counts(
        self, queryset: QuerySet[SearchEntry], columns: Iterable[tuple[str, str | None]], cutoff: date
    ) -> FacetCounts:
        """The total and every facet's counts over the matched rows; expiring: ``expires_on <= cutoff``."""
        queryset = queryset.order_by()
        counts: dict[str, Count] = {
            "total": Count("listing_id"),
            "expiring": Count("listing_id", filter=Q(expires_on__lte=cutoff)),
        }
        for price in PRICE_RANGES:
            counts[f"price_{price.key}"] = Count("listing_id", filter=price_condition(price))
        for code in REGION_LABELS:
            counts[f"region_{code}"] = Count("listing_id", filter=self.region(code))
        totals = queryset.aggregate(**counts)
        return FacetCounts(
            total=totals["total"],
            expiring=totals["expiring"],
            prices={price.key: totals[f"price_{price.key}"] for price in PRICE_RANGES},
            regions={code: totals[f"region_{code}"] for code in REGION_LABELS},
            terms=self.terms_facets(queryset, columns),
        )

    def terms_facets(
        self, queryset: QuerySet[SearchEntry], columns: Iterable[tuple[str, str | None]]
    ) -> dict[str, list[FacetBucket]]:
        """Per (column, label column): the most frequent values of the rows, most first, then by value."""
        return {column: self._terms_facet(queryset, column, label) for column, label in columns}

    @staticmethod
    def _terms_facet(queryset: QuerySet[SearchEntry], column: str, label: str | None) -> list[FacetBucket]:
        fields = [column] + ([label] if label else [])
        rows = (
            queryset.order_by()
            .values(*fields)
            .annotate(n=Count("listing_id"))
            .order_by("-n", column)[:TERMS_FACET_SIZE]
        )
        return [FacetBucket(str(row[column]), row["n"], row[label] if label else "") for row in rows]
