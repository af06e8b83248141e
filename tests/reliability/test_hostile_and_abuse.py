"""Hostile input the older suites do not cover, and the abuse limits: each is rejected or neutralised
with a clear 4xx, never a 500, and never executed."""

from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import ProductListing
from certification.models import EvidenceDocument
from search.backends import get_backend
from tests.factories import PDF_BYTES
from tests.worlds import page_client

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def world(rworld):
    cache.clear()
    yield rworld
    cache.clear()


def _no_server_error(response) -> None:
    assert response.status_code < 500, (response.status_code, response.content[:300])


# ------------------------------------------------------------------ file names
@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.pdf",
        "..\\..\\windows\\win.ini.pdf",
        "/etc/cron.d/evil.pdf",
        "a/../../b.pdf",
        "%2e%2e%2fx.pdf",
    ],
)
def test_path_traversal_in_an_upload_name_stays_inside_media_root(world, settings, name):
    client = world.client(world.supplier_a)
    response = client.post(
        "/api/v1/documents/",
        {
            "application": world.draft_a.pk,
            "kind": "other",
            "file": SimpleUploadedFile(name, PDF_BYTES, "application/pdf"),
        },
        format="multipart",
    )
    _no_server_error(response)
    if response.status_code != 201:
        assert response.json()["errors"], response.json()
        return
    document = EvidenceDocument.objects.get(pk=response.json()["id"])
    media_root = Path(settings.MEDIA_ROOT).resolve()
    stored = Path(document.file.path).resolve()
    assert stored.is_relative_to(media_root), stored
    assert ".." not in Path(document.file.name).parts
    assert "/" not in document.original_name and "\\" not in document.original_name
    download = client.get(f"/api/v1/documents/{document.pk}/download/")
    assert download.status_code == 200
    disposition = download["Content-Disposition"]
    assert ".." not in disposition and "/" not in disposition.split("filename", 1)[1]


# ------------------------------------------------------------------ markup in product text
def test_script_tags_in_product_text_are_data_in_json_and_escaped_in_pages(world):
    supplier = world.client(world.supplier_a)
    response = supplier.patch(
        f"/api/v1/listings/{world.listing_a.pk}/", {"name": SCRIPT, "description": SCRIPT}, format="json"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["name"] == SCRIPT  # verbatim: escaping is the renderer's job, not storage's
    assert ProductListing.objects.get(pk=world.listing_a.pk).name == SCRIPT

    # the search page reads the database search table, which the test's transaction never synced
    get_backend("database").rebuild()
    page = page_client(world.officer)
    for url in (f"/products/{world.listing_a.pk}/", "/search/?sector=goods"):
        html = page.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x onerror" not in html, url
        assert "&lt;script&gt;alert" in html, url


# ------------------------------------------------------------------ search queries
@pytest.mark.parametrize("query", ["가" * 20_000, "LED " * 5_000, "x" * 200_000])
def test_very_long_search_queries_are_answered_or_rejected(world, query):
    client = world.client(world.officer)
    for url in ("/api/v1/search/", "/api/v1/search/suggest/"):
        response = client.get(url, {"q": query})
        assert response.status_code in (200, 400), (url, response.status_code)
        if response.status_code == 400:
            assert response.json()["code"] == "invalid"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/search/?q=%FF%FE%FD",
        "/api/v1/search/?q=%C0%AF",
        "/api/v1/search/suggest/?q=%ED%A0%80",  # a UTF-16 surrogate encoded as UTF-8: invalid
        "/api/v1/listings/?name=%FF",
        "/api/v1/listings/?ordering=%FF",
        "/api/v1/companies/?business_number=%FF%FF",
        "/api/v1/applications/?status=%FF",
        "/api/v1/search/?q=%00",  # PostgreSQL rejects NUL in text: must be a 4xx, not a driver error
        "/api/v1/listings/?name=%00",
        "/api/v1/companies/?name=a%00b",
        "/search/?q=%FF%00",
        "/review/?q=%00",
        "/review/certificates/?q=a%00b",
    ],
)
def test_invalid_utf8_and_nul_in_query_strings_never_fail(world, url):
    client = page_client(world.reviewer, raise_request_exception=False)
    response = client.get(url)
    _no_server_error(response)
    if "%00" in url:
        # refused the same way on every database (PostgreSQL would fail on it, SQLite would not)
        assert response.status_code == 400
        if url.startswith("/api/"):
            assert response.json()["code"] == "invalid"


# ------------------------------------------------------------------ abuse limits
def test_search_and_suggest_are_throttled(world, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "search": "3/hour"}
    client = world.client(world.officer)
    statuses = [client.get("/api/v1/search/", {"q": "LED"}).status_code for _ in range(3)]
    statuses.append(client.get("/api/v1/search/suggest/", {"q": "LE"}).status_code)  # one shared budget
    statuses.append(client.get("/api/v1/search/", {"q": "LED"}).status_code)
    assert statuses == [200, 200, 200, 429, 429]
    limited = client.get("/api/v1/search/", {"q": "LED"})
    assert limited.json()["code"] == "throttled" and int(limited["Retry-After"]) > 0
    # per user: another officer still gets answers
    assert world.client(world.reviewer).get("/api/v1/search/", {"q": "LED"}).status_code == 200


@pytest.mark.parametrize(
    ("url", "role"),
    [
        ("/accounts/login/", None),
        ("/search/", "officer"),
        ("/products/{pk}/", "officer"),
        ("/supplier/", "supplier_a"),
        ("/supplier/listings/", "supplier_a"),
        ("/review/", "reviewer"),
        ("/exports/", "admin"),
    ],
)
def test_pages_carry_a_content_security_policy(world, url, role):
    client = page_client(getattr(world, role) if role else None)
    response = client.get(url.replace("{pk}", str(world.listing_a.pk)))
    assert response.status_code == 200, url
    policy = response["Content-Security-Policy"]
    assert (
        "default-src 'self'" in policy
        and "'unsafe-inline'" not in policy.split("script-src", 1)[-1].split(";")[0]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
