"""docs/nara-feed.md documents every column of both feed versions, each in its own table."""

from pathlib import Path

import pytest

from catalog.feeds import nara, nara2

DOC = Path(__file__).resolve().parents[2] / "docs" / "nara-feed.md"
SECTIONS = {nara.FEED_VERSION: "### Columns (1.0)", nara2.FEED_VERSION: "## Columns (2.0)"}
COLUMNS = {nara.FEED_VERSION: nara.COLUMNS, nara2.FEED_VERSION: nara2.COLUMNS}


def _section(version: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    body = text.split(SECTIONS[version], 1)[1]
    return body.split("\n## ", 1)[0]


def test_the_title_names_both_versions():
    title = DOC.read_text(encoding="utf-8").splitlines()[0]
    assert f"`feed_version` {nara2.FEED_VERSION}" in title and f"{nara.FEED_VERSION} deprecated" in title


@pytest.mark.parametrize("version", list(SECTIONS))
def test_every_column_is_documented_with_its_label(version):
    table_rows = [line for line in _section(version).splitlines() if line.startswith("| ") and "` |" in line]
    for column in COLUMNS[version]:
        assert any(f"| `{column.key}` | {column.label} | {column.type} |" in row for row in table_rows), (
            column.key
        )


@pytest.mark.parametrize("version", list(SECTIONS))
def test_documented_columns_are_in_feed_order(version):
    text = _section(version)
    positions = [text.index(f"| `{column.key}` | {column.label} |") for column in COLUMNS[version]]
    assert positions == sorted(positions)
