"""The Nara Marketplace feed format ``feed_version`` 2.0: PPS keys in PPS's own formats.

Every column named by a Public Procurement Service open-data key carries its value exactly as PPS's open
data spells it under that key (``catalog.feeds.pps``: 10-digit business numbers, ``yyyyMMdd`` and
``YYYY-MM-DD HH:MM:SS`` times, Y/N flags, comma-separated name lists, whole-won integers). Real PPS fields
replace 1.0's stand-ins (``prdctSplyRgnNm`` for the ``dlvr_region*`` columns, ``entrprsDivNm``,
``smetprCmptProdctYn``, ``prodctCertList`` as certification names); our own columns keep snake_case.
Construction is classified by the licensed 업종 code (``industry_code``, ``catalog.reference``), not by a
PPS goods classification: its ``prdctClsfcNo`` is empty. ``docs/nara-feed.md`` documents each column and
the source of each format; a test keeps it in step with ``COLUMNS``.
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError

from catalog.feeds import pps
from catalog.feeds.nara import (
    CERTIFICATION_TYPE,
    INT,
    OWN_TAIL,
    ClassificationNames,
    Column,
    Reason,
    RejectCode,
    RequiredCheck,
    RowContext,
    RowHasher,
    _classification_reasons,
    _record,
    classification_numbers,
    empty_row_for,
    product_columns,
    record_reasons,
)
from catalog.feeds.records import ListingRecord
from catalog.models import ProductListing
from catalog.reference import industry_code_for, is_sme_competition_item
from certification.codes import Sector, validate_classification_code

FEED_VERSION = "2.0"
UNMAPPED_WORK_TYPE = "unmapped_work_type"

COLUMNS: tuple[Column, ...] = (
    # --- PPS keys, values in PPS's formats (catalog.feeds.pps)
    Column("prdctClsfcNo", "물품분류번호"),  # required for goods and services, empty for construction
    Column("prdctClsfcNoNm", "품명"),
    Column("dtilPrdctClsfcNo", "세부품명번호"),
    Column("dtilPrdctClsfcNoNm", "세부품명"),
    Column("prdctIdntNo", "물품식별번호"),
    Column("prdctSpecNm", "물품규격명", required=True),
    Column("cntrctPrceAmt", "계약가격금액", INT, required=True),
    Column("prdctUnit", "물품단위", required=True),
    Column("prdctMakrNm", "물품제조사명", required=True),
    Column("prdctOrgplceNm", "물품원산지명", required=True),
    Column("dlvrTmlmtDaynum", "납품기한일수", INT, required=True),
    Column("prdctSplyRgnNm", "물품공급지역명", required=True),
    Column("cntrctCorpNm", "계약업체명", required=True),
    Column("cntrctCorpBizno", "계약업체 사업자등록번호", required=True),
    Column("entrprsDivNm", "기업구분명", required=True),
    Column("smetprCmptProdctYn", "중소기업자간경쟁제품여부", required=True),
    Column("prodctCertList", "제품인증목록", required=True),
    Column("prdctImgUrl", "상품이미지URL"),
    Column("rgstDt", "등록일시", required=True),
    Column("chgDt", "변경일시", required=True, content=False),
    # --- our own columns
    Column("prdct_nm", "품명(제품명)", required=True),
    Column("min_order_qty", "최소주문수량", INT, required=True),
    Column("sector", "분야", required=True),
    Column("industry_code", "업종코드"),  # required for construction, empty otherwise
    Column("industry_name", "업종명"),
    *OWN_TAIL,
)
KEYS: tuple[str, ...] = tuple(column.key for column in COLUMNS)
LABELS: tuple[str, ...] = tuple(column.label for column in COLUMNS)
COLUMN_BY_KEY: dict[str, Column] = {column.key: column for column in COLUMNS}
REQUIRED = RequiredCheck(COLUMNS)
row_hash = RowHasher(COLUMNS)
_LABEL_BY_KEY = {column.key: column.label for column in COLUMNS}
# every listing carries the one certification the register is about
_CERTIFICATIONS = pps.name_list((CERTIFICATION_TYPE,))


def build_row(
    listing: ListingRecord | ProductListing, context: RowContext | ClassificationNames
) -> dict[str, Any]:
    """The 2.0 row of one listing (records and one context for an export, as ``nara.build_row``)."""
    if not isinstance(context, RowContext):
        context = RowContext(context)
    record = _record(listing, context.zone)
    names = context.names
    if record.sector == Sector.CONSTRUCTION:
        clsfc_no = dtil_no = clsfc_name = ""
        industry = industry_code_for(record.work_type or record.classification_code)
    else:
        clsfc_no, dtil_no = classification_numbers(record)
        clsfc_name = names.get(clsfc_no) or ""
        industry = None
    return {
        "prdctClsfcNo": clsfc_no,
        "prdctClsfcNoNm": clsfc_name,
        "dtilPrdctClsfcNo": dtil_no,
        "dtilPrdctClsfcNoNm": (names.get(dtil_no) or "") if dtil_no else "",
        **product_columns(record),
        "prdctSplyRgnNm": pps.supply_regions(record.region_codes),
        "cntrctCorpNm": record.supplier_name,
        "cntrctCorpBizno": pps.business_number_digits(record.supplier_business_number),
        "entrprsDivNm": pps.ENTERPRISE_DIVISIONS.get(record.supplier_size, ""),
        "smetprCmptProdctYn": pps.yes_no(is_sme_competition_item(dtil_no or clsfc_no)),
        "prodctCertList": _CERTIFICATIONS,
        "prdctImgUrl": context.image_url(id=record.id) if record.image else "",
        "rgstDt": pps.compact_date(record.created_at),
        "chgDt": pps.pps_datetime(record.last_change),
        "prdct_nm": record.name,
        "min_order_qty": record.min_order_quantity,
        "sector": record.sector,
        "industry_code": industry.code if industry else "",
        "industry_name": industry.name if industry else "",
        "partner_corp_nm": record.partner_name,
        "partner_corp_bizno": pps.business_number_digits(record.partner_business_number),
        "cert_no": record.certificate_number,
        "cert_issued_on": record.certificate_issued_on,
        "cert_expires_on": record.certificate_expires_on,
        "product_url": context.product_url(id=record.id),
        "listing_id": record.id,
        "change_type": "",
        "delist_reason": "",
        "feed_version": FEED_VERSION,
    }


def validate_row(row: dict[str, Any], listing: ListingRecord | ProductListing, today: date) -> list[Reason]:
    """Why a 2.0 row cannot be listed on Nara; empty when it can. Every failing check is listed: the
    checks 1.0 makes, the 업종 code of construction, then each PPS key's format (``pps.FORMATS``)."""
    record = _record(listing)
    reasons = REQUIRED.missing(row)
    if record.sector == Sector.CONSTRUCTION:
        reasons.extend(_construction_reasons(record, row))
    else:
        reasons.extend(_classification_missing(row))
        code = (record.classification_code or "").strip()
        if code:
            reasons.extend(
                _classification_reasons(record.sector, code, row["prdctClsfcNo"], bool(row["prdctClsfcNoNm"]))
            )
    reasons.extend(record_reasons(row, record, today))
    reasons.extend(REQUIRED.non_positive(row))
    flagged = {reason.field for reason in reasons}
    reasons.extend(Reason(*problem) for problem in pps.format_reasons(row, _LABEL_BY_KEY, flagged))
    return reasons


