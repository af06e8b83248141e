"""Running a Nara feed export: one recorded job, one file, one validation report.

``run_export`` streams the listed catalog (``catalog.selectors.listed_listings``) in id order as flat
records (``catalog.feeds.records``), builds and validates each row, writes valid rows to a temporary
file while hashing it, records the job's manifest for later deltas, and finally stores the file through
Django's default storage. Nothing holds more than one chunk of listings in memory. A failure marks the
job failed and leaves it without a file or manifest.
"""

import json
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db.models import QuerySet
from django.utils import timezone

from catalog.feeds import delta
from catalog.feeds.models import ExportedRow, ExportFormat, ExportJob, ExportKind, ExportStatus
from catalog.feeds.nara import (
    FEED_VERSION,
    ChangeType,
    Reason,
    RowContext,
    build_row,
    row_hash,
    validate_row,
)
from catalog.feeds.records import ListingRecord, iter_records
from catalog.feeds.writers import FeedWriter, writer_for
from catalog.models import ProductListing
from catalog.selectors import listed_listings
from certification.codes import Sector
from certification.roles import is_admin
from core.domain import NotPermitted

logger = logging.getLogger(__name__)

CHUNK_SIZE = 2000
REJECTED_PREVIEW = 50
FILTER_KEYS = ("sector", "supplier")


class Progress(Protocol):
    def start(self, total: int) -> None: ...

    def advance(self, count: int = 1) -> None: ...


# --------------------------------------------------------------------------- inputs
def normalize_filters(filters: dict[str, Any] | None) -> dict[str, list]:
    """Canonical filters (sorted lists, no empties) so two jobs with the same scope compare equal."""
    filters = dict(filters or {})
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(filters) - set(FILTER_KEYS))
    for name in unknown:
        errors[name] = [f"unknown filter; use one of {', '.join(FILTER_KEYS)}"]
    normalized: dict[str, list] = {}

    sectors = filters.get("sector") or []
    sectors = [sectors] if isinstance(sectors, str) else list(sectors)
    bad = [value for value in sectors if value not in Sector.values]
    if bad:
        errors["sector"] = [f"unknown sector {', '.join(map(str, bad))}; use {', '.join(Sector.values)}"]
    elif sectors:
        normalized["sector"] = sorted(set(sectors))

    suppliers = filters.get("supplier") or []
    suppliers = [suppliers] if isinstance(suppliers, int | str) else list(suppliers)
    try:
        supplier_ids = sorted({int(value) for value in suppliers})
    except (TypeError, ValueError):
        errors["supplier"] = ["supplier filter takes company ids"]
    else:
        if supplier_ids:
            normalized["supplier"] = supplier_ids

    if errors:
        raise ValidationError(errors)
    return normalized


def filtered_listings(filters: dict[str, list], today: date) -> QuerySet[ProductListing]:
    queryset = listed_listings(today)
    if filters.get("sector"):
        queryset = queryset.filter(sector__in=filters["sector"])
    if filters.get("supplier"):
        queryset = queryset.filter(supplier_id__in=filters["supplier"])
    return queryset


def _in_scope(filters: dict[str, list]) -> Callable[[ProductListing], bool]:
    def check(listing: ProductListing) -> bool:
        if filters.get("sector") and listing.sector not in filters["sector"]:
            return False
        return not (filters.get("supplier") and listing.supplier_id not in filters["supplier"])

    return check


def resolve_base_job(
    *, since_job: ExportJob | int | None, since: datetime | None, filters: dict[str, list] | None
) -> tuple[ExportJob, dict[str, list]]:
    """The job a delta compares with, and the filters the delta uses (always the base job's).

    A timestamp means "the state the marketplace had then": the latest successful job with the same
    filters that started at or before it. Without such a job there is nothing exact to compare with.
    """
    if since_job is not None:
        job_id = since_job.pk if isinstance(since_job, ExportJob) else since_job
        base = ExportJob.objects.filter(pk=job_id).first()
        if base is None:
            raise ValidationError({"since_job": [f"export job {job_id} does not exist"]})
        if base.status != ExportStatus.SUCCEEDED:
            raise ValidationError({"since_job": [f"export job {job_id} did not succeed ({base.status})"]})
        if filters is not None and filters != base.filters:
            raise ValidationError(
                {"filters": [f"a delta uses its base job's filters {json.dumps(base.filters)}"]}
            )
        return base, base.filters
    if since is None:
        raise ValidationError({"since_job": ["a delta needs since_job or since"]})
    if timezone.is_naive(since):
        since = timezone.make_aware(since)
    wanted = filters or {}
    candidates = ExportJob.objects.filter(status=ExportStatus.SUCCEEDED, started_at__lte=since)
    for candidate in candidates.order_by("-started_at", "-id").iterator():
        if candidate.filters == wanted:
            return candidate, wanted
    raise ValidationError(
        {
            "since": [
                f"no successful export with filters {json.dumps(wanted)} started at or before "
                f"{since.isoformat()}; run a full export first"
            ]
        }
    )


# --------------------------------------------------------------------------- running
@dataclass
class _Counts:
    rows: int = 0
    listed: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    delisted: int = 0
    rejected: int = 0
    preview: list = field(default_factory=list)


