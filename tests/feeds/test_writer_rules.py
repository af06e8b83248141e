"""How the feed's writers spell values, read without a database (the JSON encoder's fallback, the CSV
formula guard per column type).

Written to kill the mutants ``bench/mutation.py`` left alive over ``catalog/feeds/writers.py``
(docs/operations.md, "Mutation testing of the rules")."""

import hashlib
from datetime import UTC, date, datetime
from decimal import Decimal

from catalog.feeds import writers
from catalog.feeds.nara import COLUMN_BY_KEY
from catalog.feeds.writers import CsvWriter, JsonLinesWriter, XlsxWriter, text_value


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
