"""The feed's row rules read without a database: which classification numbers a row carries, when a
required value counts as missing, which counts must be positive, and every reason a row is refused.

Written to kill the mutants ``bench/mutation.py`` left alive over ``catalog/feeds/nara.py``
(docs/operations.md, "Mutation testing of the rules")."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog.feeds.nara import (
    COLUMNS,
    REQUIRED,
    ClassificationNames,
    RejectCode,
    RequiredCheck,
    RowContext,
    build_row,
    classification_numbers,
    validate_row,
)
from catalog.feeds.records import ListingRecord
from catalog.models import ProductListing
from certification.codes import CONSTRUCTION_WORK_TYPES, validate_classification_code
from certification.models import Certificate, Company
from certification.validators import validate_business_number

TODAY = date(2026, 6, 15)
WHEN = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
NAMES = ClassificationNames({"39111501": "LED조명", "3911150101": "LED가로등", "CW01": "토목"})


def record(**fields) -> ListingRecord:
    values = {
        "id": 1,
        "sector": "goods",
        "classification_code": "3911150101",
        "work_type": "",
        "goods_identification_number": "12345678",
        "name": "LED 가로등",
        "specification": "150W",
        "unit_price": 450000,
        "unit": "EA",
        "manufacturer": "한빛",
        "origin": "국산",
        "delivery_lead_days": 14,
        "min_order_quantity": 1,
        "image": "",
        "supplier_name": "한빛정밀",
        "supplier_business_number": "1248100998",
        "certificate_number": "WC-2026-0001",
        "certificate_status": "active",
        "certificate_issued_on": TODAY - timedelta(days=30),
        "certificate_expires_on": TODAY + timedelta(days=30),
        "partner_name": "대한전력",
        "partner_business_number": "2148600020",
        "supplier_size": "sme",
        "created_at": WHEN,
        "last_change": WHEN,
        "region_codes": ("11",),
    }
    values.update(fields)
    return ListingRecord(**values)


def reasons_of(listing: ListingRecord, **row_changes) -> set[tuple[str, str]]:
    row = build_row(listing, RowContext(NAMES))
    row.update(row_changes)
    return {(reason.field, reason.code) for reason in validate_row(row, listing, TODAY)}


def test_a_ten_digit_item_carries_its_class_and_itself():
    assert classification_numbers(record(classification_code="3911150101")) == ("39111501", "3911150101")
    assert classification_numbers(record(classification_code=" 39111501 ")) == ("39111501", "")
    assert classification_numbers(record(classification_code=None)) == ("", "")


def test_construction_carries_its_work_type_as_the_classification_number():
    built = record(sector="construction", work_type=" CW01 ", classification_code="CW02")
    assert classification_numbers(built) == ("CW01", "")
    assert classification_numbers(
        record(sector="construction", work_type="", classification_code="CW02")
    ) == (
        "CW02",
        "",
    )
    assert classification_numbers(
        record(sector="construction", work_type=None, classification_code=None)
    ) == (
        "",
        "",
    )


def test_a_valid_record_has_no_reasons():
    assert reasons_of(record()) == set()


def test_blank_text_and_unset_typed_values_are_missing():
    assert reasons_of(record(), prdctSpecNm="   ") == {("prdctSpecNm", RejectCode.MISSING)}
    assert reasons_of(record(), prdctMakrNm="") == {("prdctMakrNm", RejectCode.MISSING)}
    assert reasons_of(record(), prdctUnit=None) == {("prdctUnit", RejectCode.MISSING)}
    assert reasons_of(record(), rgstDt=None) == {("rgstDt", RejectCode.MISSING)}
    # a typed zero is there (and then not positive), not missing
    assert reasons_of(record(), min_order_qty=0) == {("min_order_qty", RejectCode.NON_POSITIVE)}


def test_missing_reasons_come_in_column_order_with_the_columns_label():
    row = build_row(record(), RowContext(NAMES))
    row.update(prdct_nm="", prdctSpecNm="", cntrctPrceAmt=None)
    reasons = REQUIRED.missing(row)
    assert [reason.field for reason in reasons] == ["prdctSpecNm", "cntrctPrceAmt", "prdct_nm"]
    assert reasons[0].message == "규격 값이 없습니다 (required)."
    assert {reason.code for reason in reasons} == {RejectCode.MISSING}


def test_a_check_built_for_a_versions_columns_reports_by_its_own_labels_and_order():
    # each feed version builds its own check of its columns (nara2.REQUIRED); reversed, the order follows
    check = RequiredCheck(tuple(reversed(COLUMNS)))
    row = build_row(record(), RowContext(NAMES))
    row.update(prdct_nm="", prdctUnit=None, prdctSpecNm="", cntrctPrceAmt=None)
    reasons = check.missing(row)
    # each once: a text value unset (None) is missing as text, not again as a typed value
    assert [reason.field for reason in reasons] == ["prdct_nm", "prdctUnit", "cntrctPrceAmt", "prdctSpecNm"]
    assert reasons[-1].message == "규격 값이 없습니다 (required)."
    assert [reason.field for reason in check.non_positive({"cntrctPrceAmt": 0})] == ["cntrctPrceAmt"]


def test_an_unknown_code_is_reported_once_as_unknown_not_as_a_missing_name():
    assert reasons_of(record(classification_code="3911169901")) == {("prdctClsfcNo", RejectCode.UNKNOWN_CODE)}
    # with no number at all the name is missing too
    row_reasons = reasons_of(record(), prdctClsfcNo="", prdctClsfcNoNm="")
    assert ("prdctClsfcNoNm", RejectCode.MISSING) in row_reasons
    assert ("prdctClsfcNo", RejectCode.MISSING) in row_reasons


@pytest.mark.parametrize("key", RequiredCheck.POSITIVE)
@pytest.mark.parametrize(("value", "refused"), [(-1, True), (0, True), (1, False), (None, False)])
def test_counts_must_be_positive(key, value, refused):
    reasons = REQUIRED.non_positive({key: value})
    assert [(reason.field, reason.code) for reason in reasons] == (
        [(key, RejectCode.NON_POSITIVE)] if refused else []
    )
    if refused:
        label = next(column.label for column in COLUMNS if column.key == key)
        assert reasons[0].message == f"{label}은(는) 1 이상이어야 합니다 (> 0)."


def test_a_code_of_another_sector_or_format_is_a_bad_code():
    assert reasons_of(record(classification_code="81111500")) == {("prdctClsfcNo", RejectCode.BAD_CODE)}
    assert reasons_of(record(classification_code="3911")) == {("prdctClsfcNo", RejectCode.BAD_CODE)}
    construction = record(sector="construction", classification_code="CW01", work_type="CW01")
    assert reasons_of(construction) == set()
    # construction checks the number the row carries (its work type) too
    assert reasons_of(construction, prdctClsfcNo="CW99") == {("prdctClsfcNo", RejectCode.BAD_CODE)}


def test_the_goods_identification_number_must_be_eight_ascii_digits():
    assert reasons_of(record(goods_identification_number="1234567")) == {
        ("prdctIdntNo", RejectCode.BAD_GOODS_NUMBER)
    }
    assert reasons_of(record(goods_identification_number="１２３４５６７８")) == {
        ("prdctIdntNo", RejectCode.BAD_GOODS_NUMBER)
    }
    assert reasons_of(record(goods_identification_number=None)) == set()


def test_each_business_number_is_checked_under_its_own_key():
    assert reasons_of(record(supplier_business_number="1248100999")) == {
        ("cntrctCorpBizno", RejectCode.BAD_BIZNO)
    }
    assert reasons_of(record(partner_business_number="2148600021")) == {
        ("partner_corp_bizno", RejectCode.BAD_BIZNO)
    }


@pytest.mark.parametrize(
    "fields",
    [
        {"certificate_status": "suspended"},
        {"certificate_issued_on": TODAY + timedelta(days=1)},
        {"certificate_expires_on": TODAY - timedelta(days=1)},
    ],
)
def test_a_certificate_not_valid_on_the_export_day_is_a_reason(fields):
    listing = record(**fields)
    assert reasons_of(listing) == {("cert_no", RejectCode.CERTIFICATE)}
    (reason,) = validate_row(build_row(listing, RowContext(NAMES)), listing, TODAY)
    assert reason.message.startswith(f"인증서 WC-2026-0001가 {TODAY.isoformat()}에 유효하지 않습니다")


def test_every_reason_of_a_row_is_reported_not_just_the_first():
    listing = record(classification_code="3911169901", supplier_business_number="1248100999", unit_price=0)
    assert reasons_of(listing, prdctMakrNm="") == {
        ("prdctMakrNm", RejectCode.MISSING),
        ("prdctClsfcNo", RejectCode.UNKNOWN_CODE),
        ("cntrctCorpBizno", RejectCode.BAD_BIZNO),
        ("cntrctPrceAmt", RejectCode.NON_POSITIVE),
    }


def loaded_listing(
    listing_at=WHEN, certificate_at=WHEN, supplier_at=WHEN, partner_at=WHEN, **fields
) -> ProductListing:
    """An unsaved listing as ``catalog.selectors.with_related`` loads one (regions prefetched)."""
    partner = Company(name="대한전력", updated_at=partner_at)
    certificate = Certificate(number="WC-1", partner=partner, updated_at=certificate_at)
    supplier = Company(name="한빛", size="sme", updated_at=supplier_at)
    listing = ProductListing(pk=1, certificate=certificate, supplier=supplier, **fields)
    listing.created_at = listing.updated_at = listing_at
    listing._prefetched_objects_cache = {"delivery_regions": []}
    return listing


def test_a_rows_change_time_is_the_latest_change_of_anything_it_shows():
    """chgDt moves when the certificate, the supplier or the partner changes, not only the listing."""
    later = WHEN + timedelta(hours=5, microseconds=250)
    assert ListingRecord.of(loaded_listing(), UTC).last_change == WHEN
    for stamp in ("listing_at", "certificate_at", "supplier_at", "partner_at"):
        # whole seconds, as the bulk read truncates them
        changed = ListingRecord.of(loaded_listing(**{stamp: later}), UTC)
        assert changed.last_change == later.replace(microsecond=0)


def test_a_rows_times_are_in_the_feeds_zone():
    """rgstDt and chgDt are in the zone the export asks for (Korean local time), not the process's."""
    built = ListingRecord.of(loaded_listing(), ZoneInfo("Asia/Seoul"))
    assert built.created_at.isoformat() == "2026-06-01T18:00:00+09:00"
    assert built.last_change.isoformat() == "2026-06-01T18:00:00+09:00"
    # Django sets the process's zone to TIME_ZONE (Seoul): another zone asked for must still be honoured
    in_utc = ListingRecord.of(loaded_listing(), ZoneInfo("UTC"))
    assert in_utc.created_at.isoformat() == in_utc.last_change.isoformat() == "2026-06-01T09:00:00+00:00"