class _ReportWriter:
    """The validation report as one JSON document, written entry by entry."""

    def __init__(self, path: Path, job: ExportJob) -> None:
        self.path = path
        self._file = path.open("w", encoding="utf-8")
        head = {"job": job.pk, "feed_version": job.feed_version, "as_of": job.as_of.isoformat()}
        self._file.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "rejected": [\n')
        self._count = 0

    def add(self, entry: dict[str, Any]) -> None:
        if self._count:
            self._file.write(",\n")
        self._file.write(json.dumps(entry, ensure_ascii=False))
        self._count += 1

    def close(self) -> None:
        self._file.write(f'\n], "rejected_count": {self._count}}}\n')
        self._file.close()


class _Run:
    """One export's streaming state: writer, report, manifest batch, output buffer and counts."""

    def __init__(
        self, job: ExportJob, writer: FeedWriter, report: _ReportWriter, progress: Progress | None
    ) -> None:
        self.job = job
        self.writer = writer
        self.report = report
        self.progress = progress
        self.counts = _Counts()
        self.is_delta = job.kind == ExportKind.DELTA
        self.manifest: list[tuple] = []
        # rows waiting to be written in id order behind a delisted entry, which waits for its reason
        # (one query per buffer); bounded by CHUNK_SIZE
        self.pending: list[tuple[str, Any]] = []
        self.in_scope = _in_scope(job.filters)
        self.now = job.started_at
        self.today = job.as_of

    # output ---------------------------------------------------------------
    def emit(self, row: dict[str, Any]) -> None:
        if self.pending:
            self.pending.append(("row", row))
            self._maybe_flush()
        else:
            # written at once: a row written thousands of rows later has left the CPU caches
            self._write(row)

    def emit_delisted(self, entry: ExportedRow) -> None:
        self.pending.append(("delisted", entry))
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        if len(self.pending) >= CHUNK_SIZE:
            self.flush()

    def flush(self) -> None:
        waiting = [item for kind, item in self.pending if kind == "delisted"]
        resolved = delta.resolve_delistings(waiting, self.today, self.in_scope, self.now) if waiting else {}
        for kind, item in self.pending:
            if kind == "delisted":
                reason, when = resolved[item.listing_id]
                item = delta.delisted_row(item, reason, when)
                self.counts.delisted += 1
            self._write(item)
        self.pending.clear()

    def _write(self, row: dict[str, Any]) -> None:
        self.writer.write_row(row)
        self.counts.rows += 1

    # manifest ---------------------------------------------------------------
    def remember(self, row: dict[str, Any], digest: str) -> None:
        # in the order of ExportedRow.MANIFEST_FIELDS
        self.manifest.append(
            (
                self.job.id,
                row["listing_id"],
                digest,
                row["prdctClsfcNo"][:10],
                row["dtilPrdctClsfcNo"][:10],
                row["prdctIdntNo"][:8],
                row["cert_no"][:20],
            )
        )
        self.counts.listed += 1
        if len(self.manifest) >= CHUNK_SIZE:
            self.save_manifest()

    def save_manifest(self) -> None:
        ExportedRow.objects.insert_manifest(self.manifest)
        self.manifest = []

    # rejects ----------------------------------------------------------------
    def reject(self, record: ListingRecord, reasons: list[Reason]) -> None:
        entry = {
            "listing_id": record.id,
            "prdct_nm": record.name,
            "cert_no": record.certificate_number,
            "supplier": record.supplier_name,
            "reasons": [reason.as_dict() for reason in reasons],
        }
        self.report.add(entry)
        self.counts.rejected += 1
        if len(self.counts.preview) < REJECTED_PREVIEW:
            self.counts.preview.append(entry)

    # the merge --------------------------------------------------------------
    def run(self, queryset: QuerySet[ProductListing]) -> None:
        context = RowContext()
        base_rows = delta.iter_manifest(self.job.base_job) if self.is_delta else iter(())
        base = next(base_rows, None)
        if self.progress is not None:
            self.progress.start(queryset.count())
        for record in iter_records(queryset, CHUNK_SIZE, context.zone):
            # base entries before this id are no longer listed (or no longer in scope)
            while base is not None and base.listing_id < record.id:
                self.emit_delisted(base)
                base = next(base_rows, None)
            matched = None
            if base is not None and base.listing_id == record.id:
                matched, base = base, next(base_rows, None)
            self._one(record, matched, context)
            if self.progress is not None:
                self.progress.advance()
        while base is not None:
            self.emit_delisted(base)
            base = next(base_rows, None)
        self.flush()
        self.save_manifest()

    def _one(self, record: ListingRecord, matched: ExportedRow | None, context: RowContext) -> None:
        row = build_row(record, context)
        reasons = validate_row(row, record, self.today)
        if reasons:
            self.reject(record, reasons)
            if matched is not None:
                self.emit_delisted(matched)
            return
        digest = row_hash(row)
        self.remember(row, digest)
        if not self.is_delta:
            self.emit(row)
        elif matched is None:
            row["change_type"] = ChangeType.ADDED
            self.counts.added += 1
            self.emit(row)
        elif matched.row_hash != digest:
            row["change_type"] = ChangeType.CHANGED
            self.counts.changed += 1
            self.emit(row)
        else:
            self.counts.unchanged += 1


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
        report = _ReportWriter(Path(folder) / "report.json", job)
        run = _Run(job, writer, report, progress)
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
