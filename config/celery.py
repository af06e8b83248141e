"""The Celery application (Celery's "First steps with Django"): settings from Django's, prefixed CELERY_.

Tasks live in each app's ``tasks`` module (found by autodiscovery) and in ``config.tasks``; the schedule
table is ``CELERY_BEAT_SCHEDULE`` in ``config.settings``. Run a worker with ``celery -A config worker``
and the scheduler with ``celery -A config beat``.
"""

import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("sangsaeng", include=["config.tasks"])
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _heartbeat_when_ready(sender, **kwargs) -> None:
    # a worker that just started counts as alive before beat's first heartbeat reaches it
    from config.tasks import worker_heartbeat

    worker_heartbeat(hostname=getattr(sender, "hostname", "") or "")
