"""Building documents on worker processes (search.builders): the same documents as one at a time, the same
rebuild contract (progress, cancel, failure leaves the old index serving), a constant number of queries
per chunk, and no worker left behind."""

import json
import multiprocessing

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.generator.bulk import load_catalog
from core.jobs import JobCancelled
from search import builders, store, sync
from search.builders import ChunkBuilder, build_chunk
from search.documents import documents_for, iter_source_row_chunks, listed_ids
from search.models import SearchEntry, StoredDocument
from tests.search.conftest import ids, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_workers(settings, monkeypatch):
    """Two worker processes for any build, however small, in chunks of 7 rows."""
    settings.SEARCH_BUILD_WORKERS = 2
    settings.SEARCH_BUILD_POOL_MIN_ROWS = 0
    monkeypatch.setattr(store, "CHUNK_SIZE", 7)


@pytest.fixture
def realistic(db):
    """Realistic generated products (catalog.generator): many texts, compounds, units, two companies each."""
    return load_catalog(size=40, seed=19)


def stored_bodies() -> dict[int, dict]:
    return {pk: json.loads(body) for pk, body in StoredDocument.objects.values_list("listing_id", "body")}


def test_documents_built_on_workers_equal_documents_built_one_at_a_time(realistic, on_workers):
    chunks = list(iter_source_row_chunks(chunk_size=9))
    assert len(chunks) >= 3
    with ChunkBuilder(pool_after=0) as builder:
        futures = [builder.submit(rows, {}) for _chunk, rows in chunks]
        built = [document for future in futures for document in future.result()]
        assert builder.pooled
    expected = documents_for(list(listed_ids()))
    assert {document.listing_id: json.loads(document.body) for document in built} == expected
    assert built == [document for _chunk, rows in chunks for document in build_chunk(rows, {})]
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("backend", ["database"], indirect=True)
def test_a_rebuild_from_scratch_on_workers_stores_and_indexes_the_same_documents(
    backend, realistic, on_workers
):
    progress: list[int] = []
    stats = sync.rebuild(backend, progress=progress.append, reuse_stored=False)
    expected = documents_for(list(listed_ids()))
    assert stats.indexed == sum(progress) == len(expected) > 0
    assert stored_bodies() == expected
    assert dict(SearchEntry.objects.values_list("listing_id", "document")) == expected
    assert multiprocessing.active_children() == []


def test_a_small_build_stays_in_process(settings, realistic):
    settings.SEARCH_BUILD_WORKERS = 2
    settings.SEARCH_BUILD_POOL_MIN_ROWS = 1000
    with ChunkBuilder(pool_after=settings.SEARCH_BUILD_POOL_MIN_ROWS) as builder:
        for _chunk, rows in iter_source_row_chunks(chunk_size=20):
            builder.submit(rows, {}).result()
        assert not builder.pooled
    settings.SEARCH_BUILD_WORKERS = 1  # one core: never a pool
    with ChunkBuilder(pool_after=0) as builder:
        builder.submit(next(iter_source_row_chunks())[1], {}).result()
        assert not builder.pooled


@pytest.mark.parametrize("backend", ["database", "elasticsearch"], indirect=True)
def test_a_cancelled_rebuild_stops_its_workers_and_leaves_the_old_index_serving(backend, indexed, on_workers):
    before = ids(run(backend, "LED"))
    assert before

    def cancel_after_first_chunk(count: int) -> None:
        raise JobCancelled()

    with pytest.raises(JobCancelled):
        sync.rebuild(backend, progress=cancel_after_first_chunk, reuse_stored=False)
    assert multiprocessing.active_children() == []
    assert ids(run(backend, "LED")) == before


@pytest.mark.parametrize("backend", ["database"], indirect=True)
def test_a_failed_build_leaves_the_old_index_serving(backend, indexed, on_workers, monkeypatch):
    before = ids(run(backend, "LED"))

    def fails(rows, stored):
        raise RuntimeError("analyser crashed")

    # in process (the workers would not see the patch): the failure reaches the rebuild the same way
    monkeypatch.setattr(builders, "worker_count", lambda: 1)
    monkeypatch.setattr(builders, "build_chunk", fails)
    with pytest.raises(RuntimeError, match="analyser crashed"):
        sync.rebuild(backend, reuse_stored=False)
    assert ids(run(backend, "LED")) == before


