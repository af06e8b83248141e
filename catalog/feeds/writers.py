"""Streaming writers for the feed: CSV, XLSX and JSON Lines, one row at a time to a local file.

Each writer holds at most one row in memory (the XLSX writer spools the sheet's rows to a temporary
file), so an export's memory does not grow with the catalog. CSV and JSON Lines are hashed while they are
written; XLSX is a zip assembled when the workbook is saved, so it is hashed in one streaming pass after.
"""

import csv
import hashlib
import io
import json
import re
from collections.abc import Sequence
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any, BinaryIO

from catalog.feeds.nara import COLUMNS, DATE, DATETIME, STR, Column
from catalog.feeds.xlsx import SHEET_TITLE, FeedWorkbook, SheetLayout

# Spreadsheets treat a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST_CHARS = frozenset(FORMULA_PREFIXES)  # each prefix is one character
# a row's texts joined by NUL: does any of them (or, rarely, a part after a NUL inside one) start like a
# formula? Nearly no row has one, and then no text needs looking at on its own
_FORMULA_START = re.compile("(?:^|\x00)[" + re.escape("".join(FORMULA_PREFIXES)) + "]")
HASH_CHUNK = 1024 * 1024
BUFFER_CHARS = 32 * 1024


def neutralise_formula(value: str) -> str:
    """Prefixes text a spreadsheet would evaluate with a single quote, which makes it plain text."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def text_value(value: Any) -> str:
    """How a typed value is spelt in text formats: ISO 8601 dates and times, integers in digits."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


class _HashingSink:
    """A UTF-8 text file that hashes and counts what passes through, so no second read is needed.

    Text collects in ``buffer`` and is encoded, hashed and written a buffer at a time: once per row
    cost more than the row's own formatting.
    """

    def __init__(self, path: Path) -> None:
        self._file: BinaryIO = path.open("wb")
        self._sha256 = hashlib.sha256()
        self.size = 0
        self.buffer = io.StringIO()

    def write(self, text: str) -> None:
        self.buffer.write(text)
        self.drain_if_full()

    def drain_if_full(self) -> None:
        if self.buffer.tell() >= BUFFER_CHARS:
            self._drain()

    def _drain(self) -> None:
        data = self.buffer.getvalue().encode("utf-8")
        self.buffer.seek(0)
        self.buffer.truncate()
        self._sha256.update(data)
        self.size += len(data)
        self._file.write(data)

    def close(self) -> tuple[str, int]:
        self._drain()
        self._file.close()
        return self._sha256.hexdigest(), self.size


class FeedWriter:
    """Base: ``write_row`` for each row, then ``close`` returns (sha256 hex, size in bytes). ``columns``
    are the job's feed version's (``catalog.feeds.versions``); 1.0's when none are given."""

    extension = ""
    content_type = "application/octet-stream"

    def __init__(self, path: Path, columns: Sequence[Column] = COLUMNS) -> None:
        self.path = path
        self.columns = tuple(columns)
        self.keys = tuple(column.key for column in self.columns)
        self._text_indexes = tuple(i for i, column in enumerate(self.columns) if column.type == STR)
        self._datetime_indexes = tuple(i for i, column in enumerate(self.columns) if column.type == DATETIME)
        self._temporal_indexes = tuple(
            i for i, column in enumerate(self.columns) if column.type in (DATE, DATETIME)
        )

    def write_row(self, row: dict[str, Any]) -> None:
        raise NotImplementedError

    def close(self) -> tuple[str, int]:
        raise NotImplementedError

    def discard(self) -> None:
        """Releases open handles after a failure; the temporary file is thrown away with its folder."""


