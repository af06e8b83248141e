"""The limits on the pages, counted with the API's (``core.throttling``) and answered with a page rather
than JSON: the anonymous limit on the public pages, and the sign-in budget on the sign-in page."""

from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.throttling import Verdict, client_address, hit, sign_in_attempt


def too_many_requests(request: HttpRequest, verdict: Verdict, *, sign_in: bool = False) -> HttpResponse:
    """The 429 page, with Retry-After; never stored by a cache."""
    response = render(
        request,
        "web/too_many_requests.html",
        {"retry_after": verdict.retry_after, "sign_in": sign_in},
        status=429,
    )
    response["Retry-After"] = str(verdict.retry_after)
    response["Cache-Control"] = "no-store"
    return response


def throttle_anonymous(view):
    """Counts an anonymous request against its address's shared limit; over it, a 429 page with
    Retry-After. Signed-in users are not counted (their pages are behind their sign-in)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            verdict = hit(client_address(request))
            if not verdict.allowed:
                return too_many_requests(request, verdict)
        return view(request, *args, **kwargs)

    return wrapped


def throttle_sign_in(view):
    """Counts every sign-in attempt (a POST; showing the form is free) against the client address's and
    the account's sign-in budgets, the ones the token endpoint draws on too; over either, a 429 page with
    Retry-After and the password is not even checked. The account is what was typed: allauth's ``login``
    field (e-mail or username) or the older form's ``username``."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST":
            login = request.POST.get("login") or request.POST.get("username") or ""
            verdict = sign_in_attempt(client_address(request), login)
            if not verdict.allowed:
                return too_many_requests(request, verdict, sign_in=True)
        return view(request, *args, **kwargs)

    return wrapped
