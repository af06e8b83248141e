"""``/healthz`` reports the task broker (Redis) and whether a worker is alive, against the real Redis:
an unreachable broker fails (no export can start); a stopped worker (no fresh heartbeat) is degraded,
named, while the pages still serve."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.utils import timezone

from tests.conftest import dead_url

pytestmark = pytest.mark.django_db
URL = "/healthz"


@pytest.fixture
def queued(settings, redis_url):
    """Tasks go to the real broker, as in production, with no heartbeat recorded yet."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = redis_url
    settings.SEARCH_BACKEND = "database"
    heartbeats = caches[settings.WORKER_HEARTBEAT_CACHE]
    heartbeats.delete(settings.WORKER_HEARTBEAT_KEY)
    yield heartbeats
    heartbeats.delete(settings.WORKER_HEARTBEAT_KEY)


def beat(settings, heartbeats, age_seconds: int) -> None:
    moment = timezone.now() - timedelta(seconds=age_seconds)
    heartbeats.set(settings.WORKER_HEARTBEAT_KEY, {"at": moment.isoformat(), "worker": "celery@w1"}, None)


def test_in_process_mode_has_no_broker_or_worker_to_check(client, settings):
    settings.SEARCH_BACKEND = "database"
    checks = client.get(URL).json()["checks"]
    assert checks["broker"]["mode"] == checks["worker"]["mode"] == "in-process"


def test_a_live_worker_and_a_reachable_broker_are_ok(client, settings, queued):
    beat(settings, queued, age_seconds=5)
    response = client.get(URL)
    assert response.status_code == 200, response.json()
    checks = response.json()["checks"]
    assert checks["broker"]["status"] == "ok" and checks["broker"]["transport"] == "redis"
    assert checks["worker"]["status"] == "ok" and checks["worker"]["worker"] == "celery@w1"


@pytest.mark.parametrize("age_seconds", [None, 600])
def test_a_stopped_worker_is_named_and_degraded(client, settings, queued, age_seconds):
    if age_seconds is not None:
        beat(settings, queued, age_seconds)
    response = client.get(URL)
    assert response.status_code == 200  # the pages and the API still serve
    body = response.json()
    assert body["status"] == "degraded" and body["degraded"] == ["worker"]
    assert "worker" in body["checks"]["worker"]["message"]
    if age_seconds is not None:
        assert body["checks"]["worker"]["heartbeat_age_seconds"] >= 600


def test_an_unreachable_broker_fails_and_is_named(client, settings, queued):
    beat(settings, queued, age_seconds=5)
    settings.CELERY_BROKER_URL = dead_url().replace("http://", "redis://") + "/0"
    response = client.get(URL)
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["broker"]
    assert "broker" in body["checks"]["broker"]["message"]
