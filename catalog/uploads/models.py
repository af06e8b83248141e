"""A supplier's bulk upload: the stored file, its dry-run report and what committing it did.

The row is the job (checked, then committed, each by a worker: ``catalog.uploads.tasks``) and the audit
record of the upload: who uploaded and committed what, when, and which listings each row created or
updated (``outcome``). The file itself stays in private storage.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy

from certification.models import Company


class UploadStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("upload status", "검사 대기")
    CHECKING = "checking", pgettext_lazy("upload status", "검사중")
    CHECKED = "checked", pgettext_lazy("upload status", "검사 완료")
    REFUSED = "refused", pgettext_lazy("upload status", "거부됨")
    COMMIT_QUEUED = "commit_queued", pgettext_lazy("upload status", "반영 대기")
    COMMITTING = "committing", pgettext_lazy("upload status", "반영중")
    COMMITTED = "committed", pgettext_lazy("upload status", "반영 완료")
    FAILED = "failed", pgettext_lazy("upload status", "실패")


# a job in one of these is waiting for, or in the hands of, a worker
RUNNING = (UploadStatus.QUEUED, UploadStatus.CHECKING, UploadStatus.COMMIT_QUEUED, UploadStatus.COMMITTING)


class BulkUpload(models.Model):
    supplier = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="bulk_uploads")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    file = models.FileField(upload_to="uploads/listings/%Y/%m/", max_length=300)
    original_name = models.CharField(max_length=255)
    file_kind = models.CharField(max_length=10, blank=True)  # xlsx or csv, as sniffed
    status = models.CharField(max_length=20, choices=UploadStatus.choices, default=UploadStatus.QUEUED)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    # {"rows", "invalid", "create", "update", "unchanged"} of the dry run; after the commit, what it did
    counts = models.JSONField(default=dict, blank=True)
    # [{"row", "column", "code", "message"}]: the dry run's report (the commit's, once committed)
    issues = models.JSONField(default=list, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    committed_at = models.DateTimeField(null=True, blank=True)
    # [{"row", "action", "listing"}]: what the commit did with each valid row
    outcome = models.JSONField(default=list, blank=True)
    error_message = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def running(self) -> bool:
        return self.status in RUNNING

    @property
    def percent(self) -> int | None:
        if not self.rows_total:
            return None
        return min(100, self.rows_done * 100 // self.rows_total)

    @property
    def committable(self) -> bool:
        return self.status == UploadStatus.CHECKED and bool(
            self.counts.get("create") or self.counts.get("update")
        )
