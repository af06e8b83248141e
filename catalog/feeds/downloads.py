"""Serving an export job's stored files: the feed file and its validation report.

The API, the admin's feed page and the Django admin all answer through these functions, so a client gets
the same response wherever it asks: an attachment under the stored file's name with its own content type
(the format's for the feed, JSON for the report); the feed also carries its SHA-256, so the file received
can be checked against the job record.
"""

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

from catalog.feeds.models import ExportJob
from catalog.feeds.writers import WRITERS

REPORT_CONTENT_TYPE = "application/json; charset=utf-8"


class NoDownload(Http404):
    """The job has nothing to serve: it failed (no file is kept) or has no report."""


def feed_response(job: ExportJob) -> FileResponse:
    _require_file(job)
    response = _attachment(job.file, WRITERS[job.format].content_type)
    response["X-Content-SHA256"] = job.sha256
    return response


def report_response(job: ExportJob) -> FileResponse:
    _require_file(job)
    if not job.report_file:
        raise NoDownload(f"export job {job.pk} has no report")
    return _attachment(job.report_file, REPORT_CONTENT_TYPE)


def _require_file(job: ExportJob) -> None:
    # a failed job's report would describe a file nobody can get, so it is not served either
    if not job.has_file:
        raise NoDownload(f"export job {job.pk} has no file ({job.status})")


def _attachment(stored: FieldFile, content_type: str) -> FileResponse:
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=stored.name.rsplit("/", 1)[-1],
        content_type=content_type,
    )
