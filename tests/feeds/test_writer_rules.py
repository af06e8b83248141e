"""How the feed's writers spell values, read without a database (the JSON encoder's fallback, the CSV
formula guard per column type).

Written to kill the mutants ``bench/mutation.py`` left alive over ``catalog/feeds/writers.py``
(docs/operations.md, "Mutation testing of the rules")."""

from datetime import UTC, date, datetime
from decimal import Decimal

from catalog.feeds.writers import text_value


def test_text_formats_spell_nothing_as_empty_dates_in_iso_and_numbers_in_digits():
    assert text_value(None) == ""
    assert text_value(date(2026, 6, 15)) == "2026-06-15"
    assert text_value(datetime(2026, 6, 15, 9, 30, tzinfo=UTC)) == "2026-06-15T09:30:00+00:00"
    assert text_value(Decimal("12.50")) == "12.50"
    assert text_value(-3) == "-3"
