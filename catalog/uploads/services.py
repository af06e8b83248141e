"""Bulk upload, in three steps: store the file (``create_upload``), check it (``check_upload``, a dry run
that changes no listing), commit the valid rows (``request_commit`` then ``commit_upload``).

Checking and committing run as jobs (``catalog.uploads.tasks``): a worker claims the job with a conditional
UPDATE (a message delivered twice runs once) and writes its progress on the row, as export jobs do
(``catalog.feeds.lifecycle``). The commit re-reads the stored file and checks it again against the
catalog as it is then, and writes every listing through ``catalog.services`` (price history, first-listed
day, the search outbox), never around them.
"""

import logging
import time
import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError
from django.db.models import QuerySet
from django.utils import timezone

from catalog import services as catalog_services
from catalog.uploads.issues import Code, Issue, UploadRejected
from catalog.uploads.models import BulkUpload, UploadStatus
from catalog.uploads.reading import read_bytes, read_sheet
from catalog.uploads.validation import CREATE, UPDATE, Plan, plan_upload
from certification.identity import company_of
from certification.models import Company
from certification.roles import Role, has_role, is_admin
from core.domain import Conflict, DomainError, NotPermitted, RuleViolation

logger = logging.getLogger(__name__)


def uploading_company(actor: AbstractBaseUser | AnonymousUser) -> Company:
    """The company a user uploads for: suppliers only, for their own company."""
    company = company_of(actor) if has_role(actor, Role.SUPPLIER) else None
    if company is None:
        raise NotPermitted(
            "공급기업 사용자만 제품을 일괄 등록할 수 있습니다 (only suppliers upload listings)."
        )
    return company


def visible_uploads(actor: AbstractBaseUser | AnonymousUser) -> QuerySet[BulkUpload]:
    """A supplier's own company's uploads; administrators read all; anyone else none."""
    if is_admin(actor):
        return BulkUpload.objects.all()
    company = company_of(actor) if has_role(actor, Role.SUPPLIER) else None
    if company is None:
        return BulkUpload.objects.none()
    return BulkUpload.objects.filter(supplier=company)


def create_upload(actor: AbstractBaseUser, *, upload: UploadedFile) -> BulkUpload:
    """Stores the file (refused at once when larger than the limit) and records a queued check."""
    company = uploading_company(actor)
    try:
        content = read_bytes(upload)
    except UploadRejected as exc:
        raise RuleViolation(exc.message, code=exc.code, field="file") from exc
    name = PurePath(upload.name or "upload").name[:200]
    record = BulkUpload(supplier=company, created_by=actor, original_name=name)
    suffix = PurePath(name).suffix.lower()
    record.file.save(
        f"{uuid.uuid4().hex}{suffix if suffix in ('.xlsx', '.csv') else ''}", ContentFile(content)
    )
    return record


class _Progress:
    """Writes rows done on the job's row every ``BULK_UPLOAD_PROGRESS_ROWS`` rows or second."""

    def __init__(self, upload: BulkUpload) -> None:
        self.upload = upload
        self.done = 0
        self.last = time.monotonic()

    def advance(self) -> None:
        self.done += 1
        if self.done % settings.BULK_UPLOAD_PROGRESS_ROWS == 0 or time.monotonic() - self.last >= 1:
            BulkUpload.objects.filter(pk=self.upload.pk).update(rows_done=self.done)
            self.last = time.monotonic()


def _claim(upload_id: int, waiting: str, running: str) -> BulkUpload | None:
    """Takes the job for this worker. A job left ``running`` is taken again too: with late acks its message
    comes back only when its worker died mid-job, and both steps are safe to repeat (the dry run writes no
    listing; the commit re-reads the file, and rows already applied come out ``unchanged``)."""
    claimed = BulkUpload.objects.filter(pk=upload_id, status__in=(waiting, running))
    if not claimed.update(status=running, rows_done=0):
        return None
    return BulkUpload.objects.select_related("supplier").get(pk=upload_id)


def _plan(upload: BulkUpload) -> Plan:
    with upload.file.open("rb") as stored:
        content = stored.read()
    sheet = read_sheet(content, upload.original_name)
    if upload.file_kind != sheet.kind or upload.rows_total != len(sheet.rows):
        upload.file_kind, upload.rows_total = sheet.kind, len(sheet.rows)
        BulkUpload.objects.filter(pk=upload.pk).update(file_kind=sheet.kind, rows_total=len(sheet.rows))
    return plan_upload(upload.supplier, sheet, advance=_Progress(upload).advance)


