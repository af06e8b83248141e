"""``/healthz`` reports each dependency on its own and answers 503 naming what fails, against the real
database and the real Elasticsearch: a missing index, a stray index under the alias's name, an
unreachable node, an outbox the worker is not draining, a database that is not there."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from config import health
from search.backends import get_backend
from search.es_client import get_client
from search.models import IndexOutbox
from search.sync import MAX_ATTEMPTS
from tests.conftest import dead_url
from tests.worlds import ListedWorld

pytestmark = pytest.mark.django_db
URL = "/healthz"
ROOT = Path(__file__).resolve().parent.parent


def raising_check() -> health.CheckResult:
    raise RuntimeError("the check itself broke")


def lagging_mail_check() -> health.CheckResult:
    return health.degraded("no mail relay answer for 120 s", last_answer_age_seconds=120)


@pytest.fixture
def database_search(settings):
    settings.SEARCH_BACKEND = "database"
    settings.SEARCH_FALLBACK_TO_DATABASE = False


@pytest.fixture
def es_search(settings, es_client, es_index_name):
    """Elasticsearch with a prefix of its own, where nothing exists until the test creates it."""
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.SEARCH_FALLBACK_TO_DATABASE = False
    settings.ELASTICSEARCH_INDEX_PREFIX = es_index_name
    yield f"{es_index_name}-products"
    es_client.indices.delete(index=f"{es_index_name}*", ignore_unavailable=True, allow_no_indices=True)


def test_every_dependency_reported_on_its_own(client, database_search):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert body["status"] == "ok" and body["failing"] == [] and body["degraded"] == []
    checks = body["checks"]
    assert list(checks) == ["database", "search", "outbox", "broker", "worker"]
    assert checks["database"]["status"] == "ok" and checks["database"]["vendor"] == connection.vendor
    assert checks["search"] == {**checks["search"], "status": "ok", "backend": "database"}
    assert checks["outbox"]["pending"] == 0 and checks["outbox"]["oldest_pending_age_seconds"] is None
    assert all(check["ms"] >= 0 for check in checks.values())


def test_a_missing_index_is_503_naming_it(client, es_search):
    response = client.get(URL)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing" and body["failing"] == ["search"]
    search = body["checks"]["search"]
    assert search["backend"] == "elasticsearch" and search["alias"] == es_search
    assert search["alias_exists"] is False and search["indices"] == []
    assert es_search in search["message"] and "search_index ensure" in search["message"]
    assert body["checks"]["database"]["status"] == "ok"


def test_a_built_index_reports_its_alias_and_documents(client, es_search):
    ListedWorld()
    get_backend().ensure()  # builds the index from the two listed products
    response = client.get(URL)
    assert response.status_code == 200, response.json()
    search = response.json()["checks"]["search"]
    assert search["status"] == "ok" and search["alias_exists"] is True
    assert len(search["indices"]) == 1 and search["indices"][0].startswith(f"{es_search}-v")
    assert search["documents"] == 2
    assert search["index_status"] in {"green", "yellow"}


def test_an_index_squatting_on_the_alias_name_is_failing(client, es_search):
    get_client().indices.create(index=es_search)  # what a stray write to the alias would auto-create
    response = client.get(URL)
    assert response.status_code == 503
    assert "not an alias" in response.json()["checks"]["search"]["message"]


@pytest.mark.parametrize(
    ("fallback", "http_status", "status", "says"),
    [
        (False, 503, "failing", "Elasticsearch"),
        # searches still answer, from the database: worse, not down
        (True, 200, "degraded", "answered from the database"),
    ],
)
def test_an_unreachable_elasticsearch(client, settings, fallback, http_status, status, says):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.SEARCH_FALLBACK_TO_DATABASE = fallback
    settings.ELASTICSEARCH_URL = dead_url()
    response = client.get(URL)
    assert response.status_code == http_status
    body = response.json()
    assert body["status"] == status and body[status] == ["search"]
    assert says in body["checks"]["search"]["message"]
    assert body["checks"]["database"]["status"] == "ok"


def test_outbox_lag_beyond_the_threshold_is_degraded(client, database_search, settings):
    settings.HEALTH_OUTBOX_LAG_SECONDS = 60
    fresh = IndexOutbox.objects.create(listing_id=1)
    assert client.get(URL).json()["checks"]["outbox"]["status"] == "ok"  # a change just made is no lag
    old = IndexOutbox.objects.create(listing_id=2)
    IndexOutbox.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    dead = IndexOutbox.objects.create(listing_id=3, attempts=MAX_ATTEMPTS)
    IndexOutbox.objects.filter(pk=dead.pk).update(created_at=timezone.now() - timedelta(days=3))
    # the oldest *pending* row counts: ids are taken in insertion order, so lower the fresh row's age too
    IndexOutbox.objects.filter(pk=fresh.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    response = client.get(URL)
    assert response.status_code == 200  # searches still work, only late
    body = response.json()
    assert body["status"] == "degraded" and body["degraded"] == ["outbox"]
    outbox = body["checks"]["outbox"]
    assert outbox["pending"] == 2 and outbox["dead"] == 1 and outbox["capped"] is False
    assert 295 <= outbox["oldest_pending_age_seconds"] <= 400  # the dead row's 3 days are not lag
    assert outbox["threshold_seconds"] == 60 and "search_sync" in outbox["message"]


def _with_extra_check(client, settings, name: str, function: str) -> tuple[int, dict]:
    settings.HEALTH_CHECKS = {**settings.HEALTH_CHECKS, name: f"tests.test_health.{function}"}
    response = client.get(URL)
    return response.status_code, response.json()


def test_a_check_that_raises_is_failing_not_a_500(client, database_search, settings):
    status, body = _with_extra_check(client, settings, "broken", "raising_check")
    assert status == 503 and body["failing"] == ["broken"]
    assert body["checks"]["broken"]["message"] == "RuntimeError: the check itself broke"
    assert body["checks"]["database"]["status"] == "ok"


def test_checks_can_be_added_by_settings(client, database_search, settings):
    status, body = _with_extra_check(client, settings, "mail", "lagging_mail_check")
    assert status == 200 and body["degraded"] == ["mail"]
    assert list(body["checks"]) == ["database", "search", "outbox", "broker", "worker", "mail"]
    assert body["checks"]["mail"] == {
        "status": "degraded",
        "message": "no mail relay answer for 120 s",
        "last_answer_age_seconds": 120,
        "ms": body["checks"]["mail"]["ms"],
    }


def test_a_database_that_is_down_is_503_naming_it():
    """A real process whose database does not answer (nothing listens on its port): 503 with the
    database named, never a 500."""
    code = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code); print(r.content.decode())"
    )
    port = dead_url().rsplit(":", 1)[1]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://nobody@127.0.0.1:{port}/nothing",
        "SEARCH_BACKEND": "database",
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    status, body = result.stdout.strip().split("\n", 1)
    assert status == "503", result.stdout
    answer = json.loads(body)
    assert answer["status"] == "failing" and "database" in answer["failing"]
    assert "OperationalError" in answer["checks"]["database"]["message"]
