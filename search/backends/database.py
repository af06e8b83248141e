"""The embedded default backend: a search table in the application database (SQLite or PostgreSQL).

Documents land in ``SearchEntry`` with their morpheme text padded by spaces. Each database translates the
shared query plan with its own full-text index (``search.backends.fulltext``: FTS5 on SQLite); the portable
``LIKE '% term %'`` translation (``search.backends.sql``) is the fallback and the reference. The score is
the same integer sum everywhere, so orders agree with Elasticsearch.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import replace
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Length
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from catalog.visibility import expiring_soon_cutoff, validity_q
from search import store
from search import vocabulary as vocabularies
from search.analysis import analyze_query
from search.backends.base import (
    ApplyStats,
    DocumentSource,
    FacetBucket,
    InvalidQuery,
    ProgressCallback,
    RebuildStats,
    SearchBackend,
    SearchFilters,
    SearchQuery,
    SearchResult,
    SortOrder,
)
from search.backends.cursors import decode_cursor, encode_cursor
from search.backends.facets import (
    PRICE_RANGES,
    REGION_LABELS,
    SECTOR_LABELS,
    label_classifications,
)
from search.backends.fulltext import text_search_for
from search.backends.hits import add_highlights, hit_from_document
from search.backends.planned import planned_search
from search.backends.sql import FacetCounts, LikeTextSearch
from search.documents import MORPH_SOURCES, listed_count
from search.hangul import as_chosung_query
from search.models import SearchEntry
from search.plan import QueryPlan

# the terms facets: (column, its label column)
TERMS_FACETS: tuple[tuple[str, str | None], ...] = (
    ("sector", None),
    ("classification_segment", None),
    ("classification_family", None),
    ("supplier_id", "supplier_name"),
    ("partner_id", "partner_name"),
)

# per sort: (fields in order, their cursor value types); every order ends on the primary key so it is total.
# Equal scores go to the shorter name (the query covers more of it), as in the Elasticsearch backend.
SORTS: dict[str, tuple[tuple[str, ...], tuple[type, ...]]] = {
    SortOrder.RELEVANCE: (("-score", "name_length", "-listing_id"), (int, int, int)),
    SortOrder.PRICE_ASC: (("unit_price", "listing_id"), (int, int)),
    SortOrder.PRICE_DESC: (("-unit_price", "-listing_id"), (int, int)),
    SortOrder.NEWEST: (("-created_at", "-listing_id"), (str, int)),
}


def _padded(words: Iterable[str]) -> str:
    return " " + " ".join(words) + " "


def entry_from_document(document: dict[str, Any]) -> SearchEntry:
    morph = {name: document[name] for name in MORPH_SOURCES}
    return SearchEntry(
        listing_id=document["id"],
        name=document["name"][:200],
        **{name: _padded(text.split()) for name, text in morph.items()},
        all_morph=_padded(" ".join(morph.values()).split()),
        codes=_padded(code.lower() for code in document["codes"]),
        name_chosung=document.get("name_chosung", ""),
        regions=_padded(document["regions"]),
        sector=document["sector"],
        classification_code=document["classification_code"],
        classification_segment=document["classification_segment"],
        classification_family=document["classification_family"],
        supplier_id=document["supplier_id"],
        supplier_name=document["supplier_name"][:200],
        partner_id=document["partner_id"],
        partner_name=document["partner_name"][:200],
        unit_price=document["unit_price"],
        issued_on=document["issued_on"],
        expires_on=document["expires_on"],
        created_at=parse_datetime(document["created_at"]),
        document=document,
    )


class DatabaseBackend(SearchBackend):
    """Searches ``SearchEntry`` with SQL: the embedded default, no server needed."""

    name = "database"
    documents = store

    def health(self) -> dict:
        return {"ok": True, "backend": self.name, "vendor": connection.vendor}

    # ------------------------------------------------------------------------------ writes
    def write(self, documents: list[dict[str, Any]]) -> ApplyStats:
        if not documents:
            return ApplyStats()
        entries = [entry_from_document(document) for document in documents]
        with transaction.atomic():
            # delete + insert rather than upsert: portable, and the caller holds the listing's sync lock
            SearchEntry.objects.filter(listing_id__in=[e.listing_id for e in entries]).delete()
            SearchEntry.objects.bulk_create(entries, batch_size=500)
        vocabularies.changed()
        return ApplyStats(indexed=len(entries))

    def delete(self, listing_ids: Iterable[int]) -> ApplyStats:
        ids = list(listing_ids)
        deleted, _ = SearchEntry.objects.filter(listing_id__in=ids).delete()
        vocabularies.changed()
        return ApplyStats(deleted=deleted)

    def rebuild(
        self, progress: ProgressCallback | None = None, documents: Iterable[DocumentSource] | None = None
    ) -> RebuildStats:
        """Refill the table in one transaction: readers see the old rows until it commits (PostgreSQL
        MVCC, SQLite WAL), which is this backend's equivalent of an alias swap."""
        documents = self.documents.iter_all() if documents is None else documents
        started = time.monotonic()
        indexed = 0
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # keeps the outbox worker from writing rows in between; readers are not blocked
                with connection.cursor() as cursor:
                    cursor.execute(f"LOCK TABLE {SearchEntry._meta.db_table} IN EXCLUSIVE MODE")
            SearchEntry.objects.all().delete()
            batch: list[SearchEntry] = []
            for _listing_id, body in documents:
                batch.append(entry_from_document(json.loads(body)))
                if len(batch) >= 500:
                    SearchEntry.objects.bulk_create(batch)
                    indexed += len(batch)
                    if progress:
                        progress(len(batch))
                    batch = []
            if batch:
                SearchEntry.objects.bulk_create(batch)
                indexed += len(batch)
                if progress:
                    progress(len(batch))
        self.text.after_rebuild()
        vocabularies.changed()
        return RebuildStats(
            indexed=indexed, errors=0, seconds=time.monotonic() - started, index=SearchEntry._meta.db_table
        )

    def count(self) -> int:
        return SearchEntry.objects.count()

    def iter_ids(self) -> Iterator[int]:
        return SearchEntry.objects.order_by("listing_id").values_list("listing_id", flat=True).iterator(5000)

    def ensure(self) -> bool:
        if SearchEntry.objects.exists() or not listed_count():
            return False
        self.rebuild()
        return True

    def status(self) -> dict[str, Any]:
        return {"backend": self.name, "table": SearchEntry._meta.db_table, "count": self.count()}

    # ------------------------------------------------------------------------------ reads
    def _visible(self) -> QuerySet[SearchEntry]:
        return SearchEntry.objects.filter(validity_q(timezone.localdate()))

    def _filtered(self, queryset: QuerySet[SearchEntry], filters: SearchFilters) -> QuerySet[SearchEntry]:
        if filters.sector:
            queryset = queryset.filter(sector=filters.sector)
        if filters.classification:
            queryset = queryset.filter(classification_code__startswith=filters.classification)
        if filters.region:
            queryset = queryset.filter(self.text.region(filters.region))
        if filters.supplier_id is not None:
            queryset = queryset.filter(supplier_id=filters.supplier_id)
        if filters.partner_id is not None:
            queryset = queryset.filter(partner_id=filters.partner_id)
        if filters.price_min is not None:
            queryset = queryset.filter(unit_price__gte=filters.price_min)
        if filters.price_max is not None:
            queryset = queryset.filter(unit_price__lte=filters.price_max)
        if filters.expiring_soon is True:
            queryset = queryset.filter(expires_on__lte=expiring_soon_cutoff())
        elif filters.expiring_soon is False:
            queryset = queryset.filter(expires_on__gt=expiring_soon_cutoff())
        return queryset

    def vocabulary_key(self) -> str:
        return f"{self.name}:{connection.alias}:{connection.settings_dict['NAME']}"

    def vocabulary_words(self) -> Iterable[tuple[str, int]]:
        return self.text.vocabulary_words(self._visible())

    @property
    def text(self) -> LikeTextSearch:
        """The text search of this database's engine (``search.backends.fulltext``)."""
        return text_search_for(connection.vendor)

    def _matched(self, queryset: QuerySet[SearchEntry], plan: QueryPlan) -> QuerySet[SearchEntry]:
        """The rows the plan matches, scored (``search.backends.fulltext``)."""
        text = self.text
        condition = text.condition(plan)
        if condition is None:
            return queryset.annotate(score=Value(0, output_field=IntegerField()), name_length=Length("name"))
        return queryset.filter(condition).annotate(
            score=Coalesce(text.score(plan), Value(0), output_field=IntegerField()),
            name_length=Length("name"),
        )

    def _after(self, queryset: QuerySet[SearchEntry], query: SearchQuery) -> QuerySet[SearchEntry]:
        fields, types = SORTS[query.sort]
        values = decode_cursor(query.search_after or "", self.name, query.sort, types)
        if query.sort == SortOrder.NEWEST:
            try:
                moment = parse_datetime(values[0])
            except ValueError:  # well formed but no time (month 13): a forged cursor, not a 500
                moment = None
            if moment is None:
                raise InvalidQuery("malformed cursor")
            values[0] = moment
        # keyset condition for (a, b) after (va, vb): a beyond va, or a == va and b beyond vb
        condition = Q()
        equal: dict[str, Any] = {}
        for name, value in zip(fields, values, strict=True):
            column = name.lstrip("-")
            lookup = "lt" if name.startswith("-") else "gt"
            condition |= Q(**equal, **{f"{column}__{lookup}": value})
            equal[column] = value
        return queryset.filter(condition)

    def search(self, query: SearchQuery) -> SearchResult:
        return planned_search(self, query, self._execute)

    def _execute(self, query: SearchQuery, plan: QueryPlan) -> SearchResult:
        started = time.monotonic()
        base = self._filtered(self._visible(), query.filters)
        matched, terms = self._matched(base, plan), plan.highlight_terms
        texts = self.text.condition(plan) not in (None, Q())  # a condition on the text index
        with self.text.text_index_scans() if texts else nullcontext():
            rows = self._page_rows(query, plan, base, matched)
            # the total comes with the facets: one pass over the matched rows instead of two
            counts = self._counts(query, texts) if query.facets else None
            if query.facets and counts is None:
                counts = self.text.facet_counts(matched, TERMS_FACETS, expiring_soon_cutoff())
            total = counts.total if counts is not None else matched.count()
        more = len(rows) > query.page_size
        rows = rows[: query.page_size]
        facets, expiring = (self._facets(counts), counts.expiring) if counts is not None else ({}, 0)
        documents = {row["listing_id"]: row["document"] for row in rows}
        hits = [
            hit_from_document(row["document"], float(row["score"]) if query.text.strip() else None)
            for row in rows
        ]
        add_highlights(hits, documents, terms)
        next_cursor = None
        if more:
            next_cursor = encode_cursor(self.name, query.sort, self._cursor_values(query.sort, rows[-1]))
        return SearchResult(
            total=total,
            hits=hits,
            facets=facets,
            expiring_soon=expiring,
            took_ms=int((time.monotonic() - started) * 1000),
            next_cursor=next_cursor,
            backend=self.name,
        )

    def _page_rows(
        self, query: SearchQuery, plan: QueryPlan, base: QuerySet[SearchEntry], matched: QuerySet[SearchEntry]
    ) -> list[dict[str, Any]]:
        """The page's rows, one more than asked: it tells whether a next page exists, also on cursor pages
        (offset unknown). By relevance for a text every row matches, where the engine can tell the rows
        that score differently from the rest (``score_partition``), the first rows of both sides merged:
        the same rows in the same order without scoring every row."""
        columns = ("listing_id", "score", "name_length", "document", "created_at", "unit_price")
        fields = self._ordering(query, plan)
        window = slice(query.offset, query.offset + query.page_size + 1)
        split = self.text.score_partition(plan) if query.sort == SortOrder.RELEVANCE else None
        if split is None:
            page_qs = self._after(matched, query) if query.search_after else matched
            return list(page_qs.order_by(*fields).values(*columns)[window])
        scored, rest, constant = split
        # the plan has no text condition here, so ``matched`` is every filtered row, scored
        sides = (
            matched.filter(scored),
            base.filter(rest).annotate(score=Value(constant, IntegerField()), name_length=Length("name")),
        )
        # each side's first offset + size + 1 rows in the page order hold the page's rows of that side; the
        # rest's score is one constant, so its order is the index's (length(name), listing_id DESC)
        firsts = [
            (self._after(side, query) if query.search_after else side)
            .order_by(*order)
            .values(*columns)[: window.stop]
            for side, order in zip(sides, (fields, fields[1:]), strict=True)
        ]
        return list(firsts[0].union(firsts[1], all=True).order_by(*fields)[window])

    def _counts(self, query: SearchQuery, texts: bool) -> FacetCounts | None:
        """Every visible row matches, or every visible row of one sector (no other filter, no condition on
        the text: none, or a text every row holds): the facets from the engine's summary, if it keeps one."""
        sector = query.filters.sector
        if texts or replace(query.filters, sector=None) != SearchFilters():
            return None
        return self.text.summary_counts(TERMS_FACETS, timezone.localdate(), expiring_soon_cutoff(), sector)

    @staticmethod
    def _ordering(query: SearchQuery, plan: QueryPlan) -> tuple[str, ...]:
        """The page's ORDER BY. Without text every score is 0: left out, the order is the one of an index
        (``length(name), listing_id DESC``), so PostgreSQL reads one page of it instead of sorting all."""
        fields, _types = SORTS[query.sort]
        return fields[1:] if plan.match_all and query.sort == SortOrder.RELEVANCE else fields

    @staticmethod
    def _cursor_values(sort: str, row: dict[str, Any]) -> list[Any]:
        if sort == SortOrder.RELEVANCE:
            return [int(row["score"]), row["name_length"], row["listing_id"]]
        if sort == SortOrder.NEWEST:
            created: datetime = row["created_at"]
            return [created.isoformat(), row["listing_id"]]
        return [row["unit_price"], row["listing_id"]]

    @staticmethod
    def _facets(counts: FacetCounts) -> dict[str, list[FacetBucket]]:
        """The facets with their labels, ordered as the Elasticsearch backend orders them."""
        terms = counts.terms
        regions = sorted(
            (FacetBucket(code, counts.regions.get(code, 0), label) for code, label in REGION_LABELS.items()),
            key=lambda bucket: (-bucket.count, bucket.value),
        )
        return {
            "sector": [
                FacetBucket(b.value, b.count, SECTOR_LABELS.get(b.value, "")) for b in terms["sector"]
            ],
            "classification_segment": label_classifications(terms["classification_segment"]),
            "classification_family": label_classifications(terms["classification_family"]),
            "region": [bucket for bucket in regions if bucket.count],
            "supplier": terms["supplier_id"],
            "partner": terms["partner_id"],
            "price": [FacetBucket(p.key, counts.prices.get(p.key, 0), p.label) for p in PRICE_RANGES],
        }

    def suggest(self, prefix: str, limit: int = 10) -> list[str]:
        """Names whose text, or one of whose morphemes, starts with what was typed."""
        prefix = " ".join((prefix or "").split())[:100]
        if not prefix:
            return []
        chosung = as_chosung_query(prefix)
        if chosung is not None:
            # ㄱㅊㅈ → 공기청정기: initial consonants anywhere in the name, those starting with them first
            rows = (
                self._visible()
                .filter(name_chosung__contains=chosung)
                .annotate(
                    starts=Case(When(name_chosung__startswith=chosung, then=Value(0)), default=Value(1)),
                    name_length=Length("name"),
                )
                .order_by("starts", "name_length", "name")
                .values_list("name", flat=True)[: limit * 5]
            )
            return list(dict.fromkeys(rows))[:limit]
        # 공기청 → 공기 + 청…: all but the last morpheme whole, the last as a prefix
        terms = list(analyze_query(prefix).terms)
        match = self.text.suggest_match(prefix, terms if len(terms) > 1 else [])
        rows = (
            self._visible()
            .filter(match)
            .annotate(starts=Case(When(name__istartswith=prefix, then=Value(0)), default=Value(1)))
            .order_by("starts", "name")
            .values_list("name", flat=True)[: limit * 5]
        )
        return list(dict.fromkeys(rows))[:limit]
