"""Reading an uploaded file into raw rows, refusing what is not a plain workbook or CSV.

Checks run before any parser sees the content: the size (read with a cap, whatever the client declared),
the container (an OLE file is a legacy .xls or an encrypted workbook; a ZIP must be an OOXML workbook
without a VBA project), and the ZIP's members decompressed while streaming under a hard cap, so a zip bomb
is caught by what it inflates to, never by the sizes it declares. openpyxl then reads values (never
evaluating anything) with defusedxml installed. Rows and columns are counted as they stream, against the
limits in settings.
"""

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from catalog.uploads.columns import HEADER_ROWS, KEYS
from catalog.uploads.issues import Code, Issue, UploadRejected

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# an encrypted OOXML workbook is an OLE container with these streams (MS-OFFCRYPTO 2.3.4)
ENCRYPTION_STREAMS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
MACRO_MARKERS = ("vbaproject.bin", "macroenabled", "xl/macrosheets/")
CHUNK = 64 * 1024
MAX_ZIP_MEMBERS = 2000
# an empty row still costs a little to read; a sheet of empty rows up to row 1,048,576 is refused
EMPTY_ROW_ALLOWANCE = 1000


@dataclass
class RawSheet:
    """Data rows as (sheet row number, values in template key order); formula cells already reported."""

    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    kind: str = "xlsx"


def read_bytes(upload) -> bytes:
    """The upload's content, refused past ``BULK_UPLOAD_MAX_BYTES`` without reading more than that."""
    limit = settings.BULK_UPLOAD_MAX_BYTES
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise UploadRejected(
            Code.TOO_LARGE,
            f"파일이 {limit:,}바이트보다 큽니다 (the file is larger than {limit:,} bytes).",
        )
    return content


def read_sheet(content: bytes, name: str = "") -> RawSheet:
    if content.startswith(OLE_MAGIC):
        if any(marker in content for marker in ENCRYPTION_STREAMS):
            raise UploadRejected(
                Code.ENCRYPTED,
                "암호가 걸린 통합문서는 받을 수 없습니다. 암호를 해제하고 다시 올려 주세요 "
                "(password-protected workbooks cannot be read; remove the password and upload again).",
            )
        raise UploadRejected(
            Code.NOT_A_WORKBOOK,
            "예전 Excel 형식(.xls)은 받지 않습니다. .xlsx로 저장해 올려 주세요 "
            "(the legacy .xls format is not accepted; save the file as .xlsx).",
        )
    if content.startswith(ZIP_MAGIC):
        return _read_xlsx(content)
    if name.lower().endswith((".xlsx", ".xlsm", ".xls")) or b"\x00" in content[:4096]:
        raise _not_a_workbook()
    return _read_csv(content)


def _not_a_workbook() -> UploadRejected:
    return UploadRejected(
        Code.NOT_A_WORKBOOK,
        "Excel 통합문서(.xlsx)나 CSV 파일이 아닙니다 (the file is not an .xlsx workbook or a CSV file).",
    )


