"""Running a Nara feed export: one recorded job, one file, one validation report.

``run_export`` checks the request and records the job, then streams the export's scope
(``catalog.feeds.scope``) through an ``ExportRun`` (``catalog.feeds.streaming``) into a temporary file
hashed as it is written, and finally stores the file and its report through Django's default storage. A
failure marks the job failed and leaves it without a file or manifest.
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

from catalog.feeds.models import ExportedRow, ExportFormat, ExportJob, ExportKind, ExportStatus
from catalog.feeds.nara import FEED_VERSION
from catalog.feeds.scope import filtered_listings, normalize_filters, resolve_base_job
from catalog.feeds.streaming import ExportRun, Progress, ReportWriter
from catalog.feeds.writers import writer_for
from certification.roles import is_admin
from core.domain import NotPermitted

logger = logging.getLogger(__name__)


def _file_name(job: ExportJob, extension: str) -> str:
    stamp = timezone.localtime(job.started_at).strftime("%Y%m%dT%H%M%S")
    return f"nara-feed-v{job.feed_version}-{job.kind}-job{job.pk}-{stamp}.{extension}"


def run_export(
    actor: AbstractBaseUser | AnonymousUser | None,
    *,
    export_format: str,
    kind: str = ExportKind.FULL,
    since_job: ExportJob | int | None = None,
    since: datetime | None = None,
    filters: dict[str, Any] | None = None,
    today: date | None = None,
    progress: Progress | None = None,
) -> ExportJob:
    """Runs one export synchronously and returns its job, succeeded or failed.

    ``actor`` None means the system (the management command without --user); a user must be an admin.
    Input errors raise ValidationError before any job is recorded; errors while exporting are recorded
    on the job (status failed, no file) and logged.
    """
    if actor is not None and not is_admin(actor):
        raise NotPermitted("only administrators export the Nara feed")
    if export_format not in ExportFormat.values:
        raise ValidationError({"format": [f"use one of {', '.join(ExportFormat.values)}"]})
    if kind not in ExportKind.values:
        raise ValidationError({"kind": [f"use one of {', '.join(ExportKind.values)}"]})
    normalized = normalize_filters(filters) if filters is not None else None
    base_job = None
    if kind == ExportKind.DELTA:
        base_job, normalized = resolve_base_job(since_job=since_job, since=since, filters=normalized)
    elif since_job is not None or since is not None:
        raise ValidationError({"kind": ["since_job and since are for delta exports"]})

    user = actor if actor is not None and actor.is_authenticated else None
    job = ExportJob.objects.create(
        created_by=user,
        created_by_name=user.get_username() if user is not None else "system",
        started_at=timezone.now(),
        as_of=today or timezone.localdate(),
        format=export_format,
        kind=kind,
        filters=normalized or {},
        base_job=base_job,
        since=since,
        feed_version=FEED_VERSION,
    )
    try:
        _execute(job, progress)
    except Exception as exc:
        logger.exception("Nara feed export job %s failed", job.pk)
        _fail(job, exc)
    return job


def _execute(job: ExportJob, progress: Progress | None) -> None:
    queryset = filtered_listings(job.filters, job.as_of)
    with tempfile.TemporaryDirectory(prefix="nara-feed-") as folder:
        writer = writer_for(job.format, Path(folder) / f"feed.{job.format}")
        report = ReportWriter(Path(folder) / "report.json", job)
        run = ExportRun(job, writer, report, progress)
        try:
            run.run(queryset)
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
    job.sha256 = sha256
    job.file_size = size
    job.row_count = counts.rows
    job.listed_count = counts.listed
    job.added_count = counts.added
    job.changed_count = counts.changed
    job.unchanged_count = counts.unchanged
    job.delisted_count = counts.delisted
    job.rejected_count = counts.rejected
    job.rejected_preview = counts.preview
    job.status = ExportStatus.SUCCEEDED
    job.finished_at = timezone.now()
    job.save()


def _fail(job: ExportJob, exc: Exception) -> None:
    # a failed job must not offer a file nor serve as the base of a delta
    for stored in (job.file, job.report_file):
        if stored:
            try:
                stored.delete(save=False)
            except Exception:  # the failure being recorded matters more than a leftover file
                logger.warning("could not delete %s of failed export job %s", stored.name, job.pk)
    ExportedRow.objects.filter(job=job).delete()
    job.file = ""
    job.report_file = ""
    job.sha256 = ""
    job.file_size = None
    job.status = ExportStatus.FAILED
    job.error_message = f"{type(exc).__name__}: {exc}"[:2000]
    job.finished_at = timezone.now()
    job.save()
