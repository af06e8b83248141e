"""The production shape in a browser: an admin starts an XLSX export from the page, a real Celery worker
(tests/jobs) runs it, the job's page shows the progress bar moving and then the download."""

import re
import time

import pytest
from django.db import transaction
from django.db.models import F
from playwright.sync_api import expect

from catalog.feeds.models import ExportJob
from catalog.feeds.streaming import CHUNK_SIZE
from catalog.models import ProductListing
from tests.factories import bulk_listings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MIDWAY = "() => { const bar = document.getElementById('job-progress-bar'); return bar && bar.value > 0 && bar.value < 100; }"


def wait_for_first_percent(job_id: int, seconds: float = 60) -> None:
    """Until the bar can show it: a busy worker writes progress by time as well, and 40 rows of 6,000 is
    still 0 %."""
    deadline = time.monotonic() + seconds
    running = ExportJob.objects.filter(pk=job_id, status="running", rows_total__gt=0)
    while not running.filter(rows_done__gte=F("rows_total") / 100 + 1).exists():
        assert time.monotonic() < deadline, "the worker reported no progress"
        time.sleep(0.01)


def test_admin_watches_an_export_progress_to_the_download(web, catalog, start_worker):
    bulk_listings(ProductListing.objects.get(name="LED 평판조명"), 3 * CHUNK_SIZE)
    start_worker()
    web.login("admin")
    page = web.page
    page.goto("/exports/")
    page.get_by_label("Excel (XLSX)").check()
    page.get_by_label("전체", exact=True).check()
    page.get_by_role("button", name="내보내기 실행").click()
    page.wait_for_url(re.compile(r"/exports/\d+/$"))
    expect(page.get_by_text(re.compile(r"내보내기 #\d+를 시작했습니다"))).to_be_visible()
    job_id = int(re.search(r"/exports/(\d+)/$", page.url).group(1))
    wait_for_first_percent(job_id)
    # The worker may write the rest in less than one poll of the page: the test holds the job's row lock
    # (as tests/jobs does), so the worker waits at its next progress write while the page shows the bar
    # midway. The page reads the job without locking, so its polls still answer.
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().get(pk=job_id)
        assert job.status == "running", "the export finished before the test could hold it midway"
        # the bar moves while the worker writes rows: polled JSON, no reload
        page.wait_for_function(MIDWAY, timeout=60_000)
        expect(page.get_by_text("행 쓰기")).to_be_visible()
        web.shot("admin-export-progress")
    # finished: the page reloads itself and offers the file
    expect(page.get_by_role("link", name="피드 파일 다운로드")).to_be_visible(timeout=120_000)
    expect(page.locator(".badge-large")).to_have_text("완료")
    assert not web.errors, web.errors