def _classification_missing(row: dict[str, Any]) -> list[Reason]:
    if row.get("prdctClsfcNo"):
        return []
    return [Reason("prdctClsfcNo", RejectCode.MISSING, "물품분류번호 값이 없습니다 (required).")]


def _construction_reasons(record: ListingRecord, row: dict[str, Any]) -> list[Reason]:
    work_type = (record.work_type or record.classification_code or "").strip()
    try:
        validate_classification_code(Sector.CONSTRUCTION, work_type)
    except ValidationError as exc:  # not one of our work types
        return [Reason("industry_code", RejectCode.BAD_CODE, " ".join(exc.messages))]
    if row.get("industry_code"):
        return []
    return [
        Reason(
            "industry_code",
            UNMAPPED_WORK_TYPE,
            f"공사업종 {work_type}에 대응하는 업종코드가 업종 기준표에 없습니다 "
            f"(work type {work_type} has no 업종 code in the reference table).",
        )
    ]


# ------------------------------------------------------------------ deltas
def manifest_keys(row: dict[str, Any]) -> tuple[str, str, str, str]:
    """The keys Nara knows a row by, for the manifest: construction's 업종 code stands in the
    classification slot (4 digits, so a delisted row can tell it from an 8-digit number)."""
    return (
        (row["prdctClsfcNo"] or row["industry_code"])[:10],
        row["dtilPrdctClsfcNo"][:10],
        row["prdctIdntNo"][:8],
        row["cert_no"][:20],
    )


def delisted_keys(prdct_clsfc_no: str, dtil_no: str, idnt_no: str, cert_no: str) -> dict[str, str]:
    industry = len(prdct_clsfc_no) == 4
    return {
        "prdctClsfcNo": "" if industry else prdct_clsfc_no,
        "industry_code": prdct_clsfc_no if industry else "",
        "dtilPrdctClsfcNo": dtil_no,
        "prdctIdntNo": idnt_no,
        "cert_no": cert_no,
    }


def moment(value: datetime) -> str:
    return pps.pps_datetime(value)


def empty_row() -> dict[str, Any]:
    return empty_row_for(COLUMNS, FEED_VERSION)
