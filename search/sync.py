"""Keeping the search index in step with the catalog through the outbox.

Write side: :func:`enqueue` runs as a receiver of ``catalog.signals.listings_changed``, which the catalog
sends *inside* its writing transaction — so the outbox row commits with the change or rolls back with it.
Nothing is indexed that was rolled back; nothing committed is forgotten.

Read side: :func:`drain` takes a batch of rows, re-reads which of those listings are listed *now* (the
rows say only "look again", never what to write, so replaying or reordering them is harmless), writes or
deletes them in every target backend in bulk, and deletes the rows in the same transaction as the
success. On an outage every row stays and the worker backs off and retries; the targets that are up
(the database fallback table) still receive the batch, so the fallback never serves stale visibility.

Concurrency: on PostgreSQL rows are claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` and each listing is
additionally guarded by a transaction-scoped advisory lock, so two workers never write the same listing
concurrently (which could let an older read overwrite a newer one). SQLite serialises writers anyway
(the project opens transactions with ``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from search import store
from search.backends import get_backend
from search.backends.base import SearchBackend, SearchError, SearchUnavailable
from search.models import IndexOutbox

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 500
# A row whose listing keeps being rejected (not an outage: a bad document) stops blocking after this many
# tries; ``search_index status`` lists such rows so an operator can look.
MAX_ATTEMPTS = 10
# namespace for pg_try_advisory_xact_lock(namespace, listing_id)
ADVISORY_NAMESPACE = 0x5EA7C4
# A transaction that began before a rebuild's snapshot may commit after it; look back this far.
REBUILD_CATCH_UP_MARGIN = timedelta(minutes=5)


def enqueue(listing_ids: Iterable[int]) -> int:
    """Record that these listings need re-indexing. Call inside the transaction that changed them."""
    ids = sorted({int(pk) for pk in listing_ids})
    if not ids:
        return 0
    IndexOutbox.objects.bulk_create([IndexOutbox(listing_id=pk) for pk in ids])
    if _sync_on_commit():
        # embedded set-ups have no worker running: apply right after commit; if that fails the rows stay
        transaction.on_commit(lambda: _drain_quietly(ids))
    return len(ids)


def on_listings_changed(sender, listing_ids=(), **kwargs) -> None:
    enqueue(listing_ids)


def _sync_on_commit() -> bool:
    default = settings.SEARCH_BACKEND == "database"
    return bool(getattr(settings, "SEARCH_SYNC_ON_COMMIT", default))


def _drain_quietly(listing_ids: list[int]) -> None:
    try:
        drain(only_listing_ids=listing_ids)
    except Exception:  # best effort: the rows are still in the outbox for the worker or the next write
        logger.exception("search: applying outbox after commit failed; rows kept")


def target_backends() -> list[SearchBackend]:
    """Every backend the outbox feeds: the configured one, plus the database search table when searches
    may fall back to it during an Elasticsearch outage (a fallback to an empty table would be useless)."""
    primary = get_backend()
    targets = [primary]
    if primary.name != "database" and settings.SEARCH_FALLBACK_TO_DATABASE:
        targets.insert(0, get_backend("database"))
    return targets


@dataclass
class DrainStats:
    batches: int = 0
    rows: int = 0
    indexed: int = 0
    deleted: int = 0
    failed: dict[int, str] = field(default_factory=dict)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def _claim(batch_size: int, only_listing_ids: list[int] | None) -> list[IndexOutbox]:
    queryset = IndexOutbox.objects.filter(attempts__lt=MAX_ATTEMPTS).order_by("id")
    if only_listing_ids is not None:
        queryset = queryset.filter(listing_id__in=only_listing_ids)
    if connection.features.has_select_for_update_skip_locked:
        queryset = queryset.select_for_update(skip_locked=True)
    rows = list(queryset[:batch_size])
    if connection.vendor != "postgresql" or not rows:
        return rows
    # rows are claimed; now make sure no other worker is writing the same listing right now
    listing_ids = sorted({row.listing_id for row in rows})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM unnest(%s::bigint[]) AS id "
            "WHERE pg_try_advisory_xact_lock(%s, (id %% 2147483647)::int)",
            [listing_ids, ADVISORY_NAMESPACE],
        )
        locked = {row[0] for row in cursor.fetchall()}
    return [row for row in rows if row.listing_id in locked]


def drain_batch(
    batch_size: int = DEFAULT_BATCH_SIZE,
    only_listing_ids: list[int] | None = None,
    backends: list[SearchBackend] | None = None,
) -> DrainStats:
    """Apply one batch of outbox rows. Raises :class:`SearchUnavailable` on an outage (rows kept)."""
    stats = DrainStats()
    backends = backends if backends is not None else target_backends()
    outage: SearchUnavailable | None = None
    with transaction.atomic():
        rows = _claim(batch_size, only_listing_ids)
        if not rows:
            return stats
        listing_ids = sorted({row.listing_id for row in rows})
        # read once, apply to every target: what is listed now is written, everything else removed
        documents = store.refresh(listing_ids)
        gone = [pk for pk in listing_ids if pk not in documents]
        failed: dict[int, str] = {}
        for backend in backends:
            try:
                for applied in (backend.write(list(documents.values())), backend.delete(gone)):
                    stats.indexed += applied.indexed
                    stats.deleted += applied.deleted
                    failed.update(applied.failed)
            except SearchUnavailable as exc:
                # The other targets still get the batch: the database fallback table is what answers
                # searches during exactly this outage, and must not keep showing a revoked product.
                # Every row stays for the retry (applying a row twice is harmless).
                outage = exc
        if outage is None:
            done = [row.pk for row in rows if row.listing_id not in failed]
            IndexOutbox.objects.filter(pk__in=done).delete()
            for row in rows:
                if row.listing_id in failed:
                    row.attempts += 1
                    row.last_error = failed[row.listing_id][:2000]
                    row.save(update_fields=["attempts", "last_error"])
            stats.batches = 1
            stats.rows = len(rows)
            stats.failed = failed
    if outage is not None:
        raise outage
    return stats


def drain(
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_batches: int | None = None,
    only_listing_ids: list[int] | None = None,
    retries: int = 0,
    backoff: float = 1.0,
    max_backoff: float = 60.0,
    sleep: Callable[[float], None] = time.sleep,
    backends: list[SearchBackend] | None = None,
) -> DrainStats:
    """Drain until the outbox is empty (or ``max_batches``). On an outage retry ``retries`` times with
    exponential backoff, then stop and report; the rows remain for the next run."""
    total = DrainStats()
    backends = backends or target_backends()
    attempt = 0
    while max_batches is None or total.batches < max_batches:
        try:
            stats = drain_batch(batch_size, only_listing_ids, backends)
        except SearchError as exc:
            _record_failure(only_listing_ids, str(exc))
            if attempt >= retries:
                total.error = str(exc)
                return total
            delay = min(max_backoff, backoff * (2**attempt))
            attempt += 1
            logger.warning("search sync: %s; retrying in %.1fs", exc, delay)
            sleep(delay)
            continue
        attempt = 0
        if not stats.rows:
            break
        total.batches += stats.batches
        total.rows += stats.rows
        total.indexed += stats.indexed
        total.deleted += stats.deleted
        total.failed.update(stats.failed)
        if stats.failed:
            break  # rejected documents are retried on the next run, not spun on (attempts are counted)
    return total


def _record_failure(only_listing_ids: list[int] | None, error: str) -> None:
    """Note the outage on the waiting rows (for ``status``), without counting it against them: an outage
    is not the document's fault, so it never dead-letters a row."""
    try:
        queryset = IndexOutbox.objects.all()
        if only_listing_ids is not None:
            queryset = queryset.filter(listing_id__in=only_listing_ids)
        queryset.update(last_error=f"{timezone.now():%Y-%m-%d %H:%M:%S} {error}"[:2000])
    except Exception:  # the database itself may be what failed
        logger.exception("search sync: could not record the failure")


