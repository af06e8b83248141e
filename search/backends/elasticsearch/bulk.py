"""Bulk indexing of pre-serialised documents for a rebuild: lean NDJSON bodies, sent concurrently.

A rebuild reads ~100,000 documents from the database in one thread while other threads send them. Python
threads share one interpreter lock, so the two overlap only as far as each leaves the lock free: the
``elasticsearch.helpers`` bulk functions spend about as much interpreter time per action (copying and
expanding the action, serialising it, accounting sizes) as reading the document took, which made a
rebuild cost reading plus sending. Here a document is already JSON, so a chunk's body is one string join
and the lock is free while Elasticsearch works.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice
from typing import Any

from elasticsearch import ApiError, Elasticsearch

from search.backends.base import DocumentSource

CHUNK_SIZE = 500
SENDERS = 2  # concurrent bulk requests: keep both of a small node's cores busy
IN_FLIGHT = 3  # chunks read ahead of the oldest unfinished one, so memory stays flat
RETRIES = 3  # per chunk, for documents Elasticsearch pushes back with 429 (its queues are full)
TOO_MANY_REQUESTS = 429
# only what telling success from failure needs: a 500-item response stays small
RESPONSE_FILTER = "errors,items.*.status,items.*.error"

Rejection = tuple[int, Any]  # (listing id, Elasticsearch's error)


def _body(documents: list[DocumentSource]) -> str:
    return "".join(f'{{"index":{{"_id":"{listing_id}"}}}}\n{source}\n' for listing_id, source in documents)


def index_chunk(
    client: Elasticsearch, index: str, documents: list[DocumentSource], sleep=time.sleep
) -> list[Rejection]:
    """Indexes the documents with one bulk request, retrying with backoff what is refused for load.
    Returns the documents Elasticsearch rejected; a transport error (node down) propagates."""
    pending, rejected = documents, []
    for attempt in range(RETRIES + 1):
        if attempt:
            sleep(2 ** (attempt - 1))
        try:
            response = client.bulk(index=index, operations=_body(pending), filter_path=RESPONSE_FILTER)
        except ApiError as exc:
            if exc.status_code == TOO_MANY_REQUESTS:
                continue
            raise
        if not response.get("errors"):
            return rejected
        retry = []
        for document, item in zip(pending, response["items"], strict=True):
            result = item["index"]
            if result["status"] == TOO_MANY_REQUESTS:
                retry.append(document)
            elif result["status"] >= 300:
                rejected.append((document[0], result.get("error")))
        if not retry:
            return rejected
        pending = retry
    return rejected + [(listing_id, "rejected: too many requests") for listing_id, _ in pending]


def _index_when_ready(
    ready: Future | None, client: Elasticsearch, index: str, documents: list[DocumentSource]
) -> list[Rejection]:
    if ready is not None:
        ready.result()  # the index exists (or its creation failed, which fails this chunk)
    return index_chunk(client, index, documents)


def index_all(
    client: Elasticsearch, index: str, documents: Iterable[DocumentSource], ready: Future | None = None
) -> Iterator[tuple[int, list[Rejection]]]:
    """(documents sent, rejections) per chunk, in order, while the caller's thread keeps reading
    ``documents`` (its database connection stays in that thread) and ``SENDERS`` threads send. ``ready``:
    the index's creation, which sending waits for (documents are read and built meanwhile)."""
    pending: deque[tuple[int, Future]] = deque()
    iterator = iter(documents)
    with ThreadPoolExecutor(max_workers=SENDERS, thread_name_prefix="es-rebuild") as pool:
        try:
            while chunk := list(islice(iterator, CHUNK_SIZE)):
                pending.append((len(chunk), pool.submit(_index_when_ready, ready, client, index, chunk)))
                while len(pending) > IN_FLIGHT:
                    sent, future = pending.popleft()
                    yield sent, future.result()
            while pending:
                sent, future = pending.popleft()
                yield sent, future.result()
        finally:
            for _sent, future in pending:
                future.cancel()
