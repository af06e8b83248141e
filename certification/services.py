"""State-changing operations of the registry.

Each operation checks the actor's role and the record's current state on a row locked for the
transaction, so two reviewers acting at once cannot both succeed; each writes an audit event and, where
certificates change, sends a signal so the catalog and search follow inside the same transaction.
"""

import hashlib
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from certification import signals
from certification.evidence import sniff_evidence_type
from certification.models import (
    ApplicationStatus,
    AuditEvent,
    Certificate,
    CertificateNumberSequence,
    CertificateStatus,
    CertificationApplication,
    Company,
    EvidenceDocument,
    ReviewStageKind,
    ReviewStageResult,
)
from certification.roles import Role, has_role
from certification.validators import normalize_business_number
from core.domain import Conflict, NotPermitted

APPLICATION_FIELDS = (
    "partner",
    "sector",
    "task_type",
    "cooperation_type",
    "product_name",
    "product_name_en",
    "description",
    "classification_code",
    "agreement_start",
    "agreement_end",
)
COMPANY_FIELDS = (
    "name",
    "name_en",
    "business_number",
    "size",
    "region",
    "representative",
    "contact_email",
    "contact_phone",
    "address",
)


# ------------------------------------------------------------------ helpers
def company_of(user: AbstractBaseUser) -> Company | None:
    membership = getattr(user, "membership", None)
    return membership.company if membership else None


def _require_role(actor: AbstractBaseUser, *roles: Role) -> None:
    if not any(has_role(actor, role) for role in (*roles, Role.ADMIN)):
        raise NotPermitted(f"this action needs the role {' or '.join(r.value for r in roles)}")


def _require_owner(actor: AbstractBaseUser, application: CertificationApplication) -> None:
    if has_role(actor, Role.ADMIN):
        return
    company = company_of(actor)
    if not has_role(actor, Role.SUPPLIER) or company is None or company.pk != application.supplier_id:
        raise NotPermitted("only the applying supplier may do this")


def _audit(
    actor: AbstractBaseUser | None,
    action: str,
    *,
    application=None,
    certificate=None,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor.get_username() if actor is not None and actor.is_authenticated else "system",
        action=action,
        application=application,
        certificate=certificate,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
    )


def _locked_application(pk: int) -> CertificationApplication:
    return CertificationApplication.objects.select_for_update().get(pk=pk)


def _locked_certificate(pk: int) -> Certificate:
    return Certificate.objects.select_for_update().get(pk=pk)


def _transition(
    actor,
    application_id: int,
    allowed_from: tuple[str, ...],
    to_state: str,
    action: str,
    comment: str = "",
    **extra_fields: Any,
) -> CertificationApplication:
    application = _locked_application(application_id)
    if application.status not in allowed_from:
        raise Conflict(
            f"cannot {action} an application that is {application.status} "
            f"(allowed from: {', '.join(allowed_from)})"
        )
    from_state = application.status
    application.status = to_state
    for field, value in extra_fields.items():
        setattr(application, field, value)
    application.save()
    _audit(actor, action, application=application, from_state=from_state, to_state=to_state, comment=comment)
    return application


def _clean_fields(instance, fields: dict[str, Any]) -> None:
    for field, value in fields.items():
        setattr(instance, field, value)
    instance.full_clean()


# ---------------------------------------------------------------- companies
@transaction.atomic
def create_company(actor: AbstractBaseUser, **fields: Any) -> Company:
    _require_role(actor)  # admins register companies; suppliers get theirs on onboarding
    fields["business_number"] = normalize_business_number(fields.get("business_number", ""))
    company = Company()
    _clean_fields(company, fields)
    _save_company(company)
    return company


def _save_company(company: Company) -> None:
    """Saves after full_clean; a concurrent registration of the same number can still win between the
    two, and then the unique index answers: report it like full_clean would have."""
    try:
        with transaction.atomic():  # savepoint: the caller's transaction stays usable
            company.save()
    except IntegrityError as exc:
        if Company.objects.filter(business_number=company.business_number).exclude(pk=company.pk).exists():
            raise ValidationError(
                {
                    "business_number": [
                        "이미 등록된 사업자등록번호입니다 (business number already registered)."
                    ]
                }
            ) from exc
        raise


