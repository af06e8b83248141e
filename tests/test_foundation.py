import os
import subprocess
import sys

import pytest
from django.db import connection
from django.urls import reverse

from config import settings as settings_module

pytestmark = pytest.mark.django_db


def run_settings(env: dict) -> subprocess.CompletedProcess:
    """Imports the settings in a fresh interpreter with a controlled environment."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SEARCH_", "DATABASE_"))}
    full_env.update(env)
    code = "import config.settings as s; print(s.DATABASES['default']['ENGINE'], s.SEARCH_BACKEND, s.DEBUG)"
    return subprocess.run(
        [sys.executable, "-c", code],
        env=full_env,
        capture_output=True,
        text=True,
        cwd=settings_module.BASE_DIR,
    )


def test_defaults_are_embedded_sqlite_and_database_search():
    result = run_settings({})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "database", "True"]


def test_database_url_selects_postgresql():
    result = run_settings({"DATABASE_URL": "postgres://u:p@db.example:5432/name"})
    assert result.stdout.split()[0] == "django.db.backends.postgresql"


def test_production_requires_a_secret_key():
    result = run_settings({"DJANGO_ENV": "production"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_unknown_search_backend_is_refused():
    result = run_settings({"SEARCH_BACKEND": "solr"})
    assert result.returncode != 0
    assert "SEARCH_BACKEND must be" in result.stderr


def test_a_malformed_rate_is_refused_at_start_up():
    result = run_settings({"THROTTLE_LOGIN": "lots"})
    assert result.returncode != 0
    assert "THROTTLE_LOGIN: a throttle rate looks like 120/min, got 'lots'" in result.stderr


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("yes", True), ("0", False), ("", True)])
def test_env_bool(monkeypatch, raw, expected):
    monkeypatch.setenv("X_FLAG", raw)
    assert settings_module.env_bool("X_FLAG", True) is expected


def test_env_int_rejects_garbage(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ImproperlyConfigured):
        settings_module.env_int("X_NUM", 1)


def test_suite_runs_on_the_database_it_was_asked_for():
    """scripts/test.sh says which vendor each run must use, so a silent SQLite fallback fails."""
    expected = os.environ.get("EXPECT_DB_VENDOR")
    if expected:
        assert connection.vendor == expected


def test_openapi_schema_and_docs(client):
    schema = client.get(reverse("schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Sangsaeng API"
    assert client.get(reverse("api-docs")).status_code == 200


def test_elasticsearch_smoke(es_client, es_index_name):
    es_client.indices.create(index=es_index_name, mappings={"properties": {"name": {"type": "text"}}})
    es_client.index(index=es_index_name, id="1", document={"name": "LED 조명 상생협력제품"}, refresh=True)
    hits = es_client.search(index=es_index_name, query={"match": {"name": "LED"}})["hits"]
    assert hits["total"]["value"] == 1
    assert hits["hits"][0]["_id"] == "1"
    es_client.indices.delete(index=es_index_name)


def test_openapi_schema_validates_without_warnings(tmp_path):
    from django.core.management import call_command

    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/v1/listings/" in target.read_text()
