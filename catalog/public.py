"""The public projection of the catalog: what anyone, signed in or not, may read.

Everything here is an allow-list. A field reaches an anonymous visitor only when it is named below; a new
field on a model, a serializer or a search document stays private until someone adds it here on purpose
(``tests/security`` compares every public serializer with these tuples and scans public responses for
seeded private values).

Public: the product's own fields, price and unit, delivery regions, sector, classification / item code,
the supplier's and the partner's company name and business number, the certificate's number, status and
validity. Private: evidence, review and application data, unpublished or delisted products, the people
behind a company (representative, contact phone and e-mail, address), audit trails.
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import pgettext_lazy

from catalog.models import ProductListing
from catalog.selectors import annotate_classification_name, listed_listings, with_related
from catalog.visibility import DelistReason, annotate_listed, delist_reason

PUBLIC_LISTING_FIELDS: tuple[str, ...] = (
    "id",
    "name",
    "name_en",
    "specification",
    "manufacturer",
    "origin",
    "unit",
    "unit_price",
    "min_order_quantity",
    "delivery_lead_days",
    "delivery_regions",
    "description",
    "keywords",
    "sector",
    "classification_code",
    "classification_name",
    "goods_identification_number",
    "service_period_months",
    "service_scope",
    "work_type",
    "licence_number",
    "certificate",
    "supplier",
    "partner",
    "updated_at",
)
PUBLIC_COMPANY_FIELDS: tuple[str, ...] = ("id", "name", "business_number")
PUBLIC_CERTIFICATE_FIELDS: tuple[str, ...] = ("number", "status", "issued_on", "expires_on")
PUBLIC_REGION_FIELDS: tuple[str, ...] = ("code", "name")
# the search API's hits and the search page's hits come from search documents, built only from listed
# products; these are the document fields an anonymous visitor receives
PUBLIC_SEARCH_HIT_FIELDS: tuple[str, ...] = (
    "id",
    "name",
    "name_en",
    "specification",
    "unit_price",
    "unit",
    "sector",
    "classification_code",
    "supplier_id",
    "supplier_name",
    "partner_id",
    "partner_name",
    "certificate_number",
    "expires_on",
    "regions",
    "score",
    "highlights",
)

# Why a product left the catalog, as the public pages and the API say it (delist_reason's keys).
GONE_REASONS = {
    DelistReason.REVOKED: (pgettext_lazy("delist reason", "인증 취소"), "certificate revoked"),
    DelistReason.SUSPENDED: (pgettext_lazy("delist reason", "인증 정지"), "certificate suspended"),
    DelistReason.EXPIRED: (pgettext_lazy("delist reason", "인증 만료"), "certificate expired"),
    DelistReason.UNPUBLISHED: (pgettext_lazy("delist reason", "게시 중지"), "withdrawn by the supplier"),
    DelistReason.NOT_YET_VALID: (
        pgettext_lazy("delist reason", "인증 유효기간 전"),
        "certificate not yet valid",
    ),
}


def public_listings() -> QuerySet[ProductListing]:
    """The listed catalog with what its public representation needs, in a constant number of queries."""
    return annotate_classification_name(annotate_listed(with_related(listed_listings())))


@dataclass(frozen=True)
class PublicLookup:
    """A product page's answer: the listing (listed now), or why it is gone, or nothing (never public)."""

    listing: ProductListing | None = None
    gone_reason: str | None = None

    @property
    def gone_label(self) -> str:
        return str(GONE_REASONS[self.gone_reason][0]) if self.gone_reason else ""

    @property
    def gone_detail(self) -> str:
        """The API's bilingual message for a product that left the catalog."""
        korean, english = GONE_REASONS[self.gone_reason]
        return f"이 제품은 목록에서 내려갔습니다: {korean} (This product left the catalog: {english})."


def find_public_listing(pk: int) -> PublicLookup:
    """A listing as the public sees it. One that was listed once and no longer is is *gone*, with the
    reason; one that never was (an unpublished draft, a certificate not yet valid) or does not exist is
    not found, so the public never learns that a private record exists."""
    listing = public_listings().filter(pk=pk).first()
    if listing is not None:
        return PublicLookup(listing=listing)
    former = (
        ProductListing.objects.select_related("certificate")
        .filter(pk=pk, first_listed_at__isnull=False)
        .first()
    )
    if former is None:
        return PublicLookup()
    # listed_q and delist_reason can disagree for a moment at midnight; a listing gone for no reason
    # the rule can name is treated as never public rather than guessed at
    reason = delist_reason(former)
    return PublicLookup(gone_reason=reason) if reason else PublicLookup()
