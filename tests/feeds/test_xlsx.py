"""The feed workbook's fast writer against XlsxWriter's own output for the same rows, part by part."""

import zipfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from openpyxl import load_workbook

from catalog.feeds.nara import COLUMNS, DATE, DATETIME, INT, KEYS, LABELS
from catalog.feeds.writers import XlsxWriter
from catalog.feeds.xlsx import SHEET_PART, SHEET_TITLE, SheetLayout, cell_values, write_reference_workbook

KST = timezone(timedelta(hours=9))
# the only part that differs: the creation time XlsxWriter stamps
TIMESTAMPED = "docProps/core.xml"


def feed_row(number: int, **changes) -> dict:
    row = {}
    for column in COLUMNS:
        if column.type == INT:
            row[column.key] = 125_000 + number
        elif column.type == DATE:
            row[column.key] = date(2026, 11, 24) + timedelta(days=number)
        elif column.type == DATETIME:
            row[column.key] = datetime(2026, 11, 24, 1, 51, 58, tzinfo=KST) + timedelta(seconds=number * 61)
        else:
            row[column.key] = f"LED 평판조명 {number}"
    row.update(changes)
    return row


TRICKY_TEXTS = {
    "prdct_nm": '=HYPERLINK("http://evil.example","클릭")',
    "prdctSpecNm": "a & b < c > d \"e\" 'f'",
    "prdctMakrNm": " 앞뒤 공백 ",
    "prdctOrgplceNm": "\u3000전각 공백",
    "cntrctCorpNm": "줄\n바꿈\t탭\r복귀",
    "partner_corp_nm": "제어\x01문자\x1f제거",
    "dtilPrdctClsfcNoNm": "_x0041_ 그대로",
    "prdctImgUrl": "",
    "delist_reason": None,
    "change_type": "\x02",  # nothing left once the illegal character is dropped: an empty cell
}


def rows() -> list[dict]:
    return [
        feed_row(0, **TRICKY_TEXTS),
        feed_row(1, cntrctPrceAmt=-5, dlvrTmlmtDaynum=None, cert_expires_on=None),
        feed_row(2, min_order_qty=10**12, rgstDt=datetime(2024, 2, 29, 23, 59, 59, tzinfo=KST)),
        # edge whitespace in a row without anything to escape (the writer's fast path)
        feed_row(3, prdctMakrNm=" 앞뒤 공백 ", prdctOrgplceNm="끝\u3000", prdctUnit="EA", cntrctPrceAmt=0),
        *(feed_row(number) for number in range(4, 40)),
    ]


def write_both(tmp_path: Path, feed_rows: list[dict]) -> tuple[Path, Path]:
    fast = tmp_path / "fast" / "feed.xlsx"
    fast.parent.mkdir()
    writer = XlsxWriter(fast)
    for row in feed_rows:
        writer.write_row(row)
    writer.close()
    reference = tmp_path / "reference.xlsx"
    write_reference_workbook(reference, [cell_values(row) for row in feed_rows], tmp_path)
    return fast, reference


@pytest.mark.parametrize("count", [0, 1, 40])
def test_the_workbook_is_xlsxwriters_own_for_the_same_rows(tmp_path, count):
    fast, reference = write_both(tmp_path, rows()[:count])
    with zipfile.ZipFile(fast) as ours, zipfile.ZipFile(reference) as theirs:
        assert ours.namelist() == theirs.namelist()
        assert ours.testzip() is None
        # XlsxWriter registers a number format once a cell uses it: an empty feed still carries the date
        # formats its prototype row needed (unused styles, harmless)
        compared = [name for name in theirs.namelist() if name != TIMESTAMPED]
        if count == 0:
            compared.remove("xl/styles.xml")
        for name in compared:
            assert ours.read(name) == theirs.read(name), name
        assert f'<dimension ref="A1:AF{2 + count}"/>'.encode() in ours.read(SHEET_PART)
    # nothing but the workbook is left in its folder
    assert [path.name for path in fast.parent.iterdir()] == ["feed.xlsx"]