def pending_count() -> int:
    return IndexOutbox.objects.filter(attempts__lt=MAX_ATTEMPTS).count()


@dataclass(frozen=True)
class OutboxLag:
    """How far the index trails the catalog, for ``/healthz``: counts stop at ``cap`` (``capped``)."""

    pending: int
    dead: int
    capped: bool
    oldest_pending: datetime | None


def outbox_lag(cap: int = 10_000) -> OutboxLag:
    """A few index-ordered reads, bounded by ``cap``: never a scan of a long backlog. The oldest pending
    row is the one with the lowest id (ids are taken in insertion order)."""
    waiting = IndexOutbox.objects.filter(attempts__lt=MAX_ATTEMPTS)
    oldest = waiting.order_by("id").values_list("created_at", flat=True).first()
    pending = waiting.values("id")[: cap + 1].count()
    dead = IndexOutbox.objects.filter(attempts__gte=MAX_ATTEMPTS).values("id")[: cap + 1].count()
    return OutboxLag(
        pending=min(pending, cap), dead=min(dead, cap), capped=max(pending, dead) > cap, oldest_pending=oldest
    )


def dead_rows() -> list[IndexOutbox]:
    return list(IndexOutbox.objects.filter(attempts__gte=MAX_ATTEMPTS)[:100])