def test_reading_and_storing_cost_the_same_queries_per_chunk(realistic):
    """One read of the rows for the whole walk; per chunk, one query for delivery regions and the store's
    few statements (PostgreSQL: a savepoint, the load table, the upsert): never a query per listing."""

    def queries(chunk_size: int) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            documents = list(store.iter_documents(reuse=False, chunk_size=chunk_size))
        chunks = -(-len(documents) // chunk_size)
        return len(captured.captured_queries), chunks

    small, small_chunks = queries(5)
    large, large_chunks = queries(20)
    per_chunk = (small - large) / (small_chunks - large_chunks)
    assert per_chunk == int(per_chunk) <= 8
    assert large - per_chunk * large_chunks <= 2  # the rows' one query (and nothing else per walk)


def test_a_rebuild_job_from_scratch_on_workers_reports_every_row(settings, realistic, on_workers):
    from search import rebuilds
    from tests.worlds import ListedWorld

    settings.SEARCH_SYNC_ON_COMMIT = False
    admin = ListedWorld().admin
    job = rebuilds.request_rebuild(admin, backend="database", reuse_stored=False)
    finished = rebuilds.execute_rebuild(job.pk)
    expected = documents_for(list(listed_ids()))
    assert (finished.status, finished.phase) == ("succeeded", "done")
    assert finished.rows_total == finished.rows_done == finished.indexed == len(expected)
    assert stored_bodies() == expected
    assert multiprocessing.active_children() == []


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_postgresql_reads_and_stores_on_threads_of_their_own(
    settings, monkeypatch, on_workers
):
    """A walk from scratch on workers, outside any transaction, on PostgreSQL: rows are read and chunks
    written by threads with their own connections while this one sends; all of them are stored before the
    walk ends, in id order, and a failed read or write fails the walk."""
    if connection.vendor != "postgresql":
        pytest.skip("reading and storing move to threads on PostgreSQL only")
    import threading

    load_catalog(size=40, seed=19)
    writers: set[str] = set()
    real_store = store._store

    def recording(documents, fingerprint):
        writers.add(threading.current_thread().name)
        real_store(documents, fingerprint)

    readers: set[str] = set()
    real_read = store.iter_source_value_chunks

    def reading(*args, **kwargs):
        readers.add(threading.current_thread().name)
        yield from real_read(*args, **kwargs)

    monkeypatch.setattr(store, "_store", recording)
    monkeypatch.setattr(store, "iter_source_value_chunks", reading)
    built = dict(store.iter_documents(reuse=False, pool_after=0))
    expected = documents_for(list(listed_ids()))
    assert {pk: json.loads(body) for pk, body in built.items()} == expected == stored_bodies()
    assert {name.split("_")[0] for name in writers} == {"search-store"}
    assert readers == {"search-read"}
    assert list(store.iter_documents(reuse=False, pool_after=0)) == list(built.items())  # in id order

    walk = store.iter_documents(reuse=False, pool_after=0)
    next(walk)
    walk.close()  # a cancelled rebuild: its reader and writer threads and its workers stop with it
    assert not [thread for thread in threading.enumerate() if thread.name.startswith("search-")]
    assert multiprocessing.active_children() == []

    def unreadable(*args, **kwargs):
        raise RuntimeError("connection lost")
        yield

    monkeypatch.setattr(store, "iter_source_value_chunks", unreadable)
    with pytest.raises(RuntimeError, match="connection lost"):
        list(store.iter_documents(reuse=False, pool_after=0))
    monkeypatch.setattr(store, "iter_source_value_chunks", real_read)

    def fails(documents, fingerprint):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_store", fails)
    with pytest.raises(RuntimeError, match="disk full"):
        list(store.iter_documents(reuse=False, pool_after=0))
    assert multiprocessing.active_children() == []


def test_document_json_is_byte_for_byte_what_json_dumps_writes(realistic):
    """``builders.dumps`` (orjson) writes what the standard library wrote before it: stored bodies keep
    their bytes, and texts with control characters, quotes and every plane of Unicode escape alike."""

    def standard(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    documents = documents_for(list(listed_ids()))
    assert documents
    for document in documents.values():
        assert builders.dumps(document) == standard(document)
    awkward = {
        "text": "".join(map(chr, range(0x3000))) + '"\\/\u2028\u2029\ufeff\U0001f600 상생',
        "numbers": [0, -1, 2**63 - 1, -(2**63)],
        "empty": [None, True, False, "", [], {}],
    }
    assert builders.dumps(awkward) == standard(awkward)


def test_rows_as_read_build_the_same_documents_after_a_trip_to_a_worker(realistic):
    """A rebuild from scratch sends workers the rows as read (``SourceValues``), not dicts."""
    import pickle

    from search.documents import iter_source_value_chunks

    as_read = list(iter_source_value_chunks(chunk_size=9))
    as_rows = list(iter_source_row_chunks(chunk_size=9))
    assert len(as_read) == len(as_rows) >= 3
    for (_chunk, values), (_same, rows) in zip(as_read, as_rows, strict=True):
        assert len(values) == len(rows)
        assert build_chunk(pickle.loads(pickle.dumps(values)), {}) == build_chunk(rows, {})