def test_a_construction_record_carries_its_work_type_into_the_row():
    listing = loaded_listing(sector="construction", work_type="CW01", classification_code="")
    built = ListingRecord.of(listing, UTC)
    assert built.work_type == "CW01"
    assert build_row(built, RowContext(NAMES))["prdctClsfcNo"] == "CW01"


def test_a_record_carries_the_image_and_the_suppliers_size():
    built = ListingRecord.of(loaded_listing(image="products/1.jpg"), UTC)
    assert built.image == "products/1.jpg"
    assert build_row(built, RowContext(NAMES))["prdctImgUrl"].endswith("/products/1/image/")
    assert built.supplier_size == "sme"
    assert ListingRecord.of(loaded_listing(), UTC).image == ""


def test_a_refused_code_or_business_number_says_what_the_validator_says():
    with pytest.raises(ValidationError) as refused:
        validate_classification_code("goods", "81111500")
    listing = record(classification_code="81111500")
    (reason,) = validate_row(build_row(listing, RowContext(NAMES)), listing, TODAY)
    assert reason.message == " ".join(refused.value.messages) != ""
    with pytest.raises(ValidationError) as refused:
        validate_business_number("2148600021")
    listing = record(partner_business_number="2148600021")
    (reason,) = validate_row(build_row(listing, RowContext(NAMES)), listing, TODAY)
    assert reason.message == " ".join(refused.value.messages) != ""


