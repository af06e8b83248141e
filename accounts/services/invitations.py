"""Invitations to a company: sent by e-mail, accepted once, before they expire, by the address invited.

An invitation to a company without members (a partner enterprise named on an application, before anyone
of it has an account) makes the person who accepts it the company's first administrator.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts import selectors
from accounts.models import Invitation, InvitationState, MemberRole
from accounts.services._common import join, require_manager
from accounts.tokens import make_token, read_token
from certification.identity import company_id_of
from certification.models import CertificationApplication, Company, Membership
from core.domain import Conflict, NotPermitted, RuleViolation
from notifications.services import queue_email

INVALID = "초대 링크가 올바르지 않거나 만료되었습니다 (the invitation link is invalid or has expired)."
STATE_ERRORS = {
    InvitationState.ACCEPTED: (
        "이미 사용된 초대입니다 (this invitation has already been used).",
        "invitation_used",
    ),
    InvitationState.REVOKED: ("취소된 초대입니다 (this invitation was revoked).", "invitation_revoked"),
    InvitationState.EXPIRED: ("만료된 초대입니다 (this invitation has expired).", "invitation_expired"),
}


def _may_invite_first_administrator(actor, company: Company) -> bool:
    """Anyone whose company's applications name ``company`` as the partner may invite its first
    administrator while it has no members (the partner enterprise has no account yet)."""
    own = company_id_of(actor)
    return (
        own is not None and CertificationApplication.objects.filter(supplier_id=own, partner=company).exists()
    )


def invite_member(actor, *, company: Company, email: str, role: str = MemberRole.MEMBER) -> Invitation:
    """Invites ``email`` to ``company`` and puts the link in the e-mail outbox (it leaves after the commit).

    Company administrators (and site administrators) invite to their company with either role. A company
    with no members can also be invited to by a supplier whose application names it as partner; that
    invitation (always as administrator) is good only while the company still has no members.
    A pending invitation to the same address is replaced, so the newest link is the one that works."""
    email = (email or "").strip()
    if not email or "@" not in email:
        raise RuleViolation(
            "이메일 주소를 입력하세요 (enter an e-mail address).", code="email_invalid", field="email"
        )
    if role not in MemberRole.values:
        raise RuleViolation("알 수 없는 역할입니다 (unknown role).", code="role_invalid", field="role")
    has_members = Membership.objects.filter(company=company).exists()
    first_administrator = False
    if not selectors.may_manage_members(actor, company):
        if has_members or not _may_invite_first_administrator(actor, company):
            raise NotPermitted(
                "이 회사에 초대할 권한이 없습니다 (you may not invite people to this company).",
                code="not_company_administrator",
            )
        first_administrator = True
    if not has_members:
        role = MemberRole.ADMINISTRATOR  # someone has to run the company's account
    if Membership.objects.filter(company=company, user__emailaddress__email__iexact=email).exists():
        raise Conflict(
            "이미 이 회사의 구성원입니다 (already a member of this company).", code="already_member"
        )
    with transaction.atomic():
        now = timezone.now()
        Invitation.objects.filter(
            company=company, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        invitation = Invitation.objects.create(
            company=company,
            email=email,
            role=role,
            invited_by=actor if actor.is_authenticated else None,
            first_administrator=first_administrator,
            expires_at=now + timedelta(days=settings.ACCOUNTS_INVITATION_DAYS),
        )
        # in the outbox with the invitation: both are recorded, or neither; it leaves after the commit
        send_invitation(invitation)
    return invitation


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_BASE_URL + reverse("accounts:invitation", args=[make_token(invitation.pk)])


def send_invitation(invitation: Invitation) -> None:
    context = {
        "invitation": invitation,
        "company": invitation.company,
        "url": invitation_url(invitation),
        "inviter": invitation.invited_by,
        "days": settings.ACCOUNTS_INVITATION_DAYS,
    }
    subject = " ".join(render_to_string("accounts/email/invitation_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject,
        render_to_string("accounts/email/invitation_message.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [invitation.email],
    )
    queue_email(message, key=f"invitation:{invitation.pk}")


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link names; a forged, altered or outdated link is refused (the state of a real
    invitation is checked on acceptance)."""
    invitation_id = read_token(token)
    invitation = (
        Invitation.objects.select_related("company").filter(pk=invitation_id).first()
        if invitation_id
        else None
    )
    if invitation is None:
        raise RuleViolation(INVALID, code="invitation_invalid")
    return invitation


def check_usable(invitation: Invitation) -> None:
    if invitation.state in STATE_ERRORS:
        message, code = STATE_ERRORS[invitation.state]
        raise Conflict(message, code=code)
    if invitation.first_administrator and Membership.objects.filter(company=invitation.company).exists():
        raise Conflict(
            "이 회사에는 이미 관리자가 있습니다. 회사 관리자에게 초대를 요청하세요 "
            "(this company already has an administrator; ask them to invite you).",
            code="invitation_superseded",
        )


@transaction.atomic
def accept_invitation(user, *, invitation: Invitation) -> Membership:
    """Makes ``user`` a member (the first one of a company becomes its administrator). The user's verified
    e-mail must be the address invited; the invitation works once."""
    invitation = Invitation.objects.select_for_update().select_related("company").get(pk=invitation.pk)
    check_usable(invitation)
    if invitation.email.lower() not in selectors.verified_emails(user):
        raise NotPermitted(
            "이 초대는 다른 이메일 주소로 보낸 것입니다 (this invitation was sent to a different e-mail address).",
            code="invitation_other_email",
        )
    if Membership.objects.filter(user=user).exists():
        raise Conflict(
            "이미 회사에 소속되어 있습니다 (you already belong to a company).", code="already_member"
        )
    # the company row is locked so two first acceptances cannot both become "the first"
    Company.objects.select_for_update().filter(pk=invitation.company_id).first()
    first = not Membership.objects.filter(company=invitation.company).exists()
    membership = join(
        user, invitation.company, administrator=first or invitation.role == MemberRole.ADMINISTRATOR
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def revoke_invitation(actor, *, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    require_manager(actor, invitation.company)
    if invitation.state != InvitationState.PENDING:
        raise Conflict(
            "대기 중인 초대만 취소할 수 있습니다 (only a pending invitation can be revoked).",
            code="invitation_not_pending",
        )
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation
