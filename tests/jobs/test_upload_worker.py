"""Bulk uploads checked and committed by a real Celery worker on Redis and PostgreSQL: the API answers
202 at once with a queued upload, the worker writes its progress and result on the row."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import ProductListing
from catalog.uploads.models import BulkUpload
from tests.jobs.conftest import wait_for
from tests.uploads.conftest import V1, UploadWorld

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEARCH_SYNC_ON_COMMIT = False
    return UploadWorld()


def _settled(upload_id: int, status: str) -> BulkUpload | None:
    upload = BulkUpload.objects.get(pk=upload_id)
    return upload if upload.status == status else None


def test_a_worker_checks_and_commits_an_upload(world, start_worker):
    worker = start_worker()
    rows = [world.row(f"W-{index}") for index in range(30)]
    client = world.client(world.supplier_a)
    response = client.post(V1, {"file": SimpleUploadedFile("p.csv", world.csv(rows))}, format="multipart")
    assert response.status_code == 202
    assert response.json()["status"] in {"queued", "checking", "checked"}
    upload = wait_for(lambda: _settled(response.json()["id"], "checked"), "the dry run", worker)
    assert (upload.rows_total, upload.rows_done) == (30, 30)
    assert upload.counts["create"] == 30
    assert not ProductListing.objects.filter(supplier_product_code__startswith="W-").exists()

    assert client.post(f"{V1}{upload.pk}/commit/").status_code == 202
    # a second request while the first is queued or running is refused: one commit per upload
    assert client.post(f"{V1}{upload.pk}/commit/").status_code == 409
    wait_for(lambda: _settled(upload.pk, "committed"), "the commit", worker)
    assert ProductListing.objects.filter(supplier_product_code__startswith="W-").count() == 30
