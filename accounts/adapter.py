"""allauth's hooks for this site: where a user lands after signing in."""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from accounts import selectors
from accounts.models import OfficerRequestStatus


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request) -> str:
        user = request.user
        if selectors.needs_company(user):
            # a new supplier's next step: register the company (or follow a colleague's invitation)
            return reverse("accounts:company-register")
        officer_request = selectors.officer_request_of(user)
        if officer_request is not None and officer_request.status != OfficerRequestStatus.APPROVED:
            return reverse("accounts:profile")
        return super().get_login_redirect_url(request)
