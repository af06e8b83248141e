"""A procurement officer in a real browser: search, tick two results "비교에 추가", compare them side by
side (the selection in the URL), open a product's print page with its QR, and download the results as
Excel and CSV, which hold exactly what the search page showed."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_officer_searches_compares_prints_and_exports(session_factory, catalog, settings):
    web = session_factory()
    web.login("officer")
    page = web.page
    page.goto("/search/?q=조명&sort=price_asc")
    cards = page.locator("li.card")
    expect(cards.first).to_be_visible()
    names = [name.strip() for name in cards.locator("h3").all_inner_texts()]
    assert len(names) >= 3

    # tick two results and compare them
    cards.nth(0).get_by_label("비교에 추가").check()
    cards.nth(1).get_by_label("비교에 추가").check()
    web.shot("officer-search-compare-ticked")
    page.get_by_role("button", name=re.compile("선택한 제품 비교")).click()
    page.wait_for_url(re.compile(r"/compare/\?ids="))
    expect(page.get_by_role("heading", level=1, name="제품 비교")).to_be_visible()
    headers = page.locator("table.compare-table thead th")
    expect(headers).to_have_count(2)
    assert [text.split("\n")[0].strip() for text in headers.all_inner_texts()] == names[:2]
    expect(page.get_by_role("rowheader", name="인증 유효기간")).to_be_visible()
    web.shot("officer-compare")
    compare_url = page.url

    # the link is the comparison: an anonymous colleague opens the same table
    colleague = session_factory(PHONE)
    colleague.page.goto(compare_url)
    expect(colleague.page.locator("table.compare-table thead th")).to_have_count(2)
    colleague.shot("public-compare-phone")

    # a product's print page carries the certificate number and the verification QR
    page.get_by_role("link", name=names[0]).first.click()
    page.get_by_role("link", name="인쇄용 보기").click()
    page.wait_for_url(re.compile(r"/products/\d+/print/$"))
    expect(page.locator("#certificate-number")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("인증 진위 확인 QR 코드"))).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="인쇄")).to_be_hidden()
    web.shot("officer-product-print")
    page.emulate_media(media="screen")

    # download the results as the page shows them
    page.goto("/search/?q=조명&sort=price_asc")
    with page.expect_download() as info:
        page.locator("#export-xlsx").click()
    assert info.value.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(info.value.path().read_bytes()), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("제품명", "규격", "단위")
    assert [row[0] for row in rows[1:]] == names
    with page.expect_download() as info:
        page.locator("#export-csv").click()
    data = info.value.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert [row[0] for row in list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1:]] == names
    assert not web.errors, web.errors
    assert not colleague.errors, colleague.errors
