"""The document store: documents kept between builds, so building them again skips what did not change.

Most rebuilds (a mapping change, a lost index) change no document, and most outbox passes (a price, a
date, a certificate's status) change no text; yet building a document is ~80% Kiwi analysis of its texts.
:func:`iter_documents` reads the catalog afresh every time and compares it with ``StoredDocument``'s
digests: an unchanged source reuses the stored JSON as it is, unchanged texts reuse the stored morpheme
fields, anything else is built from scratch, and what was built is stored for next time. So a document
from here always equals one built from scratch (``search.documents.documents_for``); it is only cheaper.
"""

from __future__ import annotations

import hashlib
import json
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, closing
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection, connections, transaction

from catalog import rows
from catalog.selectors import listed_listings
from search import analysis, batch_analysis, builders, documents
from search.backends.base import DocumentSource
from search.builders import Built, ChunkBuilder, dumps
from search.documents import (
    SourceRow,
    SourceValues,
    iter_source_digests,
    iter_source_rows,
    iter_source_value_chunks,
)
from search.models import StoredDocument

CHUNK_SIZE = 1000


class _Stored(NamedTuple):
    """A stored document's keys and body, read as plain values: 100,000 model instances cost seconds."""

    source_digest: str
    inputs_digest: str
    body: str


@cache
def builder_fingerprint() -> str:
    """Changes whenever a document could come out differently from the same catalog rows: the code that
    reads the rows and builds documents from them (and the analysis it calls) or the kiwipiepy and model
    versions. Hashing the source rather than a hand-bumped version means nobody has to remember to bump
    it; an edit that changes nothing costs one full re-analysis."""
    import kiwipiepy
    import kiwipiepy_model

    digest = hashlib.sha256()
    for module in (rows, analysis, batch_analysis, documents, builders):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(f"kiwipiepy {kiwipiepy.__version__} model {kiwipiepy_model.__version__}".encode())
    return digest.hexdigest()[:16]


def iter_documents(
    listing_ids: Iterable[int] | None = None,
    reuse: bool = True,
    chunk_size: int = CHUNK_SIZE,
    pool_after: int | None = None,
) -> Iterator[DocumentSource]:
    """(id, document JSON) of listed products (all, or of ``listing_ids``) in id order, reusing what the
    store holds for unchanged catalog rows (unless ``reuse`` is off) and storing what had to be built.

    A pipeline: while chunks are being built (on worker processes once ``pool_after`` rows needed building,
    ``search.builders``), this process reads the next ones and stores and yields finished ones in order."""
    fingerprint = builder_fingerprint()
    pending: deque[tuple[list[int], dict[int, str], Future[list[Built]] | None]] = deque()
    with ExitStack() as stack, ChunkBuilder(pool_after) as builder, _Writer(fingerprint, builder) as writer:
        plans = _planned(listing_ids, reuse, chunk_size, fingerprint)
        if builder.pool_after == 0 and not reuse and _can_work_apart():
            plans = _read_ahead(lambda: _planned(listing_ids, reuse, chunk_size, fingerprint))
        # closed with the walk (a cancelled or failed rebuild): the reader thread stops now
        stack.enter_context(closing(plans))
        for order, bodies, rows, stored in plans:
            pending.append((order, bodies, builder.submit(rows, stored) if rows else None))
            while len(pending) > builder.in_flight:
                yield from _finished(*pending.popleft(), writer)
        while pending:
            yield from _finished(*pending.popleft(), writer)


_Plan = tuple[list[int], dict[int, str], list[SourceRow] | SourceValues, dict[int, tuple[str, str]]]


def _planned(
    listing_ids: Iterable[int] | None, reuse: bool, chunk_size: int, fingerprint: str
) -> Iterator[_Plan]:
    """Per chunk: its listed ids in order, the stored bodies it reuses as they are, the source rows of the
    rest and the stored (inputs digest, body) of those that have one."""
    if not reuse:
        # everything is built: read the rows (and their digests) in one pass, without asking the store
        # as read: the build workers make them into rows
        for chunk, values in iter_source_value_chunks(listing_ids, chunk_size):
            yield chunk.ids, {}, values, {}
        return
    for chunk, digests in iter_source_digests(listing_ids, chunk_size):
        entries = StoredDocument.objects.filter(chunk.q("listing_id"), builder=fingerprint)
        stored = {
            entry[0]: _Stored(*entry[1:]) for entry in entries.values_list("listing_id", *_Stored._fields)
        }
        bodies = {
            listing_id: entry.body
            for listing_id, digest in digests.items()
            if (entry := stored.get(listing_id)) is not None and entry.source_digest == digest
        }
        stale = [listing_id for listing_id in chunk.ids if listing_id not in bodies]
        # a product delisted between the two reads has no row: the rebuild's catch-up removes it
        stale_rows = list(iter_source_rows(stale)) if stale else []
        analyses = {
            row["id"]: (entry.inputs_digest, entry.body)
            for row in stale_rows
            if (entry := stored.get(row["id"])) is not None
        }
        yield chunk.ids, bodies, stale_rows, analyses


def _finished(
    order: list[int], bodies: dict[int, str], built: Future[list[Built]] | None, writer: _Writer
) -> Iterator[DocumentSource]:
    if built is not None:
        documents = built.result()
        writer.store(documents)
        bodies.update((document.listing_id, document.body) for document in documents)
    yield from ((listing_id, bodies[listing_id]) for listing_id in order if listing_id in bodies)


