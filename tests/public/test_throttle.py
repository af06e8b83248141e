"""The anonymous limit: one count per client address, shared by the public pages and the public API,
answered with 429 and Retry-After (JSON under /api/, a page otherwise)."""

import hashlib

import pytest
from django.core.cache import caches

from core import throttling
from tests.factories import PASSWORD
from tests.worlds import api_client

NOW = 1_800_001_200.0  # a fixed moment, 20 minutes into its hour and at a minute's start


@pytest.fixture
def limit(settings, monkeypatch):
    settings.THROTTLE_ANONYMOUS = "3/hour"
    monkeypatch.setattr(throttling, "_now", lambda: NOW)
    return 3


def test_pages_and_api_share_one_limit(world, limit):
    pages, api = world.client(), api_client()
    assert pages.get("/search/").status_code == 200
    assert api.get("/api/v1/public/search/").status_code == 200
    assert pages.get(f"/products/{world.listing_a.pk}/").status_code == 200
    page = pages.get("/search/")
    assert page.status_code == 429
    assert page["Retry-After"] == str(3600 - 1200)
    assert "요청이 너무 많습니다" in page.content.decode()
    assert "Content-Security-Policy" in page
    response = api.get(f"/api/v1/public/listings/{world.listing_a.pk}/")
    assert response.status_code == 429
    assert response["Retry-After"] == str(3600 - 1200)
    body = response.json()
    assert body["code"] == "throttled"
    assert "Too many requests" in body["detail"]
    assert world.client().get("/sitemap.xml").status_code == 429


def test_signed_in_users_are_not_counted(world, limit):
    officer = world.client(world.officer)
    for _ in range(limit + 2):
        assert officer.get("/search/").status_code == 200
    assert api_client(world.officer).get("/api/v1/public/listings/").status_code == 200


def test_each_address_has_its_own_count(world, limit):
    first, second = world.client(REMOTE_ADDR="192.0.2.1"), world.client(REMOTE_ADDR="192.0.2.2")
    for _ in range(limit):
        assert first.get("/search/").status_code == 200
    assert first.get("/search/").status_code == 429
    assert second.get("/search/").status_code == 200


def test_forwarded_for_is_ignored_without_trusted_proxies(world, limit):
    client = world.client()
    statuses = [
        client.get("/search/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(limit + 1)
    ]
    assert statuses[-1] == 429  # a made-up header does not buy a fresh count


def test_trusted_proxy_forwards_the_client(world, limit, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = world.client(REMOTE_ADDR="10.0.0.1")  # the proxy
    for _ in range(limit):
        # the client's own (spoofable) entry on the left is not trusted; the proxy's append is
        assert client.get("/search/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7").status_code == 200
    assert client.get("/search/", HTTP_X_FORWARDED_FOR="7.7.7.7, 203.0.113.7").status_code == 429
    assert client.get("/search/", HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 200


def test_windows_restart_the_count(db, settings):
    settings.THROTTLE_ANONYMOUS = "2/min"
    verdicts = [throttling.hit("192.0.2.9", now=NOW + offset) for offset in (0, 1, 2, 60, 61)]
    assert [v.allowed for v in verdicts] == [True, True, False, True, True]
    assert verdicts[2].retry_after == 58


def test_bad_rates_are_refused():
    from django.core.exceptions import ImproperlyConfigured

    assert throttling.parse_rate("120/min") == (120, 60)
    with pytest.raises(ImproperlyConfigured):
        throttling.parse_rate("lots")


def test_an_unreachable_cache_lets_requests_through(world, settings):
    """A broken shared cache (Redis down, or its client missing) is logged, not a 500: the catalog stays
    readable."""
    settings.CACHES = {
        **settings.CACHES,
        "broken": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    settings.THROTTLE_CACHE = "broken"
    assert world.client().get("/search/").status_code == 200


def test_public_filters_never_fail_for_anonymous_callers(world):
    client = api_client()
    assert client.get("/api/v1/public/listings/", {"mine": "true"}).json()["results"] == []
    assert client.get("/api/v1/public/listings/", {"ordering": "nonsense"}).status_code == 200
    assert client.get("/api/v1/public/listings/", {"region": "99"}).status_code == 400


# ------------------------------------------------------------------ the sign-in budget
@pytest.fixture
def sign_in_limit(settings, monkeypatch):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "login": "3/hour"}
    monkeypatch.setattr(throttling, "_now", lambda: NOW)
    return 3


def test_the_sign_in_page_and_the_token_endpoint_share_one_budget(world, sign_in_limit):
    page, api = world.client(), api_client()
    assert page.get("/accounts/login/").status_code == 200  # showing the form is not an attempt
    wrong = {"username": world.officer.username, "password": "not-the-password"}
    assert page.post("/accounts/login/", wrong).status_code == 200  # the form again, with its error
    assert api.post("/api/v1/auth/token/", wrong).status_code == 400
    assert page.post("/accounts/login/", wrong).status_code == 200
    # the budget is spent: even the right password is not checked
    right = {"username": world.officer.username, "password": PASSWORD}
    refused = page.post("/accounts/login/", right)
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(3600 - 1200) and refused["Cache-Control"] == "no-store"
    assert "요청이 너무 많습니다" in refused.content.decode()
    assert "_auth_user_id" not in page.session
    response = api.post("/api/v1/auth/token/", right)
    assert response.status_code == 429 and response.json()["code"] == "throttled"
    assert response["Retry-After"] == str(3600 - 1200)
    # another address has its own budget
    assert world.client(REMOTE_ADDR="192.0.2.77").post("/accounts/login/", wrong).status_code == 200


def test_search_counts_per_user_in_the_shared_cache(world, settings, monkeypatch):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "search": "2/hour"}
    monkeypatch.setattr(throttling, "_now", lambda: NOW)
    officer = api_client(world.officer)
    statuses = [officer.get("/api/v1/search/", {"q": "LED"}).status_code for _ in range(2)]
    statuses.append(officer.get("/api/v1/search/suggest/", {"q": "LE"}).status_code)
    assert statuses == [200, 200, 429]
    key = f"throttle:search:{hashlib.sha256(f'user:{world.officer.pk}'.encode()).hexdigest()[:32]}"
    assert caches[settings.THROTTLE_CACHE].get(f"{key}:{int(NOW // 3600)}") == 3
    assert api_client(world.reviewer).get("/api/v1/search/", {"q": "LED"}).status_code == 200
