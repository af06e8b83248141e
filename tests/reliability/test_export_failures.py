"""An export that loses its database midway is recorded as failed and offers no file; a download whose
stored file vanished is a JSON 404, not a 500."""

import dataclasses
import gc
import threading
from pathlib import Path

import pytest
from django.db import OperationalError, connection, connections

from catalog.feeds import services as feed_services
from catalog.feeds import streaming, versions
from catalog.feeds.models import ExportedRow, ExportJob
from tests.factories import bulk_listings
from tests.reliability.conftest import requires_postgresql
from tests.worlds import ListedWorld

EXPORTS = "/api/v1/exports/"


def _assert_failed_without_file(job: ExportJob) -> None:
    job.refresh_from_db()
    assert job.status == "failed"
    assert "OperationalError" in job.error_message or "InterfaceError" in job.error_message
    assert not job.has_file and not job.file and not job.report_file and not job.sha256
    assert not ExportedRow.objects.filter(job=job).exists()  # a failed job is no base for a delta


@pytest.mark.django_db
@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_a_database_error_midway_fails_the_job_and_offers_no_file(rworld, monkeypatch):
    # XLSX: the workbook's temporary parts (written beside the file, named after the job) go with it
    # the job's feed version builds the rows (catalog.feeds.versions): its build_row is the one replaced
    version = versions.VERSIONS[versions.DEFAULT_VERSION]
    real_build_row = version.build_row
    calls = {"n": 0}

    def build_row_then_lose_the_database(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OperationalError("server closed the connection unexpectedly")
        return real_build_row(*args, **kwargs)

    monkeypatch.setitem(
        versions.VERSIONS,
        version.number,
        dataclasses.replace(version, build_row=build_row_then_lose_the_database),
    )
    admin = rworld.client(rworld.admin)
    response = admin.post(EXPORTS, {"format": "xlsx"}, format="json")

    assert response.status_code == 202  # accepted; run in-process here, so the body is the failed job
    body = response.json()
    assert body["status"] == "failed"
    job = ExportJob.objects.get(pk=body["id"])
    _assert_failed_without_file(job)
    assert admin.get(f"{EXPORTS}{job.pk}/download/").status_code == 404
    assert admin.get(f"{EXPORTS}{job.pk}/report/").status_code == 404
    delta = admin.post(EXPORTS, {"format": "csv", "kind": "delta", "since_job": job.pk}, format="json")
    assert delta.status_code == 400 and "since_job" in delta.json()["errors"]
    assert not list(Path(job.file.storage.location).rglob(f"*job{job.pk}-*")), "a partial file was kept"
    gc.collect()  # a leaked row generator would raise here (an unraisable exception)


# serialized rollback: each test starts from the migrated reference data (classification codes,
# regions), whatever transactional test ran before it and emptied the tables
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_connection_killed_midway_fails_the_job_and_the_next_export_works(settings, tmp_path, monkeypatch):
    """The real thing on PostgreSQL: another session terminates the exporting backend mid-stream."""
    requires_postgresql("pg_terminate_backend kills a live session")
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEARCH_SYNC_ON_COMMIT = False
    world = ListedWorld()
    monkeypatch.setattr(streaming, "CHUNK_SIZE", 10)  # several fetches, so the kill lands mid-stream
    bulk_listings(world.listing_a, 60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        exporter_pid = cursor.fetchone()[0]

    def kill_exporter() -> None:
        killer = connections.create_connection("default")
        try:
            with killer.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [exporter_pid])
        finally:
            killer.close()

    class KillMidway:
        seen = 0

        def start(self, total: int) -> None:
            pass

        def advance(self, count: int = 1) -> None:
            self.seen += count
            if self.seen == 15:
                thread = threading.Thread(target=kill_exporter)
                thread.start()
                thread.join(timeout=30)

    job = feed_services.run_export(world.admin, export_format="csv", progress=KillMidway())
    _assert_failed_without_file(job)

    # the process carries on: the next export gets a fresh connection and succeeds
    again = feed_services.run_export(world.admin, export_format="csv")
    assert again.status == "succeeded", again.error_message
    assert again.listed_count == 62


@pytest.mark.django_db
def test_downloads_whose_stored_file_vanished_are_json_404s(rworld):
    admin = rworld.client(rworld.admin)
    Path(rworld.export.file.path).unlink()
    Path(rworld.document_a.file.path).unlink()
    for url in (
        f"{EXPORTS}{rworld.export.pk}/download/",
        f"/api/v1/documents/{rworld.document_a.pk}/download/",
    ):
        response = admin.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"
