"""The upload template: a workbook (sheet 1 ``제품`` for the rows, ``작성 예시`` with an example row,
``목록`` with the allowed units, regions and the supplier's certificates and their items, referenced by
the data validation lists of sheet 1) and the same two header rows as CSV.

The example row sits on its own sheet so a template uploaded as it is creates nothing by accident; only
the first sheet is read.
"""

import csv
import io

import xlsxwriter
from django.utils import translation
from xlsxwriter.utility import xl_col_to_name

from catalog.models import Unit
from catalog.uploads.cells import as_cell_text
from catalog.uploads.columns import CHOICE, COLUMNS, FLAG, KEYS, LABELS, REGIONS, UploadColumn
from catalog.visibility import certificate_valid_q
from certification.models import Certificate, Company, Region

DATA_SHEET, EXAMPLE_SHEET, LISTS_SHEET = "제품", "작성 예시", "목록"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def usable_certificates(supplier: Company, today) -> list[Certificate]:
    return list(Certificate.objects.filter(certificate_valid_q(today), supplier=supplier).order_by("number"))


def example_row(certificates: list[Certificate]) -> list[str]:
    values = {column.key: column.example for column in COLUMNS}
    if certificates:
        values["certificate_number"] = certificates[0].number
        values["classification_code"] = certificates[0].classification_code
    return [values[key] for key in KEYS]


def _header(sheet, workbook) -> None:
    label_format = workbook.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1})
    key_format = workbook.add_format({"italic": True, "font_color": "#666666", "border": 1})
    for index, column in enumerate(COLUMNS):
        label = f"{column.label} *" if column.required else column.label
        sheet.write_string(0, index, label, label_format)
        sheet.write_string(1, index, column.key, key_format)
        sheet.set_column(index, index, max(12, len(column.label) * 2 + 4))
    sheet.freeze_panes(2, 0)


def template_workbook(supplier: Company, today, max_rows: int) -> bytes:
    certificates = usable_certificates(supplier, today)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    text = workbook.add_format({"num_format": "@"})
    data = workbook.add_worksheet(DATA_SHEET)
    example = workbook.add_worksheet(EXAMPLE_SHEET)
    lists = workbook.add_worksheet(LISTS_SHEET)
    _header(data, workbook)
    _header(example, workbook)
    for index, value in enumerate(example_row(certificates)):
        example.write_string(2, index, value)
    last = max_rows + 1
    for index, column in enumerate(COLUMNS):
        # codes and numbers typed as text keep their leading zeros (classification numbers start with 0)
        if column.kind != "integer":
            data.set_column(index, index, None, text)
    ranges = _lists(lists, certificates)
    for index, column in enumerate(COLUMNS):
        validation = _validation(column, ranges)
        if validation:
            data.data_validation(2, index, last, index, validation)
    workbook.close()
    return buffer.getvalue()


def _lists(lists, certificates: list[Certificate]) -> dict[str, str]:
    """Writes the allowed values on the lists sheet; returns each list's range for the validations."""
    # the workbook is the same for every supplier: the code lists' labels in Korean, whatever the page language
    with translation.override("ko"):
        units = [(code, str(label)) for code, label in Unit.choices]
        regions = [(code, str(label)) for code, label in Region.choices]
    columns = {
        "unit": ("단위 unit", units),
        "region": ("지역 region", regions),
        "certificate": ("인증번호 certificate", [(c.number, c.product_name) for c in certificates]),
        "item": ("세부품명번호 item", [(c.classification_code, c.number) for c in certificates]),
        "flag": ("게시 published", [("Y", "게시"), ("N", "게시 안 함")]),
    }
    ranges = {}
    for index, (name, (title, rows)) in enumerate(columns.items()):
        code_column = index * 3
        lists.write_string(0, code_column, title)
        for row, (code, label) in enumerate(rows, start=1):
            lists.write_string(row, code_column, code)
            lists.write_string(row, code_column + 1, label)
        letter = xl_col_to_name(code_column)
        ranges[name] = f"='{LISTS_SHEET}'!${letter}$2:${letter}${max(2, len(rows) + 1)}"
    return ranges


def _validation(column: UploadColumn, ranges: dict[str, str]) -> dict | None:
    if column.kind == CHOICE:
        return {"validate": "list", "source": ranges["unit"]}
    if column.kind == FLAG:
        return {"validate": "list", "source": ranges["flag"]}
    if column.key == "certificate_number":
        return {"validate": "list", "source": ranges["certificate"]}
    if column.key == "classification_code":
        return {"validate": "list", "source": ranges["item"]}
    if column.kind == REGIONS:
        # several regions per cell ("11;41"): the list suggests, an information box lets others through
        return {
            "validate": "list",
            "source": ranges["region"],
            "error_type": "information",
            "error_title": "납품지역",
            "error_message": "지역 코드를 ;로 구분해 여러 개 쓸 수 있습니다 (separate codes with ;).",
        }
    if column.kind == "integer":
        return {"validate": "integer", "criteria": ">=", "value": 1 if column.required else 0}
    return None


def template_csv(rows: list[list[str]] | None = None) -> bytes:
    """The same columns as CSV (UTF-8 with a BOM, which Excel needs to read Korean)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(LABELS)
    writer.writerow(KEYS)
    for row in rows or ():
        writer.writerow([as_cell_text(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
