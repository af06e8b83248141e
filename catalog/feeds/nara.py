"""The Nara Marketplace feed format ``feed_version`` 1.0 (deprecated; 2.0 is ``catalog.feeds.nara2``): columns,
one row per listing, validation, and what both versions share (columns, checks, hashing).

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
from datetime import date, tzinfo
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog.feeds.pps import REGION_NAMES
from catalog.feeds.records import ListingRecord
from catalog.links import PRODUCT_IMAGE, PRODUCT_PAGE, absolute_template
from catalog.models import GOODS_IDENTIFICATION_MESSAGE, ProductListing
from catalog.visibility import certificate_valid_on
from certification.codes import CONSTRUCTION_WORK_TYPES, Sector, validate_classification_code
from certification.models import Certificate, ClassificationCode
from certification.validators import format_business_number, validate_business_number
from core.identifiers import is_ascii_digits

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


# the certificate, the links and the export's own columns: the same in every feed version
OWN_TAIL: tuple[Column, ...] = (
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
    *OWN_TAIL,
)
KEYS: tuple[str, ...] = tuple(column.key for column in COLUMNS)
LABELS: tuple[str, ...] = tuple(column.label for column in COLUMNS)
COLUMN_BY_KEY: dict[str, Column] = {column.key: column for column in COLUMNS}

SECTOR_LABELS = {Sector.GOODS: "물품", Sector.CONSTRUCTION: "공사", Sector.SERVICES: "용역"}


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
    BAD_GOODS_NUMBER = "bad_goods_identification_number"


@dataclass(frozen=True)
class Reason:
    field: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message}


class ClassificationNames(dict[str, str]):
    """Classification names from the reference table, loaded once per export (a few hundred rows at most)."""

    def __init__(self, names: dict[str, str] | None = None) -> None:
        super().__init__(ClassificationCode.objects.values_list("code", "name") if names is None else names)


class RowContext:
    """What the rows of one export share, resolved once: looking settings and the time zone up again
    for every row cost more than building the row."""

    def __init__(self, names: ClassificationNames | None = None) -> None:
        self.names = names if names is not None else ClassificationNames()
        self.zone = timezone.get_current_timezone()
        # the public product page and image routes, whatever storage holds the file; product_url(id=…) is
        # a bound str.format, called without a Python frame of its own
        self.product_url = absolute_template(PRODUCT_PAGE).format
        self.image_url = absolute_template(PRODUCT_IMAGE).format


def _record(listing: ListingRecord | ProductListing, zone: tzinfo | None = None) -> ListingRecord:
    if isinstance(listing, ListingRecord):
        return listing
    return ListingRecord.of(listing, zone or timezone.get_current_timezone())


def classification_numbers(listing: ListingRecord) -> tuple[str, str]:
    """(물품분류번호, 세부품명번호): construction carries its work-type code as the classification number."""
    if listing.sector == Sector.CONSTRUCTION:
        return (listing.work_type or listing.classification_code or "").strip(), ""
    code = (listing.classification_code or "").strip()
    if len(code) == 10:
        return code[:8], code
    return code, ""


def build_row(
    listing: ListingRecord | ProductListing, context: RowContext | ClassificationNames
) -> dict[str, Any]:
    """The feed row of one listing. Exports pass records and one context for all rows; a one-off caller
    may pass a listing loaded with ``catalog.selectors.with_related`` and just the names."""
    if not isinstance(context, RowContext):
        context = RowContext(context)
    record = _record(listing, context.zone)
    names = context.names
    clsfc_no, dtil_no = classification_numbers(record)
    if record.sector == Sector.CONSTRUCTION:
        clsfc_name = names.get(clsfc_no) or CONSTRUCTION_WORK_TYPES.get(clsfc_no, "")
    else:
        clsfc_name = names.get(clsfc_no) or ""
    region_codes, region_names = _region_texts(record.region_codes)
    return {
        "prdctClsfcNo": clsfc_no,
        "prdctClsfcNoNm": clsfc_name,
        "dtilPrdctClsfcNo": dtil_no,
        "dtilPrdctClsfcNoNm": (names.get(dtil_no) or "") if dtil_no else "",
        **product_columns(record),
        "cntrctCorpNm": record.supplier_name,
        "cntrctCorpBizno": _business_number_text(record.supplier_business_number),
        "prodctCertList": f"{CERTIFICATION_TYPE}({record.certificate_number})",
        "prdctImgUrl": context.image_url(id=record.id) if record.image else "",
        "rgstDt": record.created_at,
        "chgDt": record.last_change,
        "prdct_nm": record.name,
        "min_order_qty": record.min_order_quantity,
        "dlvr_region_codes": region_codes,
        "dlvr_regions": region_names,
        "sector": record.sector,
        "partner_corp_nm": record.partner_name,
        "partner_corp_bizno": _business_number_text(record.partner_business_number),
        "cert_no": record.certificate_number,
        "cert_issued_on": record.certificate_issued_on,
        "cert_expires_on": record.certificate_expires_on,
        "product_url": context.product_url(id=record.id),
        "listing_id": record.id,
        "change_type": "",
        "delist_reason": "",
        "feed_version": FEED_VERSION,
    }


def product_columns(record: ListingRecord) -> dict[str, Any]:
    """The product's own descriptors, under the same PPS keys and in the same form in every feed version."""
    return {
        # services never carry a goods identification number, whatever the row holds
        "prdctIdntNo": "" if record.sector != Sector.GOODS else (record.goods_identification_number or ""),
        "prdctSpecNm": record.specification,
        "cntrctPrceAmt": record.unit_price,
        "prdctUnit": record.unit,
        "prdctMakrNm": record.manufacturer,
        "prdctOrgplceNm": record.origin,
        "dlvrTmlmtDaynum": record.delivery_lead_days,
    }