def test_the_workbook_reads_back_with_its_layout_types_and_exact_text(tmp_path):
    fast, _reference = write_both(tmp_path, rows())
    workbook = load_workbook(fast)
    sheet = workbook.active
    assert sheet.title == "나라장터"
    assert sheet.freeze_panes == "A3"
    assert [cell.value for cell in sheet[1]] == list(LABELS)
    assert [cell.value for cell in sheet[2]] == list(KEYS)
    assert all(cell.font.b for cell in sheet[1])
    assert all(cell.font.i and cell.font.color.rgb.endswith("808080") for cell in sheet[2])
    first = dict(zip(KEYS, (cell.value for cell in sheet[3]), strict=True))
    assert first["prdct_nm"] == TRICKY_TEXTS["prdct_nm"]  # text, not a formula
    assert first["prdctSpecNm"] == TRICKY_TEXTS["prdctSpecNm"]
    assert first["prdctMakrNm"] == " 앞뒤 공백 "
    assert first["prdctOrgplceNm"] == "\u3000전각 공백"
    assert first["partner_corp_nm"] == "제어문자제거"
    assert first["prdctImgUrl"] is None and first["delist_reason"] is None and first["change_type"] is None
    assert first["rgstDt"] == datetime(2026, 11, 24, 1, 51, 58)
    assert first["cert_issued_on"] == datetime(2026, 11, 24)
    assert sheet.cell(row=3, column=KEYS.index("cert_issued_on") + 1).number_format == "yyyy-mm-dd"
    second = dict(zip(KEYS, (cell.value for cell in sheet[4]), strict=True))
    assert second["cntrctPrceAmt"] == -5 and second["dlvrTmlmtDaynum"] is None
    third = dict(zip(KEYS, (cell.value for cell in sheet[5]), strict=True))
    assert third["min_order_qty"] == 10**12
    assert third["rgstDt"] == datetime(2024, 2, 29, 23, 59, 59)
    fourth = dict(zip(KEYS, (cell.value for cell in sheet[6]), strict=True))
    assert (fourth["prdctMakrNm"], fourth["prdctOrgplceNm"]) == (" 앞뒤 공백 ", "끝\u3000")
    assert fourth["cntrctPrceAmt"] == 0
    assert sheet.max_row == 2 + len(rows())


def test_text_that_looks_like_xlsxwriters_rich_string_stays_text(tmp_path):
    # XlsxWriter would pass it into the sheet's XML as it is; a supplier's text must not become markup
    text = '<r><t>inject</t></r><c r="A1"/></r>'
    writer = XlsxWriter(tmp_path / "feed.xlsx")
    writer.write_row(feed_row(0, prdct_nm=text))
    writer.close()
    sheet = load_workbook(tmp_path / "feed.xlsx").active
    assert sheet.cell(row=3, column=KEYS.index("prdct_nm") + 1).value == text


def test_a_discarded_workbook_leaves_no_file(tmp_path):
    writer = XlsxWriter(tmp_path / "feed.xlsx")
    writer.write_row(feed_row(0))
    writer.discard()
    assert list(tmp_path.iterdir()) == []


def test_a_2_0_workbook_is_xlsxwriters_own_too(tmp_path):
    """The fast writer with 2.0's columns (PPS times as text, no date-time cells) against the reference."""
    from catalog.feeds import nara2

    feed_rows = [
        {**{c.key: f"{c.key} {n}" for c in nara2.COLUMNS if c.type not in (INT, DATE)}, **TRICKY_TEXTS}
        | {c.key: 7 + n for c in nara2.COLUMNS if c.type == INT}
        | {c.key: date(2026, 11, 24) for c in nara2.COLUMNS if c.type == DATE}
        | {"rgstDt": "20261124", "chgDt": "2026-11-24 01:51:58"}
        for n in range(5)
    ]
    fast = tmp_path / "fast" / "feed.xlsx"
    fast.parent.mkdir()
    writer = XlsxWriter(fast, nara2.COLUMNS)
    for row in feed_rows:
        writer.write_row(row)
    writer.close()
    reference = tmp_path / "reference.xlsx"
    write_reference_workbook(
        reference,
        [cell_values(r, nara2.COLUMNS) for r in feed_rows],
        tmp_path,
        SheetLayout(nara2.COLUMNS, SHEET_TITLE),
    )
    with zipfile.ZipFile(fast) as ours, zipfile.ZipFile(reference) as theirs:
        assert ours.read(SHEET_PART) == theirs.read(SHEET_PART)
    sheet = load_workbook(fast, read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[1]) == list(nara2.KEYS)
    assert values[2][list(nara2.KEYS).index("rgstDt")] == "20261124"  # text, never a date cell
