"""Writing result rows as CSV (UTF-8 with a BOM, for Excel) or XLSX (the feed's workbook writer,
``catalog.feeds.xlsx``, with this export's columns and one header row of labels).

Text that a spreadsheet would evaluate (``=``, ``+``, ``-``, ``@`` first) is neutralised in both formats
with the feed's ``neutralise_formula``: a workbook's text cells are inert, but officers copy cells into
other sheets and documents, where a pasted ``=HYPERLINK(…)`` would run.
"""

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from catalog.feeds.nara import STR
from catalog.feeds.writers import neutralise_formula
from catalog.feeds.xlsx import FeedWorkbook, SheetLayout
from search.exports.columns import SHEET_TITLES, columns

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _inert(row: dict[str, Any], text_keys: tuple[str, ...]) -> dict[str, Any]:
    for key in text_keys:
        value = row.get(key)
        if value:
            row[key] = neutralise_formula(value)
    return row


def write_rows(export_format: str, path: Path, language: str, rows: Iterable[dict[str, Any]]) -> int:
    """Writes ``rows`` to ``path`` (temporary files go beside it); returns how many were written."""
    chosen = columns(language)
    text_keys = tuple(column.key for column in chosen if column.type == STR)
    count = 0
    if export_format == "csv":
        # utf-8-sig writes the BOM Excel needs to read Korean; CRLF as RFC 4180 says
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow([column.label for column in chosen])
            keys = [column.key for column in chosen]
            for row in rows:
                _inert(row, text_keys)
                writer.writerow([row.get(key, "") for key in keys])
                count += 1
        return count
    if export_format != "xlsx":
        raise ValueError(f"unknown export format {export_format!r}")
    workbook = FeedWorkbook(path, path.parent, SheetLayout(chosen, SHEET_TITLES[language], key_row=False))
    try:
        for row in rows:
            workbook.write_row(_inert(row, text_keys))
            count += 1
    except BaseException:
        workbook.discard()
        raise
    workbook.close()
    return count