# A catalog repeats a few hundred companies and region sets over thousands of rows; the caches are
# bounded, so memory stays flat however large the export.
_business_number_text = lru_cache(maxsize=4096)(format_business_number)


@lru_cache(maxsize=4096)
def _region_texts(codes: tuple[str, ...]) -> tuple[str, str]:
    """(dlvr_region_codes, dlvr_regions) of sorted region codes. A realistic catalog has more region sets
    than the cache holds, so a miss must be cheap: the names come from a table built once, not from
    ``region_name_ko``, which switches the translation language for each name."""
    return REGION_SEPARATOR.join(codes), REGION_SEPARATOR.join(
        [REGION_NAMES.get(code, code) for code in codes]
    )


class RequiredCheck:
    """The checks every feed version makes of its own columns: required values present, counts positive."""

    POSITIVE = ("cntrctPrceAmt", "dlvrTmlmtDaynum", "min_order_qty")

    def __init__(self, columns: tuple[Column, ...]) -> None:
        self.by_key = {column.key: column for column in columns}
        self.order = {column.key: index for index, column in enumerate(columns)}
        # text columns hold str (or None when unset); typed columns hold their type or None
        self.text = tuple(c.key for c in columns if c.required and c.type == STR)
        self.typed = tuple(c.key for c in columns if c.required and c.type != STR)

    def missing(self, row: dict[str, Any]) -> list[Reason]:
        # this runs for each required column of every row exported, and nearly every row has them all:
        # one pass of C calls says so; only a row that lacks one is looked at value by value
        texts = list(map(row.get, self.text))
        if all(texts) and not any(map(str.isspace, texts)) and None not in map(row.get, self.typed):
            return []
        missing = [key for key in self.text if not (value := row.get(key)) or value.isspace()]
        missing += [key for key in self.typed if row.get(key) is None]
        reasons = []
        for key in sorted(missing, key=self.order.__getitem__) if missing else ():
            if key == "prdctClsfcNoNm" and row.get("prdctClsfcNo"):
                continue  # an unknown code is reported once, as unknown
            reasons.append(
                Reason(key, RejectCode.MISSING, f"{self.by_key[key].label} 값이 없습니다 (required).")
            )
        return reasons

    def non_positive(self, row: dict[str, Any]) -> list[Reason]:
        return [
            Reason(key, RejectCode.NON_POSITIVE, f"{self.by_key[key].label}은(는) 1 이상이어야 합니다 (> 0).")
            for key in self.POSITIVE
            if isinstance(value := row.get(key), int) and value <= 0
        ]


REQUIRED = RequiredCheck(COLUMNS)


def validate_row(row: dict[str, Any], listing: ListingRecord | ProductListing, today: date) -> list[Reason]:
    """Why a row cannot be listed on Nara; empty when it can. Checks everything, not just the first."""
    record = _record(listing)
    reasons = REQUIRED.missing(row)
    code = (record.classification_code or "").strip()
    if code:
        reasons.extend(
            _classification_reasons(record.sector, code, row["prdctClsfcNo"], bool(row["prdctClsfcNoNm"]))
        )
    reasons.extend(record_reasons(row, record, today))
    reasons.extend(REQUIRED.non_positive(row))
    return reasons


