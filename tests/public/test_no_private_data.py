"""No private field in any public response: the public serializers' fields are the allow-lists, and the
public pages and API never carry the private values planted in the world (``PRIVATE_VALUES``)."""

import json

import pytest

from catalog.api.public import (
    PublicCertificateSerializer,
    PublicCompanySerializer,
    PublicListingSerializer,
    PublicRegionSerializer,
)
from catalog.public import (
    PUBLIC_CERTIFICATE_FIELDS,
    PUBLIC_COMPANY_FIELDS,
    PUBLIC_LISTING_FIELDS,
    PUBLIC_REGION_FIELDS,
    PUBLIC_SEARCH_HIT_FIELDS,
)
from search.api.public import PublicSearchHitSerializer, PublicSearchResponseSerializer
from tests.public.conftest import PRIVATE_VALUES
from tests.worlds import api_client

# Written out again on purpose: changing the public surface means changing the allow-list in
# catalog/public.py AND this expectation, in one reviewed commit.
EXPECTED_LISTING = {
    "id", "name", "name_en", "specification", "manufacturer", "origin", "unit", "unit_price",
    "min_order_quantity", "delivery_lead_days", "delivery_regions", "description", "keywords", "sector",
    "classification_code", "classification_name", "goods_identification_number", "service_period_months",
    "service_scope", "work_type", "licence_number", "certificate", "supplier", "partner", "updated_at",
}  # fmt: skip
EXPECTED_COMPANY = {"id", "name", "business_number"}
EXPECTED_CERTIFICATE = {"number", "status", "issued_on", "expires_on"}
NEVER_PUBLIC = {
    "representative", "contact_email", "contact_phone", "address", "sme_confirmation_number",
    "published", "first_listed_at", "image", "documents", "evidence", "comment", "audit_events",
    "application", "price_history", "created_at", "members",
}  # fmt: skip


@pytest.mark.parametrize(
    ("serializer", "allowed", "expected"),
    [
        (PublicListingSerializer, PUBLIC_LISTING_FIELDS, EXPECTED_LISTING),
        (PublicCompanySerializer, PUBLIC_COMPANY_FIELDS, EXPECTED_COMPANY),
        (PublicCertificateSerializer, PUBLIC_CERTIFICATE_FIELDS, EXPECTED_CERTIFICATE),
        (PublicRegionSerializer, PUBLIC_REGION_FIELDS, {"code", "name"}),
        (PublicSearchHitSerializer, PUBLIC_SEARCH_HIT_FIELDS, set(PUBLIC_SEARCH_HIT_FIELDS)),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_public_serializers_are_their_allow_lists(serializer, allowed, expected):
    fields = set(serializer().fields)
    assert fields == set(allowed) == expected
    assert not fields & NEVER_PUBLIC


def test_search_response_uses_the_public_hit():
    assert isinstance(PublicSearchResponseSerializer().fields["results"].child, PublicSearchHitSerializer)


def _shared_shortlist(world) -> str:
    """An officer's list of both listed products, shared by its read-only link (officers/)."""
    from officers import shortlists

    shortlist = shortlists.create_shortlist(world.officer, name="공유 목록")
    for listing in (world.listing_a, world.listing_b):
        shortlists.add_item(world.officer, shortlist_id=shortlist.pk, listing_id=listing.pk)
    return f"/shared/shortlists/{shortlists.share_shortlist(world.officer, shortlist_id=shortlist.pk).share_token}/"


def _public_responses(world) -> dict[str, str]:
    api, pages = api_client(), world.client()
    answers = {}
    for url in (
        "/api/v1/public/listings/",
        "/api/v1/public/listings/?page_size=100",
        f"/api/v1/public/listings/{world.listing_a.pk}/",
        f"/api/v1/public/listings/{world.listing_b.pk}/",
        f"/api/v1/public/listings/{world.hidden_a.pk}/",
        "/api/v1/public/search/",
        "/api/v1/public/search/?q=조명",
        "/api/v1/public/search/suggest/?q=비공",
        "/api/v1/public/search/suggest/?q=신청",
    ):
        answers[url] = json.dumps(api.get(url).json(), ensure_ascii=False)
    for url in (
        "/search/",
        "/search/?q=조명",
        "/search/?q=비공개",
        f"/products/{world.listing_a.pk}/",
        f"/products/{world.listing_b.pk}/",
        f"/products/{world.hidden_a.pk}/",
        f"/products/{world.listing_a.pk}/print/",
        f"/products/{world.hidden_a.pk}/print/",
        f"/compare/?ids={world.listing_a.pk},{world.listing_b.pk},{world.hidden_a.pk}",
        "/sitemap.xml",
        _shared_shortlist(world),
    ):
        answers[url] = pages.get(url).content.decode()
    return answers


def test_no_private_value_in_any_public_response(world):
    leaks = [
        f"{url} shows {what} ({value})"
        for url, body in _public_responses(world).items()
        for what, value in PRIVATE_VALUES.items()
        if value in body
    ]
    assert not leaks, "\n".join(leaks)


def test_the_scan_would_see_a_leak(world):
    """The planted values are really in the world: the officer's page shows the representative."""
    html = world.client(world.officer).get(f"/products/{world.listing_a.pk}/").content.decode()
    assert PRIVATE_VALUES["representative"] in html
    assert PRIVATE_VALUES["contact_phone"] in html
