"""Signals answered with the accounts services: an invitation followed before signing up is accepted as the
account is made; a verified e-mail may approve an officer; a partner enterprise with no members yet is
invited, at the contact e-mail the applicant gave, to become its company's first administrator."""

import logging

from allauth.account.signals import email_confirmed, user_signed_up
from django.contrib import messages
from django.dispatch import receiver

from accounts.models import MemberRole
from accounts.services import accept_invitation, email_verified, invitation_from_token, invite_member
from certification.signals import partner_invitation_needed
from core.domain import DomainError

logger = logging.getLogger(__name__)

INVITATION_SESSION_KEY = "accounts_invitation"


@receiver(user_signed_up, dispatch_uid="accounts.accept_invitation_on_sign_up")
def accept_pending_invitation(sender, request, user, **kwargs) -> None:
    token = request.session.pop(INVITATION_SESSION_KEY, None) if request is not None else None
    if not token:
        return
    try:
        membership = accept_invitation(user, invitation=invitation_from_token(token))
    except DomainError as exc:
        messages.error(request, str(exc))
        return
    messages.success(
        request, f"{membership.company.name}에 합류했습니다 (you joined {membership.company.name})."
    )


@receiver(email_confirmed, dispatch_uid="accounts.officer_domain_on_confirm")
def approve_officer_by_domain(sender, request, email_address, **kwargs) -> None:
    email_verified(email_address.user, email=email_address.email)


@receiver(partner_invitation_needed, dispatch_uid="accounts.invite_partner_contact")
def invite_partner_contact(sender, application, email, **kwargs) -> None:
    """Sent after the request committed: a refused invitation (the company gained members meanwhile, a bad
    address) is logged, and the applicant can still ask the partner's people once they have accounts."""
    try:
        invite_member(
            application.created_by, company=application.partner, email=email, role=MemberRole.ADMINISTRATOR
        )
    except DomainError as exc:
        logger.warning("partner invitation for application %s not sent: %s", application.pk, exc)
