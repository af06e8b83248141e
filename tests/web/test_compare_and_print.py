"""Comparing up to four listed products, and the product page laid out for A4: public pages that read
the public projection only, with clear messages for too many, unknown and unlisted products."""

import base64
import io
import re
from pathlib import Path

import pytest
import zxingcpp
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from tests.factories import make_listing

PRINT_CSS = Path(__file__).parents[2] / "web/static/web/tools.css"
COLUMN = re.compile(r'<th scope="col" id="compare-(\d+)">')


@pytest.fixture
def products(world) -> list[int]:
    """Six listed products (the world's two and four more of supplier A) and an unpublished one."""
    extra = [
        make_listing(world.supplier_a, world.cert_a, name=f"비교 조명 {n}", unit_price=100_000 + n * 1000)
        for n in range(4)
    ]
    world.unlisted = make_listing(world.supplier_a, world.cert_a, name="비공개 비교 조명", published=False)
    return [world.listing_a.pk, world.listing_b.pk, *[listing.pk for listing in extra]]


def compare_page(world, query: str, user=None) -> tuple[int, str]:
    response = world.client(user).get(f"/compare/{query}")
    return response.status_code, response.content.decode()


def test_no_ids_explains_how_to_choose(world):
    status, html = compare_page(world, "")
    assert status == 200
    assert 'id="compare-empty"' in html and "비교에 추가" in html


def test_one_product(world, products):
    status, html = compare_page(world, f"?ids={products[0]}")
    assert status == 200
    assert [int(pk) for pk in COLUMN.findall(html)] == [products[0]]
    listing = world.listing_a
    assert listing.certificate.number in html
    assert f"{listing.unit_price:,}원" in html


def test_four_products_side_by_side_in_the_order_asked(world, products):
    chosen = [products[3], products[0], products[5], products[1]]
    status, html = compare_page(world, "?ids=" + ",".join(map(str, chosen)))
    assert status == 200
    assert [int(pk) for pk in COLUMN.findall(html)] == chosen
    for label in (
        "단가",
        "단위",
        "최소주문수량",
        "납품기한",
        "납품지역",
        "규격",
        "인증번호",
        "인증 상태",
        "인증 유효기간",
    ):
        assert f'<th scope="row">{label}</th>' in html
    assert "다라설비" in html and "대한전자" in html
    # each column can be taken out; the URL keeps the others
    others = ",".join(map(str, chosen[1:]))
    assert f'href="/compare/?ids={others}"' in html
    assert 'id="compare-too-many"' not in html and 'id="compare-not-found"' not in html


def test_checkboxes_send_repeated_ids(world, products):
    status, html = compare_page(world, f"?ids={products[0]}&ids={products[1]}")
    assert status == 200
    assert [int(pk) for pk in COLUMN.findall(html)] == products[:2]


def test_five_products_show_four_and_say_so(world, products):
    status, html = compare_page(world, "?ids=" + ",".join(map(str, products[:5])))
    assert status == 200
    assert [int(pk) for pk in COLUMN.findall(html)] == products[:4]
    assert 'id="compare-too-many"' in html and "4개까지" in html


def test_unknown_unlisted_and_malformed_ids_are_named_alike_and_never_shown(world, products):
    query = f"?ids={products[0]},{world.unlisted.pk},999999999,abc,١٢"
    status, html = compare_page(world, query)
    assert status == 200
    assert [int(pk) for pk in COLUMN.findall(html)] == [products[0]]
    message = re.search(r'id="compare-not-found">(.*?)</p>', html, re.S).group(1)
    assert str(world.unlisted.pk) in message and "999999999" in message and "abc" in message
    assert "비공개 비교 조명" not in html


def test_a_huge_or_hostile_query_is_a_page_not_an_error(world, products):
    status, _html = compare_page(world, "?ids=" + ",".join(["9" * 40] * 500))
    assert status == 200
    status, _html = compare_page(world, "?ids=%00,1")
    assert status in (200, 400)


def test_compare_reads_in_constant_queries(world, products):
    def count(ids):
        client = world.client()
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/compare/?ids=" + ",".join(map(str, ids))).status_code == 200
        return len(captured)

    count(products[:1])
    assert count(products[:1]) == count(products[:4])


def test_officers_see_the_same_public_comparison(world, products):
    status, html = compare_page(world, f"?ids={products[0]}", user=world.officer)
    assert status == 200 and COLUMN.findall(html) == [str(products[0])]


def test_the_comparison_prints(world, products):
    _status, html = compare_page(world, f"?ids={products[0]}")
    assert "web/tools.css" in html and "data-print" in html
    css = PRINT_CSS.read_text()
    assert "@media print" in css and "size: A4" in css


def decoded_qr(html: str) -> list[str]:
    data = re.search(r'src="data:image/png;base64,([^"]+)"', html).group(1)
    image = Image.open(io.BytesIO(base64.b64decode(data))).convert("L")
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


def test_print_page_has_the_certificate_number_and_the_verification_qr(world, settings):
    settings.SITE_BASE_URL = "https://sangsaeng.example.kr"
    listing = world.listing_a
    response = world.client().get(f"/products/{listing.pk}/print/")
    assert response.status_code == 200
    html = response.content.decode()
    number = listing.certificate.number
    assert f"<strong>{number}</strong>" in html
    url = f"https://sangsaeng.example.kr/verify/{number}/"
    assert decoded_qr(html) == [url]
    assert url in html
    assert listing.name in html and "고효율 LED 평판조명" in html
    assert "web/tools.css" in html


def test_print_page_of_an_unlisted_or_unknown_product(world, products):
    assert world.client().get(f"/products/{world.unlisted.pk}/print/").status_code == 404
    assert world.client().get("/products/999999999/print/").status_code == 404


def test_product_pages_link_to_print_and_compare(world):
    pk = world.listing_a.pk
    for user in (None, world.officer):
        html = world.client(user).get(f"/products/{pk}/").content.decode()
        assert f'href="/products/{pk}/print/"' in html
        assert f'href="/compare/?ids={pk}"' in html


def test_result_cards_offer_compare_checkboxes(world):
    html = world.client().get("/search/").content.decode()
    assert 'id="compare-form"' in html and 'action="/compare/"' in html
    assert f'name="ids" value="{world.listing_a.pk}" form="compare-form"' in html
