"""The outbox under outages, retries, rejected documents, commands and the embedded on-commit path."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from catalog import services as catalog_services
from certification import services as certification_services
from search import sync
from search.backends import get_backend
from search.backends.base import SearchQuery, SearchUnavailable
from search.documents import documents_for, listed_ids
from search.models import IndexOutbox
from tests.conftest import dead_url
from tests.factories import make_listing
from tests.search.conftest import ids, run, sync_now

pytestmark = pytest.mark.django_db

es_only = pytest.mark.parametrize("backend", ["elasticsearch"], indirect=True)


@es_only
def test_outage_loses_nothing_and_the_index_converges(backend, indexed, settings):
    live_url = settings.ELASTICSEARCH_URL
    settings.ELASTICSEARCH_URL = dead_url()
    catalog_services.update_listing(indexed.air_user, listing_id=indexed.purifier.pk, name="업소용 제습기")
    certification_services.revoke_certificate(
        indexed.reviewer, certificate_id=indexed.it_cert.pk, reason="위반"
    )
    added = make_listing(indexed.lighting_user, indexed.led_cert, name="LED 투광등", unit_price=300_000)
    pending = IndexOutbox.objects.count()
    assert pending == 3

    delays = []
    stats = sync.drain(retries=3, backoff=0.5, sleep=delays.append)
    assert not stats.ok and "unavailable" in stats.error
    assert delays == [0.5, 1.0, 2.0]  # exponential backoff between attempts
    assert IndexOutbox.objects.count() == pending  # nothing lost
    assert set(IndexOutbox.objects.values_list("attempts", flat=True)) == {0}  # outages don't dead-letter
    assert IndexOutbox.objects.exclude(last_error="").count() == pending
    with pytest.raises(SearchUnavailable):
        backend.search(SearchQuery(text="LED"))
    with pytest.raises(CommandError):
        call_command("search_sync", "--retries", "0", stdout=StringIO())

    settings.ELASTICSEARCH_URL = live_url
    sync_now(backend)
    assert not IndexOutbox.objects.exists()
    assert sorted(backend.iter_ids()) == sorted(listed_ids())
    assert ids(run(backend, "제습기")) == [indexed.purifier.pk]
    assert run(backend, "유지관리").total == 0
    assert ids(run(backend, "투광등")) == [added.pk]
    # and each document is exactly what the catalog would produce now
    response = backend.client.search(index=backend.alias, body={"size": 100})
    stored = {int(hit["_id"]): hit["_source"] for hit in response["hits"]["hits"]}
    assert stored == documents_for(list(listed_ids()))


@es_only
def test_writes_never_create_a_stray_index(backend, indexed, settings, es_client):
    es_client.indices.delete(index=f"{backend.alias}-v*")
    catalog_services.update_listing(indexed.air_user, listing_id=indexed.purifier.pk, name="업소용 제습기")
    stats = sync.drain()
    assert not stats.ok
    assert IndexOutbox.objects.count() == 1
    assert not es_client.indices.exists(index=backend.alias)
    with pytest.raises(SearchUnavailable):
        backend.search(SearchQuery())
    assert backend.ensure() is True  # rebuilds from the catalog, then the outbox catches up
    sync_now(backend)
    assert ids(run(backend, "제습기")) == [indexed.purifier.pk]


@es_only
def test_rebuild_replaces_a_concrete_index_squatting_on_the_alias(backend, indexed, es_client):
    es_client.indices.delete(index=f"{backend.alias}-v*")
    es_client.indices.create(index=backend.alias)
    stats = sync.rebuild(backend)
    assert backend.alias_targets() == [stats.index]
    assert run(backend, "LED").total == 2


@es_only
def test_cleanup_removes_only_stale_indices(backend, indexed, es_client):
    live = backend.alias_targets()
    stale = f"{backend.alias}-v19990101000000000000"
    es_client.indices.create(index=stale)
    assert backend.cleanup() == []  # too young: may be a rebuild still loading
    assert backend.cleanup(min_age_seconds=0) == [stale]
    assert backend.alias_targets() == live


def test_rejected_documents_are_retried_then_parked(backend, indexed):
    class Rejecting(type(backend)):
        def write(self, documents):
            stats = super().write([d for d in documents if d["id"] != indexed.street.pk])
            if any(d["id"] == indexed.street.pk for d in documents):
                stats.failed[indexed.street.pk] = "mapper_parsing_exception"
            return stats

    catalog_services.update_listing(indexed.lighting_user, listing_id=indexed.street.pk, name="LED 보안등")
    catalog_services.update_listing(
        indexed.lighting_user, listing_id=indexed.panel.pk, name="LED 직하형 평판조명"
    )
    rejecting = Rejecting()
    for attempt in range(1, sync.MAX_ATTEMPTS + 1):
        stats = sync.drain_batch(backends=[rejecting])
        assert stats.failed == {indexed.street.pk: "mapper_parsing_exception"}
        row = IndexOutbox.objects.get()
        assert row.listing_id == indexed.street.pk and row.attempts == attempt
    # parked: no longer claimed, but visible to operators
    assert sync.drain_batch(backends=[rejecting]).rows == 0
    assert sync.pending_count() == 0
    assert [row.listing_id for row in sync.dead_rows()] == [indexed.street.pk]
    backend.refresh()
    assert ids(run(backend, "직하형")) == [indexed.panel.pk]


def test_index_command_status_rebuild_ensure_cleanup(backend, indexed):
    out = StringIO()
    call_command("search_index", "status", "--json", stdout=out)
    status = json.loads(out.getvalue())
    assert status["listed_in_database"] == 5 and status["count"] == 5 and status["in_step"] is True
    call_command("search_index", "rebuild", "--no-progress", stdout=StringIO())
    call_command("search_index", "ensure", stdout=(out := StringIO()))
    assert "present" in out.getvalue()
    call_command("search_index", "cleanup", stdout=StringIO())
    catalog_services.update_listing(indexed.air_user, listing_id=indexed.purifier.pk, name="업소용 제습기")
    call_command("search_index", "status", "--json", stdout=(out := StringIO()))
    assert json.loads(out.getvalue())["outbox_pending"] == 1
    call_command("search_sync", stdout=(out := StringIO()))
    assert "rows=1" in out.getvalue()
    backend.refresh()
    assert ids(run(backend, "제습기")) == [indexed.purifier.pk]


def test_database_backend_applies_on_commit_without_a_worker(
    catalog, settings, django_capture_on_commit_callbacks
):
    settings.SEARCH_BACKEND = "database"
    settings.SEARCH_SYNC_ON_COMMIT = True
    backend = get_backend()
    sync.drain()
    with django_capture_on_commit_callbacks(execute=True):
        catalog_services.update_listing(
            catalog.air_user, listing_id=catalog.purifier.pk, name="업소용 제습기"
        )
    assert not IndexOutbox.objects.exists()
    assert ids(run(backend, "제습기")) == [catalog.purifier.pk]


@es_only
def test_fallback_table_is_fed_alongside_elasticsearch(backend, indexed, settings):
    settings.SEARCH_FALLBACK_TO_DATABASE = True
    database = get_backend("database")
    assert [b.name for b in sync.target_backends()] == ["database", "elasticsearch"]
    sync.rebuild(database)
    catalog_services.update_listing(indexed.air_user, listing_id=indexed.purifier.pk, name="업소용 제습기")
    sync_now(backend)
    assert ids(run(database, "제습기")) == ids(run(backend, "제습기")) == [indexed.purifier.pk]
