"""Long jobs run by workers (feed exports, search rebuilds): claimed once, progress and lease, cancelled,
settled when stale. The rules are the same for every kind of job; each kind describes itself with a
``JobLifecycle`` (its model, its settings, what an attempt leaves behind).

A job is recorded ``queued``; one worker claims it (``claim``: a conditional UPDATE, so a message
delivered twice runs the job once) and it turns ``running``, attempt n. While it runs, ``JobProgress``
writes rows done, the phase and a heartbeat on the row every ``<PREFIX>_PROGRESS_ROWS`` rows or
``<PREFIX>_PROGRESS_SECONDS``; each write is conditional on the job still being this attempt's and not
cancelled, so a cancel (or a sweep that took the job back) stops the worker at its next write. A job whose
heartbeat is older than ``<PREFIX>_LEASE_SECONDS`` belongs to a worker that died: ``sweep`` removes what
that attempt left and queues the job again, up to ``<PREFIX>_MAX_ATTEMPTS`` attempts, or fails it.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from core.domain import Conflict


class JobStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("job status", "대기중")
    RUNNING = "running", pgettext_lazy("job status", "실행중")
    SUCCEEDED = "succeeded", pgettext_lazy("job status", "완료")
    FAILED = "failed", pgettext_lazy("job status", "실패")
    CANCELLED = "cancelled", pgettext_lazy("job status", "취소됨")


# a job in one of these may still change; the others are final
UNFINISHED = (JobStatus.QUEUED, JobStatus.RUNNING)
QUEUED_PHASE = "queued"
DONE_PHASE = "done"


class TrackedJob(models.Model):
    """What every worker job records: who asked, its state, its progress and the worker's lease."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # kept when the user is deleted: the job history must still say who started it
    created_by_name = models.CharField(max_length=150, blank=True)
    started_at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    error_message = models.TextField(blank=True)
    # progress and the worker's lease (core.jobs)
    phase = models.CharField(max_length=10, default=QUEUED_PHASE)
    rows_total = models.PositiveIntegerField(null=True, blank=True, help_text="listings in scope")
    rows_done = models.PositiveIntegerField(default=0, help_text="listings processed so far")
    claimed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="when a worker claimed the current attempt; progress counts from here",
    )
    heartbeat_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="last sign of life: when the job was queued, then each progress write of its worker",
    )
    attempts = models.PositiveSmallIntegerField(default=0, help_text="times a worker claimed the job")
    cancel_requested = models.BooleanField(default=False)

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.status not in UNFINISHED

    @property
    def percent(self) -> int | None:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.rows_total:
            return None
        return min(100, self.rows_done * 100 // self.rows_total)

    @property
    def eta(self) -> datetime | None:
        """When the rows will be done at the pace so far (None before the first rows or once finished)."""
        if self.status != JobStatus.RUNNING or not self.rows_total or not self.rows_done:
            return None
        if self.claimed_at is None or self.heartbeat_at is None:
            return None
        elapsed = self.heartbeat_at - self.claimed_at
        remaining = max(0, self.rows_total - self.rows_done)
        return self.heartbeat_at + elapsed * remaining / self.rows_done


class JobCancelled(Exception):
    """An administrator cancelled the job while it ran."""


class LeaseLost(Exception):
    """The job is no longer this attempt's: the sweep took it back (this worker looked dead)."""


class Progress(Protocol):
    """Something else to tell about progress, e.g. a command's progress bar."""

    def start(self, total: int) -> None: ...

    def advance(self, count: int = 1) -> None: ...


@dataclass
class Sweep:
    requeued: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)


def _discard_nothing(job: TrackedJob) -> None:
    return None


