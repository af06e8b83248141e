import os
import socket
import uuid

import pytest
from django.conf import settings
from django.test import override_settings

from tests.mail import mailbox, smtp_server  # noqa: F401 - fixtures for every test: a real SMTP server

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def missing_service(message: str) -> None:
    """A missing service fails the run under REQUIRE_SERVICES=1 (CI) and skips the test elsewhere."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{message} (REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(message)


def dead_url() -> str:
    """An HTTP URL on loopback where nothing listens: a port we bound and released."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """PBKDF2's deliberate slowness protects real passwords; tests only need hashing to work."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _fresh_search_caches():
    """Each test starts with the synonym dictionary and vocabulary unread: a cache loaded by an earlier test,
    against rows that test rolled back, and reloaded when its minute runs out mid-test, would add a query
    where a test counts them (seen in CI: one reload between two measured requests)."""
    from search import synonyms, vocabulary

    synonyms.clear_cache()
    vocabulary.changed()


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    """Uploads and exports go to the test's own folder, never into the project's media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session", autouse=True)
def _unique_index_prefix():
    """Every test session writes to its own indices, so parallel runs never collide, and cleans up."""
    prefix = f"test-{uuid.uuid4().hex[:10]}"
    original = settings.ELASTICSEARCH_INDEX_PREFIX
    settings.ELASTICSEARCH_INDEX_PREFIX = prefix
    yield prefix
    settings.ELASTICSEARCH_INDEX_PREFIX = original
    from search.es_client import get_client

    try:
        client = get_client()
        client.indices.delete(index=f"{prefix}*", ignore_unavailable=True, allow_no_indices=True)
    except Exception:  # best-effort cleanup: an unreachable server has nothing to delete
        return


@pytest.fixture(scope="session")
def es_client():
    from elasticsearch import TransportError

    from search.es_client import get_client

    client = get_client()
    try:
        client.cluster.health(wait_for_status="yellow", timeout="10s")
    except TransportError as exc:
        missing_service(f"Elasticsearch is not reachable at {settings.ELASTICSEARCH_URL}: {exc}")
    return client


@pytest.fixture
def es_index_name(_unique_index_prefix):
    return f"{_unique_index_prefix}-{uuid.uuid4().hex[:8]}"


def pytest_collection_modifyitems(config, items):
    """Marks every test that needs Elasticsearch, so a run can select or leave them out (``-m``)."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        uses_backend = callspec is not None and "elasticsearch" in callspec.params.values()
        if "es_client" in item.fixturenames or uses_backend:
            item.add_marker(pytest.mark.elasticsearch)
