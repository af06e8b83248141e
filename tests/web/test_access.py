"""Every page × every role: who gets the page, who is sent to log in, who is refused, who sees a 404."""

import pytest

# partner_member: a user of the partner company that supplier A's application names
ROLES = ("anonymous", "officer", "supplier_a", "reviewer", "admin", "partner_member")


def urls(world) -> dict[str, str]:
    return {
        "search": "/search/",
        "product": f"/products/{world.listing_a.pk}/",
        "supplier_dashboard": "/supplier/",
        "application_new": "/supplier/applications/new/",
        "application_detail": f"/supplier/applications/{world.draft_a.pk}/",
        "application_edit": f"/supplier/applications/{world.draft_a.pk}/edit/",
        "listings": "/supplier/listings/",
        "listing_new": f"/supplier/listings/new/?certificate={world.cert_a.pk}",
        "listing_edit": f"/supplier/listings/{world.listing_a.pk}/edit/",
        "review_queue": "/review/",
        "review_application": f"/review/applications/{world.draft_a.pk}/",
        "certificates": "/review/certificates/",
        "certificate_detail": f"/review/certificates/{world.cert_a.pk}/",
        "exports": "/exports/",
        "partner_requests": "/partner/",
        "partner_request": f"/partner/requests/{world.draft_a.pk}/",
    }


# expected status per page for each signed-in role (anonymous goes to the login page, except for the
# public catalog's pages, which it reads: PUBLIC_PAGES)
PUBLIC_PAGES = {"search", "product"}
EXPECTED = {
    # the partner member is a supplier of its own company: A's records are not found for it there, and it
    # reads A's application (not its evidence) on the partner's pages
    #                       officer supplier_a reviewer admin partner_member
    "search": (200, 200, 200, 200, 200),
    "product": (200, 200, 200, 200, 200),
    "supplier_dashboard": (403, 200, 403, 403, 200),
    "application_new": (403, 200, 403, 403, 200),
    "application_detail": (403, 200, 403, 403, 404),
    "application_edit": (403, 200, 403, 403, 404),
    "listings": (403, 200, 403, 403, 200),
    "listing_new": (403, 200, 403, 403, 404),
    "listing_edit": (403, 200, 403, 403, 404),
    "review_queue": (403, 403, 200, 200, 403),
    "review_application": (403, 403, 200, 200, 403),
    "certificates": (403, 403, 200, 200, 403),
    "certificate_detail": (403, 403, 200, 200, 403),
    "exports": (403, 403, 403, 200, 403),
    # any member of a company has the partner's pages; a user of no company has none
    "partner_requests": (403, 200, 403, 403, 200),
    "partner_request": (403, 404, 403, 403, 200),
}


@pytest.mark.parametrize("page", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_page_access(world, page, role):
    url = urls(world)[page]
    response = world.client(world.user(role)).get(url)
    if role == "anonymous" and page in PUBLIC_PAGES:
        assert response.status_code == 200
        return
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
        return
    expected = EXPECTED[page][ROLES.index(role) - 1]
    assert response.status_code == expected, (page, role, response.status_code)


@pytest.mark.parametrize(
    "path",
    [
        "/supplier/applications/{b}/",
        "/supplier/applications/{b}/edit/",
        "/supplier/listings/{listing_b}/edit/",
        "/supplier/listings/new/?certificate={cert_b}",
    ],
)
def test_supplier_never_sees_another_company(world, path):
    url = path.format(b=world.draft_b.pk, listing_b=world.listing_b.pk, cert_b=world.cert_b.pk)
    assert world.client(world.supplier_a).get(url).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/supplier/applications/{b}/submit/",
        "/supplier/applications/{b}/withdraw/",
        "/supplier/applications/{b}/evidence/",
        "/supplier/listings/{listing_b}/publish/",
        "/supplier/listings/{listing_b}/delete/",
    ],
)
def test_supplier_cannot_act_on_another_company(world, path):
    url = path.format(b=world.draft_b.pk, listing_b=world.listing_b.pk)
    assert world.client(world.supplier_a).post(url).status_code == 404
    world.draft_b.refresh_from_db()
    assert world.draft_b.status == "draft"


