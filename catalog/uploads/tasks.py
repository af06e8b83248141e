"""Bulk-upload jobs on Celery. Without a broker (``CELERY_BROKER_URL`` unset) they run in-process, so
``start_upload`` returns an upload already checked."""

from celery import shared_task
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile

from catalog.uploads import services
from catalog.uploads.models import BulkUpload

MISSING_JOB_RETRIES = 5


def start_upload(actor: AbstractBaseUser, *, upload: UploadedFile) -> BulkUpload:
    """Stores the file and queues its dry run; returns the upload as it is after queueing."""
    record = services.create_upload(actor, upload=upload)
    check_upload.delay(record.pk)
    record.refresh_from_db()
    return record


def start_commit(actor: AbstractBaseUser, *, upload_id: int) -> BulkUpload:
    record = services.request_commit(actor, upload_id=upload_id)
    commit_upload.delay(record.pk)
    record.refresh_from_db()
    return record


@shared_task(name="uploads.check", bind=True, ignore_result=True, max_retries=MISSING_JOB_RETRIES)
def check_upload(self, upload_id: int) -> str:
    if not BulkUpload.objects.filter(pk=upload_id).exists():
        raise self.retry(countdown=1)  # the caller's transaction has not committed yet
    upload = services.check_upload(upload_id)
    return upload.status if upload else "not claimed"


@shared_task(name="uploads.commit", bind=True, ignore_result=True, max_retries=MISSING_JOB_RETRIES)
def commit_upload(self, upload_id: int) -> str:
    if not BulkUpload.objects.filter(pk=upload_id).exists():
        raise self.retry(countdown=1)
    upload = services.commit_upload(upload_id)
    return upload.status if upload else "not claimed"
