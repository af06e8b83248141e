"""The partner enterprise's side of an application: the applicant asks the partner to confirm that it takes
part, a member of the partner company confirms or declines with a reason, and an edit of the partner or of
the agreed terms voids the answer (``certification.partners``).

Each runs on the locked application, so a confirmation racing an edit is ordered: either the edit sees
the confirmation and voids it, or the confirmation waits and answers the edited terms' fresh request.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from certification import eligibility, signals, workflow
from certification.models import CertificationApplication
from certification.partners import ConfirmationStatus, PartnerConfirmation, agreed_terms, changed_terms
from certification.services._records import audit, locked_application
from certification.services._workflow import check


def _audit(actor: AbstractBaseUser | None, name: str, application: CertificationApplication, comment: str):
    return audit(
        actor,
        workflow.transition(name).audit_action,
        application=application,
        from_state=application.status,
        to_state=application.status,
        comment=comment,
    )


def _clean_email(contact_email: str) -> str:
    email = contact_email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValidationError(
                {"contact_email": ["올바른 이메일 주소를 입력하세요 (enter a valid e-mail address)."]}
            ) from exc
    return email


@transaction.atomic
def request_partner_confirmation(
    actor: AbstractBaseUser, *, application_id: int, contact_email: str = ""
) -> PartnerConfirmation:
    """Asks the partner to confirm the application's agreed terms as they stand now. A partner without
    members yet needs ``contact_email``: after the commit, ``signals.partner_invitation_needed`` asks for
    that address to be invited to the partner company."""
    application = locked_application(application_id)
    check(actor, "request_partner_confirmation", application)
    email = _clean_email(contact_email)
    eligibility.check_partner_requestable(application, email)
    confirmation = PartnerConfirmation.objects.create(
        application=application,
        partner_id=application.partner_id,
        terms=agreed_terms(application),
        contact_email=email,
        requested_by=actor,
    )
    _audit(
        actor,
        "request_partner_confirmation",
        application,
        f"{application.partner.name}" + (f" <{email}>" if email else ""),
    )
    if not eligibility.partner_has_members(application):

        def invite() -> None:
            signals.partner_invitation_needed.send(
                sender=CertificationApplication, application=application, email=email
            )

        transaction.on_commit(invite)
    return confirmation


@transaction.atomic
def confirm_partnership(
    actor: AbstractBaseUser, *, application_id: int, comment: str = ""
) -> PartnerConfirmation:
    """The partner's member confirms that the partner company takes part on the requested terms."""
    application = locked_application(application_id)
    check(actor, "confirm_partnership", application, text=comment)
    confirmation = eligibility.check_partner_asked(application)
    _answer(actor, confirmation, ConfirmationStatus.CONFIRMED, comment=comment.strip())
    _audit(actor, "confirm_partnership", application, comment.strip())
    return confirmation


@transaction.atomic
def decline_partnership(actor: AbstractBaseUser, *, application_id: int, reason: str) -> PartnerConfirmation:
    """The partner's member declines, with the reason the applicant reads; the applicant may change the
    application (or the partner) and ask again."""
    application = locked_application(application_id)
    check(actor, "decline_partnership", application, text=reason)
    confirmation = eligibility.check_partner_asked(application)
    _answer(actor, confirmation, ConfirmationStatus.DECLINED, reason=reason.strip())
    _audit(actor, "decline_partnership", application, reason.strip())
    return confirmation


def _answer(actor: AbstractBaseUser, confirmation: PartnerConfirmation, status: str, **text: str) -> None:
    confirmation.status = status
    confirmation.answered_by = actor
    confirmation.answered_at = timezone.now()
    for field, value in text.items():
        setattr(confirmation, field, value)
    confirmation.save()


def void_if_terms_changed(actor: AbstractBaseUser, application: CertificationApplication) -> None:
    """Called by every edit, on the locked application with its new values: a request or confirmation
    whose partner or agreed terms no longer match is void, and the partner must be asked again."""
    confirmation = eligibility.open_confirmation(application)
    if confirmation is None:
        return
    changed = changed_terms(application, confirmation.terms)
    if not changed:
        return
    confirmation.status = ConfirmationStatus.INVALIDATED
    confirmation.invalidated_at = timezone.now()
    confirmation.save(update_fields=["status", "invalidated_at"])
    _audit(actor, "void_partner_confirmation", application, f"changed: {', '.join(changed)}")
