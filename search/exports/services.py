"""Officers' exports of search results: small ones answered at once, larger ones as worker jobs.

Up to ``SEARCH_EXPORT_INLINE_ROWS`` results the file is the response; up to ``SEARCH_EXPORT_MAX_ROWS`` a
job writes it (the rules of every worker job: ``core.jobs``; settings ``SEARCH_EXPORT_PROGRESS_ROWS``,
``…_PROGRESS_SECONDS``, ``…_LEASE_SECONDS``, ``…_MAX_ATTEMPTS``, ``…_QUEUE_TIMEOUT_SECONDS``) and only the
officer who asked may download it; beyond that the officer narrows the search first.
"""

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.files import File
from django.db.models import QuerySet
from django.utils import timezone

from certification.roles import Role, has_role
from core.domain import NotPermitted, RuleViolation
from core.jobs import JobCancelled, JobLifecycle, JobStatus, LeaseLost, Sweep
from search.backends.base import SearchQuery
from search.exports.models import ResultExport, ResultExportFormat, ResultExportPhase
from search.exports.results import count_results, query_from_json, query_to_json, result_rows
from search.exports.writing import CONTENT_TYPES, write_rows

logger = logging.getLogger(__name__)

# who may export results: buyers, and the staff who check what buyers see (administrators hold every role)
EXPORTERS = (Role.OFFICER, Role.REVIEWER)
SCRATCH_PREFIX = "result-export-"


def may_export(user: AbstractBaseUser | AnonymousUser) -> bool:
    return any(has_role(user, role) for role in (*EXPORTERS, Role.ADMIN))


def _require_exporter(actor: AbstractBaseUser | AnonymousUser) -> None:
    if not may_export(actor):
        raise NotPermitted(
            "조달 담당자만 검색 결과를 내보낼 수 있습니다 (only procurement officers export search results)."
        )


def _check_format(export_format: str) -> None:
    if export_format not in ResultExportFormat.values:
        raise RuleViolation(
            "내보내기 형식은 csv 또는 xlsx입니다 (the export format is csv or xlsx).", code="export_format"
        )


def too_many_message(total: int) -> str:
    limit = settings.SEARCH_EXPORT_MAX_ROWS
    return (
        f"검색 결과 {total:,}건은 내보내기 한도 {limit:,}건을 넘습니다. 필터로 범위를 좁혀 주세요 "
        f"({total:,} results exceed the export limit of {limit:,}; narrow the search with filters)."
    )


def file_name(export_format: str, moment=None) -> str:
    moment = timezone.localtime(moment or timezone.now())
    return f"search-results-{moment:%Y%m%d-%H%M%S}.{export_format}"


@dataclass(frozen=True)
class Plan:
    """How an export of a search will be made: at once, as a job, or not at all (``refusal``)."""

    total: int
    inline: bool
    refusal: str = ""


def plan_export(actor: AbstractBaseUser | AnonymousUser, query: SearchQuery) -> Plan:
    _require_exporter(actor)
    total = count_results(query)
    if total > settings.SEARCH_EXPORT_MAX_ROWS:
        return Plan(total, inline=False, refusal=too_many_message(total))
    return Plan(total, inline=total <= settings.SEARCH_EXPORT_INLINE_ROWS)


@dataclass(frozen=True)
class InlineFile:
    content: bytes
    name: str
    content_type: str
    rows: int


def export_now(
    actor: AbstractBaseUser | AnonymousUser, *, query: SearchQuery, export_format: str, language: str
) -> InlineFile:
    """The file of a search within ``SEARCH_EXPORT_INLINE_ROWS`` results, written at once."""
    _require_exporter(actor)
    _check_format(export_format)
    name = file_name(export_format)
    with tempfile.TemporaryDirectory(prefix=SCRATCH_PREFIX) as folder:
        path = Path(folder) / name
        rows = write_rows(
            export_format, path, language, result_rows(query, settings.SEARCH_EXPORT_INLINE_ROWS)
        )
        content = path.read_bytes()
    return InlineFile(content, name, CONTENT_TYPES[export_format], rows)


def my_exports(user: AbstractBaseUser | AnonymousUser) -> QuerySet[ResultExport]:
    """The jobs a user may see: their own (an export is the officer's working copy, not a shared record)."""
    if not user.is_authenticated:
        return ResultExport.objects.none()
    return ResultExport.objects.filter(created_by=user)


def create_export_job(
    actor: AbstractBaseUser | AnonymousUser,
    *,
    query: SearchQuery,
    export_format: str,
    language: str,
    query_string: str = "",
) -> ResultExport:
    """Records a queued export of ``query``; ``tasks.start_result_export`` hands it to a worker."""
    _require_exporter(actor)
    _check_format(export_format)
    now = timezone.now()
    return ResultExport.objects.create(
        created_by=actor,
        created_by_name=actor.get_username(),
        started_at=now,
        heartbeat_at=now,
        query=query_to_json(query),
        query_string=query_string[:2000],
        export_format=export_format,
        language=language,
    )


def _discard(job: ResultExport) -> None:
    """Removes the stored file of an attempt that did not succeed (best effort: the outcome matters more)."""
    if job.file:
        try:
            job.file.storage.delete(job.file.name)
        except Exception:
            logger.warning("could not delete %s of result export %s", job.file.name, job.pk)


RESULT_EXPORTS = JobLifecycle(
    model=ResultExport,
    settings_prefix="SEARCH_EXPORT",
    kind="result_export",
    discard=_discard,
    cleared_on_settle={"file": "", "row_count": None},
)


def execute_export_job(job_id: int) -> ResultExport | None:
    """Claims a queued export and writes its file; None when there was nothing to claim (idempotent)."""
    job = RESULT_EXPORTS.claim(job_id, ResultExportPhase.SEARCHING)
    if job is None:
        return None
    try:
        _execute(job)
    except JobCancelled:
        RESULT_EXPORTS.settle(job, JobStatus.CANCELLED)
    except LeaseLost:
        logger.warning("result export %s attempt %s lost its lease", job.pk, job.attempts)
        _discard(job)
    except Exception as exc:
        logger.exception("result export %s failed", job.pk)
        RESULT_EXPORTS.settle(
            job, JobStatus.FAILED, str(exc) if isinstance(exc, RuleViolation) else repr(exc)
        )
    job.refresh_from_db()
    return job


def _execute(job: ResultExport) -> None:
    query = query_from_json(job.query)
    tracker = RESULT_EXPORTS.progress(job, phase=ResultExportPhase.WRITING)
    total = count_results(query)
    if total > settings.SEARCH_EXPORT_MAX_ROWS:
        raise RuleViolation(too_many_message(total), code="export_too_large")
    tracker.start(total)
    name = file_name(job.export_format, job.started_at)
    with tempfile.TemporaryDirectory(prefix=SCRATCH_PREFIX) as folder:
        path = Path(folder) / name
        rows = write_rows(job.export_format, path, job.language, result_rows(query, total, tracker.advance))
        with path.open("rb") as handle:
            job.file.save(f"job{job.pk}-{name}", File(handle), save=False)
    now = timezone.now()
    finished = RESULT_EXPORTS.mine(job).update(
        status=JobStatus.SUCCEEDED,
        phase=ResultExportPhase.DONE,
        rows_done=rows,
        rows_total=total,
        row_count=rows,
        file=job.file.name,
        finished_at=now,
        heartbeat_at=now,
    )
    if not finished:
        raise RESULT_EXPORTS.why_not_mine(job)


def sweep_stale_exports(now=None) -> Sweep:
    return RESULT_EXPORTS.sweep(now)
