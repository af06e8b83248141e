"""Officers export search results: the file holds exactly the page's results (same search, same order,
same count) for a query with filters, in CSV (UTF-8 with BOM) and XLSX, with Korean labels (English when
the page is in English), formulas neutralised; past the inline bound a job makes the file for the officer
who asked only; past the export limit a clear refusal."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from catalog.generator.bulk import load_catalog
from certification.roles import Role
from core.jobs import JobStatus
from search.backends import get_backend
from search.exports.columns import RESULT_COLUMNS
from search.exports.models import ResultExport
from tests.factories import make_listing, make_user
from tests.web.conftest import WebWorld

HIT = re.compile(r'id="hit-(\d+)"')
PRODUCT_URL = re.compile(r"/products/(\d+)/$")
# realistic products (catalog.generator) and a query with filters over them: text, a sector, a price cap
QUERY = "?q=시스템&sector=goods"
SORTED_QUERY = "?sector=goods&sort=price_desc"


class CatalogWorld(WebWorld):
    def __init__(self) -> None:
        super().__init__()
        load_catalog(size=160, seed=21)
        get_backend().rebuild()


@pytest.fixture
def world(db, media_in_tmp, settings) -> CatalogWorld:
    settings.SEARCH_BACKEND = "database"
    settings.SITE_BASE_URL = "https://sangsaeng.example.kr"
    return CatalogWorld()


def page_ids(client, query: str) -> tuple[list[int], int]:
    """The product ids the search page shows, page after page, in order; and the total it reports."""
    ids: list[int] = []
    page = 1
    while True:
        response = client.get(f"/search/{query}&page={page}")
        assert response.status_code == 200
        html = response.content.decode()
        found = [int(pk) for pk in HIT.findall(html)]
        ids += found
        if 'rel="next"' not in html:
            return ids, len(ids)
        page += 1


def csv_rows(response) -> list[list[str]]:
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf"), "Excel reads Korean CSV only with the BOM"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.getvalue()), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def ids_of(rows: list[list]) -> list[int]:
    return [int(PRODUCT_URL.search(row[-1]).group(1)) for row in rows[1:]]


@pytest.mark.parametrize("query", [QUERY, SORTED_QUERY])
@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_file_holds_the_pages_results_in_the_pages_order(world, query, export_format):
    client = world.client(world.officer)
    shown, count = page_ids(client, query)
    assert count > 20, "the query must span several pages to prove the order across them"
    response = client.get(f"/search/export.{export_format}{query}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = csv_rows(response) if export_format == "csv" else xlsx_rows(response)
    assert ids_of(rows) == shown
    assert response["X-Result-Rows"] == str(count)


def test_columns_carry_korean_labels_and_the_values_officers_paste(world):
    listing = world.listing_a
    response = world.client(world.officer).get(f"/search/export.csv?q={listing.certificate.number}")
    header, row = csv_rows(response)[:2]
    assert header == [column.korean for column in RESULT_COLUMNS]
    assert header[:3] == ["제품명", "규격", "단위"]
    values = dict(zip([column.key for column in RESULT_COLUMNS], row, strict=True))
    assert values["name"] == listing.name
    assert values["unit_price"] == str(listing.unit_price)
    assert values["supplier_name"] == "가나조명㈜"
    assert values["supplier_business_number"] == listing.supplier.business_number_display
    assert values["partner_name"] == "대한전자"
    assert values["delivery_regions"] == "서울특별시, 경기도"
    certificate = listing.certificate
    assert values["certificate_validity"] == f"{certificate.issued_on} ~ {certificate.expires_on}"
    assert values["product_url"] == f"https://sangsaeng.example.kr/products/{listing.pk}/"


def test_english_pages_export_english_labels(world):
    client = world.client(world.officer, headers={"accept-language": "en-US,en;q=0.9"})
    response = client.get("/search/export.xlsx?q=LED")
    header = xlsx_rows(response)[0]
    assert header == [column.english for column in RESULT_COLUMNS]
    sheet = load_workbook(io.BytesIO(response.content), read_only=True)
    assert sheet.sheetnames == ["Search results"]


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_cells_a_spreadsheet_would_evaluate_are_neutralised(world, export_format):
    make_listing(
        world.supplier_a,
        world.cert_a,
        name='=HYPERLINK("http://evil.example","주입시험")',
        specification="+82-2-123 @규격 -5V",
    )
    world.reindex()
    query = f"?supplier={world.company_a.pk}&sort=newest"
    response = world.client(world.officer).get(f"/search/export.{export_format}{query}")
    rows = csv_rows(response) if export_format == "csv" else xlsx_rows(response)
    assert len(rows) == 3
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example","주입시험")'
    assert rows[1][1] == "'+82-2-123 @규격 -5V"
    assert rows[2][0] == world.listing_a.name


def test_past_the_inline_bound_a_job_makes_the_file_for_its_officer_only(world, settings):
    settings.SEARCH_EXPORT_INLINE_ROWS = 10
    client = world.client(world.officer)
    shown, count = page_ids(client, SORTED_QUERY)
    offer = client.get(f"/search/export.xlsx{SORTED_QUERY}")
    assert offer.status_code == 200
    html = offer.content.decode()
    assert 'id="export-offer"' in html and f"{count:,}건" in html
    assert not ResultExport.objects.exists(), "a GET only offers the job"

    started = client.post(f"/search/export.xlsx{SORTED_QUERY}")
    job = ResultExport.objects.get()
    assert started.status_code == 302 and started["Location"] == f"/search/exports/{job.pk}/"
    # Celery runs eagerly without a broker: the job has finished by now
    assert job.status == JobStatus.SUCCEEDED and job.row_count == count
    assert job.created_by == world.officer
    page = client.get(f"/search/exports/{job.pk}/").content.decode()
    assert f"/search/exports/{job.pk}/download/" in page
    download = client.get(f"/search/exports/{job.pk}/download/")
    assert ids_of(xlsx_rows(download)) == shown

    progress = client.get(f"/search/exports/{job.pk}/progress/").json()
    assert progress["finished"] and progress["percent"] == 100

    another = make_user(Role.OFFICER, username="officer-2")
    for path in ("", "download/", "progress/"):
        assert world.client(another).get(f"/search/exports/{job.pk}/{path}").status_code == 404
    assert world.client().get(f"/search/exports/{job.pk}/download/").status_code == 302


def test_past_the_export_limit_the_officer_is_told_to_narrow_the_search(world, settings):
    settings.SEARCH_EXPORT_INLINE_ROWS = 5
    settings.SEARCH_EXPORT_MAX_ROWS = 10
    client = world.client(world.officer)
    for method in (client.get, client.post):
        response = method(f"/search/export.csv{SORTED_QUERY}")
        assert response.status_code == 400
        html = response.content.decode()
        assert "내보내기 한도 10건을 넘습니다" in html and "필터로 범위를 좁혀 주세요" in html
    assert not ResultExport.objects.exists()


def test_who_may_export(world):
    assert world.client().get("/search/export.csv?q=LED")["Location"].startswith("/accounts/login/")
    assert world.client(world.supplier_a).get("/search/export.csv?q=LED").status_code == 403
    assert world.client(world.reviewer).get("/search/export.csv?q=LED").status_code == 200
    assert world.client(world.admin).get("/search/export.csv?q=LED").status_code == 200
    assert world.client(world.officer).get("/search/export.pdf?q=LED").status_code == 404


def test_the_search_page_links_the_export_with_its_query_for_officers_only(world):
    html = world.client(world.officer).get(f"/search/{SORTED_QUERY}&page=2").content.decode()
    assert 'href="/search/export.xlsx?sector=goods&amp;sort=price_desc"' in html
    assert 'href="/search/export.csv?sector=goods&amp;sort=price_desc"' in html
    anonymous = world.client().get(f"/search/{SORTED_QUERY}").content.decode()
    assert "/search/export." not in anonymous


def test_export_queries_do_not_grow_with_the_rows(world):
    """Rows are read a search page (100 hits) at a time: one listing query and one regions query each."""
    client = world.client(world.officer)
    few_query, many_query = "?q=의자&sort=price_asc", "?q=시스템&sort=price_asc"
    for query in (few_query, many_query):  # the backend's per-process caches (its vocabulary) warmed
        client.get(f"/search/export.csv{query}")

    captured_many = []

    def queries(query: str) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/search/export.csv{query}")
        captured_many[:] = captured.captured_queries
        return len(captured), len(csv_rows(response)) - 1

    few, few_rows = queries(few_query)
    many, many_rows = queries(many_query)
    assert 0 < few_rows < many_rows <= 100
    assert many == few, [query["sql"][:150] for query in captured_many]
