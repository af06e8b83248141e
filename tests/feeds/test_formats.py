"""Each format parses back to the rows the generator built; Korean, BOM, types, formula safety."""

import io
import json
import tracemalloc
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalog import services as catalog_services
from catalog.feeds import delta, streaming
from catalog.feeds.nara import KEYS, LABELS, ClassificationNames, build_row
from catalog.feeds.writers import CsvWriter, neutralise_formula, text_value
from catalog.selectors import listed_listings, with_related
from tests.factories import bulk_listings
from tests.feeds.conftest import as_naive, by_id, read_csv, read_job, read_xlsx

pytestmark = pytest.mark.django_db


def expected_rows() -> list[dict]:
    names = ClassificationNames()
    return [build_row(listing, names) for listing in with_related(listed_listings()).order_by("pk")]


def as_csv(row: dict) -> dict:
    return {k: neutralise_formula(v) if isinstance(v, str) else text_value(v) for k, v in row.items()}


def as_jsonl(row: dict) -> dict:
    return json.loads(json.dumps(row, default=text_value))


def as_xlsx(row: dict) -> dict:
    converted = {}
    for key, value in row.items():
        if value == "" or value is None:
            value = None  # an empty text cell reads back as no value
        elif isinstance(value, date) and not isinstance(value, datetime):
            value = datetime(value.year, value.month, value.day)
        converted[key] = as_naive(value)
    return converted


NORMALISE = {"csv": as_csv, "jsonl": as_jsonl, "xlsx": as_xlsx}


@pytest.mark.parametrize("export_format", ["csv", "jsonl", "xlsx"])
def test_each_format_parses_back_to_the_same_rows(world, export_format):
    job = world.export(export_format)
    rows = read_job(job)
    assert rows == [NORMALISE[export_format](row) for row in expected_rows()]
    assert job.row_count == job.listed_count == 3
    assert {row["sector"] for row in rows} == {"goods", "services", "construction"}


@pytest.mark.parametrize("export_format", ["csv", "jsonl", "xlsx"])
def test_korean_text_survives(world, export_format):
    rows = by_id(read_job(world.export(export_format)))
    goods = rows[world.goods.pk]
    assert goods["cntrctCorpNm"] == "가나조명㈜"
    assert goods["partner_corp_nm"] == "대한전자"
    assert goods["prdctClsfcNoNm"] == "LED조명기구"
    assert goods["dlvr_regions"] == "서울특별시;경기도"
    assert goods["prodctCertList"] == f"상생협력제품({world.cert_goods.number})"


def test_csv_has_bom_crlf_and_key_header(world):
    raw = Path(world.export("csv").file.path).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw[3:].split(b"\r\n")
    assert lines[0].decode() == ",".join(KEYS)
    assert lines[-1] == b""  # every record, the last one too, ends with CRLF
    assert b"\n" not in raw.replace(b"\r\n", b"")
    # RFC 4180: a field with a comma is quoted
    assert b'"LED-PL-640, 40W, 640x640mm"' in raw


def test_jsonl_is_utf8_without_escapes(world):
    raw = Path(world.export("jsonl").file.path).read_bytes()
    assert "가나조명".encode() in raw
    assert b"\\u" not in raw
    assert len(raw.splitlines()) == 3


def test_xlsx_headers_and_cell_types(world):
    job = world.export("xlsx")
    labels, keys, _rows = read_xlsx(Path(job.file.path))
    assert labels == list(LABELS)
    assert keys == list(KEYS)
    from openpyxl import load_workbook

    sheet = load_workbook(job.file.path).active
    price = sheet.cell(row=3, column=KEYS.index("cntrctPrceAmt") + 1)
    assert price.data_type == "n" and isinstance(price.value, int)
    issued = sheet.cell(row=3, column=KEYS.index("cert_issued_on") + 1)
    assert issued.is_date and issued.number_format == "yyyy-mm-dd"
    changed = sheet.cell(row=3, column=KEYS.index("chgDt") + 1)
    assert changed.is_date and isinstance(changed.value, datetime)
    assert sheet.freeze_panes == "A3"


