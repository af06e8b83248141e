"""The e-mail verification step of signing in, for accounts an administrator made.

Every account made by signing up has an e-mail address on record (allauth's ``EmailAddress``) and must
verify it before signing in. Accounts made by administrators (Django admin, the demo data, the appointed
reviewers and evaluators) may have none at all: there is nothing to verify, and an administrator vouched for
them, so they sign in with their username as before rather than being stopped at a verification that can
never come.
"""

from allauth.account.models import EmailAddress
from allauth.account.stages import EmailVerificationStage


class VerifiedOrAdministeredStage(EmailVerificationStage):
    def handle(self):
        user = self.login.user
        if (
            user is not None
            and user.pk is not None
            and not self.login.signup
            and not EmailAddress.objects.filter(user=user).exists()
        ):
            return None, True
        return super().handle()