@transaction.atomic
def update_company(actor: AbstractBaseUser, company_id: int, **fields: Any) -> Company:
    company = Company.objects.select_for_update().get(pk=company_id)
    own = company_of(actor)
    if not has_role(actor, Role.ADMIN) and (own is None or own.pk != company.pk):
        raise NotPermitted("only the company's own users or an admin may edit it")
    if "business_number" in fields:
        fields["business_number"] = normalize_business_number(fields["business_number"])
        if fields["business_number"] != company.business_number and not has_role(actor, Role.ADMIN):
            raise NotPermitted("only an admin may change a business registration number")
    old_names = (company.name, company.name_en)
    _clean_fields(company, fields)
    _save_company(company)
    if (company.name, company.name_en) != old_names:
        signals.company_changed.send(sender=Company, company=company)
    return company


# ------------------------------------------------------------- applications
@transaction.atomic
def create_application(actor: AbstractBaseUser, **fields: Any) -> CertificationApplication:
    _require_role(actor, Role.SUPPLIER)
    supplier = fields.pop("supplier", None) if has_role(actor, Role.ADMIN) else None
    supplier = supplier or company_of(actor)
    if supplier is None:
        raise NotPermitted("your user is not linked to a company")
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise ValidationError({name: ["unknown field"] for name in unknown})
    application = CertificationApplication(
        supplier=supplier, created_by=actor, status=ApplicationStatus.DRAFT
    )
    _clean_fields(application, fields)
    application.save()
    _audit(actor, "create", application=application, to_state=application.status)
    return application


@transaction.atomic
def update_application(
    actor: AbstractBaseUser, application_id: int, **fields: Any
) -> CertificationApplication:
    application = _locked_application(application_id)
    _require_owner(actor, application)
    if not application.is_editable:
        raise Conflict(f"an application that is {application.status} cannot be edited")
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise ValidationError({name: ["unknown field"] for name in unknown})
    _clean_fields(application, fields)
    application.save()
    return application


@transaction.atomic
def submit_application(
    actor: AbstractBaseUser, application_id: int, comment: str = ""
) -> CertificationApplication:
    application = _locked_application(application_id)
    _require_owner(actor, application)
    application.full_clean()
    if not application.documents.exists():
        raise ValidationError(
            {"documents": ["증빙서류를 하나 이상 첨부해야 합니다 (attach at least one evidence document)."]}
        )
    return _transition(
        actor,
        application_id,
        CertificationApplication.EDITABLE_STATUSES,
        ApplicationStatus.SUBMITTED,
        "submit",
        comment,
        submitted_at=timezone.now(),
    )


@transaction.atomic
def withdraw_application(
    actor: AbstractBaseUser, application_id: int, comment: str = ""
) -> CertificationApplication:
    _require_owner(actor, _locked_application(application_id))
    return _transition(
        actor, application_id, (ApplicationStatus.DRAFT,), ApplicationStatus.WITHDRAWN, "withdraw", comment
    )


@transaction.atomic
def start_review(actor: AbstractBaseUser, application_id: int, comment: str = "") -> CertificationApplication:
    _require_role(actor, Role.REVIEWER)
    return _transition(
        actor,
        application_id,
        (ApplicationStatus.SUBMITTED,),
        ApplicationStatus.UNDER_REVIEW,
        "start_review",
        comment,
    )


@transaction.atomic
def request_supplement(
    actor: AbstractBaseUser, application_id: int, comment: str
) -> CertificationApplication:
    _require_role(actor, Role.REVIEWER)
    if not comment.strip():
        raise ValidationError({"comment": ["보완 요청 사유를 입력하세요 (say what must be supplemented)."]})
    return _transition(
        actor,
        application_id,
        (ApplicationStatus.UNDER_REVIEW,),
        ApplicationStatus.SUPPLEMENT_REQUESTED,
        "request_supplement",
        comment,
    )


