"""Building documents from source rows, a chunk at a time: in this process, or on every core.

Building a document is mostly Kiwi analysis plus the Python that turns its tokens into morpheme fields
and the document into JSON. Kiwi spreads one batch over its own threads, but the Python around it holds
the interpreter lock, so a rebuild in one process kept one core busy and left the other waiting. A
rebuild that builds many documents (from scratch, or after the builder changed) hands chunks of rows to
worker processes instead (one per core), while the calling process keeps reading the next chunks from the database, storing finished ones and sending
them to Elasticsearch. A few chunks are in flight at a time, so memory stays flat.

The workers are forked from the rebuilding process once its analyser is loaded, so they share its Kiwi
model instead of loading their own (three seconds of CPU each) and need no set-up; they analyse one text
at a time, in their own thread (Kiwi's batch threads do not survive a fork), the processes being the
parallelism. They only compute: they never touch the database connection they inherited (it is set
aside, so a stray query would open a new one), and they work the same on SQLite. Building is the same
function in both places (:func:`build_chunk`), so a document built by a worker is exactly the one built
in process. Small jobs (an outbox batch, a small catalog) stay in process, as does everything where
``fork`` is not available. Settings: ``SEARCH_BUILD_WORKERS``, ``SEARCH_BUILD_POOL_MIN_ROWS``.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from typing import NamedTuple

import orjson
from django.conf import settings
from django.db import connections

from search import analysis, batch_analysis
from search.documents import (
    MORPH_SOURCES,
    SourceRow,
    SourceValues,
    analysed_texts,
    analysis_inputs_digest,
    build_document,
    morph_fields,
)


class Built(NamedTuple):
    """One built document with the keys the store files it under."""

    listing_id: int
    source_digest: str
    inputs_digest: str
    body: str


def dumps(document: dict) -> str:
    """The document's JSON, compact and UTF-8 as it is: exactly ``json.dumps(document, ensure_ascii=False,
    separators=(",", ":"))`` (``tests/search/test_build_workers.py``) in a third of the time; encoding was
    a fifteenth of a build worker's CPU."""
    return orjson.dumps(document).decode()


def build_chunk(rows: list[SourceRow] | SourceValues, stored: Mapping[int, tuple[str, str]]) -> list[Built]:
    """Documents of ``rows``. ``stored``: (inputs digest, body) of stored documents of some of them; a
    row whose analysed texts still have that digest reuses the stored morpheme fields."""
    if isinstance(rows, SourceValues):
        rows = rows.rows()
    reused: dict[int, dict[str, str]] = {}
    digests = {row["id"]: analysis_inputs_digest(row) for row in rows}
    for row in rows:
        entry = stored.get(row["id"])
        if entry is not None and entry[0] == digests[row["id"]]:
            body = json.loads(entry[1])
            reused[row["id"]] = {field: body[field] for field in MORPH_SOURCES}
    # the texts to analyse, all at once: one Kiwi batch per chunk
    known = batch_analysis.text_terms_many(
        text for row in rows if row["id"] not in reused for text in analysed_texts(row)
    )
    return [
        Built(
            listing_id=row["id"],
            source_digest=row["source_digest"],
            inputs_digest=digests[row["id"]],
            body=dumps(build_document(row, reused.get(row["id"]) or morph_fields(row, known))),
        )
        for row in rows
    ]


_set_aside: list[object] = []


def _start_worker() -> None:
    """A forked build worker: analyse in this thread, and never speak on the parent's database session."""
    batch_analysis.analyse_one_text_at_a_time()
    for connection in connections.all(initialized_only=True):
        # kept referenced: closing (or collecting) it would end the parent's session on the shared socket
        _set_aside.append(connection.connection)
        connection.connection = None


def worker_count() -> int:
    """Worker processes for a big build: ``SEARCH_BUILD_WORKERS``, else one per core this process may use."""
    configured = getattr(settings, "SEARCH_BUILD_WORKERS", None)
    if configured is not None:
        return int(configured)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class ChunkBuilder:
    """Builds chunks in this process, or on a pool of worker processes once ``pool_after`` rows have
    been asked for (never when it is None, or with fewer than two workers). :meth:`submit` returns a
    future either way, so a caller keeps several chunks in flight and takes results in order."""

    def __init__(self, pool_after: int | None) -> None:
        self.workers = worker_count()
        forkable = "fork" in multiprocessing.get_all_start_methods()
        self.pool_after = pool_after if self.workers > 1 and forkable else None
        self.asked = 0
        self._pool: ProcessPoolExecutor | None = None

    @property
    def pooled(self) -> bool:
        """Whether chunks are being built on worker processes."""
        return self._pool is not None

    @property
    def in_flight(self) -> int:
        """Chunks worth submitting ahead of the oldest unfinished one: every worker busy with one and one
        queued for it, so none waits while this process stores, sends and reads."""
        return 2 * self.workers + 1 if self._pool is not None else 0

    def submit(
        self, rows: list[SourceRow] | SourceValues, stored: Mapping[int, tuple[str, str]]
    ) -> Future[list[Built]]:
        self.asked += len(rows)
        if self._pool is None and self.pool_after is not None and self.asked > self.pool_after:
            analysis.get_kiwi()  # loaded before the fork, so that every worker shares it
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_start_worker,
            )
        if self._pool is not None:
            return self._pool.submit(build_chunk, rows, dict(stored))
        future: Future[list[Built]] = Future()
        try:
            future.set_result(build_chunk(rows, stored))
        except Exception as exc:  # delivered where the caller takes the result, as from a worker
            future.set_exception(exc)
        return future

    def close(self) -> None:
        """Stops the workers; chunks not yet started are dropped (a failed or cancelled rebuild)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> ChunkBuilder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
