"""An officer's export of search results too large to download at once: a worker job (``core.jobs``)."""

from django.db import models

from core.jobs import TrackedJob


class ResultExportPhase(models.TextChoices):
    QUEUED = "queued", "대기 (queued)"
    SEARCHING = "searching", "검색 (searching)"
    WRITING = "writing", "파일 작성 (writing)"
    DONE = "done", "끝 (done)"


class ResultExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel (XLSX)"


class ResultExport(TrackedJob):
    """The search (text, filters, sort) as the page ran it, the file's format and language, and the file.
    Only the user who asked may see the job and download its file."""

    # the SearchQuery without its page (search.exports.queries): the worker runs the same search
    query = models.JSONField()
    # the search page's query string, to link back to the results the file holds
    query_string = models.CharField(max_length=2000, blank=True)
    export_format = models.CharField(max_length=10, choices=ResultExportFormat.choices)
    language = models.CharField(max_length=5, default="ko")
    phase = models.CharField(
        max_length=10, choices=ResultExportPhase.choices, default=ResultExportPhase.QUEUED
    )
    row_count = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(upload_to="exports/results/%Y/%m/", blank=True, max_length=300)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-started_at"])]

    def __str__(self) -> str:
        return f"result export #{self.pk} ({self.export_format}, {self.status})"

    @property
    def has_file(self) -> bool:
        return self.status == "succeeded" and bool(self.file)
