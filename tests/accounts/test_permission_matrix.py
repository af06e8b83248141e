"""The account pages × who asks: company administrators, members, another company's administrator, an
officer waiting for approval, a user without a company, an approved officer and a site administrator.
Another company's member is a 404 (never confirmed to exist); anonymous callers go to the sign-in page.
Each request runs in a savepoint that is rolled back, so every role meets the same state."""

import pytest
from django.db import transaction

from accounts import services

WHO = (
    "anonymous",
    "company_admin",
    "member",
    "other_admin",
    "pending_officer",
    "newcomer",
    "officer",
    "admin",
)
LOGIN = 302  # anonymous: to the sign-in page


def _users(world) -> dict:
    return {
        "anonymous": None,
        "company_admin": world.supplier_a,
        "member": world.member_a,
        "other_admin": world.supplier_b,
        "pending_officer": world.pending_officer,
        "newcomer": world.newcomer,
        "officer": world.officer,
        "admin": world.admin,
    }


# (method, path (may use {member}, {invitation}, {request}), data, expected in WHO order)
TABLE = [
    ("GET", "/accounts/profile/", None, (LOGIN, 200, 200, 200, 200, 200, 200, 200)),
    # a member already has a company: the page sends them to its members
    ("GET", "/accounts/company/register/", None, (LOGIN, 302, 302, 302, 200, 200, 200, 200)),
    ("GET", "/accounts/company/members/", None, (LOGIN, 200, 200, 200, 403, 403, 403, 403)),
    # inviting to one's own company: administrators only
    (
        "POST",
        "/accounts/company/members/",
        {"email": "new@example.kr", "role": "member"},
        (LOGIN, 302, 403, 302, 403, 403, 403, 403),
    ),
    (
        "POST",
        "/accounts/company/members/{member}/role/",
        {"role": "administrator"},
        (LOGIN, 302, 403, 404, 403, 403, 403, 403),
    ),
    ("POST", "/accounts/company/members/{member}/remove/", {}, (LOGIN, 302, 403, 404, 403, 403, 403, 403)),
    (
        "POST",
        "/accounts/company/invitations/{invitation}/revoke/",
        {},
        (LOGIN, 302, 403, 404, 403, 403, 403, 403),
    ),
    ("GET", "/accounts/officers/", None, (LOGIN, 403, 403, 403, 403, 403, 403, 200)),
    ("POST", "/accounts/officers/{request}/approve/", {}, (LOGIN, 403, 403, 403, 403, 403, 403, 302)),
    ("GET", "/accounts/password/change/", None, (LOGIN, 200, 200, 200, 200, 200, 200, 200)),
    # allauth's own e-mail page, in the site's layout (templates/allauth/layouts/)
    ("GET", "/accounts/email/", None, (LOGIN, 200, 200, 200, 200, 200, 200, 200)),
]


@pytest.mark.parametrize(("method", "path", "data", "expected"), TABLE, ids=[f"{r[0]} {r[1]}" for r in TABLE])
def test_account_pages_matrix(world, method, path, data, expected):
    invitation = services.invite_member(world.supplier_a, company=world.company_a, email="pending@example.kr")
    url = path.format(
        member=world.membership(world.member_a).pk, invitation=invitation.pk, request=world.officer_request.pk
    )
    wrong = []
    for who, status in zip(WHO, expected, strict=True):
        client = world.client(_users(world)[who])
        with transaction.atomic():
            response = client.get(url) if method == "GET" else client.post(url, data)
            transaction.set_rollback(True)
        if response.status_code != status:
            wrong.append(f"{who}: {response.status_code} (expected {status})")
        if who == "anonymous":
            assert response["Location"].startswith("/accounts/login/?next="), response["Location"]
    assert not wrong, f"{method} {url}: " + ", ".join(wrong)
