"""Closed years' figures, cached exactly: a past year's count changes only when history is backdated or a
certificate's dates, sector or supplier are corrected, and every such write renews the figure generation
in its own transaction (``program.models.FigureGeneration``, kept by database triggers). Counts are cached
under the generation read *before* they are computed, so a write that commits meanwhile leaves them under
an old generation that nobody asks for again. No expiry by time: a figure is either current or not used.

Each call asks the same number of queries whether the cache answers or not (``tests/program``): the
generation, then one figure query for either the current year alone or all the years.
"""

import hashlib
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from django.core.cache import caches
from django.db import connection

from program.models import FigureGeneration

T = TypeVar("T")
CACHE = "default"  # per process: a hit costs no round trip; the generation keeps every process exact


def figure_generation() -> str | None:
    """The current token; None when the row is missing (a flushed database): then nothing is cached."""
    return FigureGeneration.objects.filter(pk=1).values_list("token", flat=True).first()


def by_year(
    name: str, days: dict[int, date], compute: Callable[[dict[int, date]], dict[int, T]]
) -> dict[int, T]:
    """year → ``compute``'s figure for that year's day. The closed years (their day before today) come from
    the cache when the generation has not changed since they were computed; today's year is always
    computed. ``compute`` takes the days to count and is called once."""
    today = max(days.values())
    closed = tuple(sorted((year, day) for year, day in days.items() if day < today))
    token = figure_generation()
    days_counted = ",".join(day.isoformat() for _year, day in closed)
    source = f"{connection.settings_dict['NAME']}:{token}:{days_counted}"
    key = f"program:{name}:{hashlib.md5(source.encode(), usedforsecurity=False).hexdigest()}"
    cached = caches[CACHE].get(key) if token is not None and closed else None
    if cached is None:
        figures = compute(days)
        if token is not None and closed:
            caches[CACHE].set(key, {year: figures[year] for year, _day in closed}, timeout=None)
        return figures
    current = compute({year: day for year, day in days.items() if day == today})
    return {year: cached[year] if year in cached else current[year] for year in days}
