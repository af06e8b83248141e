"""The search log (issue 23): every first-page search leaves one row, from the API and the page alike;
nothing in it names who searched; old rows are pruned by the scheduled task."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from search import sync
from search.backends import get_backend
from search.models import SearchLogEntry
from search.tasks import prune_search_log
from tests.worlds import ListedWorld, api_client, page_client

pytestmark = pytest.mark.django_db

# every column the log has; a new one (a user, an address, a session) must be added here on purpose
LOG_COLUMNS = {"id", "created_at", "query", "filters", "result_count", "backend", "source", "took_ms"}


@pytest.fixture
def world(settings) -> ListedWorld:
    settings.SEARCH_BACKEND = "database"
    settings.SEARCH_SYNC_ON_COMMIT = False
    get_backend().ensure()
    world = ListedWorld()
    assert sync.drain().ok
    # the log is one shared table: rows a server process of an earlier test wrote after its own flush are
    # not this test's
    SearchLogEntry.objects.all().delete()
    return world


def test_the_api_and_the_page_each_log_one_row_per_search(world):
    officer = api_client(world.officer)
    found = officer.get("/api/v1/search/", {"q": "  LED   평판조명 ", "sector": "goods"}).json()["total"]
    assert api_client().get("/api/v1/public/search/", {"q": "zqxwvk"}).json()["total"] == 0
    page = page_client(world.officer).get("/search/", {"q": "LED"})
    assert found >= 1 and page.context["result"].total >= 1
    rows = list(SearchLogEntry.objects.order_by("id").values("query", "filters", "result_count", "source"))
    assert rows == [
        {"query": "LED 평판조명", "filters": {"sector": "goods"}, "result_count": found, "source": "api"},
        {"query": "zqxwvk", "filters": {}, "result_count": 0, "source": "api"},
        {
            "query": "LED",
            "filters": {},
            "result_count": page.context["result"].total,
            "source": "page",
        },
    ]
    assert set(SearchLogEntry.objects.values_list("backend", flat=True)) == {"database"}


def test_page_turns_and_refused_queries_are_not_logged(world):
    client = api_client(world.officer)
    client.get("/api/v1/search/", {"q": "LED", "page": 2, "page_size": 1})
    assert client.get("/api/v1/search/", {"q": "LED", "page_size": 0}).status_code == 400
    page_client().get("/search/", {"q": "LED", "page": 2})
    assert not SearchLogEntry.objects.exists()


def test_the_log_can_be_switched_off(world, settings):
    settings.SEARCH_LOG_ENABLED = False
    api_client(world.officer).get("/api/v1/search/", {"q": "LED"})
    assert not SearchLogEntry.objects.exists()


def test_the_log_holds_no_personal_data(world):
    page_client(world.officer, REMOTE_ADDR="203.0.113.7").get("/search/", {"q": "LED"})
    entry = SearchLogEntry.objects.get()
    assert {field.column for field in SearchLogEntry._meta.concrete_fields} == LOG_COLUMNS
    assert not any(field.is_relation for field in SearchLogEntry._meta.get_fields())
    stored = repr(SearchLogEntry.objects.values().get(pk=entry.pk))
    session_key = page_client(world.officer).session.session_key
    for personal in ("203.0.113.7", world.officer.username, session_key):
        assert personal not in stored
    # no column names a user (above); the free-form ones do not hold the user's id either
    assert entry.filters == {} and entry.query == "LED"


def test_the_scheduled_job_prunes_entries_past_retention(settings):
    settings.SEARCH_LOG_RETENTION_DAYS = 30
    now = timezone.now()
    fields = {"query": "LED", "result_count": 1, "backend": "database", "source": "api"}
    old = SearchLogEntry.objects.create(created_at=now - timedelta(days=31), **fields)
    kept = SearchLogEntry.objects.create(created_at=now - timedelta(days=29), **fields)
    assert prune_search_log.delay().get() == 1
    assert list(SearchLogEntry.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not SearchLogEntry.objects.filter(pk=old.pk).exists()


def test_the_prune_job_is_scheduled():
    tasks = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert "search.prune_search_log" in tasks
