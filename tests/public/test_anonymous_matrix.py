"""The anonymous row of the permission matrix, over every URL the project routes.

The resolver is walked, not a list kept by hand: every URL pattern is filled with a real object's id and
requested by an anonymous client. A URL whose name is not in ``PUBLIC_URL_NAMES`` must refuse (401/403
from the API, a redirect to a sign-in page from the pages, 405 for a method it does not take); a public
one must answer 200, 404 or 410. So a URL added tomorrow is private until someone lists it here on purpose.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern


@dataclass(frozen=True)
class Public:
    reason: str
    method: str = "GET"
    query: str = ""
    statuses: frozenset[int] = frozenset({200, 404, 410})


SIGN_IN = frozenset({200, 302, 400})
LOOKUP = frozenset(
    {200, 400, 404}
)  # found, not a well-formed number, or no such certificate  # a form or a token: shown, accepted (redirect) or refused (400)

# Every URL an anonymous visitor may use, and why. Anything not named here must refuse anonymous callers.
PUBLIC_URL_NAMES: dict[str, Public] = {
    "web:home": Public("sends anonymous visitors to the public catalog", statuses=frozenset({302})),
    "web:search": Public("the public catalog's search page", query="?q=LED"),
    "web:product": Public("a public product page (404 never public, 410 left the catalog)"),
    "sitemap": Public("the public product pages, for search engines"),
    "web:product-image": Public("a listed product's image (the Nara feed's prdctImgUrl)"),
    "web:product-print": Public("a public product page laid out for A4, with the verification QR"),
    "web:compare": Public("up to four public product pages side by side", query="?ids=1,2"),
    "web:verify": Public("certificate verification, the form"),
    # a number filled in by the matrix may not be a certificate number at all: 400
    "web:verify-certificate": Public("certificate verification (the QR code's target)", statuses=LOOKUP),
    "web:certificate-feed": Public("certificate status events as Atom"),
    "public-certificates": Public(
        "certificates by holder", query="?business_number=2208162517", statuses=LOOKUP
    ),
    "public-certificate": Public("certificate verification API", statuses=LOOKUP),
    "public-certificate-events": Public("certificate status events for integrators"),
    "public-listing-list": Public("the public listing API"),
    "public-listing-detail": Public("the public listing API"),
    "public-search": Public("the public search API", query="?q=LED"),
    "public-search-suggest": Public("the public autocomplete API", query="?q=LE"),
    "web:statistics": Public("public statistics of the program (counts only)"),
    "public-statistics": Public("public statistics as open data (JSON; counts only)"),
    "public-statistics-csv": Public("public statistics as open data (CSV; counts only)"),
    "reference-classifications": Public("the classification reference table for pickers", query="?q=3911"),
    "login": Public("signing in"),
    "admin:login": Public("the admin's sign-in"),
    "auth-token": Public("API clients sign in for a token", "POST", statuses=SIGN_IN),
    "set_language": Public("choosing the page language", "POST", statuses=SIGN_IN),
    "healthz": Public("load balancer health check; no data"),
    "schema": Public("the OpenAPI description of the API; no data"),
    "api-docs": Public("Swagger UI for the schema; no data"),
    # accounts (django-allauth and accounts.views): signing up, confirming an address, resetting a password,
    # following an invitation link; each shows a form or a refusal and reveals no account
    "account_login": Public("signing in (allauth's name for the same route as login)"),
    "account_signup": Public("signing up"),
    "account_inactive": Public("the page for a deactivated account; no data"),
    "account_email_verification_sent": Public("after signing up: check your mail"),
    "account_confirm_email": Public("the e-mail confirmation link (a forged key shows an error)"),
    "account_reset_password": Public("asking for a password reset link"),
    "account_reset_password_done": Public("after asking: check your mail"),
    "account_reset_password_from_key": Public("the password reset link (a forged key shows an error)"),
    "account_reset_password_from_key_done": Public("after resetting: sign in"),
    "web:shortlist-shared": Public(
        "an officer's shortlist shared by its read-only link (a made-up or revoked token 404)"
    ),
    "accounts:invitation": Public(
        "the invitation link (a forged token 400, a used or expired invitation 409)",
        statuses=frozenset({200, 400, 409}),
    ),
}
# A route with two names (allauth's name beside the older one the templates use) resolves to the first.
ALIASES = {"account_login": "login", "account_logout": "logout"}
SIGN_IN_PATHS = (settings.LOGIN_URL, "/admin/login/")


@dataclass(frozen=True)
class Route:
    name: str
    regex: str  # the whole pattern as one regular expression
    route: str  # the pattern as written, for messages


def _regex_of(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return pattern.regex.pattern.removeprefix("^").removesuffix(r"\Z")
    assert isinstance(pattern, RegexPattern), pattern
    return pattern.regex.pattern.removeprefix("^").removesuffix(r"\Z").removesuffix("$")


def _routes(patterns, prefix: str = "", namespace: str = "") -> list[Route]:
    found = []
    for entry in patterns:
        regex = prefix + _regex_of(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found.extend(_routes(entry.url_patterns, regex, inner))
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else f"(unnamed) {regex}"
            found.append(Route(name, regex, regex))
    return found


def _group_end(regex: str, start: int) -> int:
    depth = 0
    for index in range(start, len(regex)):
        if regex[index] == "\\":
            continue
        if regex[index] == "(" and (index == 0 or regex[index - 1] != "\\"):
            depth += 1
        elif regex[index] == ")" and regex[index - 1] != "\\":
            depth -= 1
            if depth == 0:
                return index
    raise ValueError(regex)


def example_url(route: Route, object_id: int) -> str:
    """A concrete path for a pattern: each named group gets the first candidate its own regex accepts
    (the object's id for ids, a format, an app label for the admin's app pages)."""
    candidates = [str(object_id), *(config.label for config in apps.get_app_configs()), "x"]
    regex = route.regex
    while (match := re.search(r"\(\?P<(\w+)>", regex)) is not None:
        end = _group_end(regex, match.start())
        inner = regex[match.end() : end]
        # DRF's format suffixes: a format it knows, or it answers 404 before any permission check
        options = ["json", ".json"] if match.group(1) == "format" else candidates
        value = next((c for c in options if re.fullmatch(inner, c)), None)
        assert value is not None, f"no example value for {match.group(1)} in {route.route}"
        regex = regex[: match.start()] + value + regex[end + 1 :]
    path = re.sub(r"\\(.)", r"\1", regex.replace("/?", "/").replace("?", ""))
    return "/" + path


def all_routes() -> list[Route]:
    return _routes(get_resolver().url_patterns)


def _refuses(response) -> bool:
    if response.status_code in (401, 403, 405):
        return True
    if response.status_code == 302:
        return urlsplit(response["Location"]).path in (*SIGN_IN_PATHS, "/admin/")
    return False


@pytest.fixture
def anonymous(world):
    return world.client()


def test_every_route_can_be_requested(world):
    """The walk itself: every pattern yields a URL that resolves back to it."""
    for route in all_routes():
        url = example_url(route, world.listing_a.pk)
        name = ALIASES.get(route.name, route.name)
        assert resolve(url).view_name == name or route.name.startswith("(unnamed)"), (route, url)


def test_public_names_exist():
    names = {route.name for route in all_routes()}
    assert set(PUBLIC_URL_NAMES) - names == set(), "PUBLIC_URL_NAMES lists routes that do not exist"


def test_anonymous_row_over_every_url(world, anonymous):
    wrong = []
    routes = all_routes()
    assert len(routes) > 60, "the walk found too few routes"
    for route in routes:
        url = example_url(route, world.listing_a.pk)
        get, post = anonymous.get(url), anonymous.post(url, {})
        if route.name in PUBLIC_URL_NAMES:
            public = PUBLIC_URL_NAMES[route.name]
            response = anonymous.get(url + public.query) if public.method == "GET" else post
            if response.status_code not in public.statuses:
                wrong.append(f"public {route.name} {public.method} {url} → {response.status_code}")
        elif not (_refuses(get) and _refuses(post)) or {get.status_code, post.status_code} == {405}:
            wrong.append(f"private {route.name} {url} → GET {get.status_code}, POST {post.status_code}")
    assert not wrong, "anonymous answers that break the matrix:\n" + "\n".join(wrong)


def test_the_check_catches_an_open_url(world, anonymous):
    """The matrix would see a private page that forgot its sign-in check."""
    response = anonymous.get(f"/products/{world.listing_a.pk}/")
    assert response.status_code == 200
    assert not _refuses(response)
