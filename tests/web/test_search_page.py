"""The officer's search page: Korean queries, facets in the query string, highlights, escaping, badges."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.visibility import expiry_state
from certification import services as registry_services
from certification.models import Certificate
from search.backends.base import SearchHit
from tests.factories import make_certificate, make_listing
from web.templatetags.web_tags import highlighted


def page(world, query="", user=None):
    response = world.client(user or world.officer).get(f"/search/{query}")
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def test_korean_query_finds_the_product_with_particles(world):
    html = page(world, "?q=평판조명을")
    assert "고효율 LED 평판조명" not in html or "<mark>" in html
    assert f'href="/products/{world.listing_a.pk}/' in html
    assert f'href="/products/{world.listing_b.pk}/' not in html


def test_query_terms_are_highlighted_with_marks(world):
    html = page(world, "?q=조명")
    assert "<mark>조명</mark>" in html


def test_filters_live_in_the_query_string(world):
    html = page(world, "?sector=services")
    assert f'href="/products/{world.listing_b.pk}/' in html
    assert f'href="/products/{world.listing_a.pk}/' not in html
    # the facet link for the selected sector removes the filter again; the other keeps the query
    assert 'aria-current="true"' in html


def test_facet_links_keep_the_other_filters(world):
    html = page(world, "?q=조명&sort=price_desc")
    assert "q=%EC%A1%B0%EB%AA%85" in html
    assert "sector=goods" in html
    assert "sort=price_desc" in html


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("?region=26", "b", "a"),
        ("?region=41", "a", "b"),
        ("?price=1m_10m", "b", "a"),
        ("?price_max=200000", "a", "b"),
        ("?price_min=1000000", "b", "a"),
        ("?classification=8111", "b", "a"),
    ],
)
def test_each_filter(world, query, shown, hidden):
    html = page(world, query)
    listing = {"a": world.listing_a, "b": world.listing_b}
    assert f'href="/products/{listing[shown].pk}/' in html
    assert f'href="/products/{listing[hidden].pk}/' not in html


def test_partner_facet_filters(world):
    html = page(world, f"?partner={world.partner.pk}")
    assert "대한전자" in html
    assert f'href="/products/{world.listing_a.pk}/' in html


def test_sort_by_price(world):
    html = page(world, "?sort=price_desc")
    assert html.index(f"/products/{world.listing_b.pk}/") < html.index(f"/products/{world.listing_a.pk}/")
    html = page(world, "?sort=price_asc")
    assert html.index(f"/products/{world.listing_a.pk}/") < html.index(f"/products/{world.listing_b.pk}/")


def test_card_shows_price_unit_supplier_certificate_and_badge(world):
    html = page(world, "?q=LED")
    assert "125,000원" in html
    assert '<span class="unit">/ 개</span>' in html and "EA (개)" not in html
    assert "가나조명" in html
    assert world.cert_a.number in html
    assert "badge-ok" in html


def test_nonsense_parameters_do_not_break_the_page(world):
    html = page(world, "?sector=nope&region=99&price=x&page=-3&sort=evil&price_min=abc&partner=x")
    assert f'href="/products/{world.listing_a.pk}/' in html


def test_pagination(world):
    for number in range(25):
        make_listing(world.supplier_a, world.cert_a, specification=f"모델 {number:02d}")
    world.reindex()
    first = page(world, "?q=LED")
    assert 'rel="next"' in first
    assert "page=2" in first
    second = page(world, "?q=LED&page=2")
    assert 'rel="prev"' in second
    assert 'aria-current="page"' in second


def test_script_in_a_product_name_renders_as_text(world):
    make_listing(
        world.supplier_a, world.cert_a, name="<script>alert(1)</script> 조명", specification="<b>굵게</b>"
    )
    world.reindex()
    html = page(world, "?q=조명")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>굵게</b>" not in html
    html = page(world, "?q=alert")
    assert "<script>alert" not in html


def test_product_page_escapes_user_text(world):
    listing = make_listing(
        world.supplier_a,
        world.cert_a,
        name="<script>alert(1)</script>",
        description="<img src=x onerror=alert(1)>",
    )
    html = world.client(world.officer).get(f"/products/{listing.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_highlight_only_allows_our_marks():
    hostile = "&lt;script&gt;x&lt;/script&gt; <em>조명</em> <script>alert(1)</script>"
    html = str(highlighted({"name": hostile}, "name"))
    assert "<script>" not in html
    assert html.count("<mark>") == 1
    assert "<mark>조명</mark>" in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert str(highlighted({}, "name", "<i>fallback</i>")) == "&lt;i&gt;fallback&lt;/i&gt;"


def test_expiry_states(settings):
    settings.CERTIFICATE_EXPIRING_SOON_DAYS = 90
    today = timezone.localdate()
    assert expiry_state(today + timedelta(days=400)) == "valid"
    assert expiry_state(today + timedelta(days=30)) == "expiring"
    assert expiry_state(today - timedelta(days=1)) == "expired"
    assert expiry_state(today + timedelta(days=400), "expired") == "expired"


def test_expiring_soon_badge_and_filter(world):
    Certificate.objects.filter(pk=world.cert_a.pk).update(
        expires_on=timezone.localdate() + timedelta(days=20)
    )
    world.reindex()
    html = page(world, "?q=조명")
    assert "만료 임박" in html
    assert "20일 남음" in html
    html = page(world, "?expiring=1")
    assert f'href="/products/{world.listing_a.pk}/' in html
    assert f'href="/products/{world.listing_b.pk}/' not in html


def test_suspended_certificate_leaves_search_and_product_page(world):
    registry_services.suspend_certificate(world.reviewer, certificate_id=world.cert_a.pk, reason="조사 중")
    world.reindex()
    html = page(world, "?q=조명")
    assert f'href="/products/{world.listing_a.pk}/' not in html
    assert world.client(world.officer).get(f"/products/{world.listing_a.pk}/").status_code == 404
    # the supplier still sees its own listing, marked as not buyable
    own = world.client(world.supplier_a).get(f"/products/{world.listing_a.pk}/")
    assert own.status_code == 200
    assert "현재 구매할 수 없음" in own.content.decode()


def test_product_page_shows_specs_certificate_and_supplier(world):
    html = world.client(world.officer).get(f"/products/{world.listing_a.pk}/").content.decode()
    for text in (
        world.listing_a.specification,
        world.listing_a.manufacturer,
        world.cert_a.number,
        "대한전자",
        "가나조명",
        world.company_a.business_number_display,
        "서울특별시",
        "14일",
    ):
        assert text in html


def test_back_link_only_goes_to_search(world):
    html = (
        world.client(world.officer).get(f"/products/{world.listing_a.pk}/?back=javascript:alert(1)").content
    )
    assert b'href="javascript:' not in html
    html = world.client(world.officer).get(f"/products/{world.listing_a.pk}/?back=/search/%3Fq%3DLED").content
    assert b'href="/search/?q=LED"' in html


def test_autocomplete_uses_the_search_api(world):
    html = page(world)
    assert 'data-suggest-url="/api/v1/search/suggest/"' in html
    response = world.client(world.officer).get("/api/v1/search/suggest/?q=고효율")
    assert response.status_code == 200
    assert "고효율 LED 평판조명" in response.json()["suggestions"]


def test_search_unavailable_is_a_friendly_503(world, monkeypatch):
    from search.backends.base import SearchUnavailable

    class Down:
        name = "elasticsearch"

        def search(self, query):
            raise SearchUnavailable("down")

    monkeypatch.setattr("search.backends.get_backend", lambda name=None: Down())
    response = world.client(world.officer).get("/search/?q=LED")
    assert response.status_code == 503
    assert "검색 서비스에 일시적으로 연결할 수 없습니다" in response.content.decode()


def test_new_certificate_listing_appears_after_reindex(world):
    cert = make_certificate(
        world.supplier_b, world.partner, world.reviewer, "goods", product_name="공기청정기"
    )
    make_listing(world.supplier_b, cert, name="학교용 공기청정기")
    world.reindex()
    assert "학교용 " in page(world, "?q=공기청정기")


def test_search_hit_type_has_the_fields_the_cards_use():
    fields = SearchHit.__dataclass_fields__
    for name in (
        "name",
        "specification",
        "unit_price",
        "unit",
        "supplier_name",
        "certificate_number",
        "expires_on",
    ):
        assert name in fields


def test_did_you_mean_on_the_page(world):
    html = page(world, "?q=평판조멍")  # one letter off: ㅁ for ㅇ
    assert "이것을 찾으셨나요?" in html
    assert '<a href="?q=%ED%8F%89%ED%8C%90%EC%A1%B0%EB%AA%85" lang="ko"><strong>평판조명</strong></a>' in html
    assert f'href="/products/{world.listing_a.pk}/' in html
    assert "이것을 찾으셨나요?" not in page(world, "?q=평판조명")
