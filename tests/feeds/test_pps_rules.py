"""Feed 2.0's rules read without a database: how ``catalog.feeds.pps`` spells a value in PPS's format and
which values its format check refuses, and what ``catalog.feeds.nara2`` refuses of a row beyond 1.0's
checks (construction's 업종 code, the missing classification number, a value already refused).

Written for the mutation run over ``catalog/feeds/nara2.py`` and ``catalog/feeds/pps.py``
(docs/operations.md, "Mutation testing of the rules")."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog import reference
from catalog.feeds import nara2, pps
from catalog.feeds.nara import RejectCode, RowContext
from certification.codes import validate_classification_code
from certification.models import Region

from .test_row_rules import NAMES, TODAY, loaded_listing, record

LABELS = {column.key: column.label for column in nara2.COLUMNS}
# one value in PPS's format for each key the format check reads
GOOD = {
    "prdctClsfcNo": "39111501",
    "dtilPrdctClsfcNo": "3911150101",
    "prdctIdntNo": "12345678",
    "cntrctPrceAmt": 450000,
    "dlvrTmlmtDaynum": 14,
    "prdctSplyRgnNm": "서울특별시,경기도",
    "cntrctCorpBizno": "1248100998",
    "entrprsDivNm": "중견기업",
    "smetprCmptProdctYn": "N",
    "prodctCertList": "상생협력제품,GR",
    "rgstDt": "20260601",
    "chgDt": "2026-06-01 18:00:00",
}
# for each key, values PPS would not hold (look-alike digits, separators, padding, another spelling)
BAD = {
    "prdctClsfcNo": ["3911150", "391115011", "３９１１１５０１", "3911 150"],
    "dtilPrdctClsfcNo": ["391115010", "39111501011"],
    "prdctIdntNo": ["1234567", "123456789", "1234567a"],
    "cntrctPrceAmt": [0, -1, "450,000", "0450000"],
    "dlvrTmlmtDaynum": [0, "14일"],
    "prdctSplyRgnNm": ["서울", "서울특별시;경기도", "서울특별시, 경기도", "전지역,서울특별시", "서울특별시,"],
    "cntrctCorpBizno": ["124-81-00998", "124810099", "12481009980"],
    "entrprsDivNm": ["중소", "sme", "중소기업,대기업"],
    "smetprCmptProdctYn": ["y", "YN", "Yes"],
    "prodctCertList": [",GR", "GR,", "GR,,KS", " GR", "GR ,KS"],
    "rgstDt": ["2026-06-01", "20261301", "20260230", "2026061"],
    "chgDt": ["20260601", "2026-06-01T18:00:00", "2026-06-01 24:00:00", "2026-06-31 18:00:00"],
}


def problems_of(row: dict, skip: frozenset = frozenset()) -> dict[str, str]:
    return {key: code for key, code, _message in pps.format_reasons(row, LABELS, set(skip))}


# ------------------------------------------------------------------ spelling
def test_a_business_number_is_written_as_its_ten_digits():
    assert pps.business_number_digits("124-81-00998") == "1248100998"
    assert pps.business_number_digits("124 81 00998") == "1248100998"
    assert pps.business_number_digits("") == pps.business_number_digits(None) == ""


def test_a_flag_is_y_or_n_and_a_name_list_is_comma_separated():
    assert (pps.yes_no(True), pps.yes_no(False)) == ("Y", "N")
    assert pps.name_list(("상생협력제품", "GR")) == "상생협력제품,GR"
    assert pps.name_list(["상생협력제품"]) == "상생협력제품"


def test_supply_regions_are_every_region_or_the_names_in_the_order_given():
    every = tuple(Region.values)
    assert pps.supply_regions(every) == pps.ALL_REGIONS == "전지역"
    assert pps.supply_regions(tuple(reversed(every))) == "전지역"
    assert pps.supply_regions(every[:-1]) == ",".join(pps.REGION_NAMES[code] for code in every[:-1])
    assert pps.supply_regions(("41", "11")) == "경기도,서울특별시"
    assert pps.supply_regions(("11",)) == "서울특별시"
    # a code with no name stays as it is (and the format check refuses it)
    assert pps.supply_regions(("11", "99")) == "서울특별시,99"
    assert pps.supply_regions(()) == ""


def test_enterprise_divisions_are_ppss_korean_names():
    assert pps.ENTERPRISE_DIVISIONS == {"sme": "중소기업", "mid": "중견기업", "large": "대기업"}
    row = nara2.build_row(record(supplier_size="large"), RowContext(NAMES))
    assert row["entrprsDivNm"] == "대기업"
    assert nara2.build_row(record(supplier_size=""), RowContext(NAMES))["entrprsDivNm"] == ""


# ------------------------------------------------------------------ checking
def test_values_in_ppss_formats_pass():
    assert problems_of(GOOD) == {}
    assert (
        problems_of({**GOOD, "prdctSplyRgnNm": "전지역", "smetprCmptProdctYn": "Y", "prodctCertList": "GR"})
        == {}
    )
    # a leap day, the last second of a day, any certification name without a comma
    assert problems_of({**GOOD, "rgstDt": "20240229", "chgDt": "2024-02-29 23:59:59"}) == {}
    assert problems_of({**GOOD, "prodctCertList": "상생협력제품(WW-2026-000001),환경 표지"}) == {}


@pytest.mark.parametrize("key", list(BAD))
def test_each_pps_key_refuses_what_pps_would_not_hold(key):
    for value in BAD[key]:
        # alone, and in a row whose other values are all in format (the row-at-once path)
        assert problems_of({key: value}) == {key: pps.BAD_FORMAT}, value
        assert problems_of({**GOOD, key: value}) == {key: pps.BAD_FORMAT}, value


def test_a_format_problem_names_the_column_the_value_and_the_format():
    ((key, code, message),) = pps.format_reasons({"rgstDt": "2026-06-01"}, LABELS, set())
    assert (key, code) == ("rgstDt", "bad_pps_format")
    assert (
        message
        == "등록일시 값 '2026-06-01'이(가) 조달청 형식이 아닙니다 (not in the PPS format of rgstDt: yyyyMMdd)."
    )
    # a key without a label is named by the key itself; a number is quoted as the number
    ((_key, _code, message),) = pps.format_reasons({"cntrctPrceAmt": 0}, {}, set())
    assert (
        message
        == "cntrctPrceAmt 값 0이(가) 조달청 형식이 아닙니다 (not in the PPS format of cntrctPrceAmt: whole won, no separators)."
    )


def test_empty_values_and_values_already_refused_are_not_checked_again():
    assert problems_of({**GOOD, "prdctClsfcNo": "", "prdctIdntNo": None}) == {}
    bad = {**GOOD, "cntrctCorpBizno": "124-81-00998", "rgstDt": "20261301"}
    assert problems_of(bad, skip=frozenset({"cntrctCorpBizno"})) == {"rgstDt": pps.BAD_FORMAT}
    assert problems_of(bad, skip=frozenset({"cntrctCorpBizno", "rgstDt"})) == {}
    # a value that is neither the empty text nor unset is checked: zero is not "empty"
    assert problems_of({"dlvrTmlmtDaynum": 0, "prdctIdntNo": ""}) == {"dlvrTmlmtDaynum": pps.BAD_FORMAT}


def test_every_value_of_a_row_out_of_format_is_reported_in_the_formats_order():
    row = {**GOOD, "chgDt": "2026-06-01", "prdctClsfcNo": "3911", "smetprCmptProdctYn": "n"}
    keys = [key for key, _code, _message in pps.format_reasons(row, LABELS, set())]
    assert keys == ["prdctClsfcNo", "smetprCmptProdctYn", "chgDt"]


def test_a_row_of_formats_is_refused_for_an_impossible_date_alone():
    # every pattern matches: only the calendar check of rgstDt or chgDt can refuse the row
    assert problems_of({**GOOD, "rgstDt": "20260230"}) == {"rgstDt": pps.BAD_FORMAT}
    assert problems_of({**GOOD, "chgDt": "2026-02-30 10:00:00"}) == {"chgDt": pps.BAD_FORMAT}
    assert problems_of({**GOOD, "chgDt": "2026-02-28 10:60:00"}) == {"chgDt": pps.BAD_FORMAT}
    # unset or empty dates are the required check's business, in a complete row too
    assert problems_of({**GOOD, "rgstDt": None, "chgDt": ""}) == {}


# ------------------------------------------------------------------ the 2.0 row
def reasons_of(listing, **row_changes) -> list[tuple[str, str]]:
    row = nara2.build_row(listing, RowContext(NAMES))
    row.update(row_changes)
    return [(reason.field, reason.code) for reason in nara2.validate_row(row, listing, TODAY)]


def test_a_valid_2_0_row_of_goods_or_construction_has_no_reasons():
    assert reasons_of(record()) == []
    construction = record(sector="construction", classification_code="CS02", work_type="CS02")
    assert nara2.build_row(construction, RowContext(NAMES))["industry_code"] == "4990"
    assert reasons_of(construction) == []


def test_construction_is_checked_by_its_work_type_and_its_industry_code():
    # the work type, or the certificate's classification when the listing has none
    by_code = record(sector="construction", classification_code="CS02", work_type="")
    assert nara2.build_row(by_code, RowContext(NAMES))["industry_code"] == "4990"
    assert reasons_of(by_code) == []
    # not one of our work types: a bad code, on the 업종 column
    not_ours = record(sector="construction", classification_code="CX99", work_type="CX99")
    assert reasons_of(not_ours) == [("industry_code", RejectCode.BAD_CODE)]
    with pytest.raises(ValidationError) as refused:
        validate_classification_code("construction", "CX99")
    (reason,) = nara2.validate_row(nara2.build_row(not_ours, RowContext(NAMES)), not_ours, TODAY)
    assert reason.message == " ".join(refused.value.messages) != ""
    # a work type without a sourced 업종 code (가스난방공사업 CS11)
    unmapped = record(sector="construction", classification_code="CS11", work_type=" CS11 ")
    listing_reasons = nara2.validate_row(nara2.build_row(unmapped, RowContext(NAMES)), unmapped, TODAY)
    assert [(r.field, r.code) for r in listing_reasons] == [("industry_code", nara2.UNMAPPED_WORK_TYPE)]
    assert listing_reasons[0].message == (
        "공사업종 CS11에 대응하는 업종코드가 업종 기준표에 없습니다 "
        "(work type CS11 has no 업종 code in the reference table)."
    )


def test_goods_without_a_classification_number_are_refused_for_it_once():
    assert reasons_of(record(classification_code=""), prdctClsfcNoNm="x") == [
        ("prdctClsfcNo", RejectCode.MISSING)
    ]
    (reason,) = nara2._classification_missing({"prdctClsfcNo": ""})
    assert reason.message == "물품분류번호 값이 없습니다 (required)."
    assert nara2._classification_missing({"prdctClsfcNo": "39111501"}) == []
    # goods with a code of another sector: a bad code, as in 1.0
    assert reasons_of(record(classification_code="81111500")) == [("prdctClsfcNo", RejectCode.BAD_CODE)]


def test_a_value_refused_by_a_rule_is_not_refused_again_for_its_format():
    listing = record(supplier_business_number="124-81-00999", unit_price=0)
    assert reasons_of(listing) == [
        ("cntrctCorpBizno", RejectCode.BAD_BIZNO),
        ("cntrctPrceAmt", RejectCode.NON_POSITIVE),
    ]
    # and a value no rule refused is checked for its format
    assert reasons_of(record(), rgstDt="2026-06-01") == [("rgstDt", pps.BAD_FORMAT)]


def test_the_manifest_knows_construction_by_its_industry_code_in_the_classification_slot():
    goods = nara2.build_row(record(), RowContext(NAMES))
    assert nara2.manifest_keys(goods) == ("39111501", "3911150101", "12345678", "WC-2026-0001")
    construction = nara2.build_row(
        record(sector="construction", classification_code="CS02", work_type="CS02"), RowContext(NAMES)
    )
    assert nara2.manifest_keys(construction) == ("4990", "", "", "WC-2026-0001")
    # each key is cut to the manifest's column width
    long = {**goods, "prdctClsfcNo": "1" * 12, "dtilPrdctClsfcNo": "2" * 12, "prdctIdntNo": "3" * 9}
    assert nara2.manifest_keys({**long, "cert_no": "C" * 25}) == ("1" * 10, "2" * 10, "3" * 8, "C" * 20)


def test_a_delisted_row_puts_a_four_digit_key_back_in_the_industry_column():
    assert nara2.delisted_keys("4990", "", "", "WC-1") == {
        "prdctClsfcNo": "",
        "industry_code": "4990",
        "dtilPrdctClsfcNo": "",
        "prdctIdntNo": "",
        "cert_no": "WC-1",
    }
    assert nara2.delisted_keys("39111501", "3911150101", "12345678", "WC-2") == {
        "prdctClsfcNo": "39111501",
        "industry_code": "",
        "dtilPrdctClsfcNo": "3911150101",
        "prdctIdntNo": "12345678",
        "cert_no": "WC-2",
    }


def test_a_format_accepts_exactly_what_the_row_check_lets_through():
    for key, rule in pps.FORMATS.items():
        for value in [GOOD[key], *BAD[key]]:
            assert rule.accepts(value) == (problems_of({key: value}) == {}), (key, value)


def test_a_format_built_later_matches_its_whole_pattern_then_its_further_check():
    even = pps.Format(r"[0-9]{2}", "2 digits, even", extra=lambda text: int(text) % 2 == 0)
    assert even.accepts("42") and even.accepts(42)
    assert not even.accepts("43")  # the pattern matches, the further check refuses
    assert not even.accepts("420") and not even.accepts("4")  # the whole value, not a part
    assert pps.Format(r"[YN]", "Y or N").accepts("Y")


def test_a_delisted_row_says_when_it_left_in_ppss_datetime_format():
    left = datetime(2026, 6, 1, 18, 0, 5, 123456, tzinfo=ZoneInfo("Asia/Seoul"))
    assert nara2.moment(left) == "2026-06-01 18:00:05"
    assert problems_of({"chgDt": nara2.moment(left)}) == {}


def test_an_empty_2_0_row_has_every_column_and_says_its_version():
    row = nara2.empty_row()
    assert list(row) == list(nara2.KEYS)
    assert row["feed_version"] == "2.0"
    assert row["cntrctPrceAmt"] is None and row["prdctSpecNm"] == ""


def test_an_unknown_number_in_2_0_is_named_as_the_row_carries_it():
    listing = record(classification_code="3911169901")
    row = nara2.build_row(listing, RowContext(NAMES))
    (reason,) = nara2.validate_row(row, listing, TODAY)
    assert (reason.field, reason.code) == ("prdctClsfcNo", RejectCode.UNKNOWN_CODE)
    assert (
        reason.message == "분류번호 39111699가 기준표에 없습니다 (not in the classification reference table)."
    )


def test_a_value_holding_separators_cannot_pass_as_the_next_columns_values():
    # the row-at-once check joins values with NUL; a business number carrying NULs and the next columns'
    # values would match column by column there (the certification list may hold a NUL), so it is refused
    # on its own whatever the number of NULs
    one = {**GOOD, "cntrctCorpBizno": "1234567890\x00중소기업", "entrprsDivNm": ""}
    assert problems_of(one) == {"cntrctCorpBizno": pps.BAD_FORMAT}
    two = {**GOOD, "cntrctCorpBizno": "1234567890\x00중견기업\x00Y", "entrprsDivNm": "중소기업"}
    assert problems_of(two) == {"cntrctCorpBizno": pps.BAD_FORMAT}


def test_an_impossible_date_is_refused_when_the_other_date_is_unset():
    assert problems_of({**GOOD, "rgstDt": "20260230", "chgDt": None}) == {"rgstDt": pps.BAD_FORMAT}
    assert problems_of({**GOOD, "rgstDt": "", "chgDt": "2026-02-30 10:00:00"}) == {"chgDt": pps.BAD_FORMAT}


def test_a_2_0_row_built_from_the_names_alone_is_the_row_of_a_context_with_them():
    assert nara2.build_row(record(), NAMES) == nara2.build_row(record(), RowContext(NAMES))


def test_a_2_0_row_of_a_loaded_listing_is_in_its_contexts_zone():
    # an export resolves the zone once, in its context; a row built later is still in that zone
    with timezone.override(ZoneInfo("UTC")):
        context = RowContext(NAMES)
    row = nara2.build_row(loaded_listing(), context)
    assert row["chgDt"] == "2026-06-01 09:00:00"
    assert nara2.build_row(loaded_listing(), RowContext(NAMES))["chgDt"] == "2026-06-01 18:00:00"


def test_a_2_0_row_carries_each_value_in_ppss_format():
    context = RowContext(NAMES)
    row = nara2.build_row(record(supplier_size="sme", region_codes=("11", "41")), context)
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
        "prdctSplyRgnNm": "서울특별시,경기도",
        "cntrctCorpNm": "한빛정밀",
        "cntrctCorpBizno": "1248100998",
        "entrprsDivNm": "중소기업",
        "smetprCmptProdctYn": "N",
        "prodctCertList": "상생협력제품",
        "prdctImgUrl": "",
        "rgstDt": "20260601",
        "chgDt": "2026-06-01 09:00:00",
        "prdct_nm": "LED 가로등",
        "min_order_qty": 1,
        "sector": "goods",
        "industry_code": "",
        "industry_name": "",
        "partner_corp_nm": "대한전력",
        "partner_corp_bizno": "2148600020",
        "cert_no": "WC-2026-0001",
        "cert_issued_on": date(2026, 5, 16),
        "cert_expires_on": date(2026, 7, 15),
        "product_url": context.product_url(id=1),
        "listing_id": 1,
        "change_type": "",
        "delist_reason": "",
        "feed_version": "2.0",
    }
    assert row["product_url"].endswith("/products/1/")
    assert list(row) == list(nara2.KEYS)


def test_a_2_0_row_leaves_what_the_listing_lacks_empty():
    # an 8-digit class without an item, a class the reference table does not name, no image
    row = nara2.build_row(record(classification_code="39111699"), RowContext(NAMES))
    assert (row["dtilPrdctClsfcNo"], row["dtilPrdctClsfcNoNm"], row["prdctClsfcNoNm"]) == ("", "", "")
    # an item the table does not name
    row = nara2.build_row(record(classification_code="3911150199"), RowContext(NAMES))
    assert (row["prdctClsfcNoNm"], row["dtilPrdctClsfcNoNm"]) == ("LED조명", "")
    with_image = nara2.build_row(record(image="products/1.jpg"), RowContext(NAMES))
    assert with_image["prdctImgUrl"].endswith("/products/1/image/")


def test_a_2_0_construction_row_carries_its_industry_code_not_a_classification():
    listing = record(
        sector="construction", classification_code="CS02", work_type="CS02", goods_identification_number=""
    )
    row = nara2.build_row(listing, RowContext(NAMES))
    assert {
        key: row[key] for key in ("prdctClsfcNo", "prdctClsfcNoNm", "dtilPrdctClsfcNo", "dtilPrdctClsfcNoNm")
    } == {
        "prdctClsfcNo": "",
        "prdctClsfcNoNm": "",
        "dtilPrdctClsfcNo": "",
        "dtilPrdctClsfcNoNm": "",
    }
    assert (row["industry_code"], row["industry_name"], row["sector"]) == (
        "4990",
        "실내건축공사업",
        "construction",
    )


def test_a_row_of_a_designated_sme_competition_item_says_y(monkeypatch):
    # the shipped designation list is empty (docs/nara-feed.md): designate a class as the list would
    monkeypatch.setattr(reference, "sme_competition_items", lambda: frozenset({"39111501"}))
    assert nara2.build_row(record(classification_code="3911150101"), NAMES)["smetprCmptProdctYn"] == "Y"
    assert nara2.build_row(record(classification_code="39111501"), NAMES)["smetprCmptProdctYn"] == "Y"
    assert nara2.build_row(record(classification_code="3911160101"), NAMES)["smetprCmptProdctYn"] == "N"
    monkeypatch.setattr(reference, "sme_competition_items", lambda: frozenset({"3911150101"}))
    assert nara2.build_row(record(classification_code="3911150101"), NAMES)["smetprCmptProdctYn"] == "Y"
