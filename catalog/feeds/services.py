"""Running a Nara feed export: one recorded job, one file, one validation report.

``create_export_job`` checks the request and records the job (queued); ``execute_export`` claims it
(``catalog.feeds.lifecycle``), streams the export's scope (``catalog.feeds.scope``) through an
``ExportRun`` (``catalog.feeds.streaming``) into a temporary file hashed as it is written, and finally
stores the file and its report through Django's default storage. A failure or a cancel leaves the job
without a file or manifest. Web requests hand the job to a worker (``catalog.feeds.tasks``); the command
runs it in-process (``run_export``).
"""

import logging
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils import timezone

from catalog.feeds import lifecycle, signals
from catalog.feeds.models import ExportFormat, ExportJob, ExportKind, ExportPhase, ExportStatus
from catalog.feeds.scope import filtered_listings, normalize_filters, resolve_base_job
from catalog.feeds.streaming import ExportRun, Progress, ReportWriter
from catalog.feeds.versions import DEFAULT_VERSION, VERSIONS
from catalog.feeds.versions import feed_version as version_named
from catalog.feeds.writers import writer_for
from certification.roles import is_admin
from core.domain import NotPermitted
from core.jobs import JobCancelled, JobProgress, LeaseLost

logger = logging.getLogger(__name__)


def _file_name(job: ExportJob, extension: str) -> str:
    stamp = timezone.localtime(job.started_at).strftime("%Y%m%dT%H%M%S")
    return f"nara-feed-v{job.feed_version}-{job.kind}-job{job.pk}-{stamp}.{extension}"


def create_export_job(
    actor: AbstractBaseUser | AnonymousUser | None,
    *,
    export_format: str,
    kind: str = ExportKind.FULL,
    since_job: ExportJob | int | None = None,
    since: datetime | None = None,
    filters: dict[str, Any] | None = None,
    today: date | None = None,
    feed_version: str | None = None,
) -> ExportJob:
    """Checks an export request and records its job, queued; nothing is exported yet.

    ``actor`` None means the system (the management command without --user); a user must be an admin.
    ``feed_version`` None means the default (2.0) for a full export and the base job's version for a
    delta; a delta asked for in another version than its base's is refused (a delta compares like with
    like). Input errors raise ValidationError before any job is recorded.
    """
    if actor is not None and not is_admin(actor):
        raise NotPermitted("only administrators export the Nara feed")
    if export_format not in ExportFormat.values:
        raise ValidationError({"format": [f"use one of {', '.join(ExportFormat.values)}"]})
    if kind not in ExportKind.values:
        raise ValidationError({"kind": [f"use one of {', '.join(ExportKind.values)}"]})
    if feed_version is not None and feed_version not in VERSIONS:
        raise ValidationError({"feed_version": [f"use one of {', '.join(VERSIONS)}"]})
    normalized = normalize_filters(filters) if filters is not None else None
    base_job = None
    if kind == ExportKind.DELTA:
        base_job, normalized = resolve_base_job(
            since_job=since_job, since=since, filters=normalized, feed_version=feed_version
        )
        feed_version = base_job.feed_version
    elif since_job is not None or since is not None:
        raise ValidationError({"kind": ["since_job and since are for delta exports"]})

    user = actor if actor is not None and actor.is_authenticated else None
    now = timezone.now()
    return ExportJob.objects.create(
        created_by=user,
        created_by_name=user.get_username() if user is not None else "system",
        started_at=now,
        heartbeat_at=now,
        as_of=today or timezone.localdate(),
        format=export_format,
        kind=kind,
        filters=normalized or {},
        base_job=base_job,
        since=since,
        feed_version=feed_version or DEFAULT_VERSION,
    )


def run_export(
    actor: AbstractBaseUser | AnonymousUser | None, *, progress: Progress | None = None, **request: Any
) -> ExportJob:
    """Records one export and runs it here and now (the command, tests); returns its job, settled.

    Takes ``create_export_job``'s arguments. Web requests queue the job instead (``tasks.start_export``).
    """
    job = create_export_job(actor, **request)
    return execute_export(job.pk, progress=progress) or job


