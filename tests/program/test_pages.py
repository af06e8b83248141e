"""The program pages: who may open them, the CSV of each figure, the zero-result → synonym flow, and the
public statistics (page and open data)."""

import csv
import io

import pytest
from django.conf import settings

from program.tables import program_tables
from search import sync
from search.backends import get_backend
from search.backends.base import SearchQuery
from search.models import Synonym
from tests.worlds import api_client, page_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("program_staff", 200), ("officer", 403), ("supplier_a", 403), ("reviewer", 403)],
)
def test_who_may_open_the_program_pages(world, role, status):
    client = page_client(getattr(world, role))
    for path in ("/program/", "/program/search/", "/program/data/funnel.csv"):
        assert client.get(path).status_code == status, path


def test_anonymous_visitors_are_sent_to_sign_in(world):
    for path in ("/program/", "/program/search/", "/program/data/active.csv"):
        response = page_client().get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_dashboard_shows_every_figure_with_its_table_and_csv(world):
    html = page_client(world.program_staff).get("/program/").content.decode()
    for table in program_tables():
        assert f'id="fig-{table.key}-data"' in html
        assert f"/program/data/{table.key}.csv" in html or not table.rows
    assert "vendor/chart.umd.min.js" in html and "cdn" not in html.lower()
    assert world.cert_b.number in html  # the certificate expiring soonest, with its renewal drafted


def test_each_csv_holds_the_numbers_of_its_table(world):
    client = page_client(world.admin)
    for table in program_tables():
        response = client.get(f"/program/data/{table.key}.csv")
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0] == [str(column) for column in table.columns]
        assert rows[1:] == [["" if cell is None else str(cell) for cell in row] for row in table.rows]
    assert client.get("/program/data/nothing.csv").status_code == 404


def test_english_under_the_switch(world):
    client = page_client(world.admin)
    client.post("/i18n/setlang/", {"language": "en", "next": "/program/"})
    html = client.get("/program/").content.decode()
    assert '<html lang="en">' in html
    assert "Program overview" in html and "Call funnel" in html


def test_a_zero_result_query_becomes_a_synonym_in_two_clicks(world, settings):
    settings.SEARCH_BACKEND = "database"
    settings.SEARCH_SYNC_ON_COMMIT = False
    backend = get_backend()
    backend.ensure()
    assert sync.drain().ok
    assert backend.search(SearchQuery(text="빛판등")).total == 0
    client = page_client(world.admin)
    api_client(world.officer).get("/api/v1/search/", {"q": "빛판등"})  # logged with no result
    page = client.get("/program/search/").content.decode()
    assert "빛판등" in page and 'name="means"' in page
    response = client.post("/program/search/synonyms/", {"query": "빛판등", "means": "LED"})
    assert response.status_code == 302
    synonym = Synonym.objects.latest("pk")
    assert synonym.variant_list() == ["빛판등", "LED"] and synonym.is_active
    assert backend.search(SearchQuery(text="빛판등")).total == len(world.listings_a)


def test_the_synonym_form_refuses_bad_input_and_non_admins(world):
    before = Synonym.objects.count()
    client = page_client(world.admin)
    for means in ("", "빛판등", " , "):
        response = client.post("/program/search/synonyms/", {"query": "빛판등", "means": means})
        assert response.status_code == 400, means
        assert "입력 내용을 확인하세요" in response.content.decode()
    staff = page_client(world.program_staff)
    assert 'name="means"' not in staff.get("/program/search/").content.decode()
    assert staff.post("/program/search/synonyms/", {"query": "빛판등", "means": "LED"}).status_code == 403
    assert (
        page_client(world.officer).post("/program/search/synonyms/", {"query": "x", "means": "y"}).status_code
        == 403
    )
    assert Synonym.objects.count() == before


def test_search_insight_lists_top_and_zero_result_queries_of_the_period(world):
    html = page_client(world.program_staff).get("/program/search/").content.decode()
    assert "씨씨티비" in html and "LED" in html
    assert "옛날검색" not in html  # older than the period shown


def test_public_statistics_page_and_open_data(world):
    page = page_client().get("/statistics/")
    assert page.status_code == 200 and "public" in page["Cache-Control"]
    assert 'id="fig-public-data"' in page.content.decode()
    client = api_client()
    response = client.get("/api/v1/public/statistics/")
    assert response.status_code == 200 and response["Cache-Control"] == "public, max-age=3600"
    body = response.json()
    assert set(body) == {"as_of", "sectors", "years"}
    assert set(body["years"][-1]) == {"year", "as_of", "active_products", "total", "certified_companies"}
    assert body["years"][-1]["total"] == 2
    etag = response["ETag"]
    again = client.get("/api/v1/public/statistics/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag
    as_csv = client.get("/api/v1/public/statistics.csv")
    rows = list(csv.reader(io.StringIO(as_csv.content.decode())))
    assert rows[0][0] == "year" and rows[-1][-2:] == ["2", "2"]
    assert as_csv["ETag"] != etag


def test_public_statistics_name_no_company_or_target(world):
    body = api_client().get("/api/v1/public/statistics/").content.decode()
    for private in (world.company_a.name, world.cert_a.number, world.cert_a.product_name):
        assert private not in body
    assert "target" not in body


def test_program_staff_start_on_the_program_page(world):
    response = page_client(world.program_staff).get("/")
    assert response.status_code == 302 and response["Location"] == "/program/"
    assert settings.CELERY_BEAT_SCHEDULE  # the app is installed with the project's settings