def test_an_unknown_number_is_named_as_the_row_carries_it():
    listing = record(classification_code="3911169901")
    (reason,) = validate_row(build_row(listing, RowContext(NAMES)), listing, TODAY)
    # the 8-digit class the row carries in prdctClsfcNo, whose name the reference table lacks
    assert (
        reason.message == "분류번호 39111699가 기준표에 없습니다 (not in the classification reference table)."
    )


def test_a_certificate_reason_gives_its_status_and_validity():
    listing = record(certificate_status="suspended", certificate_expires_on=date(2026, 12, 31))
    (reason,) = validate_row(build_row(listing, RowContext(NAMES)), listing, TODAY)
    assert reason.message == (
        "인증서 WC-2026-0001가 2026-06-15에 유효하지 않습니다 (status suspended, valid 2026-05-16–2026-12-31)."
    )


def test_a_rows_regions_are_its_codes_and_names_in_code_order():
    row = build_row(record(region_codes=("11", "26", "41")), RowContext(NAMES))
    assert row["dlvr_region_codes"] == "11;26;41"
    assert row["dlvr_regions"] == "서울특별시;부산광역시;경기도"
    # a code without a name stays as it is, in its place
    row = build_row(record(region_codes=("11", "99")), RowContext(NAMES))
    assert (row["dlvr_region_codes"], row["dlvr_regions"]) == ("11;99", "서울특별시;99")
    row = build_row(record(region_codes=()), RowContext(NAMES))
    assert (row["dlvr_region_codes"], row["dlvr_regions"]) == ("", "")