def record_reasons(row: dict[str, Any], record: ListingRecord, today: date) -> list[Reason]:
    """The checks of what the row carries from the listing's records, the same in every feed version:
    the goods identification number, both business numbers, the certificate on the export day."""
    reasons = []
    if row.get("prdctIdntNo") and not is_ascii_digits(row["prdctIdntNo"], 8):
        # the stored number, as it is: a look-alike digit that reached the database is refused here too
        reasons.append(Reason("prdctIdntNo", RejectCode.BAD_GOODS_NUMBER, GOODS_IDENTIFICATION_MESSAGE))
    reasons.extend(_business_number_reasons("cntrctCorpBizno", record.supplier_business_number))
    reasons.extend(_business_number_reasons("partner_corp_bizno", record.partner_business_number))
    reasons.extend(
        _certificate_reasons(
            record.certificate_number,
            record.certificate_status,
            record.certificate_issued_on,
            record.certificate_expires_on,
            today,
        )
    )
    return reasons


# The checks below depend only on their arguments, which repeat across a catalog just as well.
@lru_cache(maxsize=4096)
def _classification_reasons(sector: str, code: str, clsfc_no: str, named: bool) -> tuple[Reason, ...]:
    try:
        validate_classification_code(sector, code)
        if sector == Sector.CONSTRUCTION:
            validate_classification_code(sector, clsfc_no)
    except ValidationError as exc:
        return (Reason("prdctClsfcNo", RejectCode.BAD_CODE, " ".join(exc.messages)),)
    if named:
        return ()
    return (
        Reason(
            "prdctClsfcNo",
            RejectCode.UNKNOWN_CODE,
            f"분류번호 {clsfc_no}가 기준표에 없습니다 (not in the classification reference table).",
        ),
    )


@lru_cache(maxsize=4096)
def _business_number_reasons(key: str, number: str) -> tuple[Reason, ...]:
    try:
        validate_business_number(number)
    except ValidationError as exc:
        return (Reason(key, RejectCode.BAD_BIZNO, " ".join(exc.messages)),)
    return ()


@lru_cache(maxsize=4096)
def _certificate_reasons(
    number: str, status: str, issued_on: date, expires_on: date, today: date
) -> tuple[Reason, ...]:
    certificate = Certificate(number=number, status=status, issued_on=issued_on, expires_on=expires_on)
    if certificate_valid_on(certificate, today):
        return ()
    return (
        Reason(
            "cert_no",
            RejectCode.CERTIFICATE,
            f"인증서 {number}가 {today.isoformat()}에 유효하지 않습니다 "
            f"(status {status}, valid {issued_on}–{expires_on}).",
        ),
    )


# The hash payload is json.dumps(values, ensure_ascii=False, default=str), the spelling every stored
# manifest was hashed with; it must never change, or every row of the next delta would read as changed.
# (check_circular only guards against self-containing values, which a row of scalars cannot hold)
_HASH_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str, check_circular=False)


class RowHasher:
    """A digest of what the marketplace would see; export-describing columns (``content=False``) stay out
    so a re-save without a real change is not reported as changed."""

    def __init__(self, columns: tuple[Column, ...]) -> None:
        self.keys = tuple(column.key for column in columns if column.content)
        by_key = {column.key: column for column in columns}
        self.temporal = tuple(
            index for index, key in enumerate(self.keys) if by_key[key].type in (DATE, DATETIME)
        )

    def __call__(self, row: dict[str, Any]) -> str:
        values = list(map(row.get, self.keys))
        for index in self.temporal:
            value = values[index]
            # what default=str would give, without the encoder's costly call back for each value
            if isinstance(value, date):
                values[index] = str(value)
        payload = _HASH_ENCODER.encode(values)
        return hashlib.blake2b(payload.encode("utf-8"), digest_size=16).hexdigest()


row_hash = RowHasher(COLUMNS)


def empty_row_for(columns: tuple[Column, ...], version: str) -> dict[str, Any]:
    """A row with nothing filled in: text columns empty, typed columns None (null in JSON Lines)."""
    row: dict[str, Any] = {column.key: "" if column.type == STR else None for column in columns}
    row["feed_version"] = version
    return row


def empty_row() -> dict[str, Any]:
    return empty_row_for(COLUMNS, FEED_VERSION)
