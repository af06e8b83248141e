"""Every page a journey visits passes an automated accessibility check (axe-core, through the PyPI
package axe-playwright-python, which bundles it): no serious or critical violation, as each role, in
both languages, on a desktop and on a phone 375 px wide, where nothing scrolls sideways. Each page is
photographed in each language and size under test-output/screenshots/ (issue 21)."""

import re

import pytest
from django.urls import reverse

from catalog.models import ProductListing
from certification.models import Certificate
from tests.browser.conftest import DESKTOP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE_375 = {"width": 375, "height": 812}
BLOCKING = ("serious", "critical")
LANGUAGES = ("ko", "en")


def _journeys(catalog) -> dict[str, list[str]]:
    """The pages each role's journey visits (anonymous: the public catalog and verification)."""
    listing = ProductListing.objects.filter(supplier=catalog.company_a).order_by("pk").first()
    certificate = Certificate.objects.get(supplier=catalog.company_a)
    return {
        "anonymous": [
            "/search/",
            "/search/?q=조명",
            f"/products/{listing.pk}/",
            "/verify/",
            f"/verify/{certificate.number}/",
            "/accounts/login/",
        ],
        "officer": [
            "/search/?q=LED",
            "/search/?q=조명&page=99",
            f"/products/{listing.pk}/",
            "/notifications/",
        ],
        "supplier_a": [
            "/supplier/",
            "/supplier/listings/",
            "/supplier/listings/new/",
            f"/supplier/listings/new/?certificate={certificate.pk}",
            f"/supplier/listings/{listing.pk}/edit/",
            "/supplier/applications/new/",
            "/supplier/listings/upload/",
        ],
        "reviewer": ["/review/", "/review/certificates/", f"/review/certificates/{certificate.pk}/"],
        "admin": ["/exports/", "/review/"],
        "partner_member": ["/partner/"],
    }


def _slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


def _blocking(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']}"
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING
        for node in violation["nodes"]
    ]


def _signed_in(session_factory, catalog, role: str, viewport, language: str):
    session = session_factory(viewport)
    if role != "anonymous":
        session.login(getattr(catalog, role).username)
    # the language switch's cookie: the same as choosing English in the header
    session.context.add_cookies([{"name": "django_language", "value": language, "url": session.base_url}])
    return session


@pytest.mark.parametrize(
    "role", ["anonymous", "officer", "supplier_a", "reviewer", "admin", "partner_member"]
)
def test_every_page_passes_axe_and_fits_a_phone(session_factory, catalog, role):
    paths = _journeys(catalog)[role]
    problems: list[str] = []
    for language in LANGUAGES:
        for size, viewport in (("desktop", DESKTOP), ("phone", PHONE_375)):
            session = _signed_in(session_factory, catalog, role, viewport, language)
            page = session.page
            for path in paths:
                response = page.goto(path)
                assert response.status == 200, (role, path, response.status)
                assert page.locator("html").get_attribute("lang") == language
                name = f"a11y-{role}-{_slug(path)}-{language}-{size}"
                session.shot(name)
                if size == "desktop":
                    problems += [f"{language} {path}: {problem}" for problem in _blocking(page)]
                else:
                    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
                    if width[0] > width[1]:
                        problems.append(f"{language} {path}: {width[0]} px wide on a {width[1]} px phone")
            assert session.errors == [], session.errors
    assert problems == [], "\n".join(problems)


def test_keyboard_reaches_the_skip_link_first_and_sees_focus(web, catalog):
    page = web.page
    page.goto("/search/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "skip-link" in focused
    # the focused link is shown on screen (it slides in) with a visible outline
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    # every form control on the page has a label (axe checks it too; this names the rule)
    unlabelled = page.evaluate(
        """[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
           .filter(el => !el.labels?.length && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
           .map(el => el.name || el.id)"""
    )
    assert unlabelled == []


def test_the_classification_picker_searches_the_reference_table_as_you_type(web, catalog):
    web.login(catalog.supplier_a.username)
    page = web.page
    page.goto(reverse("web:application-create"))
    box = page.get_by_role("combobox", name=re.compile("분류번호"))
    box.fill("LED")
    options = page.get_by_role("listbox", name="분류번호 목록").get_by_role("option")
    options.first.wait_for()
    assert all("LED" in text for text in options.all_inner_texts())
    box.press("ArrowDown")
    box.press("Enter")
    assert re.fullmatch(r"\d{8}|\d{10}", box.input_value())
    # by number too
    box.fill("3911")
    page.wait_for_function(
        """() => { const items = [...document.querySelectorAll('[role=listbox] [role=option]')];
                   return items.length && items.every(item => item.textContent.startsWith('3911')); }"""
    )
    web.shot("classification-picker")
    assert web.errors == []