def test_a_listing_without_a_classification_code_is_refused_for_the_missing_number_only():
    assert reasons_of(record(classification_code=None)) == {
        ("prdctClsfcNo", RejectCode.MISSING),
        ("prdctClsfcNoNm", RejectCode.MISSING),
    }
    # construction classified by its work type alone: nothing to refuse
    assert reasons_of(record(sector="construction", classification_code=None, work_type="CW01")) == set()


def test_a_bad_goods_identification_number_is_refused_with_the_listing_forms_message():
    listing = record(goods_identification_number="1234567")
    (reason,) = validate_row(build_row(listing, RowContext(NAMES)), listing, TODAY)
    assert reason.message == "물품식별번호는 8자리 숫자입니다 (goods identification number is 8 digits)."


def test_a_construction_row_is_named_from_the_reference_table_else_from_the_work_types():
    named = build_row(record(sector="construction", work_type="CW01"), RowContext(NAMES))
    assert named["prdctClsfcNoNm"] == "토목"
    unnamed = build_row(record(sector="construction", work_type="CW02"), RowContext(NAMES))
    assert unnamed["prdctClsfcNoNm"] == CONSTRUCTION_WORK_TYPES["CW02"] != ""


def test_a_1_0_row_from_the_names_alone_is_the_row_of_a_context_in_the_same_zone():
    assert build_row(record(), NAMES) == build_row(record(), RowContext(NAMES))
    with timezone.override(ZoneInfo("UTC")):
        context = RowContext(NAMES)
    # a loaded listing's times are turned into the context's zone, whatever the zone when the row is built
    assert build_row(loaded_listing(), context)["chgDt"].isoformat() == "2026-06-01T09:00:00+00:00"


def test_a_1_0_row_carries_each_value_of_its_record():
    context = RowContext(NAMES)
    row = build_row(record(region_codes=("11", "41")), context)
    assert row == {
        "prdctClsfcNo": "39111501",
        "prdctClsfcNoNm": "LED조명",
        "dtilPrdctClsfcNo": "3911150101",
        "dtilPrdctClsfcNoNm": "LED가로등",
        "prdctIdntNo": "12345678",
        "prdctSpecNm": "150W",
        "cntrctPrceAmt": 450000,
        "prdctUnit": "EA",
        "prdctMakrNm": "한빛",
        "prdctOrgplceNm": "국산",
        "dlvrTmlmtDaynum": 14,
        "cntrctCorpNm": "한빛정밀",
        "cntrctCorpBizno": "124-81-00998",
        "prodctCertList": "상생협력제품(WC-2026-0001)",
        "prdctImgUrl": "",
        "rgstDt": WHEN,
        "chgDt": WHEN,
        "prdct_nm": "LED 가로등",
        "min_order_qty": 1,
        "dlvr_region_codes": "11;41",
        "dlvr_regions": "서울특별시;경기도",
        "sector": "goods",
        "partner_corp_nm": "대한전력",
        "partner_corp_bizno": "214-86-00020",
        "cert_no": "WC-2026-0001",
        "cert_issued_on": date(2026, 5, 16),
        "cert_expires_on": date(2026, 7, 15),
        "product_url": context.product_url(id=1),
        "listing_id": 1,
        "change_type": "",
        "delist_reason": "",
        "feed_version": "1.0",
    }
    assert list(row) == [column.key for column in COLUMNS]


def test_a_1_0_row_leaves_what_the_listing_lacks_empty():
    row = build_row(record(classification_code="39111699"), RowContext(NAMES))
    assert (row["dtilPrdctClsfcNo"], row["dtilPrdctClsfcNoNm"], row["prdctClsfcNoNm"]) == ("", "", "")
    row = build_row(record(classification_code="3911150199"), RowContext(NAMES))
    assert (row["prdctClsfcNoNm"], row["dtilPrdctClsfcNoNm"]) == ("LED조명", "")
    # a construction code neither the reference table nor the work types name
    row = build_row(record(sector="construction", work_type="CX99"), RowContext(NAMES))
    assert row["prdctClsfcNoNm"] == ""