@transaction.atomic
def record_review_stage(
    actor: AbstractBaseUser, application_id: int, stage: str, passed: bool, score=None, comment: str = ""
) -> ReviewStageResult:
    _require_role(actor, Role.REVIEWER)
    application = _locked_application(application_id)
    if application.status != ApplicationStatus.UNDER_REVIEW:
        raise Conflict(f"stage results are recorded under review, not while {application.status}")
    if stage not in ReviewStageKind.values:
        raise ValidationError({"stage": [f"unknown stage {stage!r}"]})
    result, _ = ReviewStageResult.objects.update_or_create(
        application=application,
        stage=stage,
        defaults={
            "passed": passed,
            "score": score,
            "comment": comment,
            "reviewer": actor,
            "recorded_at": timezone.now(),
        },
    )
    result.full_clean()
    _audit(
        actor,
        f"stage_{stage}",
        application=application,
        from_state=application.status,
        to_state=application.status,
        comment=f"{'passed' if passed else 'failed'} {score or ''} {comment}".strip(),
    )
    return result


@transaction.atomic
def reject_application(
    actor: AbstractBaseUser, application_id: int, comment: str
) -> CertificationApplication:
    _require_role(actor, Role.REVIEWER)
    if not comment.strip():
        raise ValidationError({"comment": ["반려 사유를 입력하세요 (give the reason for rejection)."]})
    return _transition(
        actor,
        application_id,
        (ApplicationStatus.UNDER_REVIEW,),
        ApplicationStatus.REJECTED,
        "reject",
        comment,
        decided_at=timezone.now(),
    )


@transaction.atomic
def approve_application(actor: AbstractBaseUser, application_id: int, comment: str = "") -> Certificate:
    """Approves and issues the certificate; on a renewal the old certificate ends where the new begins."""
    _require_role(actor, Role.REVIEWER)
    application = _locked_application(application_id)
    failed = list(application.stages.filter(passed=False).values_list("stage", flat=True))
    if application.status == ApplicationStatus.UNDER_REVIEW and failed:
        raise Conflict(f"cannot approve: review stage(s) failed: {', '.join(failed)}")
    application = _transition(
        actor,
        application_id,
        (ApplicationStatus.UNDER_REVIEW,),
        ApplicationStatus.APPROVED,
        "approve",
        comment,
        decided_at=timezone.now(),
    )
    certificate = _issue_certificate(actor, application)
    if application.renewal_of_id:
        _supersede(actor, application.renewal_of_id, certificate)
    signals.certificate_issued.send(sender=Certificate, certificate=certificate)
    return certificate


def _next_certificate_number(year: int) -> str:
    sequence, _ = CertificateNumberSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return f"WW-{year}-{sequence.last_value:06d}"


def _issue_certificate(actor, application: CertificationApplication) -> Certificate:
    today = timezone.localdate()
    certificate = Certificate.objects.create(
        number=_next_certificate_number(today.year),
        application=application,
        supplier_id=application.supplier_id,
        partner_id=application.partner_id,
        sector=application.sector,
        product_name=application.product_name,
        classification_code=application.classification_code,
        issued_on=today,
        expires_on=today + timedelta(days=settings.CERTIFICATE_VALIDITY_DAYS),
        renewed_from_id=application.renewal_of_id,
    )
    _audit(
        actor,
        "issue",
        application=application,
        certificate=certificate,
        to_state=certificate.status,
        comment=certificate.number,
    )
    return certificate


def _supersede(actor, old_certificate_id: int, new_certificate: Certificate) -> None:
    old = _locked_certificate(old_certificate_id)
    if old.status in (CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED):
        _set_certificate_status(
            actor, old, CertificateStatus.EXPIRED, f"renewed as {new_certificate.number}", action="superseded"
        )


# ------------------------------------------------------------- certificates
def _set_certificate_status(
    actor, certificate: Certificate, status: str, reason: str, action: str
) -> Certificate:
    from_state = certificate.status
    certificate.status = status
    certificate.status_reason = reason
    certificate.status_changed_at = timezone.now()
    certificate.save(update_fields=["status", "status_reason", "status_changed_at", "updated_at"])
    _audit(
        actor,
        action,
        certificate=certificate,
        application=certificate.application,
        from_state=from_state,
        to_state=status,
        comment=reason,
    )
    signals.certificate_changed.send(sender=Certificate, certificate=certificate)
    return certificate


def _certificate_transition(
    actor, certificate_id: int, allowed_from: tuple[str, ...], to_state: str, action: str, reason: str
) -> Certificate:
    _require_role(actor, Role.REVIEWER)
    if not reason.strip():
        raise ValidationError({"reason": ["사유를 입력하세요 (a reason is required)."]})
    certificate = _locked_certificate(certificate_id)
    if certificate.status not in allowed_from:
        raise Conflict(f"cannot {action} a certificate that is {certificate.status}")
    return _set_certificate_status(actor, certificate, to_state, reason, action)


