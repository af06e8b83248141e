"""The supplier's side of an application: create, edit, submit, withdraw."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from certification.calls import Call
from certification.eligibility import check_not_self_partnership
from certification.identity import company_of
from certification.models import ApplicationStatus, CertificationApplication
from certification.roles import Role, has_role
from certification.services._records import audit, clean_fields, locked_application, require_role
from certification.services._workflow import check
from certification.services.partners import void_if_terms_changed
from core.domain import NotPermitted

APPLICATION_FIELDS = (
    "call",
    "partner",
    "partner_kind",
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


def _reject_unknown(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise ValidationError({name: ["unknown field"] for name in unknown})


def advance(
    actor: AbstractBaseUser,
    name: str,
    application_id: int,
    comment: str,
    *,
    stamp: str | None = None,
    **extra_fields: Any,
) -> CertificationApplication:
    """Takes the table's action ``name`` on the locked application: checks it, moves the application to
    the action's target state and records it; the field ``stamp`` gets the moment it was checked at."""
    application = locked_application(application_id)
    now = timezone.now()  # read after the locks: the rules are checked at the moment the action commits
    transition = check(actor, name, application, text=comment, now=now)
    from_state = application.status
    application.status = transition.target
    if stamp:
        setattr(application, stamp, now)
    for field, value in extra_fields.items():
        setattr(application, field, value)
    application.save()
    audit(
        actor,
        name,
        application=application,
        from_state=from_state,
        to_state=application.status,
        comment=comment,
    )
    return application


@transaction.atomic
def create_application(actor: AbstractBaseUser, **fields: Any) -> CertificationApplication:
    require_role(actor, Role.SUPPLIER)
    supplier = fields.pop("supplier", None) if has_role(actor, Role.ADMIN) else None
    supplier = supplier or company_of(actor)
    if supplier is None:
        raise NotPermitted("your user is not linked to a company")
    _reject_unknown(fields)
    check_not_self_partnership(supplier.pk, getattr(fields.get("partner"), "pk", None))
    application = CertificationApplication(
        supplier=supplier, created_by=actor, status=ApplicationStatus.DRAFT
    )
    clean_fields(application, fields)
    application.save()
    audit(actor, "create", application=application, to_state=application.status)
    return application


@transaction.atomic
def update_application(
    actor: AbstractBaseUser, *, application_id: int, **fields: Any
) -> CertificationApplication:
    application = locked_application(application_id)
    check(actor, "edit", application)
    _reject_unknown(fields)
    if "partner" in fields:
        check_not_self_partnership(application.supplier_id, getattr(fields["partner"], "pk", None))
    clean_fields(application, fields)
    application.save()
    # the partner agreed to the terms as they were: a changed partner or term needs its word again
    void_if_terms_changed(actor, application)
    return application


@transaction.atomic
def submit_application(
    actor: AbstractBaseUser, *, application_id: int, comment: str = ""
) -> CertificationApplication:
    # the call's row is locked before the clock is read (application first, then its call, everywhere):
    # a call being closed and this submit are ordered, and exactly one of them sees the other
    call_id = locked_application(application_id).call_id
    Call.objects.select_for_update().filter(pk=call_id).first()
    return advance(actor, "submit", application_id, comment, stamp="submitted_at")


@transaction.atomic
def withdraw_application(
    actor: AbstractBaseUser, *, application_id: int, comment: str = ""
) -> CertificationApplication:
    return advance(actor, "withdraw", application_id, comment)
