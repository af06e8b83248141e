"""The invitation link's token: Django's signing of the invitation's id (HMAC with SECRET_KEY and a salt of
its own), with a maximum age. No token is stored; a forged or altered one does not verify."""

from django.conf import settings
from django.core import signing

SALT = "accounts.invitation"


def make_token(invitation_id: int) -> str:
    return signing.dumps(invitation_id, salt=SALT, compress=False)


def read_token(token: str) -> int | None:
    """The invitation id the token was made for, or None when it is forged, altered or too old."""
    try:
        value = signing.loads(token, salt=SALT, max_age=settings.ACCOUNTS_INVITATION_DAYS * 86400)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    return value if isinstance(value, int) else None
