"""The search API: who may call it, validation, outages (503 or fallback), and hostile input."""

import pytest
from rest_framework.test import APIClient

from certification.roles import Role
from search import sync
from search.backends import get_backend
from search.backends.cursors import encode_cursor
from tests.conftest import dead_url
from tests.factories import make_user
from tests.search.conftest import HOSTILE_INPUTS
from tests.worlds import api_client

pytestmark = pytest.mark.django_db
SEARCH = "/api/v1/search/"
SUGGEST = "/api/v1/search/suggest/"


@pytest.fixture
def officer_client():
    return api_client(make_user(Role.OFFICER))


def test_anonymous_is_refused(db):
    response = APIClient().get(SEARCH, {"q": "LED"})
    assert response.status_code in (401, 403)
    assert APIClient().get(SUGGEST, {"q": "LED"}).status_code in (401, 403)


@pytest.mark.parametrize("role", [Role.OFFICER, Role.REVIEWER, Role.ADMIN, Role.SUPPLIER])
def test_catalog_readers_may_search(backend, indexed, role):
    client = api_client(make_user(role))
    response = client.get(SEARCH, {"q": "협력제품"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["total"] == 1 and body["backend"] == backend.name and body["fallback"] is False
    assert body["suggestion"] is None and body["relaxed"] is False
    hit = body["results"][0]
    assert hit["id"] == indexed.panel.pk
    assert hit["certificate_number"] == indexed.led_cert.number
    assert "<em>협력제품</em>" in hit["highlights"]["description"]
    assert {b["value"]: b["count"] for b in body["facets"]["sector"]} == {"goods": 1}
    assert set(body["facets"]) == {
        "sector",
        "classification_segment",
        "classification_family",
        "region",
        "supplier",
        "partner",
        "price",
    }


def test_filters_sort_and_cursor_over_http(backend, indexed, officer_client):
    response = officer_client.get(
        SEARCH, {"sector": "goods", "region": "11", "sort": "price_desc", "page_size": 1}
    )
    body = response.json()
    assert body["total"] == 2
    assert body["results"][0]["id"] == indexed.purifier.pk
    response = officer_client.get(
        SEARCH,
        {
            "sector": "goods",
            "region": "11",
            "sort": "price_desc",
            "page_size": 1,
            "cursor": body["next_cursor"],
        },
    )
    assert response.json()["results"][0]["id"] == indexed.panel.pk
    assert response.json()["next_cursor"] is None


def test_did_you_mean_over_http(backend, indexed, officer_client):
    body = officer_client.get(SEARCH, {"q": "공기청청기"}).json()
    assert body["suggestion"] == "공기청정기"
    assert [hit["id"] for hit in body["results"]] == [indexed.purifier.pk]
    body = officer_client.get(SEARCH, {"q": "공기청정기 냉장고"}).json()
    assert body["relaxed"] is True and [hit["id"] for hit in body["results"]] == [indexed.purifier.pk]


def test_suggest_endpoint(backend, indexed, officer_client):
    response = officer_client.get(SUGGEST, {"q": "공기"})
    assert response.status_code == 200
    assert response.json() == {"q": "공기", "suggestions": ["가정용 공기청정기"]}


@pytest.mark.parametrize(
    "params",
    [
        {"page_size": 101},
        {"page_size": 0},
        {"page": 0},
        {"page": 5000, "page_size": 100},
        {"sort": "random"},
        {"sector": "weapons"},
        {"region": "99"},
        {"price_min": -1},
        {"price_min": 10, "price_max": 5},
        {"supplier": "abc"},
        {"classification": "39%"},
        {"expiring_soon": "maybe"},
        {"cursor": "not-a-cursor"},
        # a forged cursor whose time is well formed but no date (month 13): not a 500
        {"sort": "newest", "cursor": encode_cursor("database", "newest", ["2026-13-45T10:00:00", 1])},
        {"q": "x" * 5000},
        {"q": "LED\x00"},
    ],
)
def test_invalid_parameters_are_400(db, officer_client, params, settings):
    settings.SEARCH_BACKEND = "database"
    response = officer_client.get(SEARCH, params)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"


@pytest.mark.parametrize("text", HOSTILE_INPUTS)
def test_hostile_queries_are_never_500(backend, indexed, officer_client, text):
    for url in (SEARCH, SUGGEST):
        response = officer_client.get(url, {"q": text})
        assert response.status_code in (200, 400), (url, response.status_code, response.content[:300])


def test_outage_is_503_with_clear_json(db, officer_client, settings):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.SEARCH_FALLBACK_TO_DATABASE = False
    settings.ELASTICSEARCH_URL = dead_url()
    for url in (SEARCH, SUGGEST):
        response = officer_client.get(url, {"q": "LED"})
        assert response.status_code == 503
        assert response.json()["code"] == "search_unavailable"
        assert response.json()["detail"]


def test_outage_falls_back_to_the_database_when_configured(catalog, officer_client, settings):
    settings.SEARCH_BACKEND = "database"
    sync.drain()  # the outbox feeds the database table too when fallback is on
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.SEARCH_FALLBACK_TO_DATABASE = True
    settings.ELASTICSEARCH_URL = dead_url()
    response = officer_client.get(SEARCH, {"q": "공기청정기"})
    assert response.status_code == 200
    body = response.json()
    assert body["backend"] == "database" and body["fallback"] is True
    assert [hit["id"] for hit in body["results"]] == [catalog.purifier.pk]
    assert officer_client.get(SUGGEST, {"q": "공기"}).json()["suggestions"] == ["가정용 공기청정기"]
    # a cursor from Elasticsearch cannot continue on the database: say so rather than guess
    cursor = encode_cursor(
        "elasticsearch", "relevance", [1.5, 10, catalog.panel.pk]
    )  # score, name length, id
    response = officer_client.get(SEARCH, {"q": "LED", "cursor": cursor})
    assert response.status_code == 503


def test_search_is_throttled(db, officer_client, settings):
    settings.SEARCH_BACKEND = "database"
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "search": "3/hour"}
    codes = [officer_client.get(SEARCH, {"q": "LED"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_openapi_documents_search():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/search/"]["get"]
    assert operation["operationId"] == "search_products"
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"q", "sector", "classification", "region", "price_min", "sort", "page_size", "cursor"} <= names
    assert {"200", "400", "503"} <= set(operation["responses"])
    assert "/api/v1/search/suggest/" in schema["paths"]


def test_database_backend_is_usable_through_get_backend(settings):
    settings.SEARCH_BACKEND = "database"
    assert get_backend().health()["ok"] is True
