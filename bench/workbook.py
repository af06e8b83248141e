"""The feed workbook alone: openpyxl write-only vs XlsxWriter constant-memory vs the adopted writer.

    .venv/bin/python -m bench.workbook                          # 20,000 and 100,000 rows, every writer
    .venv/bin/python -m bench.workbook --sizes 100000 --writers xlsxwriter,ours --runs 3

No database: each writer gets the same feed rows (dicts as ``catalog.feeds.streaming`` hands them to the
writers: Korean text, numbers, dates, local date-times with their zone), cycled from 1,000 generated
ones with a new ``listing_id`` each, so producing rows costs next to nothing and holds no memory. Each
writer runs in its own child process: ``seconds`` is writing every row and closing (saving) the file,
``growth_mib`` the peak resident set over the child's baseline after a warm-up workbook of 100 rows.

* ``openpyxl`` — the writer exports used until 2026-11-30: openpyxl 3.1's write-only workbook with
  ``WriteOnlyCell`` headers (bold labels, grey keys), text forced to text cells, frozen panes, widths.
* ``xlsxwriter`` — ``catalog.feeds.xlsx.write_reference_workbook``: the same workbook through XlsxWriter's
  public API in constant-memory mode (inline strings, one row in memory).
* ``ours`` — ``catalog.feeds.writers.XlsxWriter`` (``catalog.feeds.xlsx.FeedWorkbook``): XlsxWriter
  lays the workbook out, the rows are serialised in its cell syntax directly (byte-identical sheet).
* ``csv`` — ``catalog.feeds.writers.CsvWriter`` on the same rows: the text format's writer cost.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from bench.common import ROOT, median, print_table, rss_mib, setup, write_results

WRITERS = ("openpyxl", "xlsxwriter", "ours", "csv")
KST = timezone(timedelta(hours=9))
WORDS = ("LED", "평판조명", "친환경", "절전형", "사무용", "의자", "책상", "복합기", "소화기", "보도블록")


def sample_rows(count: int = 1000) -> list[dict]:
    from catalog.feeds.nara import COLUMNS, DATE, DATETIME, INT

    rng = random.Random(20261130)
    rows = []
    for number in range(count):
        row = {}
        for column in COLUMNS:
            if column.type == INT:
                row[column.key] = rng.randint(1, 90_000_000)
            elif column.type == DATE:
                row[column.key] = date(2024, 1, 1) + timedelta(days=rng.randint(0, 1500))
            elif column.type == DATETIME:
                row[column.key] = datetime(2024, 1, 1, tzinfo=KST) + timedelta(
                    seconds=rng.randint(0, 6 * 10**7)
                )
            elif rng.random() < 0.1:
                row[column.key] = ""  # optional columns are often empty
            else:
                row[column.key] = " ".join(rng.choices(WORDS, k=rng.randint(1, 5))) + f" {number}"
        rows.append(row)
    return rows


def feed_rows(count: int):
    for listing_id, row in zip(range(1, count + 1), itertools.cycle(sample_rows()), strict=False):
        yield {**row, "listing_id": listing_id}


class OpenpyxlWriter:
    """openpyxl write-only, as ``catalog.feeds.writers.XlsxWriter`` was written before XlsxWriter."""

    def __init__(self, path: Path) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        from catalog.feeds.nara import COLUMNS, KEYS, LABELS

        self.path = path
        self._workbook = Workbook(write_only=True)
        self._sheet = self._workbook.create_sheet("나라장터")
        self._sheet.freeze_panes = "A3"
        for index, column in enumerate(COLUMNS, start=1):
            self._sheet.column_dimensions[get_column_letter(index)].width = max(12, len(column.label) * 2 + 2)
        bold, grey = Font(bold=True), Font(color="808080", italic=True)
        self._sheet.append([self._cell(label, font=bold) for label in LABELS])
        self._sheet.append([self._cell(key, font=grey) for key in KEYS])
        self._keys = KEYS

    def _cell(self, value, font=None):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self._sheet, value=value)
        if font is not None:
            cell.font = font
        if isinstance(value, str):
            cell.data_type = "s"  # openpyxl turns "=…" into a formula otherwise
        return cell

    def write_row(self, row: dict) -> None:
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        cells = []
        for key in self._keys:
            value = row.get(key)
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cells.append(self._cell(value) if value.startswith("=") else value)
            elif isinstance(value, datetime):
                cells.append(value.replace(tzinfo=None))
            else:
                cells.append(value)
        self._sheet.append(cells)

    def close(self) -> None:
        self._workbook.save(self.path)


def write(name: str, count: int, folder: Path) -> Path:
    from catalog.feeds.writers import CsvWriter, XlsxWriter
    from catalog.feeds.xlsx import cell_values, write_reference_workbook

    path = folder / f"{name}-{count}.{'csv' if name == 'csv' else 'xlsx'}"
    if name == "xlsxwriter":
        write_reference_workbook(path, (cell_values(row) for row in feed_rows(count)), folder)
        return path
    writer = {"openpyxl": OpenpyxlWriter, "ours": XlsxWriter, "csv": CsvWriter}[name](path)
    for row in feed_rows(count):
        writer.write_row(row)
    writer.close()
    return path


def child(name: str, count: int) -> dict:
    setup()
    with tempfile.TemporaryDirectory(prefix="bench-workbook-") as folder:
        write(name, 100, Path(folder))  # warm-up: imports, the first workbook
        baseline = rss_mib()
        started = time.perf_counter()
        path = write(name, count, Path(folder))
        seconds = time.perf_counter() - started
        size = path.stat().st_size
    return {
        "seconds": seconds,
        "file_mib": round(size / 1024 / 1024, 1),
        "baseline_mib": round(baseline, 1),
        "peak_mib": round(rss_mib(), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="20000,100000")
    parser.add_argument("--writers", default=",".join(WRITERS))
    parser.add_argument("--runs", type=int, default=1, help="runs of each writer; the table shows medians")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.rows)))
        return

    sizes = [int(size) for size in args.sizes.split(",")]
    writers = args.writers.split(",")
    runs: dict[tuple[int, str], list[dict]] = {(size, name): [] for size in sizes for name in writers}
    for run in range(args.runs):
        for size in sizes:
            for name in writers:
                print(f"run {run + 1}/{args.runs}: {name} × {size:,} …", file=sys.stderr, flush=True)
                output = subprocess.run(
                    [sys.executable, "-m", "bench.workbook", "--child", name, "--rows", str(size)],
                    check=True,
                    capture_output=True,
                    text=True,
                    cwd=ROOT,
                )
                runs[(size, name)].append(json.loads(output.stdout.strip().splitlines()[-1]))

    table = []
    for (size, name), results in runs.items():
        seconds = median([result["seconds"] for result in results])
        table.append(
            {
                "rows": size,
                "writer": name,
                "seconds": round(seconds, 2),
                "rows_per_s": round(size / seconds),
                "file_mib": results[0]["file_mib"],
                "peak_rss_mib": median([result["peak_mib"] for result in results]),
                "growth_mib": round(median([r["peak_mib"] - r["baseline_mib"] for r in results]), 1),
            }
        )
    print(f"\nfeed workbook writers, median of {args.runs} run(s)")
    print_table(table, ["rows", "writer", "seconds", "rows_per_s", "file_mib", "peak_rss_mib", "growth_mib"])
    write_results(
        "workbook", {"runs": args.runs, "rows": table, "raw": {f"{k[0]}:{k[1]}": v for k, v in runs.items()}}
    )


if __name__ == "__main__":
    main()
