"""The columns of an officer's search-result export, in the order officers paste them into 구매 검토
documents, with Korean labels (English when the page is in English), and one listing as one row.

Every value comes from the public projection of the catalog (``catalog.public.public_listings``: listed
products, allow-listed fields), so an export holds nothing an anonymous visitor could not read.
"""

from dataclasses import dataclass
from typing import Any

from catalog.feeds.nara import INT, STR, Column
from catalog.models import ProductListing, Unit

SHEET_TITLES = {"ko": "검색 결과", "en": "Search results"}


@dataclass(frozen=True)
class ResultColumn:
    key: str
    korean: str
    english: str
    type: str = STR


RESULT_COLUMNS: tuple[ResultColumn, ...] = (
    ResultColumn("name", "제품명", "Product name"),
    ResultColumn("specification", "규격", "Specification"),
    ResultColumn("unit", "단위", "Unit"),
    ResultColumn("unit_price", "단가", "Unit price (KRW)", INT),
    ResultColumn("min_order_quantity", "최소주문수량", "Minimum order quantity", INT),
    ResultColumn("delivery_lead_days", "납품기한(일)", "Delivery lead time (days)", INT),
    ResultColumn("delivery_regions", "납품지역", "Delivery regions"),
    ResultColumn("classification_code", "물품분류번호/세부품명번호", "Classification / detailed item number"),
    ResultColumn("goods_identification_number", "물품식별번호", "Goods identification number"),
    ResultColumn("supplier_name", "공급기업", "Supplier"),
    ResultColumn("supplier_business_number", "사업자등록번호", "Business registration number"),
    ResultColumn("partner_name", "협력 대기업", "Partner enterprise"),
    ResultColumn("certificate_number", "인증번호", "Certificate number"),
    ResultColumn("certificate_validity", "인증 유효기간", "Certificate validity"),
    ResultColumn("product_url", "제품 페이지 URL", "Product page URL"),
)
KEYS = tuple(column.key for column in RESULT_COLUMNS)
# "EA (개)" → "EA": the unit as officers write it, once
UNIT_NAMES = {value: str(label).split(" (")[0] for value, label in Unit.choices}


def language_of(code: str | None) -> str:
    """The export's language from the page's: English for any English, Korean otherwise."""
    return "en" if (code or "").lower().startswith("en") else "ko"


def columns(language: str) -> tuple[Column, ...]:
    """The columns as the feed's workbook takes them, labelled in ``language``."""
    return tuple(
        Column(column.key, column.english if language == "en" else column.korean, column.type)
        for column in RESULT_COLUMNS
    )


def result_row(listing: ProductListing, product_url: str) -> dict[str, Any]:
    """One listed product (from ``public_listings``: related rows and regions already fetched)."""
    certificate = listing.certificate
    regions = sorted(listing.delivery_regions.all(), key=lambda region: region.code)
    return {
        "name": listing.name,
        "specification": listing.specification,
        "unit": UNIT_NAMES.get(listing.unit, listing.unit),
        "unit_price": listing.unit_price,
        "min_order_quantity": listing.min_order_quantity,
        "delivery_lead_days": listing.delivery_lead_days,
        "delivery_regions": ", ".join(region.get_code_display() for region in regions),
        "classification_code": listing.classification_code,
        "goods_identification_number": listing.goods_identification_number,
        "supplier_name": listing.supplier.name,
        "supplier_business_number": listing.supplier.business_number_display,
        "partner_name": certificate.partner.name,
        "certificate_number": certificate.number,
        "certificate_validity": f"{certificate.issued_on:%Y-%m-%d} ~ {certificate.expires_on:%Y-%m-%d}",
        "product_url": product_url,
    }
