"""Result-export jobs on Celery. Without a broker (``CELERY_BROKER_URL`` unset) they run in-process, so
``start_result_export`` returns a job that has already finished."""

import logging

from celery import shared_task
from django.contrib.auth.models import AbstractBaseUser

from search.exports import services
from search.exports.models import ResultExport

logger = logging.getLogger(__name__)
MISSING_JOB_RETRIES = 5


def start_result_export(actor: AbstractBaseUser, **request) -> ResultExport:
    """Records the job (``services.create_export_job``'s arguments) and queues it; returns it as it is now."""
    job = services.create_export_job(actor, **request)
    run_result_export.delay(job.pk)
    job.refresh_from_db()
    return job


@shared_task(name="search_exports.run", bind=True, ignore_result=True, max_retries=MISSING_JOB_RETRIES)
def run_result_export(self, job_id: int) -> str:
    if not ResultExport.objects.filter(pk=job_id).exists():
        raise self.retry(countdown=1)  # the caller's transaction has not committed yet
    job = services.execute_export_job(job_id)
    return job.status if job else "not claimed"


@shared_task(name="search_exports.sweep_stale", ignore_result=True)
def sweep_stale_result_exports() -> dict[str, list[int]]:
    """Settles exports whose worker stopped (scheduled every minute) and queues the retried ones again."""
    result = services.sweep_stale_exports()
    for job_id in result.requeued:
        run_result_export.delay(job_id)
    if result.requeued or result.failed or result.cancelled:
        logger.warning("stale result exports: requeued %s, failed %s", result.requeued, result.failed)
    return {"requeued": result.requeued, "failed": result.failed, "cancelled": result.cancelled}
