"""Evidence documents: sniffed, hashed and stored while the application is the supplier's to edit."""

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from certification.evidence import sniff_evidence_type
from certification.models import CertificationApplication, EvidenceDocument
from certification.services._records import audit, locked_application
from certification.services._workflow import check


def _audit_document(
    actor: AbstractBaseUser, action: str, application: CertificationApplication, document: EvidenceDocument
) -> None:
    audit(
        actor,
        action,
        application=application,
        from_state=application.status,
        to_state=application.status,
        comment=f"{document.original_name} sha256={document.sha256}",
    )


@transaction.atomic
def attach_evidence(
    actor: AbstractBaseUser, *, application_id: int, upload: UploadedFile, kind: str = "other"
) -> EvidenceDocument:
    application = locked_application(application_id)
    check(actor, "edit", application)
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            {
                "file": [
                    f"파일이 너무 큽니다: 최대 {settings.EVIDENCE_MAX_BYTES // (1024 * 1024)} MiB "
                    f"(file larger than {settings.EVIDENCE_MAX_BYTES} bytes)."
                ]
            }
        )
    detected = sniff_evidence_type(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    document = EvidenceDocument(
        application=application,
        kind=kind,
        original_name=(upload.name or "upload")[-255:],
        content_type=detected.content_type,
        extension=detected.extension,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    document.full_clean(exclude=["file"])
    document.file.save(f"{document.sha256[:16]}.{detected.extension}", upload, save=False)
    try:
        document.save()
    except Exception:
        # the row never existed, so its file must not outlive it
        document.file.storage.delete(document.file.name)
        raise
    _audit_document(actor, "attach_evidence", application, document)
    return document


@transaction.atomic
def remove_evidence(actor: AbstractBaseUser, *, document_id: int) -> None:
    document = EvidenceDocument.objects.select_related("application").get(pk=document_id)
    application = locked_application(document.application_id)
    check(actor, "edit", application)
    _audit_document(actor, "remove_evidence", application, document)
    # the file goes only after the transaction commits, so a rollback never leaves a row without its file
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))
