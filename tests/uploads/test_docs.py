"""docs/bulk-upload.md documents every column, every code and every limit setting."""

from pathlib import Path

from django.conf import settings

from catalog.uploads.columns import COLUMNS
from catalog.uploads.issues import Code

DOC = (Path(settings.BASE_DIR) / "docs" / "bulk-upload.md").read_text(encoding="utf-8")


def test_every_column_is_documented_with_its_label():
    for column in COLUMNS:
        assert f"| `{column.key}` | {column.label} |" in DOC


def test_every_code_is_documented():
    codes = [value for name, value in vars(Code).items() if name.isupper()]
    missing = [code for code in codes if f"`{code}`" not in DOC]
    assert not missing


def test_every_limit_setting_is_documented():
    for name in dir(settings):
        if name.startswith("BULK_UPLOAD_"):
            assert f"`{name}`" in DOC