# ----------------------------------------------------------------- XLSX
def check_archive(content: bytes) -> None:
    """Refuses a ZIP that is not a macro-free workbook or that inflates past the cap. Every member is
    decompressed here in chunks and counted, so the declared sizes (which a bomb falsifies) never matter."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _not_a_workbook() from exc
    if len(members) > MAX_ZIP_MEMBERS:
        raise _bomb()
    names = {member.filename.lower() for member in members}
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        raise _not_a_workbook()
    content_types = b""
    limit = settings.BULK_UPLOAD_MAX_DECOMPRESSED_BYTES
    total = 0
    try:
        for member in members:
            data = bytearray() if member.filename == "[Content_Types].xml" else None
            with archive.open(member) as stream:
                while chunk := stream.read(CHUNK):
                    total += len(chunk)
                    if total > limit:
                        raise _bomb()
                    if data is not None and len(data) < 1024 * 1024:
                        data += chunk
            if data is not None:
                content_types = bytes(data)
    except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError, RuntimeError) as exc:
        # a corrupt member, an unknown compression method, or a ZIP-level password
        raise _not_a_workbook() from exc
    if "xl/workbook.bin" in names:
        raise UploadRejected(
            Code.NOT_A_WORKBOOK,
            "바이너리 통합문서(.xlsb)는 받지 않습니다 (binary .xlsb workbooks are not accepted).",
        )
    lowered = content_types.lower()
    if any(marker in name for name in names for marker in MACRO_MARKERS) or b"macroenabled" in lowered:
        raise UploadRejected(
            Code.MACRO_ENABLED,
            "매크로가 든 통합문서(.xlsm)는 받지 않습니다. .xlsx로 저장해 올려 주세요 "
            "(macro-enabled workbooks are not accepted; save the file as .xlsx).",
        )


def _bomb() -> UploadRejected:
    limit = settings.BULK_UPLOAD_MAX_DECOMPRESSED_BYTES
    return UploadRejected(
        Code.ZIP_BOMB,
        f"압축을 풀면 {limit:,}바이트를 넘는 파일입니다 (the workbook inflates past {limit:,} bytes).",
    )


def _read_xlsx(content: bytes) -> RawSheet:
    check_archive(content)
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a malformed part
        raise _not_a_workbook() from exc
    try:
        sheet = workbook.worksheets[0]
        # the stored dimension may claim A1:XFD1048576; rows are read as they are, unpadded
        sheet.reset_dimensions()
        return _collect(_xlsx_rows(sheet), "xlsx")
    except UploadRejected:
        raise
    except Exception as exc:
        raise _not_a_workbook() from exc
    finally:
        workbook.close()


def _xlsx_rows(sheet) -> Iterator[list[tuple[Any, bool]]]:
    for row in sheet.iter_rows():
        yield [(cell.value, getattr(cell, "data_type", None) == "f") for cell in row]


# ----------------------------------------------------------------- CSV
def _read_csv(content: bytes) -> RawSheet:
    # Excel saves Korean CSV as UTF-8 with a BOM or as CP949 (its "ANSI" code page here)
    for encoding in ("utf-8-sig", "cp949"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _not_a_workbook()
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        return _collect(([(value, False) for value in row] for row in reader), "csv")
    except csv.Error as exc:
        raise UploadRejected(
            Code.NOT_A_WORKBOOK, f"CSV 형식이 잘못되었습니다 (the CSV file is malformed: {exc})."
        ) from exc


# ----------------------------------------------------------------- rows, limits and the header
def _collect(rows: Iterator[list[tuple[Any, bool]]], kind: str) -> RawSheet:
    max_rows = settings.BULK_UPLOAD_MAX_ROWS
    max_columns = settings.BULK_UPLOAD_MAX_COLUMNS
    sheet = RawSheet(kind=kind)
    header: list[list[Any]] = []
    seen = 0
    for number, cells in enumerate(rows, start=1):
        seen += 1
        width = _width(cells)
        if width > max_columns:
            raise UploadRejected(
                Code.TOO_MANY_COLUMNS,
                f"{number}행에 열이 {width}개 있습니다. 최대 {max_columns}열입니다 "
                f"(row {number} has {width} columns; the limit is {max_columns}).",
            )
        if number <= HEADER_ROWS:
            header.append([value for value, _formula in cells[:width]])
            continue
        if not width:
            if seen > max_rows + HEADER_ROWS + EMPTY_ROW_ALLOWANCE:
                raise _too_many_rows(max_rows)
            continue
        if len(sheet.rows) >= max_rows:
            raise _too_many_rows(max_rows)
        values: dict[str, Any] = {}
        for index, (value, formula) in enumerate(cells[: len(KEYS)]):
            key = KEYS[index]
            if formula:
                sheet.issues.append(
                    Issue(
                        number,
                        key,
                        Code.FORMULA,
                        "수식 대신 값을 입력하세요 (a formula where a value is expected; paste values).",
                    )
                )
                value = None
            values[key] = value
        sheet.rows.append((number, values))
    _check_header(header)
    if not sheet.rows:
        raise UploadRejected(Code.EMPTY, "3행부터 제품 행이 없습니다 (no product rows from row 3 on).")
    return sheet


def _width(cells: list[tuple[Any, bool]]) -> int:
    """The row's width up to its last non-empty cell."""
    for index in range(len(cells) - 1, -1, -1):
        value = cells[index][0]
        if value is not None and not (isinstance(value, str) and not value.strip()):
            return index + 1
    return 0


def _too_many_rows(limit: int) -> UploadRejected:
    return UploadRejected(
        Code.TOO_MANY_ROWS,
        f"제품 행은 한 번에 {limit:,}개까지 올릴 수 있습니다 (at most {limit:,} product rows per file).",
    )


def _check_header(header: list[list[Any]]) -> None:
    keys = [
        str(value).strip() if value is not None else "" for value in (header[1] if len(header) > 1 else [])
    ]
    if tuple(keys) == KEYS:
        return
    missing = [key for key in KEYS if key not in keys]
    unexpected = [key for key in keys if key and key not in KEYS]
    detail = []
    if missing:
        detail.append(f"없는 열 (missing): {', '.join(missing)}")
    if unexpected:
        detail.append(f"모르는 열 (unexpected): {', '.join(unexpected)}")
    if not detail:
        detail.append("열 순서가 다릅니다 (the columns are in another order)")
    raise UploadRejected(
        Code.HEADER,
        "2행의 열 키가 양식과 다릅니다. 최신 양식을 내려받아 쓰세요 "
        f"(row 2 does not hold the template's column keys; download the current template). {'; '.join(detail)}.",
    )
