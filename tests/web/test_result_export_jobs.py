"""Result-export jobs on the rules of every worker job (core.jobs): claimed once, progress on the row, the
limit checked again by the worker, failures settled without a file, the stale-job sweep, and the schedule."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from config import celery_app
from core.domain import NotPermitted
from core.jobs import JobStatus
from search.backends.base import SearchFilters, SearchQuery
from search.exports import services, tasks
from search.exports.models import ResultExport

EVERYTHING = SearchQuery(sort="price_asc")


def queued(world, query: SearchQuery = EVERYTHING, export_format: str = "csv") -> ResultExport:
    return services.create_export_job(world.officer, query=query, export_format=export_format, language="ko")


def test_a_job_writes_the_rows_of_its_search_and_records_its_progress(world):
    job = services.execute_export_job(queued(world, SearchQuery(filters=SearchFilters(sector="goods"))).pk)
    assert (job.status, job.phase, job.rows_total, job.rows_done, job.row_count) == (
        JobStatus.SUCCEEDED,
        "done",
        1,
        1,
        1,
    )
    assert job.percent == 100 and job.has_file
    content = job.file.open("rb").read().decode("utf-8-sig")
    assert world.listing_a.name in content and world.listing_b.name not in content
    assert f"/job{job.pk}-search-results-" in job.file.name


def test_a_job_is_claimed_once(world):
    job = queued(world)
    assert services.execute_export_job(job.pk).status == JobStatus.SUCCEEDED
    assert services.execute_export_job(job.pk) is None


def test_the_worker_checks_the_limit_again(world, settings):
    job = queued(world)
    settings.SEARCH_EXPORT_MAX_ROWS = 1  # the catalog grew past the limit while the job waited
    job = services.execute_export_job(job.pk)
    assert job.status == JobStatus.FAILED and not job.file
    assert "내보내기 한도 1건을 넘습니다" in job.error_message


def test_a_failed_attempt_leaves_no_file(world, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("search.exports.services.write_rows", broken)
    job = services.execute_export_job(queued(world).pk)
    assert job.status == JobStatus.FAILED and "disk full" in job.error_message
    assert not job.file and job.row_count is None


def test_only_exporters_may_start_a_job(world):
    for user in (world.supplier_a, world.partner_member):
        with pytest.raises(NotPermitted):
            services.create_export_job(user, query=EVERYTHING, export_format="csv", language="ko")


def test_the_sweep_requeues_a_job_whose_worker_died_then_fails_it(world, settings):
    settings.SEARCH_EXPORT_MAX_ATTEMPTS = 2
    job = queued(world)
    hour_ago = timezone.now() - timedelta(hours=1)
    for attempt in (1, 2):
        ResultExport.objects.filter(pk=job.pk).update(
            status=JobStatus.RUNNING, attempts=attempt, heartbeat_at=hour_ago
        )
        result = services.sweep_stale_exports()
        job.refresh_from_db()
        if attempt == 1:
            assert result.requeued == [job.pk] and job.status == JobStatus.QUEUED
        else:
            assert result.failed == [job.pk] and job.status == JobStatus.FAILED


def test_the_sweep_task_is_scheduled(db):
    celery_app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "search_exports.sweep_stale" in scheduled
    assert {"search_exports.run", "search_exports.sweep_stale"} <= set(celery_app.tasks)
    assert tasks.sweep_stale_result_exports.delay().get() == {"requeued": [], "failed": [], "cancelled": []}
