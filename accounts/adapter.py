"""allauth's hooks for this site: where a user lands after signing in or confirming an address, and its
e-mails (address confirmation, password reset) sent through the notification outbox, retried on SMTP
failure like every other message."""

import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse

from accounts import selectors
from accounts.models import OfficerRequestStatus
from notifications.services import queue_email


def next_step(user) -> str | None:
    """The page a user without a role yet goes to: a new supplier registers the company (or follows a
    colleague's invitation); an officer waiting for approval sees the account page that says so."""
    if selectors.needs_company(user):
        return reverse("accounts:company-register")
    officer_request = selectors.officer_request_of(user)
    if officer_request is not None and officer_request.status != OfficerRequestStatus.APPROVED:
        return reverse("accounts:profile")
    return None


VERIFICATION_STAGE = "allauth.account.stages.EmailVerificationStage"


class AccountAdapter(DefaultAccountAdapter):
    def get_login_stages(self) -> list[str]:
        # accounts an administrator made without an e-mail address sign in as before (accounts.stages)
        return [
            "accounts.stages.VerifiedOrAdministeredStage" if stage == VERIFICATION_STAGE else stage
            for stage in super().get_login_stages()
        ]

    def get_login_redirect_url(self, request) -> str:
        return next_step(request.user) or super().get_login_redirect_url(request)

    def get_email_verification_redirect_url(self, email_address) -> str:
        # decided before the confirming request is signed in, so asked of the address's user
        return next_step(email_address.user) or super().get_email_verification_redirect_url(email_address)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth's own context, then the outbox instead of sending inside the request
        request = allauth_context.request
        context = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        message = self.render_mail(template_prefix, email, context)
        queue_email(message, key=f"account:{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4().hex}")