def execute_export(job_id: int, *, progress: Progress | None = None) -> ExportJob | None:
    """Claims a queued job and runs it: succeeded with its file, or failed / cancelled with no output.

    None when the job was not there to claim (another worker has it, or it is finished or cancelled):
    running a job is idempotent. Errors while exporting are recorded on the job and logged.
    """
    job = lifecycle.claim(job_id)
    if job is None:
        return None
    tracker = lifecycle.EXPORTS.progress(job, progress, phase=ExportPhase.WRITING)
    try:
        _execute(job, tracker)
    except JobCancelled:
        lifecycle.EXPORTS.settle(job, ExportStatus.CANCELLED)
    except LeaseLost:
        # the sweep took the job back and settled or re-queued it; only this attempt's files are ours
        logger.warning(
            "export job %s attempt %s lost its lease; its outputs are dropped", job.pk, job.attempts
        )
        _drop_files(job)
    except Exception as exc:
        logger.exception("Nara feed export job %s failed", job.pk)
        lifecycle.EXPORTS.settle(job, ExportStatus.FAILED, f"{type(exc).__name__}: {exc}")
    job.refresh_from_db()
    if job.is_finished:
        announce_finished(job)
    return job


def announce_finished(job: ExportJob) -> None:
    """Sends ``export_finished``; the job's outcome is recorded already, so a listener's error is logged,
    never raised into the export."""
    for receiver, error in signals.export_finished.send_robust(sender=ExportJob, job=job):
        if isinstance(error, Exception):
            logger.error("export_finished receiver %r failed for job %s: %r", receiver, job.pk, error)


def _execute(job: ExportJob, progress: JobProgress) -> None:
    queryset = filtered_listings(job.filters, job.as_of)
    # the sweep may remove the folder of an attempt it took back: that is no error of this one
    with tempfile.TemporaryDirectory(
        prefix=lifecycle.scratch_prefix(job), ignore_cleanup_errors=True
    ) as folder:
        columns = version_named(job.feed_version).columns
        writer = writer_for(job.format, Path(folder) / f"feed.{job.format}", columns)
        report = ReportWriter(Path(folder) / "report.json", job)
        run = ExportRun(job, writer, report, progress)
        try:
            run.run(queryset)
            progress.phase(ExportPhase.STORING)
        except BaseException:
            writer.discard()
            raise
        finally:
            report.close()
        sha256, size = writer.close()
        counts = run.counts
        with writer.path.open("rb") as handle:
            job.file.save(_file_name(job, writer.extension), File(handle), save=False)
        with report.path.open("rb") as handle:
            job.report_file.save(_file_name(job, "report.json"), File(handle), save=False)
    # recorded only while the job is still this attempt's: a cancel or a sweep meanwhile wins
    now = timezone.now()
    finished = lifecycle.EXPORTS.mine(job).update(
        file=job.file.name,
        report_file=job.report_file.name,
        sha256=sha256,
        file_size=size,
        row_count=counts.rows,
        listed_count=counts.listed,
        added_count=counts.added,
        changed_count=counts.changed,
        unchanged_count=counts.unchanged,
        delisted_count=counts.delisted,
        rejected_count=counts.rejected,
        rejected_preview=counts.preview,
        rows_done=progress.done,
        status=ExportStatus.SUCCEEDED,
        phase=ExportPhase.DONE,
        finished_at=now,
        heartbeat_at=now,
    )
    if not finished:
        raise lifecycle.EXPORTS.why_not_mine(job)


def _drop_files(job: ExportJob) -> None:
    for stored in (job.file, job.report_file):
        if stored:
            try:
                stored.delete(save=False)
            except Exception:  # the job's state is someone else's now; a leftover file is only logged
                logger.warning("could not delete %s of export job %s", stored.name, job.pk)
