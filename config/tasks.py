"""Tasks of the composition itself: the worker heartbeat that health checks read."""

from celery import shared_task
from django.conf import settings
from django.core.cache import caches
from django.utils import timezone


@shared_task(name="config.worker_heartbeat", ignore_result=True)
def worker_heartbeat(hostname: str = "") -> str:
    """Records that a worker ran a task just now (beat sends this every 30 s; workers also at start).

    Kept in the ``WORKER_HEARTBEAT_CACHE`` cache under ``WORKER_HEARTBEAT_KEY`` as an ISO timestamp and the
    worker's host name, without expiry: a reader compares its age with what it tolerates.
    """
    moment = timezone.now().isoformat()
    caches[settings.WORKER_HEARTBEAT_CACHE].set(
        settings.WORKER_HEARTBEAT_KEY,
        {"at": moment, "worker": hostname or worker_heartbeat.request.hostname or ""},
        None,
    )
    return moment
