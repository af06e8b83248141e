"""The admin's Nara feed page: run a full or delta export, see the report, download the file."""

import json

from catalog.feeds.models import ExportJob, ExportStatus


def run(client, **data):
    payload = {"export_format": "csv", "kind": "full"}
    payload.update(data)
    return client.post("/exports/", payload)


def test_run_a_full_csv_export_and_download_it(world):
    client = world.client(world.admin)
    response = run(client)
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/exports/{job.pk}/"
    assert job.status == ExportStatus.SUCCEEDED
    assert job.row_count == 2
    detail = client.get(response["Location"]).content.decode()
    assert "피드 파일 다운로드" in detail
    assert job.sha256 in detail
    download = client.get(f"/exports/{job.pk}/download/")
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    assert "고효율 LED 평판조명" in body.decode("utf-8-sig")
    assert download["X-Content-SHA256"] == job.sha256
    assert "attachment" in download["Content-Disposition"]
    report = client.get(f"/exports/{job.pk}/report/")
    assert json.loads(b"".join(report.streaming_content))["rejected_count"] == 0


def test_history_lists_jobs(world):
    client = world.client(world.admin)
    run(client)
    run(client, export_format="jsonl")
    html = client.get("/exports/").content.decode()
    assert html.count("/download/") == 2
    assert "JSON Lines" in html


def test_sector_filter(world):
    client = world.client(world.admin)
    run(client, sector=["services"])
    job = ExportJob.objects.get()
    assert job.filters == {"sector": ["services"]}
    assert job.row_count == 1


def test_delta_against_the_latest_job(world):
    client = world.client(world.admin)
    run(client)
    response = run(client, kind="delta")
    delta = ExportJob.objects.order_by("-id").first()
    assert response.status_code == 302
    assert delta.kind == "delta"
    assert delta.base_job_id is not None
    assert delta.row_count == 0


def test_delta_against_a_chosen_job(world):
    client = world.client(world.admin)
    run(client, export_format="xlsx")
    base = ExportJob.objects.get()
    run(client, kind="delta", since_job=str(base.pk))
    assert ExportJob.objects.order_by("-id").first().base_job == base


def test_delta_without_a_base_explains_itself(world):
    response = run(world.client(world.admin), kind="delta")
    assert response.status_code == 200
    assert "run a full export first" in response.content.decode()
    assert not ExportJob.objects.exists()


def test_only_admins_export_and_download(world):
    run(world.client(world.admin))
    job = ExportJob.objects.get()
    for user in (world.officer, world.reviewer, world.supplier_a):
        client = world.client(user)
        assert run(client).status_code == 403
        assert client.get(f"/exports/{job.pk}/download/").status_code == 403
        assert client.get(f"/exports/{job.pk}/").status_code == 403
    assert ExportJob.objects.count() == 1


def test_a_job_without_a_file_has_no_download(world):
    job = ExportJob.objects.create(
        started_at="2026-01-01T00:00:00Z", as_of="2026-01-01", format="csv", status=ExportStatus.FAILED
    )
    assert world.client(world.admin).get(f"/exports/{job.pk}/download/").status_code == 404
