"""Terms facets on PostgreSQL in one pass: ``GROUP BY GROUPING SETS`` over the matched rows, so the text
condition (a GIN bitmap scan and its recheck) and the visibility filter run once for every facet instead
of once per facet."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from search.backends.base import FacetBucket
from search.backends.facets import TERMS_FACET_SIZE
from search.models import SearchEntry


def terms_facets(
    queryset: QuerySet[SearchEntry], columns: Iterable[tuple[str, str | None]]
) -> dict[str, list[FacetBucket]]:
    """Per (column, label column): the most frequent values, most first, then by value (as the portable
    ``GROUP BY`` per facet orders them)."""
    columns = list(columns)
    names = [name for pair in columns for name in pair if name]
    try:
        inner, params = queryset.order_by().values(*names).query.sql_with_params()
    except EmptyResultSet:  # a condition that matches nothing (Q(pk__in=[])) compiles to no SQL
        return {column: [] for column, _label in columns}
    quoted = {name: connection.ops.quote_name(name) for name in names}
    sets = ", ".join("(" + ", ".join(quoted[name] for name in pair if name) + ")" for pair in columns)
    flags = ", ".join(f"GROUPING({quoted[column]})" for column, _label in columns)
    select = ", ".join(f"matched.{quoted[name]}" for name in names)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {select}, {flags}, count(*) FROM ({inner}) AS matched GROUP BY GROUPING SETS ({sets})",
            params,
        )
        rows = cursor.fetchall()
    index = {name: position for position, name in enumerate(names)}
    counted: dict[str, list[tuple[int, object, str]]] = {column: [] for column, _label in columns}
    for row in rows:
        flag_values, count = row[len(names) : len(names) + len(columns)], row[-1]
        for (column, label), flag in zip(columns, flag_values, strict=True):
            if flag == 0:  # this row is a group of this column's set
                counted[column].append((count, row[index[column]], row[index[label]] if label else ""))
    return {
        column: [
            FacetBucket(str(value), count, label)
            for count, value, label in sorted(buckets, key=lambda bucket: (-bucket[0], bucket[1]))[
                :TERMS_FACET_SIZE
            ]
        ]
        for column, buckets in counted.items()
    }
