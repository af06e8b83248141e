"""What a feed row's digest covers, and where a row's classification names come from.

Written to kill the mutants ``bench/mutation.py`` left alive over ``catalog/feeds/nara.py`` in session 19
(docs/operations.md, "Mutation testing of the rules"): the module's own ``row_hash`` and the tests' names
are built when they are imported, before mutmut picks a mutant, so these tests build their own."""

from datetime import UTC, date, datetime

import pytest

from catalog.feeds.nara import (
    COLUMNS,
    DATE,
    DATETIME,
    STR,
    ClassificationNames,
    RowContext,
    RowHasher,
    empty_row,
)
from certification.models import ClassificationCode

CONTENT = [column for column in COLUMNS if column.content]
EXPORT_ONLY = [column for column in COLUMNS if not column.content]


def _filled_row() -> dict:
    """A row with a value in every column, of the column's type."""
    row = empty_row()
    for number, column in enumerate(COLUMNS, start=1):
        if column.type == DATE:
            row[column.key] = date(2026, 1, number % 28 + 1)
        elif column.type == DATETIME:
            row[column.key] = datetime(2026, 1, number % 28 + 1, 9, 30, tzinfo=UTC)
        elif column.type == STR:
            row[column.key] = f"값{number}"
        else:
            row[column.key] = number
    return row


def _changed(value: object) -> object:
    if isinstance(value, datetime):
        return value.replace(hour=value.hour + 1)
    if isinstance(value, date):
        return value.replace(day=value.day + 1)
    if isinstance(value, str):
        return value + "!"
    return value + 1


def test_a_rows_digest_changes_with_what_the_marketplace_sees_and_only_with_that():
    assert CONTENT and EXPORT_ONLY
    hasher = RowHasher(COLUMNS)
    row = _filled_row()
    digest = hasher(row)
    assert digest == hasher(dict(row))  # the same row, the same digest
    for column in CONTENT:
        assert hasher({**row, column.key: _changed(row[column.key])}) != digest, column.key
    # the change type, the reason, the version and the change time describe the export, not the product:
    # a re-save without a real change must not be reported as changed
    for column in EXPORT_ONLY:
        assert hasher({**row, column.key: _changed(row[column.key])}) == digest, column.key


def test_classification_names_given_are_used_as_given():
    assert ClassificationNames({"39111501": "LED조명"}) == {"39111501": "LED조명"}
    assert ClassificationNames({}) == {}


@pytest.mark.django_db
def test_without_names_a_row_context_reads_every_name_of_the_reference_table():
    # names of the test's own, beside any the migrations seeded
    ClassificationCode.objects.update_or_create(
        code="39111501", defaults={"name": "시험 LED조명", "sector": "goods"}
    )
    ClassificationCode.objects.update_or_create(
        code="CW01", defaults={"name": "토목", "sector": "construction"}
    )
    expected = dict(ClassificationCode.objects.values_list("code", "name"))
    assert len(expected) > 1
    assert ClassificationNames() == expected
    assert ClassificationNames()["39111501"] == "시험 LED조명"
    assert RowContext().names == expected
