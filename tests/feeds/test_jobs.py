"""Export jobs: what is recorded, failures, the admin-only API, the command and the Django admin."""

import hashlib
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from catalog.feeds import services
from catalog.feeds.models import ExportedRow, ExportJob
from catalog.feeds.writers import CsvWriter
from core.domain import NotPermitted
from tests.feeds.conftest import by_id, read_job

pytestmark = pytest.mark.django_db

URL = "/api/v1/exports/"


def stored_exports() -> list[Path]:
    return [path for path in (Path(settings.MEDIA_ROOT) / "exports").rglob("*") if path.is_file()]


def test_job_records_who_what_and_the_file_hash(world):
    job = world.export("xlsx", filters={"sector": "goods"})
    job.refresh_from_db()
    assert job.status == "succeeded" and job.finished_at >= job.started_at
    assert (job.created_by, job.created_by_name) == (world.admin, "admin")
    assert (job.format, job.kind, job.feed_version, job.filters) == (
        "xlsx",
        "full",
        "1.0",
        {"sector": ["goods"]},
    )
    assert job.row_count == job.listed_count == 1
    content = Path(job.file.path).read_bytes()
    assert job.sha256 == hashlib.sha256(content).hexdigest()
    assert job.file_size == len(content)
    assert job.file.name.startswith("exports/nara/") and job.file.name.endswith(".xlsx")
    assert ExportedRow.objects.filter(job=job).count() == 1


@pytest.mark.parametrize("export_format", ["csv", "jsonl"])
def test_streamed_hash_matches_the_stored_file(world, export_format):
    job = world.export(export_format)
    assert job.sha256 == hashlib.sha256(Path(job.file.path).read_bytes()).hexdigest()


def test_filters_limit_the_export(world):
    job = world.export(
        "jsonl", filters={"sector": ["services", "construction"], "supplier": [world.company_a.pk]}
    )
    assert set(by_id(read_job(job))) == {world.services.pk, world.construction.pk}


def test_failed_job_has_no_file_and_no_manifest(world, monkeypatch):
    calls = {"n": 0}
    original = CsvWriter.write_row

    def explode(self, row):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        original(self, row)

    monkeypatch.setattr(CsvWriter, "write_row", explode)
    job = services.run_export(world.admin, export_format="csv")
    job.refresh_from_db()
    assert job.status == "failed" and "disk full" in job.error_message
    assert not job.file and not job.report_file and job.sha256 == "" and job.file_size is None
    assert not job.has_file
    assert not ExportedRow.objects.filter(job=job).exists()
    assert stored_exports() == []
    response = world.client(world.admin).get(f"{URL}{job.pk}/download/")
    assert response.status_code == 404


def test_only_admins_run_exports_in_the_service(world):
    for user in (world.supplier_a, world.officer, world.reviewer):
        with pytest.raises(NotPermitted):
            services.run_export(user, export_format="csv")
    assert not ExportJob.objects.exists()


# ------------------------------------------------------------------ API
@pytest.mark.parametrize("role", ["supplier_a", "officer", "reviewer"])
def test_non_admins_get_403(world, role):
    job = world.export()
    client = world.client(getattr(world, role))
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}{job.pk}/").status_code == 403
    assert client.get(f"{URL}{job.pk}/download/").status_code == 403
    assert client.get(f"{URL}{job.pk}/report/").status_code == 403
    assert client.post(URL, {"format": "csv"}, format="json").status_code == 403
    assert ExportJob.objects.count() == 1


def test_anonymous_is_refused(world):
    job = world.export()
    client = world.client()
    assert client.get(URL).status_code in (401, 403)
    assert client.get(f"{URL}{job.pk}/download/").status_code in (401, 403)
    assert client.post(URL, {"format": "csv"}, format="json").status_code in (401, 403)


def test_admin_runs_lists_and_downloads(world):
    client = world.client(world.admin)
    response = client.post(URL, {"format": "jsonl", "filters": {"sector": ["goods"]}}, format="json")
    assert response.status_code == 202, response.json()
    body = response.json()
    # accepted with the job's URL; without a broker the job ran in-process and is already finished
    assert response["Location"] == body["url"] and body["url"].endswith(f"/api/v1/exports/{body['id']}/")
    assert (body["phase"], body["percent"], body["rows_done"], body["rows_total"]) == ("done", 100, 1, 1)
    assert body["status"] == "succeeded" and body["row_count"] == 1 and body["format"] == "jsonl"
    assert body["download_url"].endswith(f"/api/v1/exports/{body['id']}/download/")
    assert body["report_url"].endswith(f"/api/v1/exports/{body['id']}/report/")

    listing = client.get(URL).json()
    assert [job["id"] for job in listing["results"]] == [body["id"]]
    assert client.get(f"{URL}{body['id']}/").json()["sha256"] == body["sha256"]

    download = client.get(f"{URL}{body['id']}/download/")
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    assert hashlib.sha256(content).hexdigest() == body["sha256"] == download["X-Content-SHA256"]
    assert "attachment" in download["Content-Disposition"]
    assert json.loads(content.splitlines()[0])["cntrctCorpNm"] == "가나조명㈜"


