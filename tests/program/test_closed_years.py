"""Closed years' counts are cached under the figure generation (``program.closed_years``): served from the
cache while nothing they depend on changes, and never after a write that could change them, whichever way
it is made (a service, a bulk ``UPDATE``) and even when that write is rolled back."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certification.models import Certificate
from program import figures
from program.closed_years import figure_generation
from program.models import FigureGeneration
from program.public import public_statistics
from tests.program.test_figures import active_on, change

pytestmark = pytest.mark.django_db


def counted(today: date) -> tuple[list[str], dict[int, dict[str, int]]]:
    """The SQL the figure ran and its counts per year."""
    with CaptureQueriesContext(connection) as queries:
        rows = figures.active_over_time(today)
    return [query["sql"] for query in queries], {row.year: row.counts for row in rows}


def independent(today: date) -> dict[int, dict[str, int]]:
    days = figures.year_ends(today)
    return {
        year: {sector: Counter(c.sector for c in active_on(day)).get(sector, 0) for sector in figures.SECTORS}
        for year, day in days.items()
    }


def recomputed_past_years(sql: list[str]) -> bool:
    # only the closed years read the status history through a window function
    return any("FIRST_VALUE" in statement.upper() for statement in sql)


@pytest.fixture
def history(world):
    today = timezone.localdate()
    Certificate.objects.filter(pk__in=[world.cert_a.pk, world.cert_b.pk]).update(
        issued_on=date(today.year - 3, 3, 1), expires_on=today + timedelta(days=400)
    )
    for certificate in (world.cert_a, world.cert_b):
        change(certificate, "issued", "active", date(today.year - 3, 3, 1))
    return today


def test_closed_years_come_from_the_cache_until_history_is_backdated(world, history):
    today = history
    first_sql, first = counted(today)
    assert first == independent(today) and recomputed_past_years(first_sql)
    again_sql, again = counted(today)
    assert again == first and not recomputed_past_years(again_sql)
    assert len(again_sql) == len(first_sql)  # the same number of queries either way

    change(world.cert_a, "suspended", "suspended", date(today.year - 1, 6, 1), "active")
    backdated_sql, backdated = counted(today)
    assert recomputed_past_years(backdated_sql)
    assert backdated == independent(today) != first
    assert backdated[today.year - 1]["goods"] == first[today.year - 1]["goods"] - 1


def test_a_bulk_update_of_validity_dates_renews_the_generation(world, history):
    today = history
    _sql, before = counted(today)
    token = figure_generation()
    # a correction made behind the services' back: no signal, no save(); the trigger still sees it
    Certificate.objects.filter(pk=world.cert_b.pk).update(issued_on=date(today.year - 1, 2, 1))
    assert figure_generation() != token
    _sql, after = counted(today)
    assert after == independent(today) != before
    years = {entry["year"]: entry for entry in public_statistics(today)["years"]}
    assert years[today.year - 2]["certified_companies"] == 1


def test_counts_made_inside_a_rolled_back_write_are_never_served(world, history):
    today = history
    _sql, committed = counted(today)

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        change(world.cert_b, "revoked", "revoked", date(today.year - 2, 5, 1), "active")
        _sql, inside = counted(today)
        assert inside != committed  # cached under the rolled-back write's token
        raise Undo

    _sql, after = counted(today)
    assert after == committed == independent(today)


def test_without_the_generation_row_nothing_is_cached(world, history):
    today = history
    FigureGeneration.objects.all().delete()  # a flushed or hand-restored database
    for _ in range(2):
        sql, counts = counted(today)
        assert recomputed_past_years(sql) and counts == independent(today)
    change(world.cert_a, "suspended", "suspended", date(today.year - 1, 6, 1), "active")
    assert figure_generation() is not None  # the next write recreates the row
