"""The Elasticsearch backend: the contract, answered by the modules beside this one."""

import time
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from elasticsearch import Elasticsearch

from search import store
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
from search.backends.elasticsearch.errors import CLIENT_ERRORS, query_errors, unavailable_on_error
from search.backends.elasticsearch.index import CLEANUP_MIN_AGE_SECONDS, IndexLifecycle
from search.backends.elasticsearch.mapping import alias_name
from search.documents import listed_count
from search.es_client import get_client


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"
    supports_fuzzy = True

    documents = store

    def __init__(self) -> None:
        self.alias = alias_name()
        self.indices = IndexLifecycle(self.alias)

    @property
    def client(self) -> Elasticsearch:
        # looked up per call: settings (the URL) may change while a backend instance lives
        return get_client()

    def health(self) -> dict:
        try:
            cluster = self.client.cluster.health(timeout="2s")
        except CLIENT_ERRORS as exc:
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
    def rebuild(
        self, progress: ProgressCallback | None = None, documents: Iterable[DocumentSource] | None = None
    ) -> RebuildStats:
        return self.indices.rebuild(self.documents.iter_all() if documents is None else documents, progress)

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
        return writes.apply(self.client, writes.index_actions(documents, self.alias))

    def delete(self, listing_ids: Iterable[int]) -> ApplyStats:
        return writes.apply(self.client, writes.delete_actions(listing_ids, self.alias))

    # -------------------------------------------------------------------------------- reads
    def search(self, query: SearchQuery) -> SearchResult:
        started = time.monotonic()
        body, terms = queries.search_body(query, self.name)
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
