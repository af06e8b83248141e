"""The index lifecycle: versioned indices behind an alias. A rebuild fills a new index in bulk with
refreshes and replicas off, then swaps the alias in one atomic call, so searches never see a half-built
index; cleanup removes what earlier rebuilds left behind."""

import contextlib
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.dsl import Index
from elasticsearch.helpers import scan

from search.backends.base import (
    DocumentSource,
    ProgressCallback,
    RebuildStats,
    SearchError,
)
from search.backends.elasticsearch import bulk
from search.backends.elasticsearch.errors import (
    CLIENT_ERRORS,
    index_required,
    unavailable,
    unavailable_on_error,
)
from search.backends.elasticsearch.mapping import ProductDocument, new_index_name, replicas
from search.es_client import get_client

# What a loading index sets differently, back to the defaults before it goes live.
LIVE_SETTINGS = {"refresh_interval": None, "translog.durability": None}
# Rebuild leftovers younger than this may belong to a rebuild still running: cleanup leaves them alone.
CLEANUP_MIN_AGE_SECONDS = 3600


class IndexLifecycle:
    """The indices behind one alias."""

    def __init__(self, alias: str) -> None:
        self.alias = alias

    @property
    def client(self) -> Elasticsearch:
        # looked up per call: settings (the URL) may change while a backend instance lives
        return get_client()

    def create(self, name: str, loading: bool) -> None:
        index = Index(name)
        index.document(ProductDocument)
        # while loading: no refreshes, no replicas to copy to and no translog sync to disk per bulk request
        # (a node lost mid-load loses a half-built index nobody searches: the rebuild fails, the old
        # index serves); all restored before the index goes live
        index.settings(
            number_of_shards=1,
            number_of_replicas=0 if loading else replicas(),
            refresh_interval="-1" if loading else "1s",
            **({"translog": {"durability": "async"}} if loading else {}),
        )
        index.create(using=self.client)

    def create_empty(self) -> None:
        """A live index with nothing in it, for a catalog with nothing listed."""
        new = new_index_name()
        self.create(new, loading=False)
        self.swap_alias(new)

    def alias_targets(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            return []

    def versioned_indices(self) -> dict[str, dict[str, Any]]:
        try:
            found = self.client.indices.get(index=f"{self.alias}-v*", allow_no_indices=True)
        except NotFoundError:
            return {}
        return dict(found)

    def swap_alias(self, new: str) -> list[str]:
        """Point the alias at ``new`` and away from every other index in one atomic call."""
        old = [name for name in self.alias_targets() if name != new]
        actions: list[dict[str, Any]] = [{"add": {"index": new, "alias": self.alias}}]
        actions += [{"remove": {"index": name, "alias": self.alias}} for name in old]
        if self.client.indices.exists(index=self.alias) and not self.alias_targets():
            # a concrete index squatting on the alias name (an accidental auto-create) goes in the same call
            actions.append({"remove_index": {"index": self.alias}})
        self.client.indices.update_aliases(actions=actions)
        return old

    def rebuild(self, documents: Iterable[DocumentSource], progress: ProgressCallback | None) -> RebuildStats:
        started = time.monotonic()
        new = new_index_name()
        indexed = errors = 0
        first_errors: list[Any] = []
        # The index is created on a thread of its own while the first documents are built (a rebuild from
        # scratch loads Kiwi and starts its workers meanwhile); only sending waits for it.
        creating = ThreadPoolExecutor(max_workers=1, thread_name_prefix="es-create")
        created = creating.submit(self.create, new, loading=True)
        try:
            for sent, rejected in bulk.index_all(self.client, new, documents, ready=created):
                indexed += sent - len(rejected)
                errors += len(rejected)
                first_errors.extend(rejected[: 3 - len(first_errors)])
                if progress:
                    progress(sent)
            created.result()  # an empty walk sent nothing: the index must still exist
            if errors:
                raise SearchError(f"{errors} documents failed to index, e.g. {first_errors}")
            self.client.indices.put_settings(
                index=new, settings={"index": {**LIVE_SETTINGS, "number_of_replicas": replicas()}}
            )
            self.client.indices.refresh(index=new)
            self.client.cluster.health(index=new, wait_for_status="yellow", timeout="30s")
            old = self.swap_alias(new)
        except BaseException as exc:
            # the alias still points at the old index: searches never saw the half-built one, which goes
            # whatever stopped the build (an engine error, a cancelled job, a worker shutting down)
            with contextlib.suppress(*CLIENT_ERRORS):
                futures_wait([created])  # deleted after it was created, not before
                self.client.indices.delete(index=new, ignore_unavailable=True)
            if isinstance(exc, CLIENT_ERRORS):
                raise unavailable(exc) from exc
            raise
        finally:
            creating.shutdown(wait=False)
        for name in old:
            # a failure leaves it for ``cleanup``; the alias no longer points at it
            with contextlib.suppress(*CLIENT_ERRORS):
                self.client.indices.delete(index=name, ignore_unavailable=True)
        return RebuildStats(
            indexed=indexed, errors=errors, seconds=time.monotonic() - started, index=new, removed_indices=old
        )

    def cleanup(self, min_age_seconds: int = CLEANUP_MIN_AGE_SECONDS) -> list[str]:
        live = set(self.alias_targets())
        now_ms = time.time() * 1000
        removed = []
        for name, info in self.versioned_indices().items():
            created = int(info.get("settings", {}).get("index", {}).get("creation_date", now_ms))
            if name in live or now_ms - created < min_age_seconds * 1000:
                continue
            self.client.indices.delete(index=name, ignore_unavailable=True)
            removed.append(name)
        return removed

    def count(self) -> int:
        with index_required():
            return int(self.client.count(index=self.alias)["count"])

    def iter_ids(self) -> Iterator[int]:
        with unavailable_on_error():
            try:
                for hit in scan(self.client, index=self.alias, query={"_source": False}, size=5000):
                    yield int(hit["_id"])
            except NotFoundError:
                return

    def refresh(self) -> None:
        with unavailable_on_error():
            self.client.indices.refresh(index=self.alias)

    def status(self) -> dict[str, Any]:
        targets = self.alias_targets()
        indices = {}
        for name in self.versioned_indices():
            try:
                indices[name] = int(self.client.count(index=name)["count"])
            except CLIENT_ERRORS:
                indices[name] = None
        return {
            "alias": self.alias,
            "alias_targets": targets,
            "count": self.count() if targets else 0,
            "indices": indices,
        }
