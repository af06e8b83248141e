"""How the feed's writers spell values, read without a database (the JSON encoder's fallback, the CSV
formula guard per column type).

Written to kill the mutants ``bench/mutation.py`` left alive over ``catalog/feeds/writers.py``
(docs/operations.md, "Mutation testing of the rules")."""

import csv as csv_module
import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from catalog.feeds import writers
from catalog.feeds.nara import COLUMN_BY_KEY
from catalog.feeds.writers import CsvWriter, JsonLinesWriter, XlsxWriter, text_value, writer_for


def test_text_formats_spell_nothing_as_empty_dates_in_iso_and_numbers_in_digits():
    assert text_value(None) == ""
    assert text_value(date(2026, 6, 15)) == "2026-06-15"
    assert text_value(datetime(2026, 6, 15, 9, 30, tzinfo=UTC)) == "2026-06-15T09:30:00+00:00"
    assert text_value(Decimal("12.50")) == "12.50"
    assert text_value(-3) == "-3"


def test_each_writer_writes_the_columns_of_its_feed_version_in_order(tmp_path):
    columns = (COLUMN_BY_KEY["prdct_nm"], COLUMN_BY_KEY["cert_issued_on"], COLUMN_BY_KEY["listing_id"])
    row = {"listing_id": 7, "prdct_nm": "LED 가로등", "cert_issued_on": date(2026, 6, 15), "sector": "goods"}
    jsonl = JsonLinesWriter(tmp_path / "rows.jsonl", columns)
    jsonl.write_row(row)
    jsonl.close()
    line = (tmp_path / "rows.jsonl").read_bytes().decode("utf-8")
    assert line == '{"prdct_nm":"LED 가로등","cert_issued_on":"2026-06-15","listing_id":7}\n'
    csv = CsvWriter(tmp_path / "rows.csv", columns)
    csv.write_row(row)
    csv.close()
    assert (tmp_path / "rows.csv").read_bytes().decode("utf-8") == (
        "\ufeffprdct_nm,cert_issued_on,listing_id\r\nLED 가로등,2026-06-15,7\r\n"
    )


def test_a_workbooks_checksum_and_size_are_those_of_the_file_written(tmp_path, monkeypatch):
    # read back in small chunks, as a workbook larger than one chunk (1 MiB) is
    monkeypatch.setattr(writers, "HASH_CHUNK", 512)
    writer = XlsxWriter(tmp_path / "rows.xlsx", (COLUMN_BY_KEY["prdct_nm"], COLUMN_BY_KEY["listing_id"]))
    writer.write_row({"prdct_nm": "LED 가로등", "listing_id": 7})
    sha256, size = writer.close()
    data = (tmp_path / "rows.xlsx").read_bytes()
    assert (sha256, size) == (hashlib.sha256(data).hexdigest(), len(data))


def csv_rows(path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv_module.reader(handle))


def test_csv_guards_a_formula_in_any_text_column_even_beside_an_empty_one(tmp_path):
    """A formula in a later text column is quoted, also when another text column has no value (None):
    the row-at-once search must not skip the column-by-column look in either case."""
    keys = ("prdct_nm", "prdctSpecNm", "prdctUnit", "cntrctPrceAmt", "cert_issued_on", "rgstDt")
    writer = CsvWriter(tmp_path / "rows.csv", tuple(COLUMN_BY_KEY[key] for key in keys))
    when = datetime(2026, 6, 15, 9, 30, tzinfo=UTC)
    plain = {
        "prdct_nm": "가로등",
        "prdctSpecNm": "150W",
        "cntrctPrceAmt": -3,
        "cert_issued_on": date(2026, 6, 15),
    }
    writer.write_row(plain | {"prdctUnit": "=HYPERLINK(1)", "rgstDt": when})
    writer.write_row(plain | {"prdct_nm": None, "prdctSpecNm": "+cmd", "prdctUnit": "EA"})
    writer.write_row(plain | {"prdctUnit": "a-b"})
    writer.close()
    header, first, second, third = csv_rows(tmp_path / "rows.csv")
    assert header == list(keys)
    assert first == ["가로등", "150W", "'=HYPERLINK(1)", "-3", "2026-06-15", "2026-06-15T09:30:00+00:00"]
    assert second == ["", "'+cmd", "EA", "-3", "2026-06-15", ""]
    assert third == ["가로등", "150W", "a-b", "-3", "2026-06-15", ""]