def check_upload(upload_id: int) -> BulkUpload | None:
    """The dry run: refuses the file, or reports every row's issues and what committing would do."""
    upload = _claim(upload_id, UploadStatus.QUEUED, UploadStatus.CHECKING)
    if upload is None:
        return None
    try:
        plan = _plan(upload)
    except UploadRejected as exc:
        return _finish(upload, UploadStatus.REFUSED, issues=exc.issues, counts={}, checked_at=timezone.now())
    except Exception as exc:
        logger.exception("checking upload %s failed", upload.pk)
        return _finish(upload, UploadStatus.FAILED, error_message=str(exc)[:2000])
    status = UploadStatus.REFUSED if plan.refused else UploadStatus.CHECKED
    return _finish(upload, status, issues=plan.issues(), counts=plan.counts(), checked_at=timezone.now())


def request_commit(actor: AbstractBaseUser, *, upload_id: int) -> BulkUpload:
    """Queues the commit of a checked upload of the actor's company; a second request is a conflict."""
    company = uploading_company(actor)
    upload = BulkUpload.objects.filter(pk=upload_id, supplier=company).first()
    if upload is None:
        raise BulkUpload.DoesNotExist
    queued = BulkUpload.objects.filter(pk=upload.pk, status=UploadStatus.CHECKED).update(
        status=UploadStatus.COMMIT_QUEUED, committed_by=actor
    )
    if not queued:
        raise Conflict(
            "검사를 마친, 아직 반영하지 않은 파일만 반영할 수 있습니다 "
            "(only a checked upload that has not been committed can be committed).",
            code="upload_not_committable",
        )
    upload.refresh_from_db()
    return upload


def commit_upload(upload_id: int) -> BulkUpload | None:
    """Applies the valid rows through the catalog services, each row on its own (one failing row leaves
    the others applied); invalid rows are left out and listed with the reasons."""
    upload = _claim(upload_id, UploadStatus.COMMIT_QUEUED, UploadStatus.COMMITTING)
    if upload is None:
        return None
    actor = upload.committed_by
    try:
        plan = _plan(upload)
    except UploadRejected as exc:
        return _finish(upload, UploadStatus.REFUSED, issues=exc.issues)
    except Exception as exc:
        logger.exception("committing upload %s failed", upload.pk)
        return _finish(upload, UploadStatus.FAILED, error_message=str(exc)[:2000])
    if plan.refused:
        return _finish(upload, UploadStatus.REFUSED, issues=plan.issues(), counts=plan.counts())
    outcome = []
    issues = plan.issues()
    progress = _Progress(upload)
    for row in plan.rows:
        progress.advance()
        if row.action not in (CREATE, UPDATE):
            if row.action:
                outcome.append({"row": row.number, "action": row.action, "listing": row.listing_id})
            continue
        try:
            listing = _apply(actor, row)
        except (ValidationError, DomainError, IntegrityError) as exc:
            # the catalog changed since the check (another writer took the product code): the row waits
            issues.append(Issue(row.number, "", Code.NOT_APPLIED, _message(exc)))
            row.action = None
            continue
        outcome.append({"row": row.number, "action": row.action, "listing": listing.pk})
    counts = plan.counts()
    return _finish(
        upload,
        UploadStatus.COMMITTED,
        issues=sorted(issues, key=lambda issue: (issue.row or 0, issue.column)),
        counts=counts,
        outcome=outcome,
        committed_at=timezone.now(),
    )


def _apply(actor, row):
    if row.action == CREATE:
        return catalog_services.create_listing(
            actor, certificate_id=row.certificate_id, delivery_regions=row.regions, **row.fields
        )
    return catalog_services.update_listing(
        actor, listing_id=row.listing_id, delivery_regions=row.regions, **row.fields
    )


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def _finish(upload: BulkUpload, status: str, issues: list[Issue] | None = None, **fields) -> BulkUpload:
    if issues is not None:
        fields["issues"] = [issue.as_dict() for issue in issues]
    BulkUpload.objects.filter(pk=upload.pk).update(status=status, rows_done=upload.rows_total or 0, **fields)
    upload.refresh_from_db()
    return upload
