"""The dry run's report as a workbook: the uploaded rows as they were, with the issues beside each row.

Every value is written as text (``write_string``): a cell the upload refused as a formula stays inert.
"""

import io
from collections import defaultdict

import xlsxwriter

from catalog.uploads.cells import as_cell_text
from catalog.uploads.columns import COLUMNS, KEYS
from catalog.uploads.models import BulkUpload
from catalog.uploads.reading import read_sheet

RESULT_HEADERS = ("검사 결과 (result)", "오류 코드 (codes)", "오류 내용 (issues)")


def report_workbook(upload: BulkUpload) -> bytes:
    by_row: dict[int | None, list[dict]] = defaultdict(list)
    for issue in upload.issues:
        by_row[issue.get("row")].append(issue)
    try:
        with upload.file.open("rb") as stored:
            rows = read_sheet(stored.read(), upload.original_name).rows
    except Exception:  # a refused file: the report holds the issues alone
        rows = []
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    bold = workbook.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1})
    bad = workbook.add_format({"bg_color": "#FDE2E1", "text_wrap": True})
    good = workbook.add_format({"bg_color": "#E3F4E1"})
    sheet = workbook.add_worksheet("검사 결과")
    headers = (*RESULT_HEADERS, "행 (row)", *(column.label for column in COLUMNS))
    for index, header in enumerate(headers):
        sheet.write_string(0, index, header, bold)
    sheet.write_string(1, 3, "")
    for index, key in enumerate(KEYS, start=4):
        sheet.write_string(1, index, key)
    sheet.freeze_panes(2, 4)
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 1, 24)
    sheet.set_column(2, 2, 60)
    line = 2
    for issue in by_row.get(None, []):
        sheet.write_string(line, 0, "파일 거부 (refused)", bad)
        sheet.write_string(line, 1, issue["code"], bad)
        sheet.write_string(line, 2, issue["message"], bad)
        line += 1
    for number, values in rows:
        issues = by_row.get(number, [])
        style = bad if issues else good
        sheet.write_string(line, 0, "오류 (error)" if issues else "정상 (ok)", style)
        sheet.write_string(line, 1, ", ".join(dict.fromkeys(issue["code"] for issue in issues)), style)
        sheet.write_string(line, 2, "\n".join(_issue_text(issue) for issue in issues), style)
        sheet.write_number(line, 3, number)
        for index, key in enumerate(KEYS, start=4):
            sheet.write_string(line, index, as_cell_text(values.get(key)))
        line += 1
    workbook.close()
    return buffer.getvalue()


def _issue_text(issue: dict) -> str:
    return f"[{issue['column']}] {issue['message']}" if issue.get("column") else issue["message"]
