"""An export job's life outside the rows: claimed once, progress and lease, cancelled, settled when stale.

A job is recorded ``queued``; one worker claims it (``claim``: a conditional UPDATE, so a message
delivered twice runs the job once) and it turns ``running``, attempt n. While it runs, ``JobProgress``
writes rows done, the phase and a heartbeat on the row every ``EXPORT_PROGRESS_ROWS`` rows or
``EXPORT_PROGRESS_SECONDS``; each write is conditional on the job still being this attempt's and not
cancelled, so a cancel (or a sweep that took the job back) stops the worker at its next write. A job whose
heartbeat is older than ``EXPORT_LEASE_SECONDS`` belongs to a worker that died: ``sweep_stale_jobs``
removes what that attempt left (manifest rows, stored or scratch files) and queues the job again, up to
``EXPORT_MAX_ATTEMPTS`` attempts, or fails it.
"""

import logging
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from catalog.feeds.models import UNFINISHED, ExportedRow, ExportJob, ExportPhase, ExportStatus
from catalog.feeds.streaming import Progress
from certification.roles import is_admin
from core.domain import Conflict, NotPermitted

logger = logging.getLogger(__name__)

SCRATCH_PREFIX = "nara-feed"
# upload_to of ExportJob.file and report_file
UPLOAD_FOLDER = "exports/nara/%Y/%m/"


class ExportCancelled(Exception):
    """An administrator cancelled the job while it ran."""


class LeaseLost(Exception):
    """The job is no longer this attempt's: the sweep took it back (this worker looked dead)."""


def scratch_prefix(job: ExportJob) -> str:
    """The temporary folder's name prefix of a job's attempt, so a later attempt or the sweep finds it.
    It names the database too: job ids repeat across databases (two deployments, or test runs, on one
    host share the temporary directory), and a sweep must never remove another database's export."""
    database = re.sub(r"[^A-Za-z0-9]+", "_", str(connection.settings_dict["NAME"]))[-40:]
    return f"{SCRATCH_PREFIX}-{database}-{job.pk}-"


# ----------------------------------------------------------------- claiming and progress
def claim(job_id: int) -> ExportJob | None:
    """Takes a queued job for this worker; None when it is not queued (already claimed, finished,
    cancelled). What an earlier attempt of the job left behind is removed before this one writes."""
    now = timezone.now()
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportStatus.QUEUED, cancel_requested=False).update(
        status=ExportStatus.RUNNING,
        phase=ExportPhase.COUNTING,
        attempts=F("attempts") + 1,
        claimed_at=now,
        heartbeat_at=now,
        rows_done=0,
        rows_total=None,
    )
    if not claimed:
        return None
    job = ExportJob.objects.get(pk=job_id)
    if job.attempts > 1:
        discard_outputs(job)
    return job


def mine(job: ExportJob):
    """The job's row while it is still this attempt's: running, not cancelled, same attempt number."""
    return ExportJob.objects.filter(
        pk=job.pk, status=ExportStatus.RUNNING, attempts=job.attempts, cancel_requested=False
    )


def why_not_mine(job: ExportJob) -> Exception:
    current = ExportJob.objects.filter(pk=job.pk).values("cancel_requested", "attempts").first()
    if current is not None and current["cancel_requested"] and current["attempts"] == job.attempts:
        return ExportCancelled(f"export job {job.pk} was cancelled")
    return LeaseLost(f"export job {job.pk} attempt {job.attempts} was taken back")


class JobProgress:
    """Progress written on the job's row (and passed on to ``inner``, e.g. the command's progress bar)."""

    def __init__(self, job: ExportJob, inner: Progress | None = None) -> None:
        self.job = job
        self.inner = inner
        self.every = max(1, settings.EXPORT_PROGRESS_ROWS)
        self.seconds = settings.EXPORT_PROGRESS_SECONDS
        self.done = 0
        self.written = 0
        self.last = time.monotonic()

    def start(self, total: int) -> None:
        if self.inner is not None:
            self.inner.start(total)
        self.write(phase=ExportPhase.WRITING, rows_total=total)

    def advance(self, count: int = 1) -> None:
        if self.inner is not None:
            self.inner.advance(count)
        self.done += count
        if self.done - self.written >= self.every or time.monotonic() - self.last >= self.seconds:
            self.write()

    def phase(self, phase: str) -> None:
        self.write(phase=phase)

    def write(self, **fields) -> None:
        """Records progress and renews the lease; raises when the job was cancelled or taken back."""
        updated = mine(self.job).update(rows_done=self.done, heartbeat_at=timezone.now(), **fields)
        self.written = self.done
        self.last = time.monotonic()
        if not updated:
            raise why_not_mine(self.job)


# ----------------------------------------------------------------- what an attempt leaves behind
def _stored_leftovers(job: ExportJob) -> list[str]:
    """Stored files named for this job that its row does not (yet) point to: an attempt that died
    between storing its file and recording it."""
    storage = job.file.storage
    moments = [moment for moment in (job.claimed_at, job.heartbeat_at, timezone.now()) if moment]
    folders = {datetime.now().strftime(UPLOAD_FOLDER)} | {
        timezone.localtime(moment).strftime(UPLOAD_FOLDER) for moment in moments
    }
    marker = f"-job{job.pk}-"
    found = []
    for folder in sorted(folders):
        try:
            _dirs, files = storage.listdir(folder)
        except (FileNotFoundError, NotImplementedError):
            continue
        found.extend(f"{folder}{name}" for name in files if marker in name)
    return found


