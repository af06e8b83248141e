"""Streaming one export: the listed catalog merged, in id order, with the base job's manifest.

Each listing is built into a row and validated (``catalog.feeds.nara``); a valid row is written to the
feed (in a delta only when added or changed) and remembered in the job's manifest, a rejected one goes
to the validation report. Base entries the catalog no longer lists become delisted rows, whose reason is
resolved for a buffer of them at once. Nothing holds more than one chunk of listings in memory.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from django.db.models import QuerySet
from django.utils import timezone

from catalog.feeds import delta
from catalog.feeds.models import ExportedRow, ExportJob, ExportKind
from catalog.feeds.nara import ChangeType, Reason, RowContext
from catalog.feeds.records import ListingRecord, iter_records
from catalog.feeds.scope import in_scope
from catalog.feeds.versions import feed_version
from catalog.feeds.writers import FeedWriter
from catalog.models import ProductListing
from certification.models import Certificate, CertificateStatus, active_at, end_of_day

CHUNK_SIZE = 2000
REJECTED_PREVIEW = 50


class Progress(Protocol):
    def start(self, total: int) -> None: ...

    def advance(self, count: int = 1) -> None: ...


@dataclass
class Counts:
    rows: int = 0
    listed: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    delisted: int = 0
    rejected: int = 0
    preview: list = field(default_factory=list)


class ReportWriter:
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


class ExportRun:
    """One export's streaming state: writer, report, manifest batch, output buffer and counts."""

    def __init__(
        self, job: ExportJob, writer: FeedWriter, report: ReportWriter, progress: Progress | None
    ) -> None:
        self.job = job
        self.writer = writer
        self.report = report
        self.progress = progress
        self.counts = Counts()
        self.is_delta = job.kind == ExportKind.DELTA
        self.version = feed_version(job.feed_version)
        self.manifest: list[tuple] = []
        # rows waiting to be written in id order behind a delisted entry, which waits for its reason
        # (one query per buffer); bounded by CHUNK_SIZE
        self.pending: list[tuple[str, Any]] = []
        self.in_scope = in_scope(job.filters)
        self.now = job.started_at
        self.today = job.as_of
        # a job dated another day selected its listings by the certificates' history that day
        # (catalog.visibility); its rows are checked against that status too, not today's
        self.active_then: frozenset[str] | None = None
        if job.as_of != timezone.localdate():
            active = Certificate.objects.filter(pk__in=active_at(end_of_day(job.as_of)))
            self.active_then = frozenset(active.values_list("number", flat=True))

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
                item = delta.delisted_row(item, reason, when, self.version)
                self.counts.delisted += 1
            self._write(item)
        self.pending.clear()

    def _write(self, row: dict[str, Any]) -> None:
        self.writer.write_row(row)
        self.counts.rows += 1

    # manifest ---------------------------------------------------------------
    def remember(self, row: dict[str, Any], digest: str) -> None:
        # in the order of ExportedRow.MANIFEST_FIELDS
        self.manifest.append((self.job.id, row["listing_id"], digest, *self.version.manifest_keys(row)))
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
        version = self.version
        row = version.build_row(record, context)
        if self.active_then is not None:
            status_then = CertificateStatus.ACTIVE if record.certificate_number in self.active_then else ""
            record = record._replace(certificate_status=status_then or record.certificate_status)
        reasons = version.validate_row(row, record, self.today)
        if reasons:
            self.reject(record, reasons)
            if matched is not None:
                self.emit_delisted(matched)
            return
        digest = version.row_hash(row)
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
