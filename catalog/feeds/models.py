"""Export jobs for the Nara Marketplace feed and the manifest of what each job exported.

The manifest (``ExportedRow``) is what makes delta feeds exact: a delta compares the rows listed now with
the rows a previous job actually exported, row by row, instead of guessing from timestamps.
"""

from collections.abc import Sequence

from django.db import connections, models, router, transaction
from django.utils.translation import pgettext_lazy

from catalog.feeds.versions import DEFAULT_VERSION, FeedVersionChoice
from core.jobs import JobStatus, TrackedJob


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV (UTF-8 BOM)"
    XLSX = "xlsx", "Excel (XLSX)"
    JSONL = "jsonl", "JSON Lines"


class ExportKind(models.TextChoices):
    FULL = "full", pgettext_lazy("export kind", "전체")
    DELTA = "delta", pgettext_lazy("export kind", "변경분")


# an export's states are every worker job's (core.jobs); the name reads better in the feed's code
ExportStatus = JobStatus


class ExportPhase(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("export phase", "대기")
    COUNTING = "counting", pgettext_lazy("export phase", "대상 집계")
    WRITING = "writing", pgettext_lazy("export phase", "행 쓰기")
    STORING = "storing", pgettext_lazy("export phase", "파일 저장")
    DONE = "done", pgettext_lazy("export phase", "끝")


class ExportJob(TrackedJob):
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
    # the feed format the job writes (catalog.feeds.versions); a delta's base job has the same one
    feed_version = models.CharField(max_length=10, choices=FeedVersionChoice.choices, default=DEFAULT_VERSION)

    phase = models.CharField(max_length=10, choices=ExportPhase.choices, default=ExportPhase.QUEUED)
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
