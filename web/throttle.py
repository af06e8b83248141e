"""The anonymous limit on the public pages: the same shared count per client address as the public API
(``core.throttling``), answered with a page rather than JSON."""

from functools import wraps

from django.shortcuts import render

from core.throttling import client_address, hit


def throttle_anonymous(view):
    """Counts an anonymous request against its address's shared limit; over it, a 429 page with
    Retry-After. Signed-in users are not counted (their pages are behind their sign-in)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            verdict = hit(client_address(request))
            if not verdict.allowed:
                response = render(
                    request, "web/too_many_requests.html", {"retry_after": verdict.retry_after}, status=429
                )
                response["Retry-After"] = str(verdict.retry_after)
                response["Cache-Control"] = "no-store"
                return response
        return view(request, *args, **kwargs)

    return wrapped