def test_api_delta_since_job(world):
    client = world.client(world.admin)
    base = client.post(URL, {"format": "csv"}, format="json").json()
    response = client.post(URL, {"format": "xlsx", "kind": "delta", "since_job": base["id"]}, format="json")
    assert response.status_code == 202
    assert response.json()["base_job"] == base["id"] and response.json()["kind"] == "delta"


@pytest.mark.parametrize(
    "payload",
    [
        {"format": "pdf"},
        {"format": "csv", "kind": "delta"},
        {"format": "csv", "kind": "delta", "since_job": 424242},
        {"format": "csv", "filters": {"sector": ["ships"]}},
        {"format": "csv", "filters": {"colour": ["red"]}},
        {"format": "csv", "surprise": 1},
    ],
)
def test_api_rejects_bad_requests(world, payload):
    response = world.client(world.admin).post(URL, payload, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not ExportJob.objects.exists()


def test_api_reports_a_failed_export(world, monkeypatch):
    def explode(self, row):
        raise RuntimeError("writer broke")

    monkeypatch.setattr(CsvWriter, "write_row", explode)
    response = world.client(world.admin).post(URL, {"format": "csv"}, format="json")
    assert response.status_code == 202  # accepted; the job's own status tells how it ended
    body = response.json()
    assert body["status"] == "failed" and "writer broke" in body["error_message"]
    assert body["download_url"] is None and body["phase"] == "done"


# ------------------------------------------------------------------ command
def test_command_full_and_delta(world):
    out, err = io.StringIO(), io.StringIO()
    call_command("export_nara", "--format", "jsonl", "--user", "admin", stdout=out, stderr=err)
    job = ExportJob.objects.get()
    text = out.getvalue()
    assert f"job: {job.pk}" in text and f"sha256: {job.sha256}" in text and job.file.path in text
    assert "rows: 3" in text
    assert "3/3" in err.getvalue()  # the tqdm progress bar
    assert job.created_by == world.admin

    out = io.StringIO()
    call_command("export_nara", "--format", "csv", "--since-job", str(job.pk), "--no-progress", stdout=out)
    delta = ExportJob.objects.latest("id")
    assert (delta.kind, delta.base_job, delta.created_by_name) == ("delta", job, "system")


def test_command_refuses_non_admins_and_bad_input(world):
    with pytest.raises(CommandError):
        call_command("export_nara", "--user", "supplier-a", "--no-progress", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("export_nara", "--since", "yesterday", "--no-progress", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("export_nara", "--since", "2020-01-01", "--no-progress", stdout=io.StringIO())
    assert not ExportJob.objects.exists()


def test_command_sector_filter(world):
    call_command("export_nara", "--sector", "services", "--no-progress", stdout=io.StringIO())
    assert ExportJob.objects.get().filters == {"sector": ["services"]}


# ------------------------------------------------------------------ Django admin
def test_django_admin_history_button_and_download(world, client):
    world.admin.is_staff = True
    world.admin.save()
    client.force_login(world.admin)
    changelist = "/admin/feeds/exportjob/"
    assert client.get(changelist).status_code == 200
    response = client.post(f"{changelist}run-full-csv/")
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.status == "succeeded" and job.format == "csv"
    page = client.get(f"{changelist}{job.pk}/change/")
    assert page.status_code == 200 and f"{changelist}{job.pk}/download/".encode() in page.content
    download = client.get(f"{changelist}{job.pk}/download/")
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == job.sha256

    response = client.post(
        changelist, {"action": "run_delta_csv_export", "_selected_action": [job.pk]}, follow=True
    )
    assert response.status_code == 200
    assert ExportJob.objects.filter(kind="delta", base_job=job).exists()


def test_django_admin_is_closed_to_staff_without_the_admin_role(world, client):
    world.reviewer.is_staff = True
    world.reviewer.save()
    client.force_login(world.reviewer)
    assert client.get("/admin/feeds/exportjob/").status_code == 403
    assert client.post("/admin/feeds/exportjob/run-full-csv/").status_code in (403, 404)
    assert not ExportJob.objects.exists()


def test_failure_after_the_file_was_stored_removes_it(world, monkeypatch):
    original = services._file_name

    def fail_on_report(job, extension):
        if extension == "report.json":
            raise OSError("storage went away")
        return original(job, extension)

    monkeypatch.setattr(services, "_file_name", fail_on_report)
    job = services.run_export(world.admin, export_format="jsonl")
    assert job.status == "failed" and not job.file
    assert stored_exports() == []
