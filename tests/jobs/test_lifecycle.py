"""Export jobs run in-process (eager, no broker): progress, a job claimed once, cancelling, the stale-job
sweep, the page's progress bar and cancel button, the schedule table and the worker heartbeat."""

import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.utils import timezone

from catalog.feeds import lifecycle, services, tasks
from catalog.feeds.models import ExportedRow, ExportJob
from config import celery_app
from core.domain import Conflict, NotPermitted
from tests.feeds.conftest import FeedWorld
from tests.worlds import page_client

pytestmark = pytest.mark.django_db
EXPORTS = "/api/v1/exports/"


@pytest.fixture
def world(media_in_tmp, settings) -> FeedWorld:
    settings.SITE_BASE_URL = "https://sangsaeng.example"
    return FeedWorld()


def job_files(job: ExportJob) -> list[Path]:
    return sorted(Path(job.file.storage.location).rglob(f"*-job{job.pk}-*"))


class Recorder:
    """A progress that reads the job's row back at every row, as a poller would see it."""

    def __init__(self) -> None:
        self.seen: list[tuple] = []

    def start(self, total: int) -> None:
        self.total = total

    def advance(self, count: int = 1) -> None:
        job = ExportJob.objects.order_by("-pk").first()
        self.seen.append((job.status, job.phase, job.rows_done, job.rows_total))


def test_progress_is_written_on_the_job_while_it_runs(world, settings):
    settings.EXPORT_PROGRESS_ROWS = 1
    recorder = Recorder()
    job = services.run_export(world.admin, export_format="csv", progress=recorder)
    assert recorder.seen == [("running", "writing", done, 3) for done in (0, 1, 2)]
    assert (job.status, job.phase, job.rows_done, job.rows_total, job.percent) == (
        "succeeded",
        "done",
        3,
        3,
        100,
    )
    assert job.attempts == 1 and job.claimed_at <= job.heartbeat_at <= job.finished_at


def test_eta_follows_the_pace_so_far(world):
    start = timezone.now()
    job = ExportJob(status="running", rows_total=100, rows_done=25, claimed_at=start)
    job.heartbeat_at = start + timedelta(seconds=10)
    assert job.percent == 25 and job.eta == start + timedelta(seconds=40)
    job.rows_done = 0
    assert job.eta is None and job.percent == 0


def test_a_job_is_claimed_once(world):
    job = services.create_export_job(world.admin, export_format="jsonl")
    assert job.status == "queued"
    first = services.execute_export(job.pk)
    assert first.status == "succeeded"
    assert services.execute_export(job.pk) is None  # a second delivery of the message
    assert tasks.run_export_job(job.pk) == "not claimed"
    assert ExportedRow.objects.filter(job=job).count() == 3
    assert len(job_files(job)) == 2


def test_a_queued_job_is_cancelled_at_once_and_never_runs(world):
    job = services.create_export_job(world.admin, export_format="csv")
    cancelled = lifecycle.cancel_export(world.admin, job_id=job.pk)
    assert (cancelled.status, cancelled.phase, cancelled.cancel_requested) == ("cancelled", "done", True)
    assert services.execute_export(job.pk) is None
    assert not ExportedRow.objects.filter(job=job).exists() and job_files(job) == []


def test_a_running_job_stops_at_its_next_progress_write_with_no_output(world, settings):
    settings.EXPORT_PROGRESS_ROWS = 1

    class CancelMidway:
        def start(self, total: int) -> None:
            pass

        def advance(self, count: int = 1) -> None:
            running = ExportJob.objects.get(status="running")
            if running.rows_done == 1:
                lifecycle.cancel_export(world.admin, job_id=running.pk)

    job = services.run_export(world.admin, export_format="xlsx", progress=CancelMidway())
    assert (job.status, job.phase) == ("cancelled", "done")
    assert not job.file and not job.report_file and not job.sha256 and job.error_message == ""
    assert not ExportedRow.objects.filter(job=job).exists()
    assert job_files(job) == []
    assert not list(Path(tempfile.gettempdir()).glob(f"{lifecycle.scratch_prefix(job)}*"))


