"""Token sign-in for API clients, rate limited so passwords cannot be guessed at speed."""

from rest_framework.authtoken.views import ObtainAuthToken

from core.throttling import SignInThrottle


class ThrottledObtainAuthToken(ObtainAuthToken):
    """POST username and password, get ``{"token": ...}``; use it as ``Authorization: Token <token>``.
    Every attempt draws on the client address's sign-in budget, shared with the sign-in page."""

    throttle_classes = [SignInThrottle]