def discard_outputs(job: ExportJob) -> None:
    """Removes the job's manifest rows, stored files and scratch folders (on this host).

    Best effort for files: the job's recorded outcome matters more than a leftover file, which is logged.
    """
    ExportedRow.objects.filter(job_id=job.pk).delete()
    names = {stored.name for stored in (job.file, job.report_file) if stored} | set(_stored_leftovers(job))
    for name in names:
        try:
            job.file.storage.delete(name)
        except Exception:
            logger.warning("could not delete %s of export job %s", name, job.pk)
    for folder in Path(tempfile.gettempdir()).glob(f"{scratch_prefix(job)}*"):
        shutil.rmtree(folder, ignore_errors=True)


def settle(job: ExportJob, status: str, message: str = "") -> bool:
    """Ends this attempt as ``status`` (failed or cancelled) and removes its outputs; False, touching
    nothing, when the job is no longer this attempt's (then it is whoever has it now's)."""
    now = timezone.now()
    updated = ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING, attempts=job.attempts).update(
        status=status,
        phase=ExportPhase.DONE,
        error_message=message[:2000],
        finished_at=now,
        heartbeat_at=now,
        file="",
        report_file="",
        sha256="",
        file_size=None,
    )
    if updated:
        discard_outputs(job)
    return bool(updated)


# ----------------------------------------------------------------- cancelling
def cancel_export(actor: AbstractBaseUser | AnonymousUser, *, job_id: int) -> ExportJob:
    """Cancels a job: a queued one at once, a running one at its worker's next progress write (or by the
    sweep if that worker is gone). A finished job cannot be cancelled."""
    if not is_admin(actor):
        raise NotPermitted("관리자만 내보내기를 취소할 수 있습니다 (only administrators cancel exports).")
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().get(pk=job_id)
        if job.status not in UNFINISHED:
            raise Conflict(
                "이미 끝난 내보내기는 취소할 수 없습니다 (the export has already finished).",
                code="export_finished",
            )
        job.cancel_requested = True
        fields = ["cancel_requested"]
        if job.status == ExportStatus.QUEUED:
            job.status = ExportStatus.CANCELLED
            job.phase = ExportPhase.DONE
            job.finished_at = timezone.now()
            fields += ["status", "phase", "finished_at"]
        job.save(update_fields=fields)
    return job


# ----------------------------------------------------------------- the stale-job sweep
@dataclass
class Sweep:
    requeued: list[int]
    failed: list[int]
    cancelled: list[int]


def sweep_stale_jobs(now: datetime | None = None) -> Sweep:
    """Settles jobs whose worker stopped showing signs of life; returns which to send to the queue again.

    Running past its lease: the attempt's outputs go; the job is cancelled (if asked), queued again (while
    attempts remain) or failed. Queued past the lease (its message was lost, e.g. a broker restart): sent
    again, or failed once it has waited ``EXPORT_QUEUE_TIMEOUT_SECONDS`` for a worker.
    """
    now = now or timezone.now()
    expired = now - timedelta(seconds=settings.EXPORT_LEASE_SECONDS)
    result = Sweep([], [], [])
    stale_running = ExportJob.objects.filter(status=ExportStatus.RUNNING, heartbeat_at__lt=expired)
    for job_id in list(stale_running.values_list("pk", flat=True)):
        with transaction.atomic():
            job = stale_running.select_for_update(skip_locked=True).filter(pk=job_id).first()
            if job is None:  # it renewed its lease meanwhile, or another sweep has it
                continue
            discard_outputs(job)
            _settle_stale(job, now, result)
    queue_timeout = now - timedelta(seconds=settings.EXPORT_QUEUE_TIMEOUT_SECONDS)
    stale_queued = ExportJob.objects.filter(status=ExportStatus.QUEUED, heartbeat_at__lt=expired)
    waited_too_long = stale_queued.filter(started_at__lt=queue_timeout)
    result.failed += list(waited_too_long.values_list("pk", flat=True))
    waited_too_long.update(
        status=ExportStatus.FAILED,
        phase=ExportPhase.DONE,
        finished_at=now,
        error_message="작업자가 내보내기를 시작하지 않았습니다 (no worker took the export).",
    )
    resend = list(stale_queued.values_list("pk", flat=True))
    ExportJob.objects.filter(pk__in=resend).update(heartbeat_at=now)
    result.requeued += resend
    return result


def _settle_stale(job: ExportJob, now: datetime, result: Sweep) -> None:
    finished = {"phase": ExportPhase.DONE, "finished_at": now, "heartbeat_at": now}
    if job.cancel_requested:
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.CANCELLED, **finished)
        result.cancelled.append(job.pk)
    elif job.attempts < settings.EXPORT_MAX_ATTEMPTS:
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.QUEUED,
            phase=ExportPhase.QUEUED,
            heartbeat_at=now,
            claimed_at=None,
            rows_done=0,
            rows_total=None,
        )
        result.requeued.append(job.pk)
    else:
        message = (
            f"작업자가 응답하지 않아 내보내기가 {job.attempts}번 중단되었습니다 "
            f"(the worker stopped responding; {job.attempts} attempts)."
        )
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, error_message=message, **finished
        )
        result.failed.append(job.pk)
