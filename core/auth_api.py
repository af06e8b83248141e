"""Token sign-in for API clients, rate limited so passwords cannot be guessed at speed."""

from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.throttling import ScopedRateThrottle


class ThrottledObtainAuthToken(ObtainAuthToken):
    """POST username and password, get ``{"token": ...}``; use it as ``Authorization: Token <token>``."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"
