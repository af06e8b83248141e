"""Full search rebuilds as worker jobs: started from the API or the command (202, run eagerly here), one at a
time per backend, cancelled, swept when their worker died, administrators only; a build stopped midway
leaves the serving index alone."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.jobs import JobCancelled
from search import rebuilds, store
from search.backends import get_backend
from search.models import RebuildJob, SearchEntry
from tests.worlds import ListedWorld

REBUILDS = "/api/v1/search/rebuilds/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.SEARCH_SYNC_ON_COMMIT = False
    return ListedWorld()


def test_an_admin_starts_a_rebuild_and_follows_it_to_the_end(world):
    SearchEntry.objects.all().delete()
    admin = world.client(world.admin)
    response = admin.post(REBUILDS, {"backend": "database"}, format="json")
    assert response.status_code == 202
    body = response.json()
    assert response["Location"] == body["url"]
    polled = admin.get(body["url"]).json()
    assert (polled["status"], polled["phase"], polled["percent"]) == ("succeeded", "done", 100)
    assert polled["rows_total"] == polled["rows_done"] == polled["indexed"] == 2
    assert set(SearchEntry.objects.values_list("listing_id", flat=True)) == {
        world.listing_a.pk,
        world.listing_b.pk,
    }
    assert [job["id"] for job in admin.get(REBUILDS).json()["results"]] == [body["id"]]


@pytest.mark.parametrize("who", ["officer", "reviewer", "supplier_a"])
def test_only_administrators_see_or_start_rebuilds(world, who):
    job = rebuilds.request_rebuild(world.admin, backend="database")
    user = getattr(world, who)
    client = world.client(user)
    assert client.get(REBUILDS).status_code == 403
    assert client.get(f"{REBUILDS}{job.pk}/").status_code == 403
    assert client.post(REBUILDS, {"backend": "database"}, format="json").status_code == 403
    assert client.post(f"{REBUILDS}{job.pk}/cancel/").status_code == 403
    assert world.client().post(REBUILDS, {"backend": "database"}, format="json").status_code in (401, 403)


def test_one_unfinished_rebuild_per_backend_and_bad_requests_are_field_errors(world):
    queued = rebuilds.request_rebuild(world.admin, backend="database")
    admin = world.client(world.admin)
    second = admin.post(REBUILDS, {"backend": "database"}, format="json")
    assert second.status_code == 409 and second.json()["code"] == "rebuild_in_progress"
    unknown = admin.post(REBUILDS, {"backend": "solr"}, format="json")
    assert unknown.status_code == 400 and "backend" in unknown.json()["errors"]
    extra = admin.post(REBUILDS, {"backend": "database", "force": True}, format="json")
    assert extra.status_code == 400
    assert RebuildJob.objects.get() == queued


def test_a_queued_rebuild_is_cancelled_at_once_and_a_finished_one_not_at_all(world):
    queued = rebuilds.request_rebuild(world.admin, backend="database")
    admin = world.client(world.admin)
    cancelled = admin.post(f"{REBUILDS}{queued.pk}/cancel/").json()
    assert (cancelled["status"], cancelled["phase"]) == ("cancelled", "done")
    assert rebuilds.execute_rebuild(queued.pk) is None  # its message arriving later runs nothing
    again = admin.post(f"{REBUILDS}{queued.pk}/cancel/")
    assert again.status_code == 409 and again.json()["code"] == "rebuild_finished"


def test_a_rebuild_whose_worker_died_is_queued_again_then_failed(world, settings):
    job = rebuilds.request_rebuild(world.admin, backend="database")
    claimed = rebuilds.REBUILDS.claim(job.pk, "indexing")
    long_ago = timezone.now() - timedelta(seconds=settings.SEARCH_REBUILD_LEASE_SECONDS + 5)
    RebuildJob.objects.filter(pk=claimed.pk).update(heartbeat_at=long_ago)
    assert rebuilds.sweep_stale_rebuilds().requeued == [job.pk]
    assert RebuildJob.objects.get(pk=job.pk).status == "queued"
    finished = rebuilds.execute_rebuild(job.pk)
    assert (finished.status, finished.attempts) == ("succeeded", 2)


def test_the_command_queues_a_rebuild_for_an_administrator(world, capsys):
    call_command(
        "search_index", "rebuild", "--queue", "--backend", "database", "--user", world.admin.username
    )
    job = RebuildJob.objects.get()
    assert (job.status, job.created_by) == ("succeeded", world.admin)
    assert f"rebuild job {job.pk} of database: succeeded" in capsys.readouterr().out


@pytest.mark.elasticsearch
def test_a_build_stopped_midway_leaves_the_serving_index_and_no_half_built_one(
    world, settings, es_client, es_index_name
):
    settings.ELASTICSEARCH_INDEX_PREFIX = es_index_name
    backend = get_backend("elasticsearch")
    backend.ensure()
    serving = backend.alias_targets()

    def cancel_after_first_batch(count: int) -> None:
        raise JobCancelled("cancelled")

    with pytest.raises(JobCancelled):
        backend.rebuild(documents=store.iter_all(), progress=cancel_after_first_batch)
    assert backend.alias_targets() == serving
    assert set(backend.indices.versioned_indices()) == set(serving)
