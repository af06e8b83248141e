"""An export job's feed file and validation report download the same way from the API, the admin's feed
page and the Django admin: attachments under the stored names, each with its own content type."""

import hashlib
import json

import pytest
from rest_framework.test import APIClient

from catalog.feeds.writers import WRITERS, CsvWriter

PLACES = {
    "api": "/api/v1/exports/{pk}/",
    "page": "/exports/{pk}/",
    "django_admin": "/admin/feeds/exportjob/{pk}/",
}


def signed_in(world) -> APIClient:
    world.admin.is_staff = True  # the Django admin also wants staff
    world.admin.save()
    client = APIClient()
    client.force_login(world.admin)
    return client


def attachment_name(response) -> str:
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename="), disposition
    return disposition.split("filename=", 1)[1].strip('"')


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("export_format", ["csv", "xlsx", "jsonl"])
def test_the_feed_file_is_an_attachment_with_its_format_and_hash(world, place, export_format):
    job = world.export(export_format)
    response = signed_in(world).get(PLACES[place].format(pk=job.pk) + "download/")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert response["Content-Type"] == WRITERS[export_format].content_type
    assert attachment_name(response) == job.file.name.rsplit("/", 1)[-1]
    assert attachment_name(response).endswith(f".{WRITERS[export_format].extension}")
    assert response["X-Content-SHA256"] == job.sha256 == hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize("place", PLACES)
def test_the_report_is_a_json_attachment(world, place):
    job = world.export("csv")
    response = signed_in(world).get(PLACES[place].format(pk=job.pk) + "report/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert attachment_name(response) == job.report_file.name.rsplit("/", 1)[-1]
    assert attachment_name(response).endswith(".report.json")
    report = json.loads(b"".join(response.streaming_content))
    assert report["job"] == job.pk and report["rejected_count"] == 0


@pytest.mark.parametrize("place", PLACES)
def test_a_failed_job_serves_neither(world, place, monkeypatch):
    def explode(self, row):
        raise OSError("disk full")

    monkeypatch.setattr(CsvWriter, "write_row", explode)
    job = world.client(world.admin).post("/api/v1/exports/", {"format": "csv"}, format="json").json()
    client = signed_in(world)
    for part in ("download/", "report/"):
        response = client.get(PLACES[place].format(pk=job["id"]) + part)
        assert response.status_code == 404
    if place == "api":
        assert response.json()["detail"] == f"export job {job['id']} has no file (failed)"
