"""Files that are refused as a whole: each gets a clear, coded error, and no listing changes."""

import io
import zipfile

import pytest

from catalog.models import ProductListing
from catalog.uploads.models import BulkUpload
from tests.factories import PDF_BYTES
from tests.uploads.conftest import issues_of


@pytest.fixture
def untouched(uworld):
    """Asserts after the test that no listing was created, changed or deleted."""
    before = list(ProductListing.objects.order_by("pk").values_list("pk", "updated_at"))
    yield
    assert list(ProductListing.objects.order_by("pk").values_list("pk", "updated_at")) == before


def _refused(uworld, content: bytes, name: str = "products.xlsx") -> dict:
    upload = uworld.checked(content, name)
    assert upload["status"] == "refused", upload
    # refused means nothing to commit, ever
    assert uworld.commit(upload["id"]).status_code == 409
    return upload


def _file_codes(upload: dict) -> set[str]:
    return {issue["code"] for issue in upload["issues"]}


def _rezip(content: bytes, extra: dict[str, bytes] | None = None, replace: dict[str, bytes] | None = None):
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, (replace or {}).get(item.filename, source.read(item)))
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return buffer.getvalue()


def test_a_pdf_is_not_a_workbook(uworld, untouched):
    assert _file_codes(_refused(uworld, PDF_BYTES, "products.xlsx")) == {"not_a_workbook"}


def test_a_zip_that_is_not_a_workbook_is_refused(uworld, untouched):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "안녕")
    assert _file_codes(_refused(uworld, buffer.getvalue())) == {"not_a_workbook"}


def test_a_macro_enabled_workbook_is_refused(uworld, untouched):
    content = uworld.workbook([uworld.row()])
    types = zipfile.ZipFile(io.BytesIO(content)).read("[Content_Types].xml")
    macro = types.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    assert macro != types
    with_vba = _rezip(content, extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 508})
    assert _file_codes(_refused(uworld, with_vba, "products.xlsm")) == {"macro_enabled"}
    declared = _rezip(content, replace={"[Content_Types].xml": macro})
    assert _file_codes(_refused(uworld, declared)) == {"macro_enabled"}


