"""Export jobs on Celery: starting one hands it to a worker; the sweep settles jobs whose worker died.

Without a broker (``CELERY_BROKER_URL`` unset) Celery runs these in-process, so ``start_export`` returns
a job that has already finished, as `make run` shows.
"""

import logging
from typing import Any

from celery import shared_task
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from catalog.feeds import lifecycle, services
from catalog.feeds.models import ExportJob

logger = logging.getLogger(__name__)

# a job's row may not be visible yet when its message arrives (the caller's transaction has not
# committed): the task waits for it this many times, a second apart
MISSING_JOB_RETRIES = 5


def start_export(actor: AbstractBaseUser | AnonymousUser, **request: Any) -> ExportJob:
    """Records an export job (``services.create_export_job``'s arguments) and queues it for a worker.

    The job row is committed before the message is sent (callers run in autocommit); a message that is
    lost anyway is sent again by the sweep. Returns the job as it is after queueing (finished when eager).
    """
    job = services.create_export_job(actor, **request)
    run_export_job.delay(job.pk)
    job.refresh_from_db()
    return job


@shared_task(name="feeds.run_export", bind=True, ignore_result=True, max_retries=MISSING_JOB_RETRIES)
def run_export_job(self, job_id: int) -> str:
    """Runs one queued export job; a copy of the message for a job already claimed does nothing."""
    if not ExportJob.objects.filter(pk=job_id).exists():
        raise self.retry(countdown=1)
    job = services.execute_export(job_id)
    if job is None:
        return "not claimed"
    return job.status


@shared_task(name="feeds.sweep_stale_exports", ignore_result=True)
def sweep_stale_exports() -> dict[str, list[int]]:
    """Settles jobs whose worker stopped (scheduled every minute) and queues the retried ones again."""
    result = lifecycle.sweep_stale_jobs()
    for job_id in result.requeued:
        run_export_job.delay(job_id)
    for job in ExportJob.objects.filter(pk__in=result.failed + result.cancelled):
        services.announce_finished(job)
    if result.requeued or result.failed or result.cancelled:
        logger.warning(
            "stale export jobs: requeued %s, failed %s, cancelled %s",
            result.requeued,
            result.failed,
            result.cancelled,
        )
    return {"requeued": result.requeued, "failed": result.failed, "cancelled": result.cancelled}
