"""An export job's life outside the rows, on the rules every worker job follows (``core.jobs``: claimed
once, progress and lease, cancelled, settled when stale). What is the export's own: what an attempt leaves
behind (manifest rows, stored or scratch files) and who may cancel. Settings: ``EXPORT_PROGRESS_ROWS``,
``EXPORT_PROGRESS_SECONDS``, ``EXPORT_LEASE_SECONDS``, ``EXPORT_MAX_ATTEMPTS``,
``EXPORT_QUEUE_TIMEOUT_SECONDS``.
"""

import logging
import re
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.utils import timezone

from catalog.feeds.models import ExportedRow, ExportJob, ExportPhase
from certification.roles import is_admin
from core.domain import NotPermitted
from core.jobs import JobLifecycle, Sweep

logger = logging.getLogger(__name__)

SCRATCH_PREFIX = "nara-feed"
# upload_to of ExportJob.file and report_file
UPLOAD_FOLDER = "exports/nara/%Y/%m/"


def scratch_prefix(job: ExportJob) -> str:
    """The temporary folder's name prefix of a job's attempt, so a later attempt or the sweep finds it.
    It names the database too: job ids repeat across databases (two deployments, or test runs, on one
    host share the temporary directory), and a sweep must never remove another database's export."""
    database = re.sub(r"[^A-Za-z0-9]+", "_", str(connection.settings_dict["NAME"]))[-40:]
    return f"{SCRATCH_PREFIX}-{database}-{job.pk}-"


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


EXPORTS = JobLifecycle(
    model=ExportJob,
    settings_prefix="EXPORT",
    kind="export",
    discard=discard_outputs,
    cleared_on_settle={"file": "", "report_file": "", "sha256": "", "file_size": None},
)


def claim(job_id: int) -> ExportJob | None:
    """Takes a queued export for this worker; it starts by counting its scope."""
    return EXPORTS.claim(job_id, ExportPhase.COUNTING)


def cancel_export(actor: AbstractBaseUser | AnonymousUser, *, job_id: int) -> ExportJob:
    """Cancels an export (``JobLifecycle.cancel``); administrators only."""
    if not is_admin(actor):
        raise NotPermitted("관리자만 내보내기를 취소할 수 있습니다 (only administrators cancel exports).")
    return EXPORTS.cancel(job_id)


def sweep_stale_jobs(now: datetime | None = None) -> Sweep:
    """Settles exports whose worker stopped (``JobLifecycle.sweep``)."""
    return EXPORTS.sweep(now)