def _ole(streams: list[str]) -> bytes:
    """An OLE compound file's header and a directory sector naming ``streams`` (what Excel's encrypted
    OOXML container holds: EncryptionInfo and EncryptedPackage; MS-OFFCRYPTO 2.3.4.1)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    header = header.ljust(512, b"\0")
    directory = b"".join(
        ("\x06DataSpaces" if name == "DataSpaces" else name).encode("utf-16-le").ljust(64, b"\0")
        + len(name.encode("utf-16-le") + b"\0\0").to_bytes(2, "little")
        + b"\x02".ljust(62, b"\0")
        for name in ["Root Entry", *streams]
    )
    return header + directory.ljust(512 * 2, b"\0")


def test_a_password_protected_workbook_is_refused(uworld, untouched):
    upload = _refused(uworld, _ole(["EncryptionInfo", "EncryptedPackage", "DataSpaces"]))
    assert _file_codes(upload) == {"encrypted"}
    assert "암호" in upload["issues"][0]["message"]


def test_a_legacy_xls_is_refused_with_its_own_reason(uworld, untouched):
    upload = _refused(uworld, _ole(["Workbook", "SummaryInformation"]), "products.xls")
    assert _file_codes(upload) == {"not_a_workbook"}
    assert ".xls" in upload["issues"][0]["message"]


def test_formulas_where_values_are_expected_refuse_the_file(uworld, untouched):
    content = uworld.workbook([uworld.row("P-1"), uworld.row("P-2", unit_price="=1000*98")])
    upload = _refused(uworld, content)
    assert (4, "unit_price", "formula") in issues_of(upload)


def test_formula_injection_in_text_refuses_the_file(uworld, untouched):
    rows = [
        uworld.row("P-1", name='=HYPERLINK("http://evil.example","click")'),
        uworld.row("P-2", manufacturer="@SUM(1+1)"),
        uworld.row("P-3", specification="+cmd|' /C calc'!A0"),
        uworld.row("P-4", keywords="-2+3"),
    ]
    upload = _refused(uworld, uworld.workbook(rows, as_text=("name",)))
    found = issues_of(upload)
    assert {(3, "name", "formula_injection"), (4, "manufacturer", "formula_injection")} <= found
    assert {(5, "specification", "formula_injection"), (6, "keywords", "formula_injection")} <= found
    # and in a CSV, where every cell is text
    csv_upload = _refused(uworld, uworld.csv(rows), "products.csv")
    assert (3, "name", "formula_injection") in issues_of(csv_upload)


def test_look_alike_digits_refuse_the_file(uworld, untouched):
    # Arabic-Indic and Devanagari digits: int() reads them as 98000 and 5; NFKC leaves them as they are
    rows = [uworld.row("P-1", unit_price="٩٨٠٠٠"), uworld.row("P-2", delivery_lead_days="५")]
    upload = _refused(uworld, uworld.csv(rows), "products.csv")
    assert {
        (3, "unit_price", "non_ascii_digits"),
        (4, "delivery_lead_days", "non_ascii_digits"),
    } <= issues_of(upload)


def test_duplicate_product_codes_refuse_the_file(uworld, untouched):
    rows = [uworld.row("P-1"), uworld.row("P-2"), uworld.row("P-1", unit_price=1000)]
    upload = _refused(uworld, uworld.workbook(rows))
    assert {
        (3, "supplier_product_code", "duplicate_product_code"),
        (5, "supplier_product_code", "duplicate_product_code"),
    } <= issues_of(upload)


def test_more_rows_than_the_limit_are_refused(uworld, untouched, settings):
    settings.BULK_UPLOAD_MAX_ROWS = 3
    rows = [uworld.row(f"P-{index}") for index in range(4)]
    assert _file_codes(_refused(uworld, uworld.workbook(rows))) == {"too_many_rows"}
    assert _file_codes(_refused(uworld, uworld.csv(rows), "p.csv")) == {"too_many_rows"}


def test_more_columns_than_the_limit_are_refused(uworld, untouched, settings):
    settings.BULK_UPLOAD_MAX_COLUMNS = 25
    content = uworld.csv([uworld.row()]).replace(b"\r\n", b",,,,,,,x\r\n")
    upload = _refused(uworld, content, "p.csv")
    assert _file_codes(upload) == {"too_many_columns"}


def test_a_header_that_does_not_match_the_template_is_refused(uworld, untouched):
    content = uworld.csv([uworld.row()]).replace(b"unit_price", b"price")
    upload = _refused(uworld, content, "p.csv")
    assert _file_codes(upload) == {"header_mismatch"}
    assert "unit_price" in upload["issues"][0]["message"] and "price" in upload["issues"][0]["message"]


def test_a_file_larger_than_the_limit_is_refused_before_it_is_stored(uworld, untouched, settings):
    settings.BULK_UPLOAD_MAX_BYTES = 1000
    response = uworld.upload(uworld.csv([uworld.row()] * 20), "p.csv")
    assert response.status_code == 400
    assert response.json()["code"] == "file_too_large"
    assert not BulkUpload.objects.exists()


def _bomb(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(size // (1024 * 1024)):
                member.write(b"\0" * (1024 * 1024))
    return buffer.getvalue()


def test_a_zip_bomb_is_caught_by_what_it_inflates_to(uworld, untouched, settings):
    settings.BULK_UPLOAD_MAX_DECOMPRESSED_BYTES = 4 * 1024 * 1024
    content = _bomb(64 * 1024 * 1024)
    assert len(content) < 200_000
    assert _file_codes(_refused(uworld, content)) == {"decompressed_too_large"}


def test_a_zip_bomb_that_declares_small_sizes_is_still_refused(uworld, untouched, settings):
    """The central directory and local header claim 1,000 bytes: the reader neither trusts nor needs them."""
    settings.BULK_UPLOAD_MAX_DECOMPRESSED_BYTES = 4 * 1024 * 1024
    content = bytearray(_bomb(16 * 1024 * 1024))
    archive = zipfile.ZipFile(io.BytesIO(bytes(content)))
    info = archive.getinfo("xl/worksheets/sheet1.xml")
    # zip64 sizes live in the extra field; rewrite both headers' 8-byte sizes to 1,000
    real = (info.file_size).to_bytes(8, "little")
    assert bytes(content).count(real) >= 1
    content = bytes(content).replace(real, (1000).to_bytes(8, "little"))
    upload = _refused(uworld, content)
    assert _file_codes(upload) == {"decompressed_too_large"}


def test_an_empty_template_is_refused(uworld, untouched):
    assert _file_codes(_refused(uworld, uworld.workbook([]))) == {"no_rows"}
