"""Elasticsearch backend: versioned indices behind an alias, filled from the document source.

Only server-core features are used (see DESIGN.md §4): the ``standard`` analyser on fields that already
hold Kiwi's morpheme text, ``index_prefixes`` for autocomplete, keyword fields and terms/range/filter
aggregations for facets, fuzzy multi_match for Latin words, ``search_after`` for deep paging, and one
atomic ``update_aliases`` call to switch a rebuilt index live. User text only ever reaches ``match``-family
queries and ``term`` values — never ``query_string`` — so no input is parsed as query syntax.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.utils import timezone
from elasticsearch import ApiError, BadRequestError, NotFoundError, TransportError
from elasticsearch.dsl import Date, Document, Index, Keyword, Long, MetaField, Search, Text
from elasticsearch.dsl import Q as EQ
from elasticsearch.helpers import BulkIndexError, scan, streaming_bulk

from search.analysis import analyze_query
from search.backends import es_bulk
from search.backends.base import (
    MAX_QUERY_TERMS,
    MAX_RESULT_WINDOW,
    PRICE_RANGES,
    REGION_LABELS,
    SECTOR_LABELS,
    ApplyStats,
    DocumentSource,
    FacetBucket,
    InvalidQuery,
    ProgressCallback,
    RebuildStats,
    SearchBackend,
    SearchError,
    SearchFilters,
    SearchQuery,
    SearchResult,
    SearchUnavailable,
    SortOrder,
    add_highlights,
    decode_cursor,
    encode_cursor,
    expiring_soon_cutoff,
    hit_from_document,
    label_classifications,
    today,
)
from search.es_client import get_client

TERMS_FACET_SIZE = 20
BULK_CHUNK = 500
# Weights mirror the database backend: the product name counts most.
MORPH_FIELDS = ["name_morph^8", "spec_morph^3", "body_morph", "company_morph"]
# Rebuild leftovers younger than this may belong to a rebuild still running: cleanup leaves them alone.
CLEANUP_MIN_AGE_SECONDS = 3600

SORTS: dict[str, tuple[list[Any], tuple[type, ...]]] = {
    SortOrder.RELEVANCE: ([{"_score": "desc"}, {"id": "desc"}], (float, int)),
    SortOrder.PRICE_ASC: ([{"unit_price": "asc"}, {"id": "asc"}], (int, int)),
    SortOrder.PRICE_DESC: ([{"unit_price": "desc"}, {"id": "desc"}], (int, int)),
    SortOrder.NEWEST: ([{"created_at": "desc"}, {"id": "desc"}], (int, int)),
}


def _morph_text(**kwargs: Any) -> Text:
    return Text(analyzer="standard", **kwargs)


class ProductDocument(Document):
    """The mapping. Fields not declared here (description, origin, …) stay in ``_source`` unindexed
    (``dynamic: false``), available for hits and highlighting but costing no index space."""

    id = Long()
    name = Text(
        analyzer="standard",
        index_prefixes={"min_chars": 1, "max_chars": 10},
        fields={"raw": Keyword(ignore_above=256)},
    )
    name_morph = _morph_text(index_prefixes={"min_chars": 1, "max_chars": 10})
    spec_morph = _morph_text()
    body_morph = _morph_text()
    company_morph = _morph_text()
    codes = Keyword(normalizer="lowercase")
    sector = Keyword()
    classification_code = Keyword()
    classification_segment = Keyword()
    classification_family = Keyword()
    regions = Keyword()
    unit = Keyword()
    supplier_id = Long()
    supplier_name = Keyword()
    partner_id = Long()
    partner_name = Keyword()
    certificate_number = Keyword()
    unit_price = Long()
    issued_on = Date()
    expires_on = Date()
    created_at = Date()
    updated_at = Date()

    class Meta:
        dynamic = MetaField(False)


def alias_name() -> str:
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-products"


def new_index_name() -> str:
    return f"{alias_name()}-v{timezone.now():%Y%m%d%H%M%S%f}"


def _replicas() -> int:
    return int(getattr(settings, "ELASTICSEARCH_NUMBER_OF_REPLICAS", 0))


def _unavailable(exc: Exception) -> SearchUnavailable:
    return SearchUnavailable(f"Elasticsearch is unavailable: {str(exc)[:200]}")


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"
    supports_fuzzy = True

    def __init__(self) -> None:
        self.alias = alias_name()

    @property
    def client(self):
        return get_client()

    def health(self) -> dict:
        try:
            cluster = self.client.cluster.health(timeout="2s")
        except (TransportError, ApiError) as exc:
            return {
                "ok": False,
                "backend": self.name,
                "url": settings.ELASTICSEARCH_URL,
                "error": str(exc)[:200],
            }
        return {
            "ok": cluster["status"] in {"green", "yellow"},
            "backend": self.name,
            "cluster_status": cluster["status"],
        }

    # ------------------------------------------------------------------------- index lifecycle
    def _create_index(self, name: str, loading: bool) -> None:
        index = Index(name)
        index.document(ProductDocument)
        # while loading: no refreshes and no replicas to copy to; restored before the index goes live
        index.settings(
            number_of_shards=1,
            number_of_replicas=0 if loading else _replicas(),
            refresh_interval="-1" if loading else "1s",
        )
        index.create(using=self.client)

    def alias_targets(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            return []

    def _versioned_indices(self) -> dict[str, dict[str, Any]]:
        try:
            found = self.client.indices.get(index=f"{self.alias}-v*", allow_no_indices=True)
        except NotFoundError:
            return {}
        return dict(found)

    def _swap_alias(self, new: str) -> list[str]:
        """Point the alias at ``new`` and away from every other index in one atomic call."""
        old = [name for name in self.alias_targets() if name != new]
        actions: list[dict[str, Any]] = [{"add": {"index": new, "alias": self.alias}}]
        actions += [{"remove": {"index": name, "alias": self.alias}} for name in old]
        if self.client.indices.exists(index=self.alias) and not self.alias_targets():
            # a concrete index squatting on the alias name (an accidental auto-create) goes in the same call
            actions.append({"remove_index": {"index": self.alias}})
        self.client.indices.update_aliases(actions=actions)
        return old

    def _actions(self, documents: Iterable[dict[str, Any]], index: str) -> Iterator[dict[str, Any]]:
        for document in documents:
            yield {"_op_type": "index", "_index": index, "_id": str(document["id"]), "_source": document}

    def rebuild(
        self, progress: ProgressCallback | None = None, documents: Iterable[DocumentSource] | None = None
    ) -> RebuildStats:
        from search import store

        documents = store.iter_all() if documents is None else documents
        started = time.monotonic()
        new = new_index_name()
        indexed = errors = 0
        first_errors: list[Any] = []
        try:
            self._create_index(new, loading=True)
            for sent, rejected in es_bulk.index_all(self.client, new, documents):
                indexed += sent - len(rejected)
                errors += len(rejected)
                first_errors.extend(rejected[: 3 - len(first_errors)])
                if progress:
                    progress(sent)
            if errors:
                raise SearchError(f"{errors} documents failed to index, e.g. {first_errors}")
            self.client.indices.put_settings(
                index=new, settings={"index": {"refresh_interval": None, "number_of_replicas": _replicas()}}
            )
            self.client.indices.refresh(index=new)
            self.client.cluster.health(index=new, wait_for_status="yellow", timeout="30s")
            old = self._swap_alias(new)
        except (TransportError, ApiError, SearchError, BulkIndexError) as exc:
            # the alias still points at the old index: searches never saw the half-built one
            with contextlib.suppress(TransportError, ApiError):
                self.client.indices.delete(index=new, ignore_unavailable=True)
            if isinstance(exc, SearchError):
                raise
            raise _unavailable(exc) from exc
        for name in old:
            # a failure leaves it for ``cleanup``; the alias no longer points at it
            with contextlib.suppress(TransportError, ApiError):
                self.client.indices.delete(index=name, ignore_unavailable=True)
        return RebuildStats(
            indexed=indexed, errors=errors, seconds=time.monotonic() - started, index=new, removed_indices=old
        )

    def ensure(self) -> bool:
        try:
            if self.alias_targets():
                return False
            from search.documents import listed_count

            if listed_count():
                self.rebuild()
            else:
                new = new_index_name()
                self._create_index(new, loading=False)
                self._swap_alias(new)
            return True
        except (TransportError, ApiError) as exc:
            raise _unavailable(exc) from exc

    def cleanup(self, min_age_seconds: int = CLEANUP_MIN_AGE_SECONDS) -> list[str]:
        live = set(self.alias_targets())
        now_ms = time.time() * 1000
        removed = []
        for name, info in self._versioned_indices().items():
            created = int(info.get("settings", {}).get("index", {}).get("creation_date", now_ms))
            if name in live or now_ms - created < min_age_seconds * 1000:
                continue
            self.client.indices.delete(index=name, ignore_unavailable=True)
            removed.append(name)
        return removed

    def count(self) -> int:
        try:
            return int(self.client.count(index=self.alias)["count"])
        except NotFoundError as exc:
            raise SearchUnavailable("the search index has not been built; run `search_index ensure`") from exc
        except (TransportError, ApiError) as exc:
            raise _unavailable(exc) from exc

    def iter_ids(self) -> Iterator[int]:
        try:
            for hit in scan(self.client, index=self.alias, query={"_source": False}, size=5000):
                yield int(hit["_id"])
        except NotFoundError:
            return
        except (TransportError, ApiError) as exc:
            raise _unavailable(exc) from exc

    def refresh(self) -> None:
        try:
            self.client.indices.refresh(index=self.alias)
        except (TransportError, ApiError) as exc:
            raise _unavailable(exc) from exc

    def status(self) -> dict[str, Any]:
        targets = self.alias_targets()
        indices = {}
        for name in self._versioned_indices():
            try:
                indices[name] = int(self.client.count(index=name)["count"])
            except (TransportError, ApiError):
                indices[name] = None
        return {
            "backend": self.name,
            "alias": self.alias,
            "alias_targets": targets,
            "count": self.count() if targets else 0,
            "indices": indices,
        }

    # ------------------------------------------------------------------------------- writes
    def _bulk(self, actions: list[dict[str, Any]]) -> ApplyStats:
        stats = ApplyStats()
        if not actions:
            return stats
        try:
            # require_alias: writing to a missing alias must fail, not auto-create a stray index by that name
            for ok, item in streaming_bulk(
                self.client,
                actions,
                chunk_size=BULK_CHUNK,
                raise_on_error=False,
                max_retries=2,
                initial_backoff=1,
                require_alias=True,
            ):
                op_type, result = next(iter(item.items()))
                listing_id = int(result.get("_id", 0))
                error = result.get("error")
                error_type = error.get("type", "") if isinstance(error, dict) else ""
                if error_type in {"index_not_found_exception", "aliases_not_found_exception"} or (
                    "require_alias" in str(error)
                ):
                    raise SearchUnavailable("the search index has not been built; run `search_index ensure`")
                if ok and op_type == "index":
                    stats.indexed += 1
                elif ok or (op_type == "delete" and result.get("status") == 404):
                    stats.deleted += 1 if ok else 0
                else:
                    stats.failed[listing_id] = str(error)[:500]
        except (TransportError, ApiError, BulkIndexError) as exc:
            raise _unavailable(exc) from exc
        return stats

    def write(self, documents: list[dict[str, Any]]) -> ApplyStats:
        return self._bulk(list(self._actions(documents, self.alias)))

    def delete(self, listing_ids: Iterable[int]) -> ApplyStats:
        return self._bulk(
            [{"_op_type": "delete", "_index": self.alias, "_id": str(pk)} for pk in listing_ids]
        )

    # -------------------------------------------------------------------------------- reads
    @staticmethod
    def _filters(filters: SearchFilters) -> list[Any]:
        day = today()
        clauses: list[Any] = [
            EQ("range", issued_on={"lte": day.isoformat()}),
            EQ("range", expires_on={"gte": day.isoformat()}),
        ]
        if filters.sector:
            clauses.append(EQ("term", sector=filters.sector))
        if filters.classification:
            clauses.append(EQ("prefix", classification_code=filters.classification))
        if filters.region:
            clauses.append(EQ("term", regions=filters.region))
        if filters.supplier_id is not None:
            clauses.append(EQ("term", supplier_id=filters.supplier_id))
        if filters.partner_id is not None:
            clauses.append(EQ("term", partner_id=filters.partner_id))
        price: dict[str, int] = {}
        if filters.price_min is not None:
            price["gte"] = filters.price_min
        if filters.price_max is not None:
            price["lte"] = filters.price_max
        if price:
            clauses.append(EQ("range", unit_price=price))
        cutoff = expiring_soon_cutoff(day).isoformat()
        if filters.expiring_soon is True:
            clauses.append(EQ("range", expires_on={"lte": cutoff}))
        elif filters.expiring_soon is False:
            clauses.append(EQ("range", expires_on={"gt": cutoff}))
        return clauses

    @staticmethod
    def _text_query(text: str) -> tuple[Any, frozenset[str]]:
        """Every morpheme must match some field (AND); Latin words tolerate typos; extras and a verbatim
        identifier only add score. Returns (query or None for "match everything", highlight terms)."""
        analysis = analyze_query(text)
        terms = analysis.terms[:MAX_QUERY_TERMS]
        raw = text.strip()
        if not terms and not raw:
            return None, frozenset()
        should: list[Any] = []
        if terms:
            required = []
            for term in terms:
                fuzzy = term.isascii() and term.isalpha() and len(term) >= 3
                options: dict[str, Any] = {"fuzziness": "AUTO", "prefix_length": 1} if fuzzy else {}
                required.append(EQ("multi_match", query=term, fields=MORPH_FIELDS, **options))
            boosts = [
                EQ("multi_match", query=extra, fields=MORPH_FIELDS, boost=2)
                for extra in analysis.extras[:MAX_QUERY_TERMS]
            ]
            should.append(EQ("bool", must=required, should=boosts))
        if raw and len(raw) <= 20 and " " not in raw:
            should.append(EQ("term", codes={"value": raw.lower(), "boost": 20}))
        if not should:
            return EQ("match_none"), frozenset()
        return EQ("bool", should=should, minimum_should_match=1), analysis.all_terms

    def _aggregations(self, search: Search) -> Search:
        aggs = search.aggs
        aggs.bucket("sector", "terms", field="sector", size=TERMS_FACET_SIZE)
        aggs.bucket("classification_segment", "terms", field="classification_segment", size=TERMS_FACET_SIZE)
        aggs.bucket("classification_family", "terms", field="classification_family", size=TERMS_FACET_SIZE)
        aggs.bucket("region", "terms", field="regions", size=len(REGION_LABELS))
        for party in ("supplier", "partner"):
            aggs.bucket(party, "terms", field=f"{party}_id", size=TERMS_FACET_SIZE).bucket(
                "name", "terms", field=f"{party}_name", size=1
            )
        ranges = []
        for price in PRICE_RANGES:
            bucket: dict[str, Any] = {"key": price.key}
            if price.low is not None:
                bucket["from"] = price.low
            if price.high is not None:
                bucket["to"] = price.high
            ranges.append(bucket)
        aggs.bucket("price", "range", field="unit_price", ranges=ranges)
        aggs.bucket("expiring", "filter", EQ("range", expires_on={"lte": expiring_soon_cutoff().isoformat()}))
        return search

    @staticmethod
    def _facets(aggregations: Any) -> tuple[dict[str, list[FacetBucket]], int]:
        def terms(name: str, labels: dict[str, str] | None = None) -> list[FacetBucket]:
            return [
                FacetBucket(str(b["key"]), b["doc_count"], (labels or {}).get(str(b["key"]), ""))
                for b in aggregations[name]["buckets"]
            ]

        def party(name: str) -> list[FacetBucket]:
            return [
                FacetBucket(
                    str(b["key"]),
                    b["doc_count"],
                    b["name"]["buckets"][0]["key"] if b["name"]["buckets"] else "",
                )
                for b in aggregations[name]["buckets"]
            ]

        price_labels = {p.key: p.label for p in PRICE_RANGES}
        facets = {
            "sector": terms("sector", SECTOR_LABELS),
            "classification_segment": label_classifications(terms("classification_segment")),
            "classification_family": label_classifications(terms("classification_family")),
            "region": terms("region", REGION_LABELS),
            "supplier": party("supplier"),
            "partner": party("partner"),
            "price": [
                FacetBucket(b["key"], b["doc_count"], price_labels.get(b["key"], ""))
                for b in aggregations["price"]["buckets"]
            ],
        }
        return facets, int(aggregations["expiring"]["doc_count"])

    def search(self, query: SearchQuery) -> SearchResult:
        started = time.monotonic()
        text_query, terms = self._text_query(query.text)
        sort, types = SORTS[query.sort]
        body: dict[str, Any] = {
            "query": EQ(
                "bool", filter=self._filters(query.filters), must=[text_query] if text_query else []
            ).to_dict(),
            "sort": sort,
            # one hit more than asked tells whether a next page exists, also on cursor pages
            "size": min(query.page_size + 1, MAX_RESULT_WINDOW - query.offset),
            "from": query.offset,
            "track_total_hits": True,
            "_source": {"excludes": ["*_morph"]},
        }
        if query.search_after:
            body["search_after"] = decode_cursor(query.search_after, self.name, query.sort, types)
        if query.sort == SortOrder.RELEVANCE:
            body["track_scores"] = True
        if query.facets:
            body["aggs"] = self._aggregations(Search()).to_dict().get("aggs", {})
        try:
            response = self.client.search(index=self.alias, body=body)
        except NotFoundError as exc:
            raise SearchUnavailable("the search index has not been built; run `search_index ensure`") from exc
        except BadRequestError as exc:
            raise InvalidQuery("the search engine rejected the query") from exc
        except (TransportError, ApiError) as exc:
            raise _unavailable(exc) from exc
        raw_hits = response["hits"]["hits"]
        more = len(raw_hits) > query.page_size
        raw_hits = raw_hits[: query.page_size]
        total = int(response["hits"]["total"]["value"])
        documents = {int(hit["_source"]["id"]): hit["_source"] for hit in raw_hits}
        hits = [
            hit_from_document(hit["_source"], hit.get("_score") if query.text.strip() else None)
            for hit in raw_hits
        ]
        add_highlights(hits, documents, terms)
        next_cursor = None
        if more:
            last = raw_hits[-1]["sort"]
            values = [float(last[0]) if query.sort == SortOrder.RELEVANCE else int(last[0]), int(last[1])]
            next_cursor = encode_cursor(self.name, query.sort, values)
        facets, expiring = self._facets(response["aggregations"]) if query.facets else ({}, 0)
        return SearchResult(
            total=total,
            hits=hits,
            facets=facets,
            expiring_soon=expiring,
            took_ms=int(response.get("took", (time.monotonic() - started) * 1000)),
            next_cursor=next_cursor,
            backend=self.name,
        )

    def suggest(self, prefix: str, limit: int = 10) -> list[str]:
        """Names completing the typed prefix: ``match_bool_prefix`` on the name as written (공기청 →
        공기청정기) and on its morphemes (청정 → 공기청정기), both served by ``index_prefixes``;
        ``collapse`` on the name keeps one suggestion per distinct name."""
        prefix = " ".join((prefix or "").split())[:100]
        if not prefix:
            return []
        analysis = analyze_query(prefix)
        # operator "and": every typed word must be there, the last one as a prefix
        should = [EQ("match_bool_prefix", name={"query": prefix, "operator": "and", "boost": 2})]
        if analysis.terms:
            should.append(
                EQ("match_bool_prefix", name_morph={"query": " ".join(analysis.terms), "operator": "and"})
            )
        body = {
            "query": EQ(
                "bool", filter=self._filters(SearchFilters()), should=should, minimum_should_match=1
            ).to_dict(),
            "size": limit,
            "_source": ["name"],
            "collapse": {"field": "name.raw"},
            "sort": [{"_score": "desc"}, {"name.raw": "asc"}],
        }
        try:
            response = self.client.search(index=self.alias, body=body)
        except NotFoundError as exc:
            raise SearchUnavailable("the search index has not been built; run `search_index ensure`") from exc
        except BadRequestError as exc:
            raise InvalidQuery("the search engine rejected the query") from exc
        except (TransportError, ApiError) as exc:
            raise _unavailable(exc) from exc
        return [hit["_source"]["name"] for hit in response["hits"]["hits"]]
