"""Every rate limit, counted once per client (or user) and shared by every server process.

Each limit is a *scope* with a rate: ``anonymous`` (``THROTTLE_ANONYMOUS``: the public pages and API
together, per client address), and the scopes in ``THROTTLE_RATES``: ``search`` (search and suggest, per
user, or per address for anonymous callers), ``login`` and ``login_account`` (sign-in budgets per client
address and per account, both shared by the sign-in page and the token endpoint) and ``public`` (certificate verification and the status feed).

Counts live in the cache named by ``THROTTLE_CACHE`` (the ``shared`` cache: a database table by default,
Redis when configured), never in a process's memory, so N server processes still allow one limit, not N.
DRF's own ``SimpleRateThrottle`` is not used: it keeps a list of timestamps per client that it reads and
writes back whole, so two processes answering the same client at once lose each other's hits, and it reads
its rates once, at import.

The window is fixed (``120/min`` allows 120 hits in each calendar minute): it needs one atomic-enough
counter per client and window, which every cache backend offers through ``add`` + ``incr``. On the
database cache two simultaneous hits may read the same count (``incr`` is a read then a write), so under
a burst the limit can be exceeded by the number of concurrent requests; Redis counts atomically.
"""

import hashlib
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.http import HttpRequest
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.throttling import BaseThrottle

from core.rates import parse_rate

logger = logging.getLogger(__name__)

SIGN_IN = "login"
SIGN_IN_ACCOUNT = "login_account"


def scope_rate(scope: str) -> str:
    """The rate of a named scope, read per call so a changed setting takes effect at once."""
    try:
        return settings.THROTTLE_RATES[scope]
    except KeyError as exc:
        raise ImproperlyConfigured(f"THROTTLE_RATES has no rate for the {scope!r} throttle scope") from exc


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or with ``TRUSTED_PROXY_COUNT`` proxies in front, the address the outermost trusted
    proxy saw (counted from the right of X-Forwarded-For: entries further left are the client's own say)."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded.strip():
        return remote
    addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
    if not addresses:
        return remote
    return addresses[-min(proxies, len(addresses))][:64]


def _now() -> float:
    return time.time()


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int
    retry_after: int  # seconds until the window ends (meaningful when refused)


def count(scope: str, ident: str, rate: str, now: float | None = None) -> Verdict:
    """Counts one hit by ``ident`` (an address or a user) in ``scope`` and says whether it is within
    ``rate``."""
    limit, period = parse_rate(rate)
    now = _now() if now is None else now
    window = int(now // period)
    # hashed: an address (IPv6, or whatever a trusted proxy forwarded) may hold characters keys may not
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    key = f"throttle:{scope}:{digest}:{window}"
    try:
        cache = caches[settings.THROTTLE_CACHE]
        cache.add(key, 0, timeout=period + 5)
        try:
            hits = cache.incr(key)
        except ValueError:  # the entry expired between add and incr: this hit starts the window
            cache.add(key, 1, timeout=period + 5)
            hits = 1
    except Exception:  # an unreachable cache (Redis down) must not take the site down with it
        logger.warning("throttle cache %r unavailable; request let through", settings.THROTTLE_CACHE)
        hits = 0
    retry_after = max(1, int((window + 1) * period - now + 0.999))
    return Verdict(allowed=hits <= limit, count=hits, retry_after=retry_after)


def hit(address: str, now: float | None = None) -> Verdict:
    """Counts one anonymous request from ``address`` against the public pages' and API's shared limit."""
    return count("anon", address, settings.THROTTLE_ANONYMOUS, now)


def account_key(login: str) -> str:
    """Whom a sign-in attempt is for: the account the typed username or e-mail names (so one account has
    one budget however it is named), or the typed text itself when no account has it (so probing for
    accounts looks the same either way)."""
    login = (login or "").strip().lower()[:254]
    if not login:
        return ""
    if "\x00" in login:
        # no account's name holds a NUL (PostgreSQL stores none, and refuses one in a query: a 500)
        return f"login:{login}"
    user_model = get_user_model()
    pk = (
        user_model._default_manager.filter(
            Q(**{f"{user_model.USERNAME_FIELD}__iexact": login}) | Q(email__iexact=login)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    return f"user:{pk}" if pk is not None else f"login:{login}"


def sign_in_attempt(address: str, login: str = "", now: float | None = None) -> Verdict:
    """Counts one sign-in attempt from ``address`` for the account ``login`` names: the sign-in page and
    the token endpoint draw on the same two budgets, one per client address (``login``) and one per
    account (``login_account``), so a password guesser can neither double them by switching between the
    two doors nor spread one account's guesses over many addresses. Refused when either is spent."""
    by_address = count(SIGN_IN, address, scope_rate(SIGN_IN), now)
    key = account_key(login)
    if not key:
        return by_address
    by_account = count(SIGN_IN_ACCOUNT, key, scope_rate(SIGN_IN_ACCOUNT), now)
    refused = [verdict for verdict in (by_address, by_account) if not verdict.allowed]
    if not refused:
        return by_address
    return max(refused, key=lambda verdict: verdict.retry_after)


class TooManyRequests(exceptions.Throttled):
    default_detail = "요청이 너무 많습니다. 잠시 후 다시 시도하세요 (Too many requests; try again shortly)."
    extra_detail_singular = " {wait}초 후 ({wait} second)."
    extra_detail_plural = " {wait}초 후 ({wait} seconds)."


class SharedThrottle(BaseThrottle):
    """A DRF throttle counting in the shared cache. Subclasses say which scope and whom to count."""

    def __init__(self) -> None:
        self.verdict: Verdict | None = None

    def judge(self, request, view) -> Verdict | None:
        """The verdict on this request, or None when this throttle does not count it."""
        raise NotImplementedError

    def allow_request(self, request, view) -> bool:
        self.verdict = self.judge(request, view)
        return self.verdict is None or self.verdict.allowed

    def wait(self) -> float | None:
        return self.verdict.retry_after if self.verdict else None


class AnonymousThrottle(SharedThrottle):
    """The public API's throttle: anonymous requests count against their address's shared limit;
    signed-in users are left to the view's other throttles."""

    def judge(self, request, view) -> Verdict | None:
        if request.user and request.user.is_authenticated:
            return None
        return hit(client_address(request))


class ScopedThrottle(SharedThrottle):
    """The view's ``throttle_scope`` (a key of ``THROTTLE_RATES``), per signed-in user, or per client
    address for anonymous callers."""

    def judge(self, request, view) -> Verdict | None:
        scope = getattr(view, "throttle_scope", None)
        if not scope:
            return None
        user = request.user
        ident = f"user:{user.pk}" if user and user.is_authenticated else f"address:{client_address(request)}"
        return count(scope, ident, scope_rate(scope))


class SignInThrottle(SharedThrottle):
    """The token endpoint's throttle: every attempt counts against the client address's and the account's
    sign-in budgets, the ones the sign-in page draws on (``web.throttle.throttle_sign_in``)."""

    def judge(self, request, view) -> Verdict | None:
        login = request.data.get("username", "") if hasattr(request.data, "get") else ""
        return sign_in_attempt(client_address(request), login if isinstance(login, str) else "")


class PublicAPIMixin:
    """For the public API's views: anyone may call them; anonymous callers count against the shared
    limit and a 429 says what happened in the project's bilingual style."""

    permission_classes = [AllowAny]
    throttle_classes = [AnonymousThrottle]

    def throttled(self, request, wait):
        raise TooManyRequests(wait)