def test_other_companys_evidence_is_not_found(world):
    document = world.draft_b.documents.get()
    assert world.client(world.supplier_a).get(f"/documents/{document.pk}/").status_code == 404
    assert world.client(world.officer).get(f"/documents/{document.pk}/").status_code == 404
    response = world.client(world.supplier_b).get(f"/documents/{document.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert world.client(world.reviewer).get(f"/documents/{document.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("role", "visible", "hidden"),
    [
        ("officer", ["/search/"], ["/supplier/", "/review/", "/exports/"]),
        ("supplier_a", ["/search/", "/supplier/", "/supplier/listings/"], ["/review/", "/exports/"]),
        ("reviewer", ["/search/", "/review/", "/review/certificates/"], ["/supplier/", "/exports/"]),
        ("admin", ["/search/", "/review/", "/exports/"], ["/supplier/"]),
    ],
)
def test_navigation_follows_the_role(world, role, visible, hidden):
    html = world.client(world.user(role)).get("/search/").content.decode()
    nav = html[html.index('id="site-nav"') : html.index("</nav>", html.index('id="site-nav"'))]
    for url in visible:
        assert f'href="{url}"' in nav
    for url in hidden:
        assert f'href="{url}"' not in nav


@pytest.mark.parametrize(
    ("role", "start"),
    [("officer", "/search/"), ("supplier_a", "/supplier/"), ("reviewer", "/review/"), ("admin", "/review/")],
)
def test_home_sends_each_role_to_its_start_page(world, role, start):
    response = world.client(world.user(role)).get("/")
    assert response.status_code == 302
    assert response["Location"] == start


def test_home_sends_anonymous_to_the_public_catalog(world):
    response = world.client().get("/")
    assert response["Location"] == "/search/"


def test_login_page_and_sign_in(world):
    client = world.client()
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    response = client.post("/accounts/login/", {"username": "officer", "password": "pw-for-tests-123"})
    assert response.status_code == 302
    assert client.get("/search/").status_code == 200


def test_wrong_password_shows_a_korean_error(world):
    response = world.client().post("/accounts/login/", {"username": "officer", "password": "nope"})
    assert response.status_code == 200
    assert "아이디 또는 비밀번호가 맞지 않습니다" in response.content.decode()


def test_logout_is_a_post(world):
    client = world.client(world.officer)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/supplier/").status_code == 302
    # signed out, the search page is the public one again: a sign-in link, no user name
    html = client.get("/search/").content.decode()
    assert "로그인" in html and "officer" not in html


@pytest.mark.parametrize("path", ["/search/", "/accounts/login/", "/supplier/", "/review/", "/exports/"])
def test_pages_send_a_content_security_policy(world, path):
    user = {"/supplier/": world.supplier_a, "/review/": world.reviewer, "/exports/": world.admin}.get(path)
    user = user or (world.officer if path == "/search/" else None)
    response = world.client(user).get(path)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_the_api_keeps_its_own_headers(world):
    response = world.client(world.officer).get("/api/v1/listings/")
    assert "Content-Security-Policy" not in response


@pytest.mark.parametrize(
    ("user", "path"),
    [
        ("supplier_a", "/supplier/applications/new/"),
        ("reviewer", "/review/applications/{draft}/start/"),
        ("admin", "/exports/"),
        ("officer", "/accounts/logout/"),
    ],
)
def test_forms_need_the_csrf_token(world, user, path):
    client = world.client(world.user(user), enforce_csrf_checks=True)
    response = client.post(path.format(draft=world.draft_a.pk), {})
    assert response.status_code == 403


def test_pages_without_inline_scripts_or_styles(world):
    html = world.client(world.officer).get("/search/?q=LED").content.decode()
    assert "<script>" not in html
    assert " style=" not in html
    assert "<style" not in html


def test_only_the_most_specific_navigation_entry_is_current(world):
    html = world.client(world.supplier_a).get("/supplier/applications/new/").content.decode()
    assert html.count('aria-current="page"') == 1
    assert 'href="/supplier/applications/new/" aria-current="page"' in html