def test_cancelling_is_for_admins_and_unfinished_jobs(world):
    job = world.export()
    with pytest.raises(Conflict):
        lifecycle.cancel_export(world.admin, job_id=job.pk)
    queued = services.create_export_job(world.admin, export_format="csv")
    with pytest.raises(NotPermitted):
        lifecycle.cancel_export(world.supplier_a, job_id=queued.pk)
    response = world.client(world.admin).post(f"{EXPORTS}{job.pk}/cancel/")
    assert response.status_code == 409 and response.json()["code"] == "export_finished"
    assert world.client(world.officer).post(f"{EXPORTS}{queued.pk}/cancel/").status_code == 403
    response = world.client(world.admin).post(f"{EXPORTS}{queued.pk}/cancel/")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"


# ------------------------------------------------------------------ the stale-job sweep
def leave_a_dead_attempt(world) -> ExportJob:
    """A job as a worker killed mid-export leaves it: claimed, part of a manifest, a stored file not yet
    recorded, a scratch folder, and no heartbeat since long ago."""
    job = lifecycle.claim(services.create_export_job(world.admin, export_format="csv").pk)
    ExportedRow.objects.insert_manifest([(job.pk, world.goods.pk, "0" * 32, "", "", "", "")])
    job.file.storage.save(
        f"exports/nara/{timezone.localtime():%Y/%m}/nara-feed-v1.0-full-job{job.pk}-x.csv",
        ContentFile(b"half a file"),
    )
    Path(tempfile.mkdtemp(prefix=lifecycle.scratch_prefix(job)), "feed.csv").write_text("half")
    ExportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    return job


def assert_no_leftovers(job: ExportJob) -> None:
    assert not ExportedRow.objects.filter(job_id=job.pk).exists()
    assert job_files(job) == []
    assert not list(Path(tempfile.gettempdir()).glob(f"{lifecycle.scratch_prefix(job)}*"))


def test_the_sweep_retries_a_job_whose_worker_died(world):
    job = leave_a_dead_attempt(world)
    live = lifecycle.claim(services.create_export_job(world.admin, export_format="csv").pk)
    swept = tasks.sweep_stale_exports()  # eager: the requeued job runs again here
    assert swept == {"requeued": [job.pk], "failed": [], "cancelled": []}
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("succeeded", 2)
    assert ExportedRow.objects.filter(job=job).count() == job.listed_count == 3
    assert len(job_files(job)) == 2
    live.refresh_from_db()
    assert live.status == "running", "a job with a fresh heartbeat is left alone"


def test_the_sweep_fails_a_job_out_of_attempts_and_settles_a_cancelled_one(world, settings):
    settings.EXPORT_MAX_ATTEMPTS = 1
    job = leave_a_dead_attempt(world)
    cancelled = leave_a_dead_attempt(world)
    ExportJob.objects.filter(pk=cancelled.pk).update(cancel_requested=True)
    swept = lifecycle.sweep_stale_jobs()
    assert (swept.requeued, swept.failed, swept.cancelled) == ([], [job.pk], [cancelled.pk])
    job.refresh_from_db()
    assert job.status == "failed" and "stopped responding" in job.error_message and job.phase == "done"
    assert ExportJob.objects.get(pk=cancelled.pk).status == "cancelled"
    assert_no_leftovers(job)
    assert_no_leftovers(cancelled)


def test_the_sweep_resends_a_lost_message_and_gives_up_on_a_job_nobody_takes(world, settings):
    lost = services.create_export_job(world.admin, export_format="csv")
    forgotten = services.create_export_job(world.admin, export_format="csv")
    hour_ago = timezone.now() - timedelta(hours=1)
    ExportJob.objects.filter(pk=lost.pk).update(heartbeat_at=hour_ago)
    ExportJob.objects.filter(pk=forgotten.pk).update(
        heartbeat_at=hour_ago, started_at=hour_ago - timedelta(days=1)
    )
    swept = tasks.sweep_stale_exports()
    assert swept == {"requeued": [lost.pk], "failed": [forgotten.pk], "cancelled": []}
    assert ExportJob.objects.get(pk=lost.pk).status == "succeeded"
    forgotten.refresh_from_db()
    assert forgotten.status == "failed" and "no worker" in forgotten.error_message


