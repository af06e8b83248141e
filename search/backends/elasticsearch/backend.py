"""The Elasticsearch backend: the contract, answered by the modules beside this one."""

import time
from collections.abc import Iterable, Iterator
from typing import Any

from elasticsearch import Elasticsearch

from search import store
from search import vocabulary as vocabularies
from search.backends.base import (
    ApplyStats,
    DocumentSource,
    ProgressCallback,
    RebuildStats,
    SearchBackend,
    SearchQuery,
    SearchResult,
)
from search.backends.elasticsearch import query as queries
from search.backends.elasticsearch import results, writes
from search.backends.elasticsearch.errors import (
    CLIENT_ERRORS,
    NOT_BUILT,
    query_errors,
    unavailable,
    unavailable_on_error,
)
from search.backends.elasticsearch.index import CLEANUP_MIN_AGE_SECONDS, IndexLifecycle
from search.backends.elasticsearch.mapping import alias_name
from search.backends.planned import planned_search
from search.documents import listed_count
from search.es_client import get_client
from search.plan import QueryPlan


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    documents = store

    def __init__(self) -> None:
        self.alias = alias_name()
        self.indices = IndexLifecycle(self.alias)

    @property
    def client(self) -> Elasticsearch:
        # looked up per call: settings (the URL) may change while a backend instance lives
        return get_client()

    def health(self) -> dict:
        """Reachable, and the live alias points at an index searches can read (its shards at least
        yellow), with its document count. A few cheap calls: no query over the documents."""
        facts: dict[str, Any] = {"backend": self.name, "alias": self.alias}
        try:
            facts["cluster_status"] = self.client.cluster.health(timeout="2s")["status"]
            targets = self.indices.alias_targets()
            facts["alias_exists"] = bool(targets)
            facts["indices"] = targets
            if not targets:
                # a concrete index under the alias's name (auto-created by a stray write) is not ours
                squatter = bool(self.client.indices.exists(index=self.alias))
                problem = "an index, not an alias, holds the alias's name" if squatter else NOT_BUILT
                return {**facts, "ok": False, "error": f"{self.alias}: {problem}"}
            index = self.client.cluster.health(index=",".join(targets), timeout="2s")
            facts["index_status"] = index["status"]
            facts["documents"] = int(self.client.count(index=self.alias)["count"])
        except CLIENT_ERRORS as exc:
            return {**facts, "ok": False, "error": str(unavailable(exc))}
        if facts["index_status"] == "red":
            return {**facts, "ok": False, "error": f"{self.alias}: the index has unassigned primary shards"}
        return {**facts, "ok": True}

    # ------------------------------------------------------------------------- index lifecycle
    def rebuild(
        self, progress: ProgressCallback | None = None, documents: Iterable[DocumentSource] | None = None
    ) -> RebuildStats:
        stats = self.indices.rebuild(self.documents.iter_all() if documents is None else documents, progress)
        vocabularies.changed()
        return stats

    def ensure(self) -> bool:
        with unavailable_on_error():
            if self.indices.alias_targets():
                return False
            if listed_count():
                self.rebuild()
            else:
                self.indices.create_empty()
            return True

    def alias_targets(self) -> list[str]:
        return self.indices.alias_targets()

    def cleanup(self, min_age_seconds: int = CLEANUP_MIN_AGE_SECONDS) -> list[str]:
        return self.indices.cleanup(min_age_seconds)

    def count(self) -> int:
        return self.indices.count()

    def iter_ids(self) -> Iterator[int]:
        return self.indices.iter_ids()

    def refresh(self) -> None:
        self.indices.refresh()

    def status(self) -> dict[str, Any]:
        return {"backend": self.name, **self.indices.status()}

    # ------------------------------------------------------------------------------- writes
    def write(self, documents: list[dict[str, Any]]) -> ApplyStats:
        vocabularies.changed()
        return writes.apply(self.client, writes.index_actions(documents, self.alias))

    def delete(self, listing_ids: Iterable[int]) -> ApplyStats:
        vocabularies.changed()
        return writes.apply(self.client, writes.delete_actions(listing_ids, self.alias))

    def vocabulary_key(self) -> str:
        return f"{self.name}:{self.alias}"

    def vocabulary_words(self) -> Iterator[tuple[str, int]]:
        """Every word of the ``vocabulary`` field with its document count, a page of a ``composite``
        aggregation at a time (a ``terms`` aggregation would stop at the bucket limit)."""
        after = None
        while True:
            source: dict[str, Any] = {"size": 5000, "sources": [{"word": {"terms": {"field": "vocabulary"}}}]}
            if after is not None:
                source["after"] = after
            with query_errors():
                response = self.client.search(
                    index=self.alias, body={"size": 0, "aggs": {"words": {"composite": source}}}
                )
            words = response["aggregations"]["words"]
            yield from ((bucket["key"]["word"], bucket["doc_count"]) for bucket in words["buckets"])
            after = words.get("after_key")
            if after is None or not words["buckets"]:
                return

    # -------------------------------------------------------------------------------- reads
    def search(self, query: SearchQuery) -> SearchResult:
        return planned_search(self, query, self._execute)

    def _execute(self, query: SearchQuery, plan: QueryPlan) -> SearchResult:
        started = time.monotonic()
        body, terms = queries.search_body(query, plan, self.name)
        with query_errors():
            response = self.client.search(index=self.alias, body=body)
        return results.result(response, query, terms, self.name, int((time.monotonic() - started) * 1000))

    def suggest(self, prefix: str, limit: int = 10) -> list[str]:
        prefix = " ".join((prefix or "").split())[:100]
        if not prefix:
            return []
        with query_errors():
            response = self.client.search(index=self.alias, body=queries.suggest_body(prefix, limit))
        return [hit["_source"]["name"] for hit in response["hits"]["hits"]]
