"""The Nara Marketplace feed format (``feed_version`` 1.0): columns, one row per listing, validation.

Field keys follow the Public Procurement Service's open data about shopping-mall products
(``prdctClsfcNo``, ``cntrctPrceAmt`` …) so the feed reads like Nara's own data; our own columns follow
them in snake_case so nobody mistakes them for Nara's. ``docs/nara-feed.md`` documents every column and
a test keeps it in step with ``COLUMNS``.

A row is a dict of typed Python values (str, int, date, datetime); each writer decides how a type is
spelt in its format.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog.models import ProductListing
from certification.codes import CONSTRUCTION_WORK_TYPES, Sector, validate_classification_code
from certification.models import ClassificationCode, Region
from certification.validators import format_business_number, validate_business_number

FEED_VERSION = "1.0"
CERTIFICATION_TYPE = "상생협력제품"  # the certification label Nara lists in prodctCertList
REGION_SEPARATOR = ";"

STR, INT, DATE, DATETIME = "string", "integer", "date", "datetime"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    type: str = STR
    required: bool = False
    # False for columns that describe the export rather than the product (they stay out of the row hash)
    content: bool = True


COLUMNS: tuple[Column, ...] = (
    # --- Nara open-data keys, in the order of the Public Procurement Service's product data
    Column("prdctClsfcNo", "물품분류번호", required=True),
    Column("prdctClsfcNoNm", "물품분류명", required=True),
    Column("dtilPrdctClsfcNo", "세부품명번호"),
    Column("dtilPrdctClsfcNoNm", "세부품명"),
    Column("prdctIdntNo", "물품식별번호"),
    Column("prdctSpecNm", "규격", required=True),
    Column("cntrctPrceAmt", "단가", INT, required=True),
    Column("prdctUnit", "단위", required=True),
    Column("prdctMakrNm", "제조사", required=True),
    Column("prdctOrgplceNm", "원산지", required=True),
    Column("dlvrTmlmtDaynum", "납품기한(일)", INT, required=True),
    Column("cntrctCorpNm", "업체명", required=True),
    Column("cntrctCorpBizno", "사업자등록번호", required=True),
    Column("prodctCertList", "인증", required=True),
    Column("prdctImgUrl", "이미지"),
    Column("rgstDt", "등록일시", DATETIME, required=True),
    Column("chgDt", "변경일시", DATETIME, required=True, content=False),
    # --- our own columns
    Column("prdct_nm", "품명", required=True),
    Column("min_order_qty", "최소주문수량", INT, required=True),
    Column("dlvr_region_codes", "납품지역코드"),
    Column("dlvr_regions", "납품지역"),
    Column("sector", "분야", required=True),
    Column("partner_corp_nm", "협력기업", required=True),
    Column("partner_corp_bizno", "협력기업 사업자등록번호", required=True),
    Column("cert_no", "인증번호", required=True),
    Column("cert_issued_on", "인증일자", DATE, required=True),
    Column("cert_expires_on", "인증만료일자", DATE, required=True),
    Column("product_url", "상품페이지", required=True),
    Column("listing_id", "상품ID", INT, required=True),
    Column("change_type", "변경구분", content=False),
    Column("delist_reason", "판매중지사유", content=False),
    Column("feed_version", "피드버전", required=True, content=False),
)
KEYS: tuple[str, ...] = tuple(column.key for column in COLUMNS)
LABELS: tuple[str, ...] = tuple(column.label for column in COLUMNS)
COLUMN_BY_KEY: dict[str, Column] = {column.key: column for column in COLUMNS}
_CONTENT_KEYS = tuple(column.key for column in COLUMNS if column.content)
_REQUIRED_KEYS = tuple(column.key for column in COLUMNS if column.required)

SECTOR_LABELS = {Sector.GOODS: "물품", Sector.CONSTRUCTION: "공사", Sector.SERVICES: "용역"}
REGION_NAMES = dict(Region.choices)


class ChangeType:
    ADDED = "added"
    CHANGED = "changed"
    DELISTED = "delisted"


class RejectCode:
    MISSING = "missing_field"
    BAD_CODE = "bad_classification_code"
    UNKNOWN_CODE = "unknown_classification_code"
    BAD_BIZNO = "bad_business_number"
    CERTIFICATE = "certificate_not_valid"
    NON_POSITIVE = "non_positive"


@dataclass(frozen=True)
class Reason:
    field: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message}


class ClassificationNames:
    """Classification names from the reference table, loaded once per export (a few hundred rows at most)."""

    def __init__(self, names: dict[str, str] | None = None) -> None:
        if names is None:
            names = dict(ClassificationCode.objects.values_list("code", "name"))
        self._names = names

    def get(self, code: str) -> str | None:
        return self._names.get(code)


def product_url(listing_id: int) -> str:
    template = getattr(settings, "NARA_PRODUCT_URL_TEMPLATE", "{base}/api/v1/listings/{id}/")
    return template.format(base=settings.SITE_BASE_URL, id=listing_id)


def image_url(listing: ProductListing) -> str:
    if not listing.image:
        return ""
    # urljoin keeps absolute storage URLs (object storage, CDN) and completes relative /media/ ones
    return urljoin(settings.SITE_BASE_URL + "/", listing.image.url)


def _local(moment: datetime) -> datetime:
    # Nara's times are Korean local times; the feed drops microseconds nobody registers with
    return timezone.localtime(moment).replace(microsecond=0)


def last_change(listing: ProductListing) -> datetime:
    """chgDt: the latest change of anything the row shows (listing, certificate, supplier, partner)."""
    certificate = listing.certificate
    moments = [listing.updated_at, certificate.updated_at, listing.supplier.updated_at]
    moments.append(certificate.partner.updated_at)
    return max(moments)


def classification_numbers(listing: ProductListing) -> tuple[str, str]:
    """(물품분류번호, 세부품명번호): construction carries its work-type code as the classification number."""
    if listing.sector == Sector.CONSTRUCTION:
        return (listing.work_type or listing.classification_code or "").strip(), ""
    code = (listing.classification_code or "").strip()
    if len(code) == 10:
        return code[:8], code
    return code, ""


def build_row(listing: ProductListing, names: ClassificationNames) -> dict[str, Any]:
    """The feed row of one listing, loaded with ``catalog.selectors.with_related`` (no extra queries)."""
    certificate = listing.certificate
    supplier = listing.supplier
    partner = certificate.partner
    clsfc_no, dtil_no = classification_numbers(listing)
    if listing.sector == Sector.CONSTRUCTION:
        clsfc_name = names.get(clsfc_no) or CONSTRUCTION_WORK_TYPES.get(clsfc_no, "")
    else:
        clsfc_name = names.get(clsfc_no) or ""
    # prefetched: .all() reads the prefetch cache, a filter or order_by would query again
    region_codes = sorted(region.code for region in listing.delivery_regions.all())
    return {
        "prdctClsfcNo": clsfc_no,
        "prdctClsfcNoNm": clsfc_name,
        "dtilPrdctClsfcNo": dtil_no,
        "dtilPrdctClsfcNoNm": (names.get(dtil_no) or "") if dtil_no else "",
        # services never carry a goods identification number, whatever the row holds
        "prdctIdntNo": "" if listing.sector != Sector.GOODS else (listing.goods_identification_number or ""),
        "prdctSpecNm": listing.specification,
        "cntrctPrceAmt": listing.unit_price,
        "prdctUnit": listing.unit,
        "prdctMakrNm": listing.manufacturer,
        "prdctOrgplceNm": listing.origin,
        "dlvrTmlmtDaynum": listing.delivery_lead_days,
        "cntrctCorpNm": supplier.name,
        "cntrctCorpBizno": format_business_number(supplier.business_number),
        "prodctCertList": f"{CERTIFICATION_TYPE}({certificate.number})",
        "prdctImgUrl": image_url(listing),
        "rgstDt": _local(listing.created_at),
        "chgDt": _local(last_change(listing)),
        "prdct_nm": listing.name,
        "min_order_qty": listing.min_order_quantity,
        "dlvr_region_codes": REGION_SEPARATOR.join(region_codes),
        "dlvr_regions": REGION_SEPARATOR.join(REGION_NAMES.get(code, code) for code in region_codes),
        "sector": listing.sector,
        "partner_corp_nm": partner.name,
        "partner_corp_bizno": format_business_number(partner.business_number),
        "cert_no": certificate.number,
        "cert_issued_on": certificate.issued_on,
        "cert_expires_on": certificate.expires_on,
        "product_url": product_url(listing.pk),
        "listing_id": listing.pk,
        "change_type": "",
        "delist_reason": "",
        "feed_version": FEED_VERSION,
    }


def validate_row(row: dict[str, Any], listing: ProductListing, today: date) -> list[Reason]:
    """Why a row cannot be listed on Nara; empty when it can. Checks everything, not just the first."""
    reasons: list[Reason] = []
    for key in _REQUIRED_KEYS:
        value = row.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if key == "prdctClsfcNoNm" and row.get("prdctClsfcNo"):
                continue  # an unknown code is reported once, below, as unknown
            reasons.append(
                Reason(key, RejectCode.MISSING, f"{COLUMN_BY_KEY[key].label} 값이 없습니다 (required).")
            )

    code = (listing.classification_code or "").strip()
    clsfc_no = row["prdctClsfcNo"]
    if code:
        try:
            validate_classification_code(listing.sector, code)
            if listing.sector == Sector.CONSTRUCTION:
                validate_classification_code(listing.sector, clsfc_no)
        except ValidationError as exc:
            reasons.append(Reason("prdctClsfcNo", RejectCode.BAD_CODE, " ".join(exc.messages)))
        else:
            if not row["prdctClsfcNoNm"]:
                reasons.append(
                    Reason(
                        "prdctClsfcNo",
                        RejectCode.UNKNOWN_CODE,
                        f"분류번호 {clsfc_no}가 기준표에 없습니다 (not in the classification reference table).",
                    )
                )

    for key, number in (
        ("cntrctCorpBizno", listing.supplier.business_number),
        ("partner_corp_bizno", listing.certificate.partner.business_number),
    ):
        try:
            validate_business_number(number)
        except ValidationError as exc:
            reasons.append(Reason(key, RejectCode.BAD_BIZNO, " ".join(exc.messages)))

    certificate = listing.certificate
    if not certificate.is_valid_on(today):
        reasons.append(
            Reason(
                "cert_no",
                RejectCode.CERTIFICATE,
                f"인증서 {certificate.number}가 {today.isoformat()}에 유효하지 않습니다 "
                f"(status {certificate.status}, valid {certificate.issued_on}–{certificate.expires_on}).",
            )
        )

    for key in ("cntrctPrceAmt", "dlvrTmlmtDaynum", "min_order_qty"):
        value = row.get(key)
        if isinstance(value, int) and value <= 0:
            reasons.append(
                Reason(
                    key,
                    RejectCode.NON_POSITIVE,
                    f"{COLUMN_BY_KEY[key].label}은(는) 1 이상이어야 합니다 (> 0).",
                )
            )
    return reasons


def row_hash(row: dict[str, Any]) -> str:
    """A digest of what the marketplace would see; export-describing columns stay out so a re-save
    without a real change is not reported as changed."""
    payload = json.dumps([row.get(key) for key in _CONTENT_KEYS], ensure_ascii=False, default=str)
    return hashlib.blake2b(payload.encode("utf-8"), digest_size=16).hexdigest()


def empty_row() -> dict[str, Any]:
    """A row with nothing filled in: text columns empty, typed columns None (null in JSON Lines)."""
    row: dict[str, Any] = {column.key: "" if column.type == STR else None for column in COLUMNS}
    row["feed_version"] = FEED_VERSION
    return row