def test_csv_guards_a_formula_when_the_feed_has_one_text_column(tmp_path):
    writer = CsvWriter(tmp_path / "rows.csv", (COLUMN_BY_KEY["prdct_nm"], COLUMN_BY_KEY["listing_id"]))
    for name in ("@SUM(A1)", "가로등", None, "a=b"):
        writer.write_row({"prdct_nm": name, "listing_id": 7})
    writer.close()
    assert [row[0] for row in csv_rows(tmp_path / "rows.csv")[1:]] == ["'@SUM(A1)", "가로등", "", "a=b"]


def test_json_lines_spell_dates_and_times_in_iso_in_any_column(tmp_path):
    """Date and time columns are converted inline; a date in another column reaches the encoder's
    fallback, which spells it the same."""
    keys = ("cert_issued_on", "rgstDt", "prdct_nm", "listing_id")
    writer = JsonLinesWriter(tmp_path / "rows.jsonl", tuple(COLUMN_BY_KEY[key] for key in keys))
    when = datetime(2026, 6, 15, 9, 30, tzinfo=UTC)
    writer.write_row(
        {"cert_issued_on": date(2026, 6, 15), "rgstDt": when, "prdct_nm": date(2026, 1, 2), "listing_id": 7}
    )
    writer.write_row({"cert_issued_on": None, "rgstDt": None, "prdct_nm": "가로등", "listing_id": 8})
    sha256, size = writer.close()
    data = (tmp_path / "rows.jsonl").read_bytes()
    assert [json.loads(line) for line in data.decode("utf-8").splitlines()] == [
        {
            "cert_issued_on": "2026-06-15",
            "rgstDt": "2026-06-15T09:30:00+00:00",
            "prdct_nm": "2026-01-02",
            "listing_id": 7,
        },
        {"cert_issued_on": None, "rgstDt": None, "prdct_nm": "가로등", "listing_id": 8},
    ]
    assert (sha256, size) == (hashlib.sha256(data).hexdigest(), len(data))


def test_a_file_written_in_many_buffers_is_every_row_once_with_its_checksum_and_size(tmp_path, monkeypatch):
    """The text formats write a buffer at a time: a file larger than one buffer holds every row once, in
    order, and its checksum and size are those of the whole file."""
    monkeypatch.setattr(writers, "BUFFER_CHARS", 16)
    columns = (COLUMN_BY_KEY["prdct_nm"], COLUMN_BY_KEY["listing_id"])
    rows = [{"prdct_nm": f"가로등 {number}", "listing_id": number} for number in range(40)]
    for writer_class, path in (
        (CsvWriter, tmp_path / "rows.csv"),
        (JsonLinesWriter, tmp_path / "rows.jsonl"),
    ):
        writer = writer_class(path, columns)
        for row in rows:
            writer.write_row(row)
        sha256, size = writer.close()
        data = path.read_bytes()
        assert (sha256, size) == (hashlib.sha256(data).hexdigest(), len(data))
        if writer_class is CsvWriter:
            assert csv_rows(path)[1:] == [[row["prdct_nm"], str(row["listing_id"])] for row in rows]
        else:
            assert [json.loads(line) for line in data.decode("utf-8").splitlines()] == rows


def test_a_csv_of_columns_without_text_is_written(tmp_path):
    writer = CsvWriter(tmp_path / "rows.csv", (COLUMN_BY_KEY["listing_id"], COLUMN_BY_KEY["cntrctPrceAmt"]))
    writer.write_row({"listing_id": 7, "cntrctPrceAmt": -3})
    writer.close()
    assert csv_rows(tmp_path / "rows.csv") == [["listing_id", "cntrctPrceAmt"], ["7", "-3"]]


def test_an_unknown_format_is_refused_by_name(tmp_path):
    with pytest.raises(ValueError, match="unknown feed format 'pdf'"):
        writer_for("pdf", tmp_path / "rows.pdf")


def test_the_writer_for_a_format_writes_the_columns_of_the_feed_version_it_is_given(tmp_path):
    columns = (COLUMN_BY_KEY["listing_id"], COLUMN_BY_KEY["prdct_nm"])
    for export_format in ("csv", "jsonl", "xlsx"):
        writer = writer_for(export_format, tmp_path / f"rows.{export_format}", columns)
        writer.discard()
        assert writer.keys == ("listing_id", "prdct_nm")