def test_sector_specific_columns(world):
    catalog_services.assign_goods_identification_number(
        world.admin, listing_id=world.goods.pk, number="24681357"
    )
    catalog_services.update_listing(
        world.supplier_a, listing_id=world.goods.pk, classification_code="3911160501"
    )
    rows = by_id(read_job(world.export("jsonl")))
    goods, service, construction = rows[world.goods.pk], rows[world.services.pk], rows[world.construction.pk]
    assert (goods["prdctClsfcNo"], goods["dtilPrdctClsfcNo"]) == ("39111605", "3911160501")
    assert goods["prdctIdntNo"] == "24681357"
    assert service["prdctIdntNo"] == "" and service["prdctClsfcNo"] == "81111500"
    # construction is classified by its work type, not a product number
    assert (construction["prdctClsfcNo"], construction["prdctClsfcNoNm"]) == ("CS02", "실내건축공사업")
    assert construction["cntrctPrceAmt"] == 85_000_000
    assert goods["product_url"] == f"https://sangsaeng.example/products/{world.goods.pk}/"


def test_image_url_is_absolute(world):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "PNG")
    catalog_services.update_listing(
        world.supplier_a,
        listing_id=world.goods.pk,
        image=SimpleUploadedFile("제품.png", buffer.getvalue(), "image/png"),
    )
    rows = by_id(read_job(world.export("jsonl")))
    # the public image route, whatever storage holds the file; empty without an image
    assert (
        rows[world.goods.pk]["prdctImgUrl"] == f"https://sangsaeng.example/products/{world.goods.pk}/image/"
    )
    assert rows[world.services.pk]["prdctImgUrl"] == ""


# ------------------------------------------------------------- formula injection
DANGEROUS = {
    "name": '=HYPERLINK("http://evil.example","클릭")',
    "specification": "+SUM(1,2)",
    "manufacturer": "@cmd",
    "origin": "-2+3",
}


def test_csv_neutralises_formulas_but_numbers_stay_numbers(world):
    catalog_services.update_listing(world.supplier_a, listing_id=world.goods.pk, **DANGEROUS)
    row = by_id(read_csv(Path(world.export("csv").file.path)))[world.goods.pk]
    assert row["prdct_nm"] == "'" + DANGEROUS["name"]
    assert row["prdctSpecNm"] == "'+SUM(1,2)"
    assert row["prdctMakrNm"] == "'@cmd"
    assert row["prdctOrgplceNm"] == "'-2+3"
    assert row["cntrctPrceAmt"] == "125000"


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_prefix_is_neutralised(prefix):
    assert neutralise_formula(prefix + "1") == "'" + prefix + "1"
    assert neutralise_formula("a" + prefix) == "a" + prefix


def test_negative_integers_are_not_quoted(tmp_path):
    writer = CsvWriter(tmp_path / "x.csv")
    writer.write_row({"cntrctPrceAmt": -5, "prdctSpecNm": "-5"})
    writer.close()
    row = read_csv(tmp_path / "x.csv")[0]
    assert (row["cntrctPrceAmt"], row["prdctSpecNm"]) == ("-5", "'-5")


def test_xlsx_stores_formulas_as_text(world):
    catalog_services.update_listing(world.supplier_a, listing_id=world.goods.pk, **DANGEROUS)
    job = world.export("xlsx")
    with zipfile.ZipFile(job.file.path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    row = by_id(read_xlsx(Path(job.file.path))[2])[world.goods.pk]
    assert row["prdct_nm"] == DANGEROUS["name"]  # exact text, shown not evaluated


# ------------------------------------------------------------- streaming
def _export_peak(world, export_format: str) -> int:
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    world.export(export_format)
    return tracemalloc.get_traced_memory()[1] - before


def test_export_memory_does_not_grow_with_rows(world, monkeypatch):
    """With chunks of 100, 2,000 rows must cost about what 200 cost: nothing is materialised.
    (bench/export_memory.py measures every format at 10k and 100k rows.)"""
    export_format = "csv"
    monkeypatch.setattr(streaming, "CHUNK_SIZE", 100)
    monkeypatch.setattr(delta, "MANIFEST_PAGE", 100)
    bulk_listings(world.goods, 197)
    tracemalloc.start()
    try:
        world.export(export_format)  # warm-up: imports, caches, first-query costs
        small = _export_peak(world, export_format)
        bulk_listings(world.goods, 1800)
        large = _export_peak(world, export_format)
    finally:
        tracemalloc.stop()
    assert large < small * 2, f"peak {large} bytes for 2,000 rows vs {small} for 200"
