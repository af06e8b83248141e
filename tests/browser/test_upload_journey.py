"""A supplier's bulk upload in a real browser: download the template from the listings page, fill it,
upload a file with errors, read the per-row report, fix the rows, upload again, commit, and see the new
listings with their Nara readiness."""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from catalog.models import ProductListing
from catalog.uploads.columns import KEYS
from certification.models import Certificate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _fill(template: bytes, rows: list[dict]) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]
    for number, row in enumerate(rows, start=3):
        for index, key in enumerate(KEYS, start=1):
            if row.get(key) is not None:
                sheet.cell(number, index, row[key])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_supplier_uploads_fixes_and_commits(web, catalog, tmp_path):
    certificate = Certificate.objects.get(supplier=catalog.company_a)
    before = ProductListing.objects.count()
    web.login("supplier-a")
    page = web.page
    page.goto("/supplier/listings/")
    page.get_by_role("link", name="일괄 등록 (Excel·CSV)").click()
    page.get_by_role("heading", level=1, name="제품 일괄 등록").wait_for()
    with page.expect_download() as download:
        page.locator("#template-xlsx").click()
    template = download.value.path().read_bytes()

    def row(code: str, **overrides) -> dict:
        values = {
            "supplier_product_code": code,
            "certificate_number": certificate.number,
            "name": f"LED 가로등 {code}",
            "specification": f"SL-{code}, 150W",
            "manufacturer": "가나조명",
            "unit": "EA",
            "unit_price": 350000,
            "delivery_regions": "11;41",
        }
        values.update(overrides)
        return values

    broken = tmp_path / "products.xlsx"
    broken.write_bytes(_fill(template, [row("SL-1"), row("SL-2", unit_price=0), row("SL-3", name=None)]))
    page.get_by_label("작성한 양식 파일").set_input_files(str(broken))
    page.get_by_role("button", name="올리고 검사하기").click()
    report = page.locator("#row-issues")
    report.wait_for()
    expect(report).to_contain_text("non_positive")
    expect(report).to_contain_text("missing_field")
    assert report.locator("tbody tr").count() == 2
    assert report.locator("tbody tr td:first-child").all_inner_texts() == ["4", "5"]
    expect(page.locator("[data-count=invalid]")).to_have_text("2")
    expect(page.locator("#report-download")).to_be_visible()
    web.shot("upload-report-with-errors")
    assert ProductListing.objects.count() == before  # a dry run

    page.get_by_role("link", name="고친 파일 다시 올리기").click()
    fixed = tmp_path / "products-fixed.xlsx"
    fixed.write_bytes(_fill(template, [row("SL-1"), row("SL-2", unit_price=330000), row("SL-3")]))
    page.get_by_label("작성한 양식 파일").set_input_files(str(fixed))
    page.get_by_role("button", name="올리고 검사하기").click()
    expect(page.locator("#no-issues")).to_be_visible()
    expect(page.locator("[data-count=create]")).to_have_text("3")
    page.locator("#commit-upload").click()
    expect(page.locator("#upload-status")).to_have_text("반영 완료")
    web.shot("upload-committed")
    assert ProductListing.objects.count() == before + 3

    page.goto("/supplier/listings/")
    for code in ("SL-1", "SL-2", "SL-3"):
        listing_row = page.locator("tr", has_text=f"LED 가로등 {code}")
        expect(listing_row.locator(".readiness")).to_contain_text("피드 검사 통과")
    assert not web.errors, web.errors
