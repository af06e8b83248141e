"""Issue 21's page fixes: pagination past the last page, result cards (thumbnail, lead time, minimum
order), the certificate chooser of a new listing, the classification picker's endpoint and its no-script
validation, the export history's numbers, the Nara Marketplace link."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog import services as catalog_services
from catalog.models import ProductListing
from tests import images
from tests.factories import make_listing
from web.search_page import PAGE_SIZE


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_page_past_the_last_keeps_the_range_and_links_right(world):
    client = world.client(world.officer)
    for n in range(PAGE_SIZE + 3):
        make_listing(world.supplier_a, world.cert_a, name=f"조명 {n:02d}")
    world.reindex()
    html = text(client.get("/search/?q=조명&page=499"))
    total = int(re.search(r"검색 결과 총 (\d+)건", html).group(1))
    assert PAGE_SIZE < total <= 2 * PAGE_SIZE  # two pages
    assert not re.search(r"중 0–\d", html) and "9980" not in html
    assert 'id="past-end"' in html and "결과는 2쪽까지입니다" in html
    assert re.search(r'href="\?q=%EC%A1%B0%EB%AA%85&amp;page=2"[^>]*>마지막 페이지로', html)
    # previous goes to the last page, there is no next
    assert re.search(r'href="\?q=%EC%A1%B0%EB%AA%85&amp;page=2" rel="prev"', html)
    assert 'rel="next"' not in html
    # the last page itself: its range, a previous link and no next
    html = text(client.get("/search/?q=조명&page=2"))
    assert f"{total}건 중 {PAGE_SIZE + 1}–{total}" in html and 'id="past-end"' not in html
    assert 'rel="next"' not in html and 'page=1" rel="prev"' in html


def test_english_past_the_end(world):
    client = world.client(world.officer, HTTP_ACCEPT_LANGUAGE="en")
    html = text(client.get("/search/?q=LED&page=50"))
    assert "The results end on page 1." in html and "Go to the last page" in html


def test_result_cards_show_lead_time_minimum_order_and_a_lazy_thumbnail(world):
    catalog_services.update_listing(
        world.supplier_a,
        listing_id=world.listing_a.pk,
        image=SimpleUploadedFile("lamp.png", images.png(), "image/png"),
        min_order_quantity=5,
    )
    world.reindex()
    for user in (world.officer, None):
        html = text(world.client(user).get("/search/?q=평판조명"))
        listing = ProductListing.objects.get(pk=world.listing_a.pk)
        assert f"납품기한 {listing.delivery_lead_days}일" in html
        assert "최소 주문 5 개" in html
        image = re.search(rf'<img class="card-thumb" src="/products/{listing.pk}/image/"[^>]*>', html)
        assert image, html
        for attribute in (
            'loading="lazy"',
            'width="96"',
            'height="96"',
            'alt="고효율 LED 평판조명 제품 사진"',
        ):
            assert attribute in image.group(0)
    # a product without an image has no thumbnail
    html = text(world.client(world.officer).get("/search/?sector=services"))
    assert "card-thumb" not in html and "납품기한" in html


def test_a_new_listing_without_a_certificate_offers_the_suppliers_certificates(world):
    client = world.client(world.supplier_a)
    for query in ("", "?certificate=", "?certificate=abc", "?certificate=%EF%BC%91"):
        response = client.get(f"/supplier/listings/new/{query}")
        assert response.status_code == 200, query
        html = text(response)
        assert 'id="choose-certificate"' in html
        assert f"?certificate={world.cert_a.pk}" in html and world.cert_a.number in html
        assert world.cert_b.number not in html  # another company's certificate
    # another company's certificate by number is still not found
    assert client.get(f"/supplier/listings/new/?certificate={world.cert_b.pk}").status_code == 404
    assert client.get(f"/supplier/listings/new/?certificate={world.cert_a.pk}").status_code == 200


def test_the_classification_endpoint_searches_by_number_and_by_name(world):
    client = world.client(None)
    by_number = client.get("/api/v1/reference/classifications/", {"q": "3911"}).json()["results"]
    assert by_number and all(row["code"].startswith("3911") for row in by_number)
    assert set(by_number[0]) == {"code", "name", "name_en", "sector"}
    by_name = client.get("/api/v1/reference/classifications/", {"q": "LED"}).json()["results"]
    assert by_name and all("LED" in row["name"] + row["name_en"] for row in by_name)
    english = client.get("/api/v1/reference/classifications/", {"q": "lighting"}).json()["results"]
    assert any(row["code"] == "39111605" for row in english)
    services = client.get("/api/v1/reference/classifications/", {"sector": "services"}).json()["results"]
    assert services and {row["sector"] for row in services} == {"services"}
    # bounded: never more than 20, whatever is asked
    everything = client.get("/api/v1/reference/classifications/").json()["results"]
    assert len(everything) == 20
    assert len(client.get("/api/v1/reference/classifications/", {"limit": 3}).json()["results"]) == 3


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sector": "food"}, "sector"),
        ({"limit": 500}, "limit"),
        ({"q": "x" * 51}, "q"),
        ({"limit": "a"}, "limit"),
    ],
)
def test_the_classification_endpoint_refuses_bad_parameters_with_json(world, params, field):
    response = world.client(None).get("/api/v1/reference/classifications/", params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and field in body["errors"]


def test_without_the_picker_a_typed_number_is_checked_against_the_table(world):
    client = world.client(world.supplier_a)
    listing = world.listing_a
    page = client.get(f"/supplier/listings/{listing.pk}/edit/")
    html = text(page)
    # the input carries what the script needs; without the script it is a text box
    assert 'data-classification-url="/api/v1/reference/classifications/"' in html
    assert 'data-sector="goods"' in html and "classification-picker.js" in html
    form = {
        "name": listing.name,
        "specification": listing.specification,
        "manufacturer": listing.manufacturer,
        "origin": listing.origin,
        "unit": listing.unit,
        "unit_price": listing.unit_price,
        "min_order_quantity": 1,
        "delivery_lead_days": 30,
        "classification_code": "39999999",
        "published": "on",
    }
    response = client.post(f"/supplier/listings/{listing.pk}/edit/", form)
    assert response.status_code == 200
    assert "분류번호 목록에 없는 번호입니다: 39999999" in text(response)


def test_export_history_numbers_and_dates_do_not_wrap(world, settings):
    from catalog.feeds import services as feed_services

    feed_services.run_export(world.admin, export_format="csv")
    html = text(world.client(world.admin).get("/exports/"))
    assert re.search(r'<td class="nowrap"><a href="/exports/\d+/">#\d+</a></td>', html)
    assert re.search(r'<td class="nowrap"><time datetime="[^"]+">\d{4}-\d\d-\d\d \d\d:\d\d</time></td>', html)
    css = (Path(settings.BASE_DIR) / "web/static/web/site.css").read_text(encoding="utf-8")
    assert "td.nowrap, th.nowrap { white-space: nowrap; }" in css and "tabular-nums" in css


def test_a_product_registered_on_nara_links_there(world, settings):
    ProductListing.objects.filter(pk=world.listing_a.pk).update(goods_identification_number="24123456")
    path = f"/products/{world.listing_a.pk}/"
    html = text(world.client(world.officer).get(path))
    assert "24123456" in html and 'id="nara-link"' not in html  # no address configured: the number only
    settings.NARA_ITEM_URL_TEMPLATE = "https://nara.example/item?no={number}"
    for user in (world.officer, None):
        html = text(world.client(user).get(path))
        assert re.search(r'<a href="https://nara.example/item\?no=24123456"[^>]*id="nara-link"', html), user
