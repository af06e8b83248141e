"""Full search rebuilds on Celery: requesting one hands it to a worker; the sweep settles those whose worker
died. Without a broker (``CELERY_BROKER_URL`` unset) the rebuild runs in-process, as `make run` shows.

The outbox is drained by ``manage.py search_sync --loop``, not by a task: one drain mechanism.
"""

import logging

from celery import shared_task
from django.contrib.auth.models import AbstractBaseUser

from search import log as search_log
from search import rebuilds
from search.models import RebuildJob

logger = logging.getLogger(__name__)

MISSING_JOB_RETRIES = 5


def start_rebuild(actor: AbstractBaseUser, *, backend: str, reuse_stored: bool = True) -> RebuildJob:
    """Records a rebuild and queues it; returns the job as it is after queueing (finished when eager)."""
    job = rebuilds.request_rebuild(actor, backend=backend, reuse_stored=reuse_stored)
    run_rebuild_job.delay(job.pk)
    job.refresh_from_db()
    return job


@shared_task(name="search.run_rebuild", bind=True, ignore_result=True, max_retries=MISSING_JOB_RETRIES)
def run_rebuild_job(self, job_id: int) -> str:
    """Runs one queued rebuild; a copy of the message for a job already claimed does nothing."""
    if not RebuildJob.objects.filter(pk=job_id).exists():
        # the caller's transaction has not committed yet
        raise self.retry(countdown=1)
    job = rebuilds.execute_rebuild(job_id)
    return "not claimed" if job is None else job.status


@shared_task(name="search.sweep_stale_rebuilds", ignore_result=True)
def sweep_stale_rebuilds() -> dict[str, list[int]]:
    """Settles rebuilds whose worker stopped and queues the retried ones again (scheduled every minute)."""
    result = rebuilds.sweep_stale_rebuilds()
    for job_id in result.requeued:
        run_rebuild_job.delay(job_id)
    if result.requeued or result.failed or result.cancelled:
        logger.warning(
            "stale search rebuilds: requeued %s, failed %s, cancelled %s",
            result.requeued,
            result.failed,
            result.cancelled,
        )
    return {"requeued": result.requeued, "failed": result.failed, "cancelled": result.cancelled}


@shared_task(name="search.prune_search_log", ignore_result=True)
def prune_search_log() -> int:
    """Deletes search log entries past their retention (scheduled daily)."""
    return search_log.prune_search_log()
