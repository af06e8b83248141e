"""Feed 2.0 read back by an independent parser: plain csv / openpyxl / json and regular expressions written
from docs/nara-feed.md (the documented PPS formats), never the feed's own validators or column tables."""

import re
from datetime import datetime
from pathlib import Path

import pytest

from catalog.feeds import nara
from tests.factories import make_listing

from .conftest import read_csv, read_jsonl, read_xlsx

DOC = Path(__file__).resolve().parents[2] / "docs" / "nara-feed.md"
REGION_NAMES = (
    "서울특별시|부산광역시|대구광역시|인천광역시|광주광역시|대전광역시|울산광역시|세종특별자치시|경기도|"
    "강원특별자치도|충청북도|충청남도|전북특별자치도|전라남도|경상북도|경상남도|제주특별자치도"
)
# the formats as docs/nara-feed.md states them, written out here by hand
TEXT_FORMATS = {
    "cntrctCorpBizno": r"[0-9]{10}",
    "partner_corp_bizno": r"[0-9]{10}",
    "rgstDt": r"[0-9]{8}",
    "chgDt": r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}",
    "smetprCmptProdctYn": r"[YN]",
    "entrprsDivNm": r"중소기업|중견기업|대기업",
    "prodctCertList": r"[^,]+(,[^,]+)*",
    "prdctSplyRgnNm": rf"전지역|({REGION_NAMES})(,({REGION_NAMES}))*",
    "feed_version": r"2\.0",
}
GOODS_FORMATS = {
    "prdctClsfcNo": r"[0-9]{8}",
    "dtilPrdctClsfcNo": r"([0-9]{10})?",
    "prdctIdntNo": r"([0-9]{8})?",
}
# the documented 업종 codes of the work types these rows use
INDUSTRY = {"CS02": ("4990", "실내건축공사업"), "CE02": ("0036", "정보통신공사업")}


def documented_v2_keys() -> list[str]:
    """The column keys of the 2.0 table in docs/nara-feed.md, in order."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Columns (2.0)", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| \d+ \| `([A-Za-z_]+)` \|", section, flags=re.MULTILINE)


@pytest.fixture
def v2_world(world):
    """The feed world plus an information-and-communication works listing (CE02) in every region."""
    certificate = world.certificate(world.supplier_a, "construction", classification_code="CE02")
    world.network = make_listing(
        world.supplier_a,
        certificate,
        regions=(
            "11",
            "26",
            "27",
            "28",
            "29",
            "30",
            "31",
            "36",
            "41",
            "51",
            "43",
            "44",
            "52",
            "46",
            "47",
            "48",
            "50",
        ),
        unit_price=120_000_000,
    )
    return world


def _rows(job) -> tuple[list[str], list[dict]]:
    path = Path(job.file.path)
    if job.format == "csv":
        rows = read_csv(path)
        return list(rows[0].keys()), rows
    if job.format == "jsonl":
        rows = read_jsonl(path)
        return list(rows[0].keys()), rows
    _labels, keys, rows = read_xlsx(path)
    return keys, rows


@pytest.mark.parametrize("export_format", ["csv", "xlsx", "jsonl"])
def test_v2_rows_are_in_the_documented_pps_formats(v2_world, export_format):
    job = v2_world.export(export_format, feed_version="2.0")
    assert job.feed_version == "2.0" and "-v2.0-" in job.file.name
    header, rows = _rows(job)
    assert header == documented_v2_keys()
    assert "dlvr_regions" not in header and "dlvr_region_codes" not in header
    assert len(rows) == 4
    for row in rows:
        for key, pattern in TEXT_FORMATS.items():
            assert re.fullmatch(pattern, str(row[key])), (key, row[key])
        datetime.strptime(row["rgstDt"], "%Y%m%d")
        datetime.strptime(row["chgDt"], "%Y-%m-%d %H:%M:%S")
        # integers: digits in CSV, numbers in JSON Lines and XLSX
        for key in ("cntrctPrceAmt", "dlvrTmlmtDaynum", "min_order_qty", "listing_id"):
            value = row[key]
            if export_format == "csv":
                assert re.fullmatch(r"[1-9][0-9]*", value), (key, value)
            else:
                assert isinstance(value, int | float) and value == int(value) and value > 0, (key, value)
        assert row["prodctCertList"] == "상생협력제품"
        if row["sector"] == "construction":
            assert row["prdctClsfcNo"] in ("", None) and row["prdctIdntNo"] in ("", None)
            assert re.fullmatch(r"[0-9]{4}", str(row["industry_code"]))
        else:
            for key, pattern in GOODS_FORMATS.items():
                assert re.fullmatch(pattern, str(row[key] or "")), (key, row[key])
            assert row["industry_code"] in ("", None)
    by_id = {int(row["listing_id"]): row for row in rows}
    goods, network = by_id[v2_world.goods.pk], by_id[v2_world.network.pk]
    assert goods["prdctSplyRgnNm"] == "서울특별시,경기도"
    assert network["prdctSplyRgnNm"] == "전지역"
    assert goods["cntrctCorpBizno"] == v2_world.company_a.business_number.replace("-", "")
    assert goods["entrprsDivNm"] == "중소기업"
    for listing in (v2_world.construction, v2_world.network):
        code, name = INDUSTRY[listing.work_type]
        assert (str(by_id[listing.pk]["industry_code"]), by_id[listing.pk]["industry_name"]) == (code, name)


def test_both_versions_write_their_own_columns(world):
    header_v1, _ = _rows(world.export("csv", feed_version="1.0"))
    header_v2, _ = _rows(world.export("csv", feed_version="2.0"))
    assert header_v1 == list(nara.KEYS) and "dlvr_regions" in header_v1
    assert header_v2 == documented_v2_keys() and "prdctSplyRgnNm" in header_v2
    rows_v1 = {int(r["listing_id"]): r for r in _rows(world.export("csv", feed_version="1.0"))[1]}
    assert re.fullmatch(r"[0-9]{3}-[0-9]{2}-[0-9]{5}", rows_v1[world.goods.pk]["cntrctCorpBizno"])
    assert rows_v1[world.goods.pk]["feed_version"] == "1.0"


def test_every_documented_industry_code_row_is_four_digits_and_sourced():
    """The 업종 table in the docs, read independently: 4-digit codes, each with its work type and source."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Construction 업종 codes", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(
        r"^\| `(C[WSE][0-9]{2})` \| [^|]+ \| `([0-9]+)` \| ([^|]+) \| ([^|]+) \|$", section, re.M
    )
    assert len(rows) >= 15
    for _work_type, code, name, source in rows:
        assert re.fullmatch(r"[0-9]{4}", code) and name.strip() and source.strip()
    assert ("CS02", "4990") in {(w, c) for w, c, _n, _s in rows}
