"""State-changing operations of the registry, one module per entity (companies, applications, review,
certificates, evidence), the way Zulip's ``zerver/actions/`` grew out of one file.

Each operation checks the actor and the record's current state against ``certification.workflow`` on a
row locked for the transaction, so two reviewers acting at once cannot both succeed; each writes an
audit event and, where certificates change, sends a signal so the catalog and search follow inside the
same transaction. Every operation takes the actor first and everything else by keyword.

This package's namespace is the registry's write API: callers use ``services.<operation>``.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from certification import workflow
from certification.services.applications import (
    APPLICATION_FIELDS,
    create_application,
    submit_application,
    update_application,
    withdraw_application,
)
from certification.services.calls import CALL_FIELDS, create_call, update_call
from certification.services.certificates import (
    expire_due_certificates,
    lift_ended_suspensions,
    reinstate_certificate,
    revoke_certificate,
    start_renewal,
    suspend_certificate,
)
from certification.services.companies import COMPANY_FIELDS, create_company, update_company
from certification.services.evidence import attach_evidence, remove_evidence
from certification.services.panels import form_panel, score_stage
from certification.services.partners import (
    confirm_partnership,
    decline_partnership,
    request_partner_confirmation,
)
from certification.services.review import (
    approve_application,
    record_review_stage,
    reject_application,
    request_supplement,
    start_review,
)

__all__ = [
    "APPLICATION_FIELDS",
    "CALL_FIELDS",
    "COMPANY_FIELDS",
    "SERVICE_OF",
    "approve_application",
    "attach_evidence",
    "confirm_partnership",
    "create_application",
    "create_call",
    "create_company",
    "decline_partnership",
    "expire_due_certificates",
    "form_panel",
    "lift_ended_suspensions",
    "perform",
    "record_review_stage",
    "reinstate_certificate",
    "reject_application",
    "remove_evidence",
    "request_partner_confirmation",
    "request_supplement",
    "revoke_certificate",
    "score_stage",
    "start_renewal",
    "start_review",
    "submit_application",
    "suspend_certificate",
    "update_application",
    "update_call",
    "update_company",
    "withdraw_application",
]

#: the operation that carries out each action of the workflow table a user can take on its own route
SERVICE_OF: dict[str, Callable[..., Any]] = {
    "request_partner_confirmation": request_partner_confirmation,
    "confirm_partnership": confirm_partnership,
    "decline_partnership": decline_partnership,
    "submit": submit_application,
    "withdraw": withdraw_application,
    "start_review": start_review,
    "request_supplement": request_supplement,
    "form_panel": form_panel,
    "score_stage": score_stage,
    "record_stage": record_review_stage,
    "approve": approve_application,
    "reject": reject_application,
    "suspend": suspend_certificate,
    "reinstate": reinstate_certificate,
    "revoke": revoke_certificate,
    "renew": start_renewal,
}


def perform(actor: AbstractBaseUser, action: str, *, record_id: int, **inputs: Any) -> Any:
    """Runs the table's action on the application or certificate ``record_id``; ``inputs`` are what the
    action takes (its comment, reason or stage result)."""
    subject = workflow.transition(action).subject
    return SERVICE_OF[action](actor, **{subject.id_param: record_id}, **inputs)
