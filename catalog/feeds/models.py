"""Export jobs for the Nara Marketplace feed and the manifest of what each job exported.

The manifest (``ExportedRow``) is what makes delta feeds exact: a delta compares the rows listed now with
the rows a previous job actually exported, row by row, instead of guessing from timestamps.
"""

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.db import connections, models, router, transaction


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV (UTF-8 BOM)"
    XLSX = "xlsx", "Excel (XLSX)"
    JSONL = "jsonl", "JSON Lines"


class ExportKind(models.TextChoices):
    FULL = "full", "전체 (full)"
    DELTA = "delta", "변경분 (delta)"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "대기중 (queued)"
    RUNNING = "running", "실행중 (running)"
    SUCCEEDED = "succeeded", "완료 (succeeded)"
    FAILED = "failed", "실패 (failed)"
    CANCELLED = "cancelled", "취소됨 (cancelled)"


# a job in one of these may still change; the others are final
UNFINISHED = (ExportStatus.QUEUED, ExportStatus.RUNNING)


class ExportPhase(models.TextChoices):
    QUEUED = "queued", "대기 (queued)"
    COUNTING = "counting", "대상 집계 (counting)"
    WRITING = "writing", "행 쓰기 (writing)"
    STORING = "storing", "파일 저장 (storing)"
    DONE = "done", "끝 (done)"


class ExportJob(models.Model):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # kept when the user is deleted: the job history must still say who exported
    created_by_name = models.CharField(max_length=150, blank=True)
    started_at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # the calendar day whose visibility rule the export applied (certificates valid on that day)
    as_of = models.DateField()

    format = models.CharField(max_length=10, choices=ExportFormat.choices)
    kind = models.CharField(max_length=10, choices=ExportKind.choices, default=ExportKind.FULL)
    filters = models.JSONField(default=dict, blank=True)
    base_job = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="delta_jobs"
    )
    since = models.DateTimeField(
        null=True, blank=True, help_text="timestamp the caller asked for; resolved to base_job"
    )
    feed_version = models.CharField(max_length=10)

    status = models.CharField(max_length=20, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    error_message = models.TextField(blank=True)

    # progress and the worker's lease (catalog.feeds.lifecycle)
    phase = models.CharField(max_length=10, choices=ExportPhase.choices, default=ExportPhase.QUEUED)
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

    row_count = models.PositiveIntegerField(default=0, help_text="data rows written to the file")
    listed_count = models.PositiveIntegerField(default=0, help_text="valid listed rows (the manifest)")
    added_count = models.PositiveIntegerField(default=0)
    changed_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    delisted_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    rejected_preview = models.JSONField(
        default=list, blank=True, help_text="the first rejected rows; the full list is in report_file"
    )

    file = models.FileField(upload_to="exports/nara/%Y/%m/", max_length=300, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    report_file = models.FileField(upload_to="exports/nara/%Y/%m/", max_length=300, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["status", "started_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.format} ({self.status})"

    @property
    def has_file(self) -> bool:
        return self.status == ExportStatus.SUCCEEDED and bool(self.file)

    @property
    def is_finished(self) -> bool:
        return self.status not in UNFINISHED

    @property
    def percent(self) -> int | None:
        if self.status == ExportStatus.SUCCEEDED:
            return 100
        if not self.rows_total:
            return None
        return min(100, self.rows_done * 100 // self.rows_total)

    @property
    def eta(self) -> datetime | None:
        """When the rows will be done at the pace so far (None before the first rows or once finished)."""
        if self.status != ExportStatus.RUNNING or not self.rows_total or not self.rows_done:
            return None
        if self.claimed_at is None or self.heartbeat_at is None:
            return None
        elapsed = self.heartbeat_at - self.claimed_at
        remaining = max(0, self.rows_total - self.rows_done)
        return self.heartbeat_at + elapsed * remaining / self.rows_done


class ExportedRowManager(models.Manager):
    def insert_manifest(self, rows: Sequence[tuple]) -> None:
        """Inserts manifest rows given as tuples in ``ExportedRow.MANIFEST_FIELDS`` order.

        On PostgreSQL through COPY, which takes a fraction of the time of building model instances for
        ``bulk_create`` and sending them as INSERTs; elsewhere through ``bulk_create``.
        """
        if not rows:
            return
        model = self.model
        connection = connections[router.db_for_write(model)]
        if connection.vendor != "postgresql":
            self.bulk_create([model(**dict(zip(model.MANIFEST_FIELDS, row, strict=True))) for row in rows])
            return
        quote = connection.ops.quote_name
        columns = ", ".join(quote(model._meta.get_field(name).column) for name in model.MANIFEST_FIELDS)
        statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        # atomic as in bulk_create: all rows or none, and a connection lost midway is dropped when the
        # rollback fails, so the failed job can still be recorded. COPY is no Django cursor method, so
        # its errors are translated explicitly.
        with (
            transaction.atomic(using=connection.alias, savepoint=False),
            connection.cursor() as cursor,
            connection.wrap_database_errors,
            cursor.copy(statement) as copy,
        ):
            for row in rows:
                copy.write_row(row)


class ExportedRow(models.Model):
    """One listed row of one job: the listing, a hash of its feed content and the keys Nara knows it by.

    The keys are kept so a delta can still announce a listing as delisted after the listing row itself
    has been deleted.
    """

    # No database constraint: the only writer is insert_manifest, for the job it is running, and the
    # cascade on delete is Django's either way. The constraint re-checked that one job row for each of
    # the 100,000 rows a large export copies in, four fifths of the time of the COPY.
    job = models.ForeignKey(
        ExportJob, on_delete=models.CASCADE, related_name="exported_rows", db_constraint=False
    )
    # not a foreign key: the listing may be deleted later and the manifest must survive it
    listing_id = models.BigIntegerField()
    row_hash = models.CharField(max_length=32)
    prdct_clsfc_no = models.CharField(max_length=10, blank=True)
    dtil_prdct_clsfc_no = models.CharField(max_length=10, blank=True)
    prdct_idnt_no = models.CharField(max_length=8, blank=True)
    cert_no = models.CharField(max_length=20, blank=True)

    MANIFEST_FIELDS = (
        "job_id",
        "listing_id",
        "row_hash",
        "prdct_clsfc_no",
        "dtil_prdct_clsfc_no",
        "prdct_idnt_no",
        "cert_no",
    )

    objects = ExportedRowManager()

    class Meta:
        ordering = ["job", "listing_id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "listing_id"], name="feeds_one_row_per_listing_per_job")
        ]

    def __str__(self) -> str:
        return f"job {self.job_id} listing {self.listing_id}"
