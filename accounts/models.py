"""Invitations to a company and officers' requests for their role. Memberships themselves (and the
administrator flag) are the registry's: ``certification.Membership``."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from certification.models import Company


class MemberRole(models.TextChoices):
    MEMBER = "member", pgettext_lazy("member role", "구성원")
    ADMINISTRATOR = "administrator", pgettext_lazy("member role", "회사 관리자")


class InvitationState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("invitation state", "대기")
    ACCEPTED = "accepted", pgettext_lazy("invitation state", "수락됨")
    REVOKED = "revoked", pgettext_lazy("invitation state", "취소됨")
    EXPIRED = "expired", pgettext_lazy("invitation state", "만료됨")


class Invitation(models.Model):
    """An e-mail address invited to join a company. The link carries a signed token of this row's id
    (``accounts.tokens``); the row says whether it is still good: used once, not revoked, not expired."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # invited from outside the company (e.g. a supplier inviting the partner its application names) to
    # become its first administrator: good only while the company still has no members
    first_administrator = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.company}"

    @property
    def state(self) -> InvitationState:
        if self.accepted_at is not None:
            return InvitationState.ACCEPTED
        if self.revoked_at is not None:
            return InvitationState.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationState.EXPIRED
        return InvitationState.PENDING

    def get_state_display(self) -> str:
        return self.state.label


class OfficerRequestStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("officer request status", "승인 대기")
    APPROVED = "approved", pgettext_lazy("officer request status", "승인")
    REJECTED = "rejected", pgettext_lazy("officer request status", "거절")


class OfficerRequest(models.Model):
    """A user who signed up as a procurement officer; the officer role comes with approval, by an
    administrator or automatically for ``OFFICER_AUTO_APPROVE_DOMAINS``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officer_request"
    )
    organisation = models.CharField("소속 기관 (organisation)", max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=OfficerRequestStatus.choices, default=OfficerRequestStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # None with a decision: approved automatically by the e-mail domain
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    automatic = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_status_display()})"
