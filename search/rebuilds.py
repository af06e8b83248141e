"""Full search rebuilds as worker jobs: requested by an administrator, run by a Celery worker with progress,
cancelled, retried when the worker dies (the rules of every worker job: ``core.jobs``).

A rebuild builds a new index beside the serving one and swaps it in (Elasticsearch: an alias; the database
backend: one transaction), so a failed, cancelled or abandoned attempt leaves searches on the old index.
The database backend writes its whole table in one transaction: progress written from inside it would stay
invisible until the commit and would hold the job's row locked against a cancel, so that backend reports
its rows when the transaction ends, and a cancel takes effect then (the rebuilt table is kept).
Settings: ``SEARCH_REBUILD_PROGRESS_ROWS``, ``…_PROGRESS_SECONDS``, ``…_LEASE_SECONDS``, ``…_MAX_ATTEMPTS``,
``…_QUEUE_TIMEOUT_SECONDS``.
"""

import logging
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from certification.roles import is_admin
from core.domain import Conflict, NotPermitted
from core.jobs import JobCancelled, JobLifecycle, JobProgress, JobStatus, LeaseLost, Sweep
from search import sync
from search.backends import BACKEND_NAMES, get_backend
from search.documents import listed_count
from search.models import RebuildJob, RebuildPhase

logger = logging.getLogger(__name__)

REBUILDS = JobLifecycle(model=RebuildJob, settings_prefix="SEARCH_REBUILD", kind="rebuild")


def request_rebuild(
    actor: AbstractBaseUser | AnonymousUser, *, backend: str, reuse_stored: bool = True
) -> RebuildJob:
    """Records a rebuild of ``backend``, queued; one unfinished rebuild per backend at a time."""
    if not is_admin(actor):
        raise NotPermitted(
            "관리자만 검색 색인을 다시 만들 수 있습니다 (only administrators rebuild the search index)."
        )
    if backend not in BACKEND_NAMES:
        raise ValidationError({"backend": [f"use one of {', '.join(BACKEND_NAMES)}"]})
    now = timezone.now()
    try:
        with transaction.atomic():
            return RebuildJob.objects.create(
                created_by=actor,
                created_by_name=actor.get_username(),
                started_at=now,
                heartbeat_at=now,
                backend=backend,
                reuse_stored=reuse_stored,
            )
    except IntegrityError as exc:
        raise Conflict(
            "이 백엔드의 색인 재구축이 이미 진행 중입니다 (a rebuild of this backend is already queued or running).",
            code="rebuild_in_progress",
        ) from exc


class _RebuildProgress:
    """The backend's progress callback: rows go to the job's row, except inside the database backend's
    rebuild transaction, where they are counted and written when it ends (see the module's docstring)."""

    def __init__(self, tracker: JobProgress) -> None:
        self.tracker = tracker
        self.deferred = 0

    def __call__(self, count: int) -> None:
        if connection.in_atomic_block:
            self.deferred += count
            return
        self.tracker.advance(count + self.deferred)
        self.deferred = 0


def execute_rebuild(job_id: int) -> RebuildJob | None:
    """Claims a queued rebuild and runs it; None when there was nothing to claim (idempotent)."""
    job = REBUILDS.claim(job_id, RebuildPhase.COUNTING)
    if job is None:
        return None
    tracker = REBUILDS.progress(job, phase=RebuildPhase.INDEXING)
    try:
        _execute(job, tracker)
    except JobCancelled:
        REBUILDS.settle(job, JobStatus.CANCELLED)
    except LeaseLost:
        logger.warning("search rebuild job %s attempt %s lost its lease", job.pk, job.attempts)
    except Exception as exc:
        logger.exception("search rebuild job %s failed", job.pk)
        REBUILDS.settle(job, JobStatus.FAILED, f"{type(exc).__name__}: {exc}")
    job.refresh_from_db()
    return job


def _execute(job: RebuildJob, tracker: JobProgress) -> None:
    backend = get_backend(job.backend)
    tracker.start(listed_count())
    progress = _RebuildProgress(tracker)
    stats = sync.rebuild(
        backend,
        progress=progress,
        reuse_stored=job.reuse_stored,
        on_catch_up=lambda: tracker.phase(RebuildPhase.CATCHING),
    )
    tracker.done += progress.deferred
    now = timezone.now()
    finished = REBUILDS.mine(job).update(
        status=JobStatus.SUCCEEDED,
        phase=RebuildPhase.DONE,
        rows_done=tracker.done,
        indexed=stats.indexed,
        index=stats.index,
        finished_at=now,
        heartbeat_at=now,
    )
    if not finished:
        raise REBUILDS.why_not_mine(job)


def cancel_rebuild(actor: AbstractBaseUser | AnonymousUser, *, job_id: int) -> RebuildJob:
    if not is_admin(actor):
        raise NotPermitted("관리자만 색인 재구축을 취소할 수 있습니다 (only administrators cancel rebuilds).")
    return REBUILDS.cancel(job_id)


def sweep_stale_rebuilds(now: datetime | None = None) -> Sweep:
    return REBUILDS.sweep(now)
