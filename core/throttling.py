"""One limit for anonymous traffic per client address, shared by every server process.

The public pages (``web.throttle``) and the public API (:class:`AnonymousThrottle`) count in the same
bucket, so a client cannot double its allowance by switching between them. Counts live in the cache named
by ``THROTTLE_CACHE`` (the ``shared`` cache: a database table by default, Redis when configured), never in
a process's memory, so N server processes still allow one limit, not N.

The window is fixed (``120/min`` allows 120 hits in each calendar minute): it needs one atomic-enough
counter per address and window, which every cache backend offers through ``add`` + ``incr``. On the
database cache two simultaneous hits may read the same count (``incr`` is a read then a write), so under
a burst the limit can be exceeded by the number of concurrent requests; Redis counts atomically.
"""

import hashlib
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger(__name__)

PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"120/min"`` → (120, 60)."""
    count, _, period = rate.partition("/")
    try:
        return int(count), PERIODS[period.strip().lower()]
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"a throttle rate looks like 120/min, got {rate!r}") from exc


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


def hit(address: str, now: float | None = None) -> Verdict:
    """Counts one anonymous request from ``address`` and says whether it is within the limit."""
    limit, period = parse_rate(settings.THROTTLE_ANONYMOUS)
    now = _now() if now is None else now
    window = int(now // period)
    # hashed: an address (IPv6, or whatever a trusted proxy forwarded) may hold characters keys may not
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    key = f"throttle:anon:{digest}:{window}"
    try:
        cache = caches[settings.THROTTLE_CACHE]
        cache.add(key, 0, timeout=period + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # the entry expired between add and incr: this hit starts the window
            cache.add(key, 1, timeout=period + 5)
            count = 1
    except Exception:  # an unreachable cache (Redis down) must not take the public catalog down with it
        logger.warning(
            "anonymous throttle cache %r unavailable; request let through", settings.THROTTLE_CACHE
        )
        count = 0
    retry_after = max(1, int((window + 1) * period - now + 0.999))
    return Verdict(allowed=count <= limit, count=count, retry_after=retry_after)


class TooManyRequests(exceptions.Throttled):
    default_detail = "요청이 너무 많습니다. 잠시 후 다시 시도하세요 (Too many requests; try again shortly)."
    extra_detail_singular = " {wait}초 후 ({wait} second)."
    extra_detail_plural = " {wait}초 후 ({wait} seconds)."


class AnonymousThrottle(BaseThrottle):
    """The public API's throttle: anonymous requests count against their address's shared limit;
    signed-in users are left to the view's other throttles."""

    def __init__(self) -> None:
        self.verdict: Verdict | None = None

    def allow_request(self, request, view) -> bool:
        if request.user and request.user.is_authenticated:
            return True
        self.verdict = hit(client_address(request))
        return self.verdict.allowed

    def wait(self) -> float | None:
        return self.verdict.retry_after if self.verdict else None


class PublicAPIMixin:
    """For the public API's views: anyone may call them; anonymous callers count against the shared
    limit and a 429 says what happened in the project's bilingual style."""

    permission_classes = [AllowAny]
    throttle_classes = [AnonymousThrottle]

    def throttled(self, request, wait):
        raise TooManyRequests(wait)
