"""From a raw cell to the value a listing field takes, and what is wrong with it.

Text is kept as typed (only trimmed): NFKC would turn a spec's ㎡ into m2. Codes and numbers are
NFKC-normalised first, which maps full-width digits (１２３) to ASCII; any other digit left over (Arabic-
Indic, Devanagari …, which Python's int() would quietly accept) refuses the file, as does text that a
spreadsheet would run as a formula (=, +, -, @, tab, carriage return first; OWASP's CSV injection list).
"""

import re
import unicodedata
from datetime import date, datetime, time
from typing import Any

from catalog.uploads.columns import (
    CHOICE,
    CODE,
    COLUMNS,
    FLAG,
    INTEGER,
    NO,
    REGION_CODES,
    REGION_SEPARATOR,
    REGIONS,
    TEXT,
    UNIT_CODES,
    YES,
    UploadColumn,
)
from catalog.uploads.issues import Code, Issue

INJECTION_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ASCII_DIGITS = re.compile(r"[0-9]+", re.ASCII)
MAX_INTEGER = 10**13


def normalised_code(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _has_foreign_digit(text: str) -> bool:
    return any(char.isdigit() and not char.isascii() for char in text)


def row_values(number: int, raw: dict[str, Any]) -> tuple[dict[str, Any], list[Issue], list[Issue]]:
    """(values by key, file-level issues, row issues) of one data row."""
    values: dict[str, Any] = {}
    file_issues: list[Issue] = []
    row_issues: list[Issue] = []
    for column in COLUMNS:
        value, problem = _cell(column, raw.get(column.key))
        if problem is not None:
            code, message = problem
            issue = Issue(number, column.key, code, message)
            (file_issues if code in (Code.INJECTION, Code.LOOKALIKE_DIGITS) else row_issues).append(issue)
            continue
        values[column.key] = value
    return values, file_issues, row_issues


def _cell(column: UploadColumn, raw: Any) -> tuple[Any, tuple[str, str] | None]:
    if isinstance(raw, (datetime, date, time)):
        return None, (
            Code.INVALID,
            f"{column.label}: 날짜가 아닌 값을 입력하세요 (a date where none is expected).",
        )
    if isinstance(raw, bool):
        raw = "Y" if raw else "N"
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, (int, float)):
        text = str(raw)
        typed_as_number = True
    else:
        text = "" if raw is None else str(raw)
        typed_as_number = False
    if not typed_as_number and text.lstrip(" ").startswith(INJECTION_PREFIXES) and column.kind != INTEGER:
        return None, (
            Code.INJECTION,
            f"{column.label}: =, +, -, @로 시작하는 값은 받지 않습니다 "
            "(a value starting with =, +, -, @ could run as a formula).",
        )
    if column.kind == TEXT:
        text = text.strip()
        if column.max_length and len(text) > column.max_length:
            return None, (Code.TOO_LONG, f"{column.label}: {column.max_length}자까지입니다 (too long).")
        return text, None
    text = normalised_code(text)
    if _has_foreign_digit(text):
        return None, (
            Code.LOOKALIKE_DIGITS,
            f"{column.label}: 숫자는 0-9로만 입력하세요 (only the digits 0-9 are accepted).",
        )
    if column.kind == CODE:
        if column.max_length and len(text) > column.max_length:
            return None, (Code.TOO_LONG, f"{column.label}: {column.max_length}자까지입니다 (too long).")
        return text, None
    if column.kind == INTEGER:
        return _integer(column, text)
    if column.kind == CHOICE:
        if text and text not in UNIT_CODES:
            return None, (
                Code.INVALID_CHOICE,
                f"{column.label}: 목록에 없는 값 {text} (not one of the listed units).",
            )
        return text, None
    if column.kind == REGIONS:
        codes = [code.strip() for code in re.split(r"[;,\s]+", text) if code.strip()]
        unknown = [code for code in codes if code not in REGION_CODES]
        if unknown:
            return None, (
                Code.UNKNOWN_REGION,
                f"{column.label}: 알 수 없는 지역 코드 {', '.join(unknown)} (unknown region code).",
            )
        return list(dict.fromkeys(codes)), None
    if column.kind == FLAG:
        upper = text.upper()
        if not upper:
            return None, None
        if upper in YES:
            return True, None
        if upper in NO:
            return False, None
        return None, (Code.INVALID_CHOICE, f"{column.label}: Y 또는 N을 입력하세요 (enter Y or N).")
    raise AssertionError(column.kind)


def _integer(column: UploadColumn, text: str) -> tuple[int | None, tuple[str, str] | None]:
    if not text:
        return None, None
    if not ASCII_DIGITS.fullmatch(text):
        if re.fullmatch(r"-[0-9]+", text, re.ASCII):
            return int(text), None  # reported as not positive by the feed's and the listing's rules
        return None, (Code.INVALID_NUMBER, f"{column.label}: 숫자만 입력하세요 (whole numbers only).")
    value = int(text)
    if value > MAX_INTEGER:
        return None, (Code.INVALID_NUMBER, f"{column.label}: 값이 너무 큽니다 (the number is too large).")
    return value, None


def as_cell_text(value: Any) -> str:
    """A value as the template writes it back (regions joined, flags as Y/N)."""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, list):
        return REGION_SEPARATOR.join(value)
    return "" if value is None else str(value)