@transaction.atomic
def suspend_certificate(actor: AbstractBaseUser, certificate_id: int, reason: str) -> Certificate:
    return _certificate_transition(
        actor, certificate_id, (CertificateStatus.ACTIVE,), CertificateStatus.SUSPENDED, "suspend", reason
    )


@transaction.atomic
def reinstate_certificate(actor: AbstractBaseUser, certificate_id: int, reason: str) -> Certificate:
    certificate = Certificate.objects.get(pk=certificate_id)
    if certificate.expires_on < timezone.localdate():
        raise Conflict("an expired certificate cannot be reinstated; apply for renewal")
    return _certificate_transition(
        actor, certificate_id, (CertificateStatus.SUSPENDED,), CertificateStatus.ACTIVE, "reinstate", reason
    )


@transaction.atomic
def revoke_certificate(actor: AbstractBaseUser, certificate_id: int, reason: str) -> Certificate:
    return _certificate_transition(
        actor,
        certificate_id,
        (CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED),
        CertificateStatus.REVOKED,
        "revoke",
        reason,
    )


def expire_due_certificates(today: date | None = None) -> int:
    """Marks active or suspended certificates past their expiry date as expired. Safe to run repeatedly."""
    today = today or timezone.localdate()
    expired = 0
    due_ids = Certificate.objects.filter(
        status__in=(CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED), expires_on__lt=today
    ).values_list("pk", flat=True)
    for certificate_id in list(due_ids):
        with transaction.atomic():
            certificate = _locked_certificate(certificate_id)
            if (
                certificate.status in (CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED)
                and certificate.expires_on < today
            ):
                _set_certificate_status(
                    None,
                    certificate,
                    CertificateStatus.EXPIRED,
                    f"validity ended {certificate.expires_on.isoformat()}",
                    action="expire",
                )
                expired += 1
    return expired


@transaction.atomic
def start_renewal(actor: AbstractBaseUser, certificate_id: int) -> CertificationApplication:
    """Opens a draft renewal application copied from the certificate's application."""
    certificate = _locked_certificate(certificate_id)
    _require_owner(actor, certificate.application)
    if certificate.status == CertificateStatus.REVOKED:
        raise Conflict("a revoked certificate cannot be renewed")
    open_renewal = certificate.renewal_applications.exclude(
        status__in=(ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN)
    )
    if open_renewal.exists():
        raise Conflict("a renewal application for this certificate already exists")
    source = certificate.application
    application = CertificationApplication.objects.create(
        supplier_id=source.supplier_id,
        created_by=actor,
        renewal_of=certificate,
        **{field: getattr(source, field) for field in APPLICATION_FIELDS},
    )
    _audit(
        actor,
        "create_renewal",
        application=application,
        certificate=certificate,
        to_state=application.status,
        comment=f"renewal of {certificate.number}",
    )
    return application


# ----------------------------------------------------------------- evidence
@transaction.atomic
def attach_evidence(
    actor: AbstractBaseUser, application_id: int, upload: UploadedFile, kind: str = "other"
) -> EvidenceDocument:
    application = _locked_application(application_id)
    _require_owner(actor, application)
    if not application.is_editable:
        raise Conflict(f"evidence cannot be added to an application that is {application.status}")
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
    _audit(
        actor,
        "attach_evidence",
        application=application,
        from_state=application.status,
        to_state=application.status,
        comment=f"{document.original_name} sha256={document.sha256}",
    )
    return document


@transaction.atomic
def remove_evidence(actor: AbstractBaseUser, document_id: int) -> None:
    document = EvidenceDocument.objects.select_related("application").get(pk=document_id)
    application = _locked_application(document.application_id)
    _require_owner(actor, application)
    if not application.is_editable:
        raise Conflict(f"evidence cannot be removed from an application that is {application.status}")
    _audit(
        actor,
        "remove_evidence",
        application=application,
        from_state=application.status,
        to_state=application.status,
        comment=f"{document.original_name} sha256={document.sha256}",
    )
    # the file goes only after the transaction commits, so a rollback never leaves a row without its file
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))
