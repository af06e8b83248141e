"""The public catalog as an anonymous visitor meets it: search and product pages and the public API, the
410 for a product that left the catalog, cache headers, the sitemap and the header."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog import services as catalog_services
from certification import services as registry
from search.backends import get_backend
from tests.factories import make_listing
from tests.worlds import api_client


def test_anonymous_searches_the_listed_catalog(world):
    response = world.client().get("/search/", {"q": "LED"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "평판조명" in html
    assert f'href="/products/{world.listing_a.pk}/' in html
    assert f'href="/products/{world.hidden_a.pk}/' not in html
    assert response["Cache-Control"] == "public, max-age=60"
    assert "Content-Security-Policy" in response


def test_signed_in_search_is_private(world):
    response = world.client(world.officer).get("/search/", {"q": "LED"})
    assert response["Cache-Control"] == "private"


def test_anonymous_search_has_the_officers_facets(world):
    anonymous = world.client().get("/search/").context["facet_groups"]
    officer = world.client(world.officer).get("/search/").context["facet_groups"]
    assert anonymous == officer
    assert {group["key"] for group in anonymous} >= {"sector", "region", "supplier", "partner"}


def test_public_header_has_sign_in_and_no_staff_links(world):
    html = world.client().get("/search/").content.decode()
    assert 'href="/accounts/login/?next=/search/"' in html
    assert "로그인" in html
    for private in ("/supplier/", "/review/", "/exports/", "/admin/"):
        assert f'href="{private}' not in html
    # autocomplete asks the public API, which answers anonymous callers
    assert 'data-suggest-url="/api/v1/public/search/suggest/"' in html


def test_public_product_page(world):
    response = world.client().get(f"/products/{world.listing_a.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for shown in (
        world.listing_a.name,
        world.listing_a.specification,
        "125,000원",
        world.cert_a.number,
        world.company_a.name,
        world.company_a.business_number_display,
        world.partner.name,
        "서울",
    ):
        assert shown in html, shown
    assert response["ETag"]
    assert response["Last-Modified"]
    # revalidated every time, so a revoked certificate shows at once (a cheap 304 otherwise)
    assert response["Cache-Control"] == "public, no-cache"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_product_page_revalidates(world):
    client = world.client()
    first = client.get(f"/products/{world.listing_a.pk}/")
    again = client.get(f"/products/{world.listing_a.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    since = client.get(f"/products/{world.listing_a.pk}/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    catalog_services.update_listing(world.supplier_a, listing_id=world.listing_a.pk, unit_price=99_000)
    changed = client.get(f"/products/{world.listing_a.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert "99,000원" in changed.content.decode()


def test_certificate_changes_change_the_etag(world):
    client = world.client()
    first = client.get(f"/api/v1/public/listings/{world.listing_a.pk}/")
    registry.suspend_certificate(world.reviewer, certificate_id=world.cert_b.pk, reason="점검")
    world.cert_a.refresh_from_db()
    world.cert_a.save()  # touches updated_at, as any certificate change does
    again = client.get(f"/api/v1/public/listings/{world.listing_a.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200


@pytest.mark.parametrize(
    ("leave", "reason"),
    [
        (
            lambda w: registry.revoke_certificate(w.reviewer, certificate_id=w.cert_a.pk, reason="위반"),
            "인증 취소",
        ),
        (
            lambda w: registry.suspend_certificate(w.reviewer, certificate_id=w.cert_a.pk, reason="점검"),
            "인증 정지",
        ),
        (
            lambda w: registry.expire_due_certificates(w.cert_a.expires_on + timedelta(days=1)),
            "인증 만료",
        ),
        (
            lambda w: catalog_services.update_listing(
                w.supplier_a, listing_id=w.listing_a.pk, published=False
            ),
            "게시 중지",
        ),
    ],
    ids=["revoked", "suspended", "expired", "unpublished"],
)
def test_a_product_that_left_the_catalog_is_gone_with_its_reason(world, leave, reason):
    leave(world)
    page = world.client().get(f"/products/{world.listing_a.pk}/")
    assert page.status_code == 410
    html = page.content.decode()
    assert reason in html
    assert world.listing_a.name not in html  # the reason only, not the product
    api = api_client().get(f"/api/v1/public/listings/{world.listing_a.pk}/")
    assert api.status_code == 410
    assert page["Cache-Control"] == "public, no-cache"
    assert api.json()["code"] == "gone"
    assert reason in api.json()["detail"]
    # it also left search and the public list
    listed = api_client().get("/api/v1/public/listings/").json()["results"]
    assert world.listing_a.pk not in [row["id"] for row in listed]


def test_never_public_or_missing_is_not_found(world):
    for pk in (world.hidden_a.pk, 987_654):
        assert world.client().get(f"/products/{pk}/").status_code == 404
        response = api_client().get(f"/api/v1/public/listings/{pk}/")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert api_client().get("/api/v1/public/listings/abc/").status_code == 404


def test_a_listing_published_later_is_public_and_then_gone(world):
    draft = make_listing(world.supplier_a, world.cert_a, name="나중에 게시", published=False)
    assert draft.first_listed_at is None
    catalog_services.update_listing(world.supplier_a, listing_id=draft.pk, published=True)
    draft.refresh_from_db()
    assert draft.first_listed_at is not None
    assert world.client().get(f"/products/{draft.pk}/").status_code == 200
    catalog_services.update_listing(world.supplier_a, listing_id=draft.pk, published=False)
    assert world.client().get(f"/products/{draft.pk}/").status_code == 410


def test_officers_keep_their_product_page(world):
    """Signed-in readers keep the full page, including what the public projection leaves out."""
    response = world.client(world.officer).get(f"/products/{world.listing_a.pk}/")
    assert response.status_code == 200
    assert world.company_a.representative in response.content.decode()
    # and the owner still opens its own unpublished listing
    assert world.client(world.supplier_a).get(f"/products/{world.hidden_a.pk}/").status_code == 200


def test_public_api_list_and_detail(world):
    client = api_client()
    listed = client.get("/api/v1/public/listings/", {"sector": "goods"})
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [world.listing_a.pk]
    assert listed["Cache-Control"] == "public, max-age=60"
    detail = client.get(f"/api/v1/public/listings/{world.listing_a.pk}/")
    body = detail.json()
    assert body["certificate"]["number"] == world.cert_a.number
    assert body["supplier"] == {
        "id": world.company_a.pk,
        "name": world.company_a.name,
        "business_number": world.company_a.business_number_display,
    }
    assert body["partner"]["name"] == world.partner.name
    assert [region["code"] for region in body["delivery_regions"]] == ["11", "41"]
    assert (
        client.get(
            f"/api/v1/public/listings/{world.listing_a.pk}/", HTTP_IF_NONE_MATCH=detail["ETag"]
        ).status_code
        == 304
    )


def test_public_search_api(world):
    response = api_client().get("/api/v1/public/search/", {"q": "평판조명"})
    assert response.status_code == 200
    assert [hit["id"] for hit in response.json()["results"]] == [world.listing_a.pk]
    assert response["Cache-Control"] == "public, max-age=60"
    bad = api_client().get("/api/v1/public/search/", {"page_size": "0"})
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid"
    suggest = api_client().get("/api/v1/public/search/suggest/", {"q": "고효"})
    assert suggest.status_code == 200


def test_sitemap_lists_public_product_pages(world, settings):
    settings.SITE_BASE_URL = "https://catalog.example.kr"
    response = world.client().get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert f"<loc>https://catalog.example.kr/products/{world.listing_a.pk}/</loc>" in xml
    assert f"<loc>https://catalog.example.kr/products/{world.listing_b.pk}/</loc>" in xml
    assert f"/products/{world.hidden_a.pk}/" not in xml
    listing = world.listing_a
    listing.refresh_from_db()
    changed = max(
        listing.updated_at,
        listing.certificate.updated_at,
        listing.supplier.updated_at,
        listing.certificate.partner.updated_at,
    )
    entry = xml[xml.index(f"/products/{listing.pk}/</loc>") :].split("</url>")[0]
    assert f"<lastmod>{timezone.localtime(changed).date().isoformat()}</lastmod>" in entry
    registry.revoke_certificate(world.reviewer, certificate_id=world.cert_b.pk, reason="위반")
    assert f"/products/{world.listing_b.pk}/" not in world.client().get("/sitemap.xml").content.decode()


@pytest.mark.parametrize("backend_name", ["database", "elasticsearch"])
def test_public_search_matches_the_officers_on_each_backend(world, request, settings, backend_name):
    """Anonymous search runs on the configured backend with the same hits and facets officers get; only
    the fields shown differ."""
    settings.SEARCH_BACKEND = backend_name
    if backend_name == "elasticsearch":
        request.getfixturevalue("es_client")
        settings.ELASTICSEARCH_INDEX_PREFIX = request.getfixturevalue("es_index_name")
    backend = get_backend()
    backend.ensure()
    backend.rebuild()
    backend.refresh()
    params = {"q": "LED", "page_size": 10}
    public = api_client().get("/api/v1/public/search/", params).json()
    officer = api_client(world.officer).get("/api/v1/search/", params).json()
    assert public["backend"] == backend_name
    assert [hit["id"] for hit in public["results"]] == [hit["id"] for hit in officer["results"]]
    assert world.hidden_a.pk not in [hit["id"] for hit in public["results"]]
    assert public["facets"] == officer["facets"]
    page = world.client().get("/search/", {"q": "LED"})
    assert [hit["id"] for hit in page.context["hits"]] == [hit["id"] for hit in public["results"]]


def test_gone_page_in_english(world):
    registry.revoke_certificate(world.reviewer, certificate_id=world.cert_a.pk, reason="위반")
    client = world.client(headers={"accept-language": "en"})
    html = client.get(f"/products/{world.listing_a.pk}/").content.decode()
    assert "Certificate revoked" in html
    assert "Sign in" in html


def test_a_signed_in_user_without_a_catalog_role_gets_the_public_view(world):
    from django.contrib.auth import get_user_model

    member = get_user_model().objects.create_user(username="no-role", password="x-unused-123")
    response = world.client(member).get(f"/products/{world.listing_a.pk}/")
    assert response.status_code == 200
    assert world.company_a.representative not in response.content.decode()
    assert response["Cache-Control"] == "private, no-cache"
    assert world.client(member).get("/search/")["Cache-Control"] == "private"


@pytest.mark.parametrize("pk", ["10000000000000000000", "0", "-1", "１２"])
def test_ids_no_database_can_hold_are_not_found(world, pk):
    assert api_client().get(f"/api/v1/public/listings/{pk}/").status_code == 404
    if pk.isascii() and pk.isdigit():
        assert world.client().get(f"/products/{pk}/").status_code == 404
