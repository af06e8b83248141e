"""The feed workbook: laid out by XlsxWriter, its data rows serialised here in XlsxWriter's own cell syntax.

``write_reference_workbook`` writes a whole workbook through XlsxWriter's public API in constant-memory
mode: sheet ``나라장터``, row 1 Korean labels (bold), row 2 field keys (grey italics), panes frozen below
row 2, column widths, number cells, date cells (``yyyy-mm-dd``), local date-time cells and inline text
cells (never formulas). It is the format's definition, and the oracle the tests compare with.

``FeedWorkbook`` is what exports use. XlsxWriter spends ~0.35 ms a row (~11 µs a cell) in per-cell calls
(checking bounds, building attribute lists, three regular expressions per string); for 100,000 rows of 32
columns that would be most of the export (docs/benchmarks.md, "Feed workbook"). So XlsxWriter writes the
same workbook with one *prototype* data row; every part of that file is kept as it is (styles, workbook,
content types, the sheet's header rows, frozen panes and columns), the prototype row shows each column's
cell attributes (style indexes included), and the data rows are written as the same XML straight into a
temporary file, then streamed into the sheet part in place of the prototype. The result is byte for byte
the sheet XlsxWriter writes for the same rows (tests/feeds/test_xlsx.py compares them), at a fraction of
the cost, with one row in memory. One deliberate difference: XlsxWriter passes a text that starts with
``<r>`` and ends with ``</r>`` into the sheet unescaped (its rich-string form); here it is text like any.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from catalog.feeds.nara import COLUMNS, DATE, DATETIME, INT, STR, Column

SHEET_TITLE = "나라장터"
HEADER_ROWS = 2
SHEET_PART = "xl/worksheets/sheet1.xml"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd h:mm:ss"
# characters XML 1.0 cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE): dropped, as the feed always did
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
# text needing XlsxWriter's escapes: XML's & < >, control characters as _xHHHH_, a literal _xHHHH_ (whose
# underscore is escaped), the two non-characters; the quote and newline are what XlsxWriter tests for. The
# XML-illegal characters are control characters too: a text without a match needs no change at all.
_NEEDS_ESCAPE = re.compile(r'["&<>\n\x00-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_')
_PRESERVE = ' xml:space="preserve"'
_LITERAL_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_EXCEL_EPOCH = datetime(1899, 12, 31)
_EXCEL_MAX_UTF16 = 32767
COPY_CHUNK = 1024 * 1024
# zlib's fastest level for the sheet: at 20,000 rows deflating took 0.47 s at level 1, 0.8 s at 4 and 1.8 s
# at 6 (the zip default), for a file 34 % / 15 % larger than at 6: time is what an export is short of
SHEET_COMPRESSLEVEL = 1


@dataclass(frozen=True)
class SheetLayout:
    """A workbook's one sheet: its title, its columns (key, label, type), and whether row 2 repeats the
    field keys under the labels (the feed's, for machines; a sheet people paste from has labels only).
    The feed is ``FEED_LAYOUT``; officers' search-result exports (``search.exports``) bring their own."""

    columns: tuple[Column, ...]
    title: str
    key_row: bool = True

    @property
    def header_rows(self) -> int:
        return 2 if self.key_row else 1

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(column.key for column in self.columns)

    @property
    def text_indexes(self) -> tuple[int, ...]:
        return tuple(index for index, column in enumerate(self.columns) if column.type == STR)


FEED_LAYOUT = SheetLayout(COLUMNS, SHEET_TITLE)


def cell_values(row: dict[str, Any], columns: Sequence[Column] = COLUMNS) -> list[Any]:
    """A feed row's cell values in column order: text without XML-illegal characters, times naive (Excel
    has no time zones; the feed's are Korean local times), empty text as None (an empty cell)."""
    values = []
    for column in columns:
        value = row.get(column.key)
        if column.type == STR:
            value = (ILLEGAL_CHARACTERS_RE.sub("", value) or None) if value else None
        elif column.type == DATETIME and value is not None:
            value = value.replace(tzinfo=None)
        values.append(value)
    return values


def column_width(label: str) -> int:
    return max(12, len(label) * 2 + 2)


def write_reference_workbook(
    path: Path, rows: Iterable[Sequence[Any]], tmpdir: Path, layout: SheetLayout = FEED_LAYOUT
) -> None:
    """The feed workbook of ``rows`` (from ``cell_values``) through XlsxWriter's public API alone."""
    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "tmpdir": str(tmpdir),
            # text is text: nothing is turned into a formula, number or link behind the writer's back
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    sheet = workbook.add_worksheet(layout.title)
    sheet.freeze_panes(layout.header_rows, 0)
    bold = workbook.add_format({"bold": True})
    grey = workbook.add_format({"italic": True, "font_color": "#808080"})
    formats = {
        DATE: workbook.add_format({"num_format": DATE_FORMAT}),
        DATETIME: workbook.add_format({"num_format": DATETIME_FORMAT}),
    }
    # constant-memory mode writes a row out once a later row is started: one whole row after the other
    for index, column in enumerate(layout.columns):
        sheet.set_column(index, index, column_width(column.label))
        sheet.write_string(0, index, column.label, bold)
    if layout.key_row:
        for index, column in enumerate(layout.columns):
            sheet.write_string(1, index, column.key, grey)
    for row_number, values in enumerate(rows, start=layout.header_rows):
        for index, (column, value) in enumerate(zip(layout.columns, values, strict=True)):
            if value is None:
                continue
            if column.type == STR:
                sheet.write_string(row_number, index, value)
            elif column.type == INT:
                sheet.write_number(row_number, index, value)
            else:
                sheet.write_datetime(row_number, index, value, formats[column.type])
    workbook.close()


def _prototype_values(columns: Sequence[Column]) -> list[Any]:
    """A row with a value in every column, so the skeleton shows every column's cell attributes."""
    samples = {STR: "x", INT: 1, DATE: date(2000, 1, 1), DATETIME: datetime(2000, 1, 1)}
    return [samples[column.type] for column in columns]


def _escape_text(text: str) -> tuple[str, bool]:
    """(XML text, whether it needs xml:space="preserve"), exactly as XlsxWriter's inline strings."""
    if len(text) > _EXCEL_MAX_UTF16 // 2 and len(text.encode("utf-16-le")) // 2 > _EXCEL_MAX_UTF16:
        # Excel's cell limit, cut where XlsxWriter cuts (feed texts are far shorter: model max_length)
        text = text.encode("utf-16-le")[: _EXCEL_MAX_UTF16 * 2].decode("utf-16-le", "ignore")
    if _NEEDS_ESCAPE.search(text):
        text = _LITERAL_ESCAPE.sub(r"_x005F\1", text)
        text = _CONTROL.sub(lambda match: f"_x{ord(match.group(1)):04X}_", text)
        text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
        preserve = text[:1].isspace() or text[-1:].isspace()
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"), preserve
    return text, text[0].isspace() or text[-1].isspace()


def excel_serial(value: datetime) -> float:
    """XlsxWriter's date number (1900 system) with the same float operations, so the text is identical."""
    delta = value - _EXCEL_EPOCH
    serial = delta.days + (float(delta.seconds) + float(delta.microseconds) / 1e6) / (60 * 60 * 24)
    return serial + 1 if serial > 59 else serial


class FeedWorkbook:
    """Streams feed rows into an XLSX file at ``path``; temporary files go in ``tmpdir``."""

    def __init__(self, path: Path, tmpdir: Path, layout: SheetLayout = FEED_LAYOUT) -> None:
        self.path = path
        self._skeleton = tmpdir / f"{path.name}.skeleton"
        self._rows_path = tmpdir / f"{path.name}.rows"
        self._keys = layout.keys
        self._text_indexes = layout.text_indexes
        self._last_column = xl_col_to_name(len(layout.columns) - 1)
        write_reference_workbook(self._skeleton, [_prototype_values(layout.columns)], tmpdir, layout)
        with zipfile.ZipFile(self._skeleton) as archive:
            sheet = archive.read(SHEET_PART).decode("utf-8")
        first = layout.header_rows + 1
        start = sheet.index(f'<row r="{first}"')
        end = sheet.index("</row>", start) + len("</row>")
        self._head, prototype, self._tail = sheet[:start], sheet[start:end], sheet[end:]
        row_attributes = re.match(rf'<row r="{first}"([^>]*)>', prototype).group(1)
        self._row_attributes = row_attributes
        cell_attributes = dict(re.findall(rf'<c r="([A-Z]+){first}"([^>]*)>', prototype))
        # per column: (index, type, '<c r="G', attributes after the row number)
        self._cells = []
        for index, column in enumerate(layout.columns):
            letter = xl_col_to_name(index)
            self._cells.append((index, column.type, f'<c r="{letter}', f'"{cell_attributes[letter]}>'))
        self._dates: dict[date, str] = {}
        self._row_number = layout.header_rows
        self._rows: TextIO = self._rows_path.open("w", encoding="utf-8", buffering=COPY_CHUNK)

    def write_row(self, row: dict[str, Any]) -> None:
        self._row_number += 1
        number = str(self._row_number)
        values = list(map(row.get, self._keys))
        # One search over the row's text decides: nearly every row needs neither dropping illegal characters
        # nor escaping, and then each text only needs its whitespace test (short texts cannot be truncated).
        texts = " ".join([values[index] for index in self._text_indexes if values[index]])
        plain = len(texts) <= _EXCEL_MAX_UTF16 // 2 and not _NEEDS_ESCAPE.search(texts)
        parts = [f'<row r="{number}"{self._row_attributes}>']
        dates = self._dates
        for index, kind, opening, attributes in self._cells:
            value = values[index]
            if value is None or value == "":
                continue
            if kind == STR:
                if plain:
                    space = _PRESERVE if value[0].isspace() or value[-1].isspace() else ""
                else:
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                    if not value:
                        continue
                    value, preserve = _escape_text(value)
                    space = _PRESERVE if preserve else ""
                parts.append(f"{opening}{number}{attributes}<is><t{space}>{value}</t></is></c>")
            elif kind == INT:
                parts.append(f"{opening}{number}{attributes}<v>{value:.16G}</v></c>")
            elif kind == DATE:
                serial = dates.get(value)
                if serial is None:
                    serial = dates[value] = (
                        f"{excel_serial(datetime(value.year, value.month, value.day)):.16G}"
                    )
                parts.append(f"{opening}{number}{attributes}<v>{serial}</v></c>")
            else:
                serial = excel_serial(value.replace(tzinfo=None))
                parts.append(f"{opening}{number}{attributes}<v>{serial:.16G}</v></c>")
        parts.append("</row>")
        self._rows.write("".join(parts))

    def close(self) -> None:
        """Assembles the workbook: the skeleton's parts, the sheet with these rows instead of the prototype."""
        self._rows.close()
        head = re.sub(
            r'<dimension ref="[^"]*"/>',
            f'<dimension ref="A1:{self._last_column}{self._row_number}"/>',
            self._head,
            count=1,
        ).encode("utf-8")
        tail = self._tail.encode("utf-8")
        size = len(head) + self._rows_path.stat().st_size + len(tail)
        with (
            zipfile.ZipFile(self._skeleton) as source,
            zipfile.ZipFile(
                self.path, "w", zipfile.ZIP_DEFLATED, compresslevel=SHEET_COMPRESSLEVEL
            ) as target,
        ):
            for info in source.infolist():
                if info.filename != SHEET_PART:
                    target.writestr(info, source.read(info))
                    continue
                # ZIP64 only for a sheet that needs it (over 2 GiB: some 1.5 million rows)
                zip64 = size * 1.05 > zipfile.ZIP64_LIMIT
                with (
                    target.open(SHEET_PART, "w", force_zip64=zip64) as sheet,
                    self._rows_path.open("rb") as rows,
                ):
                    sheet.write(head)
                    shutil.copyfileobj(rows, sheet, COPY_CHUNK)
                    sheet.write(tail)
        self._remove_temporary_files()

    def discard(self) -> None:
        self._rows.close()
        self._remove_temporary_files()

    def _remove_temporary_files(self) -> None:
        self._skeleton.unlink(missing_ok=True)
        self._rows_path.unlink(missing_ok=True)