# ---------------------------------------------------------------------------- after a rebuild
def changed_since(moment: datetime) -> list[int]:
    """Listings whose document may differ from a snapshot taken at ``moment``: their own row, their
    certificate or either company changed since."""
    from catalog.models import ProductListing

    since = moment - REBUILD_CATCH_UP_MARGIN
    return list(
        ProductListing.objects.filter(
            Q(updated_at__gte=since)
            | Q(certificate__updated_at__gte=since)
            | Q(supplier__updated_at__gte=since)
            | Q(certificate__partner__updated_at__gte=since)
        ).values_list("pk", flat=True)
    )


def reconcile_ids(backend: SearchBackend) -> tuple[set[int], set[int]]:
    """(listed but missing from the index, in the index but not listed), comparing ids only."""
    from search.documents import listed_ids

    listed = set(listed_ids())
    indexed = set(backend.iter_ids())
    return listed - indexed, indexed - listed


def catch_up(backend: SearchBackend, started: datetime) -> int:
    """Queue every listing a rebuild's snapshot may have got wrong: changed while it ran (the worker wrote
    those to the old index), or present on one side only (deleted or delisted meanwhile)."""
    missing, extra = reconcile_ids(backend)
    ids = set(changed_since(started)) | missing | extra
    with transaction.atomic():
        enqueue(ids)
    return len(ids)


def rebuild(
    backend: SearchBackend | None = None,
    progress=None,
    apply: bool = True,
    reuse_stored: bool = True,
    on_catch_up: Callable[[], None] | None = None,
):
    """Rebuild one backend's index and bring it fully up to date. Returns the backend's RebuildStats.

    Stored documents and analyses of unchanged catalog rows are reused unless ``reuse_stored`` is off.
    ``on_catch_up`` is told when the new index serves and the changes made meanwhile are being applied."""
    backend = backend or get_backend()
    started = timezone.now()
    documents = store.iter_all(reuse=reuse_stored)
    try:
        stats = backend.rebuild(progress=progress, documents=documents)
    finally:
        documents.close()  # a failed or cancelled build stops its worker processes now, not when collected
    if on_catch_up is not None:
        on_catch_up()
    queued = catch_up(backend, started)
    if apply and queued:
        # the rebuilt backend gets the catch-up even when it is not the configured one
        targets = target_backends()
        if backend.name not in {target.name for target in targets}:
            targets.append(backend)
        drain(retries=2, backends=targets)
    backend.refresh()
    return stats


__all__ = [
    "DrainStats",
    "SearchUnavailable",
    "catch_up",
    "drain",
    "drain_batch",
    "enqueue",
    "rebuild",
]
