"""What a feed row's digest covers, an empty row, a refused row's reason, and where a row's classification
names come from.

Written to kill the mutants ``bench/mutation.py`` left alive over ``catalog/feeds/nara.py`` in session 19
(docs/operations.md, "Mutation testing of the rules"): the module's own ``row_hash`` and the tests' names
are built when they are imported, before mutmut picks a mutant, so these tests build their own."""

from datetime import UTC, date, datetime

import pytest

from catalog.feeds.models import ExportedRow
from catalog.feeds.nara import (
    COLUMNS,
    DATE,
    DATETIME,
    FEED_VERSION,
    STR,
    ClassificationNames,
    Reason,
    RejectCode,
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


def test_a_rows_digest_fits_the_manifest_column_that_keeps_it():
    # PostgreSQL refuses a longer value in the manifest; a digest of another size would also mark every
    # row as changed against the last export's manifest
    digest = RowHasher(COLUMNS)(_filled_row())
    assert len(digest) == ExportedRow._meta.get_field("row_hash").max_length == 32
    assert int(digest, 16) >= 0


def test_an_empty_1_0_row_has_every_column_and_says_its_version():
    row = empty_row()
    assert list(row) == [column.key for column in COLUMNS]
    assert row["feed_version"] == FEED_VERSION == "1.0"
    for column in COLUMNS:
        if column.key != "feed_version":
            assert row[column.key] == ("" if column.type == STR else None), column.key


def test_a_rejected_rows_reason_reads_as_its_field_code_and_message():
    # the keys of each reason in an export's reject report
    reason = Reason("prdctClsfcNo", RejectCode.BAD_CODE, "물품분류번호가 올바르지 않습니다.")
    assert reason.as_dict() == {
        "field": "prdctClsfcNo",
        "code": "bad_classification_code",
        "message": "물품분류번호가 올바르지 않습니다.",
    }


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