@dataclass(frozen=True)
class JobLifecycle:
    """One kind of job: its model, the prefix of its settings (``EXPORT`` reads ``EXPORT_LEASE_SECONDS``…),
    its name in error codes and messages (``export`` → ``export_finished``), and what an attempt that did
    not succeed leaves to remove."""

    model: type[TrackedJob]
    settings_prefix: str
    kind: str
    discard: Callable[[TrackedJob], None] = _discard_nothing
    # fields an unsuccessful attempt clears, besides the state (e.g. an export's file)
    cleared_on_settle: dict[str, Any] = field(default_factory=dict)

    def setting(self, name: str) -> int:
        return getattr(settings, f"{self.settings_prefix}_{name}")

    # ------------------------------------------------------------- claiming and progress
    def claim(self, job_id: int, phase: str) -> TrackedJob | None:
        """Takes a queued job for this worker; None when it is not queued (already claimed, finished,
        cancelled). What an earlier attempt of the job left behind is removed before this one writes."""
        now = timezone.now()
        claimed = self.model.objects.filter(
            pk=job_id, status=JobStatus.QUEUED, cancel_requested=False
        ).update(
            status=JobStatus.RUNNING,
            phase=phase,
            attempts=F("attempts") + 1,
            claimed_at=now,
            heartbeat_at=now,
            rows_done=0,
            rows_total=None,
        )
        if not claimed:
            return None
        job = self.model.objects.get(pk=job_id)
        if job.attempts > 1:
            self.discard(job)
        return job

    def mine(self, job: TrackedJob) -> models.QuerySet:
        """The job's row while it is still this attempt's: running, not cancelled, same attempt number."""
        return self.model.objects.filter(
            pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts, cancel_requested=False
        )

    def why_not_mine(self, job: TrackedJob) -> Exception:
        current = self.model.objects.filter(pk=job.pk).values("cancel_requested", "attempts").first()
        if current is not None and current["cancel_requested"] and current["attempts"] == job.attempts:
            return JobCancelled(f"{self.kind} job {job.pk} was cancelled")
        return LeaseLost(f"{self.kind} job {job.pk} attempt {job.attempts} was taken back")

    def progress(self, job: TrackedJob, inner: Progress | None = None, *, phase: str) -> "JobProgress":
        """Progress of this attempt; ``phase`` is the phase its rows are counted in."""
        return JobProgress(self, job, inner, phase)

    # ------------------------------------------------------------- ending an attempt
    def settle(self, job: TrackedJob, status: str, message: str = "") -> bool:
        """Ends this attempt as ``status`` (failed or cancelled) and removes its outputs; False, touching
        nothing, when the job is no longer this attempt's (then it is whoever has it now's)."""
        now = timezone.now()
        updated = self.model.objects.filter(
            pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts
        ).update(
            status=status,
            phase=DONE_PHASE,
            error_message=message[:2000],
            finished_at=now,
            heartbeat_at=now,
            **self.cleared_on_settle,
        )
        if updated:
            self.discard(job)
        return bool(updated)

    def cancel(self, job_id: int) -> TrackedJob:
        """Cancels a job: a queued one at once, a running one at its worker's next progress write (or by the
        sweep if that worker is gone). A finished job cannot be cancelled. Callers check who may."""
        with transaction.atomic():
            job = self.model.objects.select_for_update().get(pk=job_id)
            if job.status not in UNFINISHED:
                raise Conflict(
                    f"이미 끝난 작업은 취소할 수 없습니다 (the {self.kind} has already finished).",
                    code=f"{self.kind}_finished",
                )
            job.cancel_requested = True
            fields = ["cancel_requested"]
            if job.status == JobStatus.QUEUED:
                job.status = JobStatus.CANCELLED
                job.phase = DONE_PHASE
                job.finished_at = timezone.now()
                fields += ["status", "phase", "finished_at"]
            job.save(update_fields=fields)
        return job

    # ------------------------------------------------------------- the stale-job sweep
    def sweep(self, now: datetime | None = None) -> Sweep:
        """Settles jobs whose worker stopped showing signs of life; returns which to send to the queue again.

        Running past its lease: the attempt's outputs go; the job is cancelled (if asked), queued again
        (while attempts remain) or failed. Queued past the lease (its message was lost, e.g. a broker
        restart): sent again, or failed once it has waited ``<PREFIX>_QUEUE_TIMEOUT_SECONDS`` for a worker.
        """
        now = now or timezone.now()
        expired = now - timedelta(seconds=self.setting("LEASE_SECONDS"))
        result = Sweep()
        stale_running = self.model.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=expired)
        for job_id in list(stale_running.values_list("pk", flat=True)):
            with transaction.atomic():
                job = stale_running.select_for_update(skip_locked=True).filter(pk=job_id).first()
                if job is None:  # it renewed its lease meanwhile, or another sweep has it
                    continue
                self.discard(job)
                self._settle_stale(job, now, result)
        queue_timeout = now - timedelta(seconds=self.setting("QUEUE_TIMEOUT_SECONDS"))
        stale_queued = self.model.objects.filter(status=JobStatus.QUEUED, heartbeat_at__lt=expired)
        waited_too_long = stale_queued.filter(started_at__lt=queue_timeout)
        result.failed += list(waited_too_long.values_list("pk", flat=True))
        waited_too_long.update(
            status=JobStatus.FAILED,
            phase=DONE_PHASE,
            finished_at=now,
            error_message=f"작업자가 작업을 시작하지 않았습니다 (no worker took the {self.kind}).",
        )
        resend = list(stale_queued.values_list("pk", flat=True))
        self.model.objects.filter(pk__in=resend).update(heartbeat_at=now)
        result.requeued += resend
        return result

    def _settle_stale(self, job: TrackedJob, now: datetime, result: Sweep) -> None:
        finished = {"phase": DONE_PHASE, "finished_at": now, "heartbeat_at": now}
        rows = self.model.objects.filter(pk=job.pk)
        if job.cancel_requested:
            rows.update(status=JobStatus.CANCELLED, **finished)
            result.cancelled.append(job.pk)
        elif job.attempts < self.setting("MAX_ATTEMPTS"):
            rows.update(
                status=JobStatus.QUEUED,
                phase=QUEUED_PHASE,
                heartbeat_at=now,
                claimed_at=None,
                rows_done=0,
                rows_total=None,
            )
            result.requeued.append(job.pk)
        else:
            message = (
                f"작업자가 응답하지 않아 작업이 {job.attempts}번 중단되었습니다 "
                f"(the worker stopped responding; {job.attempts} attempts)."
            )
            rows.update(status=JobStatus.FAILED, error_message=message, **finished)
            result.failed.append(job.pk)


class JobProgress:
    """Progress written on the job's row (and passed on to ``inner``, e.g. the command's progress bar)."""

    def __init__(self, lifecycle: JobLifecycle, job: TrackedJob, inner: Progress | None, phase: str) -> None:
        self.lifecycle = lifecycle
        self.job = job
        self.inner = inner
        self.counting_phase = phase
        self.every = max(1, lifecycle.setting("PROGRESS_ROWS"))
        self.seconds = lifecycle.setting("PROGRESS_SECONDS")
        self.done = 0
        self.written = 0
        self.last = time.monotonic()

    def start(self, total: int) -> None:
        if self.inner is not None:
            self.inner.start(total)
        self.write(phase=self.counting_phase, rows_total=total)

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
        updated = self.lifecycle.mine(self.job).update(
            rows_done=self.done, heartbeat_at=timezone.now(), **fields
        )
        self.written = self.done
        self.last = time.monotonic()
        if not updated:
            raise self.lifecycle.why_not_mine(self.job)
