"""Exports run by real Celery workers on real Redis and PostgreSQL: to the finished file, through a worker
killed mid-export (SIGKILL), and cancelled mid-export.

To stop a worker at a known point, the test holds a row lock on the job: the worker's next progress write
(every few rows, EXPORT_PROGRESS_ROWS in the worker) waits for it, so the worker is caught mid-export with
part of its manifest committed, whatever the machine's speed.
"""

import hashlib
import tempfile
from pathlib import Path

import pytest
from django.db import transaction

from catalog.feeds import lifecycle, tasks
from catalog.feeds.models import ExportedRow, ExportJob
from catalog.feeds.streaming import CHUNK_SIZE
from tests.factories import bulk_listings
from tests.jobs.conftest import wait_for
from tests.worlds import ListedWorld

EXPORTS = "/api/v1/exports/"
# serialized rollback: reference data (classification codes, regions) is back after each test
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEARCH_SYNC_ON_COMMIT = False
    return ListedWorld()


def job_files(job: ExportJob) -> list[Path]:
    return sorted(Path(job.file.storage.location).rglob(f"*-job{job.pk}-*"))


def scratch_folders(job: ExportJob) -> list[Path]:
    return list(Path(tempfile.gettempdir()).glob(f"{lifecycle.scratch_prefix(job)}*"))


def finished(job_id: int) -> ExportJob | None:
    job = ExportJob.objects.get(pk=job_id)
    return job if job.is_finished else None


def past_first_manifest_chunk(job_id: int) -> bool:
    # the manifest is committed CHUNK_SIZE rows at a time: past the first chunk, rows are in the table
    return ExportJob.objects.filter(pk=job_id, rows_done__gt=CHUNK_SIZE + 20).exists()


def a_large_export_midway(world, start_worker, export_format: str):
    """A worker and an export of 3 chunks' worth of listings, caught past its first manifest chunk."""
    bulk_listings(world.listing_a, 3 * CHUNK_SIZE)
    worker = start_worker()
    admin = world.client(world.admin)
    job_id = admin.post(EXPORTS, {"format": export_format}, format="json").json()["id"]
    wait_for(lambda: past_first_manifest_chunk(job_id), "the first manifest chunk", worker)
    return worker, admin, job_id


def test_an_export_from_the_api_to_the_finished_file(world, start_worker):
    worker = start_worker()
    admin = world.client(world.admin)
    response = admin.post(EXPORTS, {"format": "xlsx"}, format="json")
    assert response.status_code == 202
    body = response.json()
    assert response["Location"] == body["url"]
    job = wait_for(lambda: finished(body["id"]), "the export to finish", worker)
    assert job.status == "succeeded", job.error_message
    assert (job.phase, job.attempts, job.rows_done, job.rows_total) == ("done", 1, 2, 2)
    polled = admin.get(body["url"]).json()
    assert polled["status"] == "succeeded" and polled["percent"] == 100
    download = admin.get(polled["download_url"])
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == job.sha256
    assert ExportedRow.objects.filter(job=job).count() == job.listed_count == 2


def test_a_worker_killed_mid_export_is_retried_without_partial_file_or_duplicate_rows(
    world, start_worker, settings
):
    first, _admin, job_id = a_large_export_midway(world, start_worker, "xlsx")
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().get(pk=job_id)
        assert job.status == "running", "the export finished before the test could stop its worker"
        # the worker now waits for this lock at its next progress write: kill it there
        first.kill()
    with transaction.atomic():
        # the killed worker's database session ran its waiting write when the lock went: let it end
        ExportJob.objects.select_for_update().get(pk=job_id)
    partial = ExportedRow.objects.filter(job_id=job_id).count()
    assert partial >= CHUNK_SIZE, "the killed attempt had committed part of its manifest"
    job.refresh_from_db()
    assert job.status == "running" and job.attempts == 1

    # the sweep (beat, every minute) finds the lease expired: the attempt's leftovers go, the job queues again
    settings.EXPORT_LEASE_SECONDS = 0
    swept = tasks.sweep_stale_exports()
    assert swept["requeued"] == [job_id]
    job.refresh_from_db()
    assert (job.status, job.phase, job.rows_done) == ("queued", "queued", 0)
    assert not ExportedRow.objects.filter(job_id=job_id).exists()
    assert job_files(job) == [] and scratch_folders(job) == []

    second = start_worker()
    job = wait_for(lambda: finished(job_id), "the retried export to finish", second)
    assert job.status == "succeeded", job.error_message
    assert job.attempts == 2
    listed = list(ExportedRow.objects.filter(job=job).values_list("listing_id", flat=True))
    assert len(listed) == len(set(listed)) == job.listed_count == 3 * CHUNK_SIZE + 2
    assert [path.name for path in job_files(job)] == sorted(
        [job.file.name.rsplit("/", 1)[-1], job.report_file.name.rsplit("/", 1)[-1]]
    )
    assert scratch_folders(job) == []


def test_a_job_cancelled_mid_export_leaves_nothing(world, start_worker):
    worker, admin, job_id = a_large_export_midway(world, start_worker, "csv")
    with transaction.atomic():
        # held while cancelling, so the worker cannot finish first: it sees the cancel at its next write
        assert ExportJob.objects.select_for_update().get(pk=job_id).status == "running"
        response = admin.post(f"{EXPORTS}{job_id}/cancel/")
        assert response.status_code == 200
        assert response.json()["cancel_requested"] is True and response.json()["status"] == "running"
    job = wait_for(lambda: finished(job_id), "the worker to stop", worker)
    assert job.status == "cancelled" and job.phase == "done"
    assert not job.file and not job.has_file and not job.sha256
    assert not ExportedRow.objects.filter(job_id=job_id).exists()
    assert job_files(job) == [] and scratch_folders(job) == []
    assert admin.get(f"{EXPORTS}{job_id}/download/").status_code == 404
    # the worker carries on with the next job
    again = admin.post(EXPORTS, {"format": "csv"}, format="json").json()["id"]
    assert wait_for(lambda: finished(again), "the next export", worker).status == "succeeded"
