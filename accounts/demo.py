"""The accounts part of the demo data (``manage.py load_demo_data`` runs it after the catalog's): supplier1
administers its company, a colleague's invitation waits, and an officer waits for approval. Idempotent."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Invitation, MemberRole, OfficerRequest
from certification.models import Membership

DEMO_DOMAIN = "demo.sangsaeng.kr"
INVITED_EMAIL = f"new-colleague@{DEMO_DOMAIN}"
PENDING_OFFICER = "officer-pending"


def _verified(user, email: str) -> None:
    if user.email != email:
        user.email = email
        user.save(update_fields=["email"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )


def load_demo_accounts(password_hash: str) -> dict[str, str]:
    """Returns what the README's walk-through needs: the administrator, the invitation, the officer."""
    user_model = get_user_model()
    administrator = user_model.objects.filter(username="supplier1").first()
    result: dict[str, str] = {}
    if administrator is not None:
        _verified(administrator, f"supplier1@{DEMO_DOMAIN}")
        membership = Membership.objects.get(user=administrator)
        if not membership.is_administrator:
            membership.is_administrator = True
            membership.save(update_fields=["is_administrator"])
        invitation = Invitation.objects.filter(
            company=membership.company, email=INVITED_EMAIL, accepted_at__isnull=True, revoked_at__isnull=True
        ).first()
        if invitation is None or invitation.expires_at <= timezone.now():
            invitation = Invitation.objects.create(
                company=membership.company,
                email=INVITED_EMAIL,
                role=MemberRole.MEMBER,
                invited_by=administrator,
                expires_at=timezone.now() + timedelta(days=settings.ACCOUNTS_INVITATION_DAYS),
            )
        from accounts.services import invitation_url

        result["company administrator"] = f"supplier1 ({membership.company.name})"
        result["pending invitation"] = f"{INVITED_EMAIL}: {invitation_url(invitation)}"
    officer, created = user_model.objects.get_or_create(username=PENDING_OFFICER)
    if created:
        officer.password = password_hash
        officer.save()
    _verified(officer, f"officer.pending@{DEMO_DOMAIN}")
    OfficerRequest.objects.get_or_create(user=officer, defaults={"organisation": "데모시청 (demo city hall)"})
    result["officer awaiting approval"] = PENDING_OFFICER
    return result