class CsvWriter(FeedWriter):
    """RFC 4180 CSV in UTF-8 with a BOM (Excel opens Korean correctly only with it), CRLF line ends,
    one header row of field keys (Korean labels are in the XLSX and the docs)."""

    extension = "csv"
    content_type = "text/csv; charset=utf-8"

    def __init__(self, path: Path, columns: Sequence[Column] = COLUMNS) -> None:
        super().__init__(path, columns)
        self._sink = _HashingSink(path)
        self._sink.write("\ufeff")
        self._csv = csv.writer(self._sink.buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        self._csv.writerow(self.keys)
        indexes = self._text_indexes
        # the text columns' values as one tuple, picked in C
        self._texts_of = (
            itemgetter(*indexes) if len(indexes) > 1 else lambda values: [values[i] for i in indexes]
        )

    def write_row(self, row: dict[str, Any]) -> None:
        # Only text can smuggle a formula; integers (negative ones too) must stay numbers. csv.writer
        # spells None, integers and dates as text_value does, so only times need converting. This is
        # neutralise_formula and text_value inlined and done per column type, known in advance: a call
        # or a type test for each of 32 cells took longer than writing the row.
        values = list(map(row.get, self.keys))
        try:
            joined = "\x00".join(self._texts_of(values))
        except TypeError:  # a text column without text (None): looked at value by value
            joined = None
        if joined is None or _FORMULA_START.search(joined):
            for index in self._text_indexes:
                value = values[index]
                if value and value[0] in _FORMULA_FIRST_CHARS:
                    values[index] = "'" + value
        for index in self._datetime_indexes:
            value = values[index]
            if value is not None:
                values[index] = value.isoformat()
        self._csv.writerow(values)
        self._sink.drain_if_full()

    def close(self) -> tuple[str, int]:
        return self._sink.close()

    def discard(self) -> None:
        self._sink.close()


# check_circular off: a row of scalars cannot contain itself, and the check costs a sixth of encoding
_JSON_ENCODER = json.JSONEncoder(
    ensure_ascii=False, default=text_value, separators=(",", ":"), check_circular=False
)


class JsonLinesWriter(FeedWriter):
    """One JSON object per line, keys in column order, UTF-8 without escaping Korean."""

    extension = "jsonl"
    content_type = "application/x-ndjson; charset=utf-8"

    def __init__(self, path: Path, columns: Sequence[Column] = COLUMNS) -> None:
        super().__init__(path, columns)
        self._sink = _HashingSink(path)

    def write_row(self, row: dict[str, Any]) -> None:
        # the date and time columns' values converted here rather than through ``default``: the encoder's
        # call back costs more. Only those columns are looked at (a type test of every value cost more
        # than encoding it); a date anywhere else still reaches ``default``, which spells it the same.
        values = list(map(row.get, self.keys))
        for index in self._temporal_indexes:
            value = values[index]
            if isinstance(value, date):
                values[index] = value.isoformat()
        self._sink.write(_JSON_ENCODER.encode(dict(zip(self.keys, values, strict=True))) + "\n")

    def close(self) -> tuple[str, int]:
        return self._sink.close()

    def discard(self) -> None:
        self._sink.close()


class XlsxWriter(FeedWriter):
    """Excel workbook (``catalog.feeds.xlsx``): row 1 Korean labels, row 2 field keys, data from row 3.

    Money, days and counts are number cells, dates are date cells (``yyyy-mm-dd``), times are
    Korean local times without an offset (Excel has no time zones). Text is always a text cell, so a
    value starting with ``=`` is shown, never evaluated, and keeps its exact content.
    """

    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def __init__(self, path: Path, columns: Sequence[Column] = COLUMNS) -> None:
        super().__init__(path, columns)
        # its temporary files (the layout, the rows) go beside the file, in the export's own folder
        self._workbook = FeedWorkbook(path, path.parent, SheetLayout(self.columns, SHEET_TITLE))

    def write_row(self, row: dict[str, Any]) -> None:
        self._workbook.write_row(row)

    def discard(self) -> None:
        self._workbook.discard()

    def close(self) -> tuple[str, int]:
        self._workbook.close()
        sha256 = hashlib.sha256()
        size = 0
        with self.path.open("rb") as handle:
            while chunk := handle.read(HASH_CHUNK):
                sha256.update(chunk)
                size += len(chunk)
        return sha256.hexdigest(), size


WRITERS: dict[str, type[FeedWriter]] = {
    "csv": CsvWriter,
    "xlsx": XlsxWriter,
    "jsonl": JsonLinesWriter,
}


def writer_for(export_format: str, path: Path, columns: Sequence[Column] = COLUMNS) -> FeedWriter:
    try:
        return WRITERS[export_format](path, columns)
    except KeyError:
        raise ValueError(f"unknown feed format {export_format!r}") from None
