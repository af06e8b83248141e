"""The bulk-upload template's columns: one place for the workbook, the CSV, the reader and the docs.

Row 1 holds the Korean labels, row 2 the keys (what the reader matches; labels may be reworded), data
starts on row 3. ``docs/bulk-upload.md`` documents every column and a test keeps it in step.
"""

from dataclasses import dataclass

from catalog.models import Unit
from certification.models import Region

TEXT, INTEGER, CODE, CHOICE, REGIONS, FLAG = "text", "integer", "code", "choice", "regions", "flag"
HEADER_ROWS = 2
REGION_SEPARATOR = ";"
YES = ("Y", "YES", "TRUE", "1", "예")
NO = ("N", "NO", "FALSE", "0", "아니오")


@dataclass(frozen=True)
class UploadColumn:
    key: str
    label: str
    kind: str = TEXT
    required: bool = False
    max_length: int | None = None
    # the listing field the column fills (None: read by the upload itself)
    field: str | None = None
    example: str = ""


COLUMNS: tuple[UploadColumn, ...] = (
    UploadColumn(
        "supplier_product_code", "자체 상품코드", CODE, True, 50, "supplier_product_code", "LED-640"
    ),
    UploadColumn("certificate_number", "인증번호", CODE, True, 30, None, "WW-2026-000001"),
    UploadColumn("name", "제품명", TEXT, True, 200, "name", "LED 평판조명"),
    UploadColumn("name_en", "영문 제품명", TEXT, False, 200, "name_en", "LED flat panel light"),
    UploadColumn("specification", "규격", TEXT, True, 300, "specification", "LED-PL-640, 40W, 640x640mm"),
    UploadColumn("manufacturer", "제조사", TEXT, True, 200, "manufacturer", "가나조명"),
    UploadColumn("origin", "원산지", TEXT, False, 100, "origin", "대한민국"),
    UploadColumn("unit", "단위", CHOICE, True, 10, "unit", "EA"),
    UploadColumn("unit_price", "단가(원)", INTEGER, True, None, "unit_price", "125000"),
    UploadColumn("min_order_quantity", "최소주문수량", INTEGER, False, None, "min_order_quantity", "1"),
    UploadColumn("delivery_lead_days", "납품기한(일)", INTEGER, False, None, "delivery_lead_days", "14"),
    UploadColumn("delivery_regions", "납품지역코드", REGIONS, False, None, None, "11;41"),
    UploadColumn("classification_code", "세부품명번호", CODE, False, 10, "classification_code", ""),
    UploadColumn("description", "설명", TEXT, False, 20000, "description", ""),
    UploadColumn("keywords", "검색어", TEXT, False, 500, "keywords", "LED,조명"),
    UploadColumn(
        "service_period_months", "용역기간(개월)", INTEGER, False, None, "service_period_months", ""
    ),
    UploadColumn("service_scope", "용역범위", TEXT, False, 5000, "service_scope", ""),
    UploadColumn("licence_number", "건설업 등록번호", TEXT, False, 50, "licence_number", ""),
    UploadColumn("published", "게시(Y/N)", FLAG, False, None, "published", "Y"),
)
KEYS: tuple[str, ...] = tuple(column.key for column in COLUMNS)
LABELS: tuple[str, ...] = tuple(column.label for column in COLUMNS)
COLUMN_BY_KEY: dict[str, UploadColumn] = {column.key: column for column in COLUMNS}
UNIT_CODES: tuple[str, ...] = tuple(Unit.values)
REGION_CODES: tuple[str, ...] = tuple(Region.values)
# defaults of the optional columns left empty, as the listing form has them
DEFAULTS = {"origin": "대한민국", "min_order_quantity": 1, "delivery_lead_days": 30, "published": True}

# The feed's columns (catalog.feeds.nara) that a template column fills, so a feed reason lands on the
# column the supplier can fix; the feed columns absent here describe the company, not the row.
FEED_COLUMN_TO_KEY: dict[str, str] = {
    "prdctClsfcNo": "classification_code",
    "prdctClsfcNoNm": "classification_code",
    "dtilPrdctClsfcNo": "classification_code",
    "dtilPrdctClsfcNoNm": "classification_code",
    "prdctSpecNm": "specification",
    "cntrctPrceAmt": "unit_price",
    "prdctUnit": "unit",
    "prdctMakrNm": "manufacturer",
    "prdctOrgplceNm": "origin",
    "dlvrTmlmtDaynum": "delivery_lead_days",
    "prdctSplyRgnNm": "delivery_regions",
    # construction's 업종 code follows the certificate's work type
    "industry_code": "certificate_number",
    "industry_name": "certificate_number",
    "prdct_nm": "name",
    "min_order_qty": "min_order_quantity",
    "cert_no": "certificate_number",
    "cert_issued_on": "certificate_number",
    "cert_expires_on": "certificate_number",
    "partner_corp_nm": "certificate_number",
    "partner_corp_bizno": "certificate_number",
}
