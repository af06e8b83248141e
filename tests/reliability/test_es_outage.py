"""A real Elasticsearch outage: the server process is stopped and started again mid-test.

Unlike tests/search/test_sync.py (which points the client at a dead port), this stops a private server
with ``scripts/services.sh`` (its own SERVICES_DIR and port, never the shared instance), so connection
pools, node back-off and the outbox all meet a server that really went away and came back.
"""

import os
import subprocess
import time
import uuid

import pytest
from django.conf import settings as django_settings
from elasticsearch import Elasticsearch

from catalog.models import ProductListing
from search import sync
from search.backends import get_backend
from search.documents import documents_for, listed_ids
from search.models import IndexOutbox
from tests.conftest import missing_service
from tests.factories import application_fields, listing_fields, open_call

pytestmark = [pytest.mark.elasticsearch, pytest.mark.django_db]

PRIVATE_ENV = {"SERVICES_DIR": "/var/tmp/sangsaeng-outage", "ES_PORT": "9281"}
PRIVATE_URL = "http://127.0.0.1:9281"
SEARCH_URL = "/api/v1/search/"


def _services(action: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["scripts/services.sh", action, "elasticsearch"],
        cwd=django_settings.BASE_DIR,
        env={**os.environ, **PRIVATE_ENV},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _wait_until_up(timeout: float = 120) -> None:
    # a fresh client each time: the point is the server, not the app client's node back-off
    deadline = time.monotonic() + timeout
    while True:
        try:
            Elasticsearch(PRIVATE_URL, request_timeout=5).cluster.health(
                wait_for_status="yellow", timeout="5s"
            )
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def _is_up() -> bool:
    try:
        Elasticsearch(PRIVATE_URL, request_timeout=2, max_retries=0).info()
    except Exception:
        return False
    return True


@pytest.fixture(scope="module")
def private_es():
    """One private server for the module (starting one costs up to a minute), always stopped at the end."""
    try:
        started = _services("start")
    except (OSError, subprocess.TimeoutExpired) as exc:
        missing_service(f"private Elasticsearch for the outage test could not start: {exc}")
    try:
        if started.returncode != 0:
            missing_service(
                f"private Elasticsearch for the outage test could not start: {started.stderr[-500:]}"
            )
        yield PRIVATE_URL
    finally:
        if _is_up():  # the data folder outlives the server: leave no index behind for the next run
            Elasticsearch(PRIVATE_URL).indices.delete(
                index="outage-*", ignore_unavailable=True, allow_no_indices=True
            )
        _services("stop")


def _index_matches_database(backend) -> None:
    backend.refresh()
    stored_ids = sorted(backend.iter_ids())
    assert len(stored_ids) == len(set(stored_ids)), "duplicate documents in the index"
    assert backend.count() == len(stored_ids)
    assert len(backend.alias_targets()) == 1, "the alias must point at exactly one index"
    assert stored_ids == sorted(listed_ids())
    response = backend.client.search(index=backend.alias, size=1000, query={"match_all": {}})
    stored = {int(hit["_id"]): hit["_source"] for hit in response["hits"]["hits"]}
    assert stored == documents_for(stored_ids)


def test_registry_and_catalog_survive_a_stopped_elasticsearch_and_the_index_converges(
    private_es, rworld, settings
):
    settings.ELASTICSEARCH_URL = private_es
    settings.ELASTICSEARCH_INDEX_PREFIX = f"outage-{uuid.uuid4().hex[:8]}"
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.SEARCH_SYNC_ON_COMMIT = False  # the worker's job, done explicitly below
    settings.SEARCH_FALLBACK_TO_DATABASE = False
    backend = get_backend()
    sync.rebuild(backend)
    get_backend("database").rebuild()  # the fallback table, as a deployment with fallback keeps it
    _index_matches_database(backend)
    officer = rworld.client(rworld.officer)
    assert officer.get(SEARCH_URL, {"q": "LED"}).json()["backend"] == "elasticsearch"

    stopped = _services("stop")
    assert stopped.returncode == 0, stopped.stderr
    assert not _is_up(), "the private server is still answering after stop"

    # registry and catalog writes do not depend on the search engine
    supplier_a = rworld.client(rworld.supplier_a)
    changed = supplier_a.patch(
        f"/api/v1/listings/{rworld.listing_a.pk}/", {"name": "정전 중 수정한 조명", "unit_price": 99_000}
    )
    assert changed.status_code == 200, changed.json()
    fields = listing_fields("goods", name="정전 중 등록한 투광등")
    created = supplier_a.post(
        "/api/v1/listings/",
        {**fields, "certificate": rworld.cert_a.pk, "delivery_regions": ["11"]},
        format="json",
    )
    assert created.status_code == 201, created.json()
    revoked = rworld.client(rworld.reviewer).post(
        f"/api/v1/certificates/{rworld.cert_b.pk}/revoke/", {"reason": "정전 중 취소"}, format="json"
    )
    assert revoked.status_code == 200, revoked.json()
    application = supplier_a.post(
        "/api/v1/applications/",
        {**application_fields(), "partner": rworld.partner.pk, "call": open_call().pk},
        format="json",
    )
    assert application.status_code == 201, application.json()
    assert IndexOutbox.objects.filter(listing_id=created.json()["id"]).exists()

    # the worker cannot reach Elasticsearch: it keeps every row, but feeds the fallback table meanwhile
    settings.SEARCH_FALLBACK_TO_DATABASE = True
    pending = IndexOutbox.objects.count()
    stats = sync.drain(retries=1, backoff=0, sleep=lambda _: None)
    assert not stats.ok
    assert IndexOutbox.objects.count() == pending

    # search says so instead of failing: 503 without fallback, the database's answer with it
    settings.SEARCH_FALLBACK_TO_DATABASE = False
    outage = officer.get(SEARCH_URL, {"q": "LED"})
    assert outage.status_code == 503
    assert outage.json()["code"] == "search_unavailable"
    settings.SEARCH_FALLBACK_TO_DATABASE = True
    fallback = officer.get(SEARCH_URL, {"page_size": 100})
    assert fallback.status_code == 200
    assert fallback.json()["fallback"] is True and fallback.json()["backend"] == "database"
    found = {hit["id"]: hit["name"] for hit in fallback.json()["results"]}
    assert found.get(rworld.listing_a.pk) == "정전 중 수정한 조명"
    assert rworld.listing_b.pk not in found, "the fallback shows a product whose certificate was revoked"

    restarted = _services("start")
    assert restarted.returncode == 0, restarted.stderr
    _wait_until_up()
    # the app's client marked the node dead while it was down; the drain must get through regardless
    stats = sync.drain(retries=5, backoff=1, max_backoff=5)
    assert stats.ok, stats.error
    assert not IndexOutbox.objects.exists()

    _index_matches_database(backend)
    assert sorted(get_backend("database").iter_ids()) == sorted(listed_ids())  # the fallback table too
    assert ProductListing.objects.filter(pk=created.json()["id"]).exists()
    settings.SEARCH_FALLBACK_TO_DATABASE = False
    after = officer.get(SEARCH_URL, {"q": "투광등"}).json()
    assert after["backend"] == "elasticsearch" and after["fallback"] is False
    assert [hit["id"] for hit in after["results"]] == [created.json()["id"]]
    assert rworld.listing_b.pk not in set(backend.iter_ids())  # its certificate was revoked meanwhile
