"""docs/nara-feed.md documents every column of the current feed_version."""

from pathlib import Path

from catalog.feeds.nara import COLUMNS, FEED_VERSION

DOC = Path(__file__).resolve().parents[2] / "docs" / "nara-feed.md"


def test_every_column_is_documented_with_its_label():
    text = DOC.read_text(encoding="utf-8")
    assert f"`feed_version` {FEED_VERSION}" in text
    table_rows = [line for line in text.splitlines() if line.startswith("| ") and "` |" in line]
    for column in COLUMNS:
        assert any(f"| `{column.key}` | {column.label} | {column.type} |" in row for row in table_rows), (
            column.key
        )


def test_documented_columns_are_in_feed_order():
    text = DOC.read_text(encoding="utf-8")
    positions = [text.index(f"| `{column.key}` | {column.label} |") for column in COLUMNS]
    assert positions == sorted(positions)