class _Writer:
    """Stores finished chunks: in this thread, or, for a build on worker processes on PostgreSQL outside
    any transaction, on a thread of its own with its own connection. Writing a chunk (COPY, upsert, TOAST)
    keeps PostgreSQL busy for as long as reading and sending it takes this process, which waited for it
    while the workers ran out of queued chunks and Elasticsearch out of documents. Inside a transaction
    (a test, a caller's atomic block) another connection could not see its rows, so it stays here."""

    AHEAD = 2  # chunks handed to the writer thread ahead of the oldest unwritten one: memory stays flat

    def __init__(self, fingerprint: str, builder: ChunkBuilder) -> None:
        self.fingerprint = fingerprint
        self.builder = builder
        self._thread: ThreadPoolExecutor | None = None
        self._writes: deque[Future[None]] = deque()

    def store(self, documents: list[Built]) -> None:
        if self._thread is None and self.builder.pooled and _can_work_apart():
            self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-store")
        if self._thread is None:
            _store(documents, self.fingerprint)
            return
        self._writes.append(self._thread.submit(_store, documents, self.fingerprint))
        while len(self._writes) > self.AHEAD:
            self._writes.popleft().result()  # a failed write fails the build here

    def __enter__(self) -> _Writer:
        return self

    def __exit__(self, exc_type: object, *exc_info: object) -> None:
        if self._thread is None:
            return
        try:
            if exc_type is None:
                while self._writes:  # everything is stored before the walk counts as complete
                    self._writes.popleft().result()
        finally:
            for write in self._writes:
                write.cancel()
            self._thread.submit(connections.close_all).result()
            self._thread.shutdown(wait=True)
            self._thread = None


def _can_work_apart() -> bool:
    """Whether another thread's connection sees what this one does: PostgreSQL outside a transaction."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


READ_AHEAD = 3  # chunks read ahead of the one being submitted
_DONE = object()


def _read_ahead(plans: Callable[[], Iterator[_Plan]]) -> Iterator[_Plan]:
    """``plans()``, read on a thread of its own with its own connection, in one transaction, a few chunks
    ahead. In this thread's autocommit a server-side cursor is declared ``WITH HOLD``, which makes
    PostgreSQL run the whole query before the first row arrives (~2 s of idle workers at 100,000 rows);
    in a transaction it streams. It also lets this thread send while rows are parsed."""
    ready: queue.Queue = queue.Queue(maxsize=READ_AHEAD)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            with transaction.atomic():
                for plan in plans():
                    if not put(plan):
                        return
            put(_DONE)
        except BaseException as exc:  # delivered to the walk, which fails with it
            put(exc)
        finally:
            connections.close_all()

    reader = threading.Thread(target=read, name="search-read", daemon=True)
    reader.start()
    try:
        while (item := ready.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        reader.join()


_STORED_COLUMNS = ("listing_id", "builder", "source_digest", "inputs_digest", "body")
_LOAD_TABLE = "search_storeddocument_load"


def _store(documents: list[Built], fingerprint: str) -> None:
    """Writes built documents to the store, replacing what it held for them. PostgreSQL: ``COPY`` into a
    session's temporary table and one upsert from it; a multi-row ``INSERT`` spent more time in psycopg
    binding a thousand JSON texts than the database spent writing them."""
    if not documents:
        return
    if connection.vendor != "postgresql":
        StoredDocument.objects.bulk_create(
            [StoredDocument(builder=fingerprint, **document._asdict()) for document in documents],
            update_conflicts=True,
            unique_fields=["listing_id"],
            update_fields=list(_STORED_COLUMNS[1:]),
        )
        return
    table, columns = StoredDocument._meta.db_table, ", ".join(_STORED_COLUMNS)
    updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in _STORED_COLUMNS[1:])
    with transaction.atomic(), connection.cursor() as cursor:
        # derived data: a crash that loses the last writes costs building them again, not a wrong answer,
        # so a rebuild's dozens of commits do not each wait for the disk
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {_LOAD_TABLE} (LIKE {table})")
        with cursor.cursor.copy(f"COPY {_LOAD_TABLE} ({columns}) FROM STDIN") as copy:
            for document in documents:
                copy.write_row((document.listing_id, fingerprint, *document[1:]))
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {_LOAD_TABLE} "
            f"ON CONFLICT (listing_id) DO UPDATE SET {updates}"
        )
        cursor.execute(f"DELETE FROM {_LOAD_TABLE}")


def refresh(listing_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Documents of the given listings that are listed; the store forgets the others. An absent key means
    "not listed, remove it from the index"."""
    ids = sorted(set(listing_ids))
    if not ids:
        return {}
    fresh = {listing_id: json.loads(body) for listing_id, body in iter_documents(ids)}
    StoredDocument.objects.filter(listing_id__in=[pk for pk in ids if pk not in fresh]).delete()
    return fresh


def iter_all(reuse: bool = True) -> Iterator[DocumentSource]:
    """Every listed product's document, for a rebuild. ``reuse=False`` builds everything from scratch
    (after a change the fingerprint cannot see, such as a Kiwi user dictionary edited outside the code).
    Once the walk is complete, stored documents of products no longer listed are deleted.

    Building moves to worker processes when there is enough of it (``SEARCH_BUILD_POOL_MIN_ROWS``): at
    once when everything is built and the catalog is that big, else once that many rows needed building."""
    threshold = settings.SEARCH_BUILD_POOL_MIN_ROWS
    everything_big = not reuse and listed_listings().count() >= threshold
    pool_after = threshold if reuse else (0 if everything_big else None)
    yield from iter_documents(reuse=reuse, chunk_size=CHUNK_SIZE, pool_after=pool_after)
    StoredDocument.objects.exclude(listing_id__in=listed_listings().values("pk")).delete()


__all__ = ["builder_fingerprint", "dumps", "iter_all", "iter_documents", "refresh"]
