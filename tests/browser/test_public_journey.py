"""An anonymous visitor in a real browser: the public catalog without an account, the certificate behind a
product verified by its page and by its document's QR code, and a product that leaves the catalog."""

import re
from urllib.parse import urlsplit

import pytest

from certification import services as registry
from certification.document import certificate_document
from certification.models import Certificate
from tests.documents import qr_texts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_anonymous_visitor_searches_opens_a_product_and_sees_it_go(web, catalog):
    page = web.page
    page.goto("/")
    assert page.url.endswith("/search/")
    assert page.get_by_role("link", name="로그인").count() == 1
    box = page.get_by_role("combobox", name="검색어")
    box.fill("조명")
    # autocomplete answers anonymous visitors too (the public suggest API)
    suggestions = page.get_by_role("listbox")
    suggestions.wait_for(state="visible")
    assert any("조명" in text for text in suggestions.get_by_role("option").all_inner_texts())
    box.press("Escape")
    box.press("Enter")
    page.wait_for_url(re.compile(r".*q=%EC%A1%B0%EB%AA%85.*"))
    web.shot("public-search-results")

    page.get_by_role("link", name=re.compile("LED 평판조명")).first.click()
    page.get_by_role("heading", level=1, name="LED 평판조명").wait_for()
    certificate = Certificate.objects.get(listings__name="LED 평판조명")
    assert page.get_by_text(certificate.number).count() == 1
    assert page.get_by_text("가나조명").count() >= 1
    assert page.get_by_text("대표자").count() == 0  # a company's people are not public
    web.shot("public-product")
    product_url = page.url

    # the certificate number opens its verification page: valid today
    page.get_by_role("link", name=certificate.number).click()
    page.wait_for_url(re.compile(rf".*/verify/{certificate.number}/"))
    assert page.locator('[data-status="active"]').count() >= 1
    web.shot("public-verification")

    # the holder's certificate document: its QR code is the same page's address
    (scanned,) = qr_texts(certificate_document(certificate))
    assert urlsplit(scanned).path == f"/verify/{certificate.number}/"
    page.goto(urlsplit(scanned).path)
    assert page.locator('[data-status="active"]').count() >= 1

    registry.revoke_certificate(catalog.reviewer, certificate_id=certificate.pk, reason="부정 인증")
    response = page.goto(product_url)
    assert response.status == 410
    assert page.get_by_text("인증 취소").count() >= 1
    web.shot("public-product-gone")
    page.goto(urlsplit(scanned).path)
    assert page.locator('[data-status="revoked"]').count() >= 1
    web.shot("public-verification-revoked")
    page.goto(product_url)

    page.get_by_role("link", name="로그인").click()
    page.wait_for_url(re.compile(r".*/accounts/login/.*"))
    # the browser logs the 410 it was shown on purpose; anything else is a fault
    assert [error for error in web.errors if "410" not in error] == []