def test_a_worker_that_lost_its_lease_leaves_the_job_to_the_sweep(world, settings):
    settings.EXPORT_PROGRESS_ROWS = 1

    class SweptMidway:
        def start(self, total: int) -> None:
            pass

        def advance(self, count: int = 1) -> None:
            running = ExportJob.objects.filter(status="running").first()
            if running is not None and running.rows_done == 1:
                ExportJob.objects.filter(pk=running.pk).update(
                    heartbeat_at=timezone.now() - timedelta(hours=1)
                )
                lifecycle.sweep_stale_jobs()  # queues it again, as for a dead worker

    job = services.run_export(world.admin, export_format="csv", progress=SweptMidway())
    assert (job.status, job.attempts) == ("queued", 1)
    assert_no_leftovers(job)


# ------------------------------------------------------------------ the page
def test_the_page_starts_a_job_and_shows_its_progress_and_cancel_button(world):
    client = page_client(world.admin)
    queued = services.create_export_job(world.admin, export_format="xlsx")
    page = client.get(f"/exports/{queued.pk}/")
    html = page.content.decode()
    assert f'data-progress-url="/exports/{queued.pk}/progress/"' in html
    assert "<progress" in html and "job-progress.js" in html
    assert f'action="/exports/{queued.pk}/cancel/"' in html
    progress = client.get(f"/exports/{queued.pk}/progress/")
    assert progress["Cache-Control"] == "no-store"
    assert progress.json()["status"] == "queued" and progress.json()["finished"] is False
    assert page_client(world.officer).get(f"/exports/{queued.pk}/progress/").status_code == 403

    response = client.post(f"/exports/{queued.pk}/cancel/", follow=True)
    assert response.redirect_chain[-1][0] == f"/exports/{queued.pk}/"
    assert "job-progress.js" not in response.content.decode()
    assert client.get(f"/exports/{queued.pk}/progress/").json()["status"] == "cancelled"
    assert client.get(f"/exports/{queued.pk}/cancel/").status_code == 405

    response = client.post("/exports/", {"export_format": "csv", "kind": "full"})
    job = ExportJob.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == f"/exports/{job.pk}/"
    assert job.status == "succeeded"  # eager: finished before the redirect


# ------------------------------------------------------------------ schedule and heartbeat
def test_every_scheduled_task_exists():
    celery_app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in celery_app.tasks, name
    assert "feeds.run_export" in celery_app.tasks
    # search's tasks are its rebuild jobs and the search log's pruning; the outbox has one drain mechanism:
    # manage.py search_sync --loop
    search_tasks = {name for name in celery_app.tasks if name.startswith("search.")}
    assert search_tasks == {"search.run_rebuild", "search.sweep_stale_rebuilds", "search.prune_search_log"}


def test_the_certificate_tasks_expire_and_reinstate(world):
    from certification.models import Certificate, CertificateStatus
    from certification.tasks import expire_certificates, lift_ended_suspensions

    today = timezone.localdate()
    Certificate.objects.filter(pk=world.cert_goods.pk).update(expires_on=today - timedelta(days=1))
    Certificate.objects.filter(pk=world.cert_services.pk).update(
        status=CertificateStatus.SUSPENDED, suspended_until=today - timedelta(days=1)
    )
    assert lift_ended_suspensions.delay().get() == 1
    assert expire_certificates.delay().get() == 1
    assert Certificate.objects.get(pk=world.cert_goods.pk).status == CertificateStatus.EXPIRED
    assert Certificate.objects.get(pk=world.cert_services.pk).status == CertificateStatus.ACTIVE


def test_the_heartbeat_lands_in_the_shared_cache():
    from config.tasks import worker_heartbeat

    moment = worker_heartbeat.delay(hostname="w1@host").get()
    beat = caches[settings.WORKER_HEARTBEAT_CACHE].get(settings.WORKER_HEARTBEAT_KEY)
    assert beat == {"at": moment, "worker": "w1@host"}
