"""What the report of an upload is made of: one issue per (row, column, code), worded for suppliers."""

from dataclasses import dataclass


class Code:
    """Stable issue codes (``docs/bulk-upload.md``). The feed's own codes (``catalog.feeds.nara.RejectCode``)
    appear unchanged beside these."""

    # the file as a whole: nothing in it is applied
    NOT_A_WORKBOOK = "not_a_workbook"
    MACRO_ENABLED = "macro_enabled"
    ENCRYPTED = "encrypted"
    TOO_LARGE = "file_too_large"
    ZIP_BOMB = "decompressed_too_large"
    TOO_MANY_ROWS = "too_many_rows"
    TOO_MANY_COLUMNS = "too_many_columns"
    HEADER = "header_mismatch"
    EMPTY = "no_rows"
    # cells that make the whole file refused
    FORMULA = "formula"
    INJECTION = "formula_injection"
    LOOKALIKE_DIGITS = "non_ascii_digits"
    DUPLICATE_CODE = "duplicate_product_code"
    # one row: that row is left out
    MISSING = "missing_field"
    INVALID_NUMBER = "invalid_number"
    INVALID_CHOICE = "invalid_choice"
    TOO_LONG = "too_long"
    UNKNOWN_CERTIFICATE = "unknown_certificate"
    UNKNOWN_REGION = "unknown_region"
    INVALID = "invalid"
    LISTING_RULE = "listing_rule"
    UNPUBLISHED = "unpublished"
    # the commit: the catalog refused a row the dry run passed (it changed in between)
    NOT_APPLIED = "not_applied"


# the cell problems that refuse the whole file rather than leave one row out
FILE_CELL_CODES = frozenset({Code.FORMULA, Code.INJECTION, Code.LOOKALIKE_DIGITS, Code.DUPLICATE_CODE})


@dataclass(frozen=True)
class Issue:
    row: int | None  # the sheet's row number (1-based, headers included); None for the file
    column: str  # a template key; empty for the file or the company
    code: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}

    @classmethod
    def of(cls, data: dict) -> "Issue":
        return cls(data.get("row"), data.get("column", ""), data["code"], data["message"])


class UploadRejected(Exception):
    """The file cannot be read as an upload at all (not a workbook, a macro, a bomb …): nothing changes."""

    def __init__(self, code: str, message: str, issues: list[Issue] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.issues = issues or [Issue(None, "", code, message)]
