"""Facets on PostgreSQL in one pass: ``GROUP BY GROUPING SETS`` over the matched rows, so the text
condition (a GIN bitmap scan and its recheck, or for browsing the covering index) and the visibility filter
run once for the total and every facet instead of once per facet.

Each hash table of a grouping set costs a pass of hashing over every matched row, so the sets are few:

* one set of the low-cardinality keys together (sector, classification segment and family, price band,
  expires soon): a few thousand combinations, summed per facet here;
* one per labelled terms facet (supplier, partner) on the id alone; the names of the ids shown are read
  afterwards (one index probe per id) rather than hashed with every row;
* the row's regions as one ``bigint`` bit mask (``regions_mask``, migration 0011; a few thousand distinct
  sets at 100,000 products), expanded into per-region counts here: hashing the ``text[]`` instead took as
  long as all the other sets together;
* the empty set: the total.

Measured at 100,000 products (``docs/benchmarks.md``): one set per facet (8 hash tables) took about twice
as long, and conditional counts (``count(*) FILTER (WHERE …)`` per price band and region: 17 array
containments per row) as long as the grouping sets of every terms facet.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from search.backends.base import FacetBucket
from search.backends.facets import PRICE_RANGES, REGION_LABELS, TERMS_FACET_SIZE
from search.backends.sql import FacetCounts
from search.models import SearchEntry

TABLE = SearchEntry._meta.db_table
# the regions as a bit mask (migration 0011: bit n for region code n), cheap to hash; the array when some
# region code has no bit
MASK_BITS = 63
BY_MASK = all(code.isdigit() and int(code) < MASK_BITS for code in REGION_LABELS)
REGIONS = f'"{TABLE}"."regions_mask"' if BY_MASK else f'"{TABLE}"."regions_array"'
# enough for the hash tables of every grouping set at 100,000 rows (a few MB): at the default 4 MB the
# planner may sort the rows for one of the sets instead, several times slower
FACET_WORK_MEM = "64MB"
# the facet counts of the whole table per pair of visibility dates (migration 0013), and the same per sector
# (migration 0014)
SUMMARY = "search_facet_count"
SECTOR_SUMMARY = "search_facet_count_sector"


def _price_band() -> tuple[str, list]:
    """The index of the row's price band in ``PRICE_RANGES`` (a band: low inclusive, high exclusive)."""
    whens, params = [], []
    for position, price in enumerate(PRICE_RANGES):
        conditions = []
        if price.low is not None:
            conditions.append("matched.unit_price >= %s")
            params.append(price.low)
        if price.high is not None:
            conditions.append("matched.unit_price < %s")
            params.append(price.high)
        whens.append(f"WHEN {' AND '.join(conditions) or 'TRUE'} THEN {position}")
    return f"(CASE {' '.join(whens)} END)", params


def _statement(
    queryset: QuerySet[SearchEntry],
    columns: list[tuple[str, str | None]],
    cutoff: date,
    extra: tuple[str, ...] = (),
) -> tuple[str, str, list, list, int] | None:
    """(the matched rows' SQL, the grouping-sets SELECT over them as ``matched``, their parameters in that
    order, the number of columns of the grouping-sets SELECT: ``c0``…), or None when the condition matches nothing (``Q(pk__in=[])`` compiles to no SQL)."""
    plain = [column for column, label in columns if not label]
    labelled = [column for column, label in columns if label]
    try:
        inner, inner_params = (
            queryset.order_by()
            .annotate(regions_list=RawSQL(REGIONS, []))
            .values(*extra, *plain, *labelled, "unit_price", "expires_on", "regions_list")
            .query.sql_with_params()
        )
    except EmptyResultSet:
        return None
    quote = connection.ops.quote_name
    keys = [f"matched.{quote(column)}" for column in plain]
    singles = [f"matched.{quote(column)}" for column in labelled]
    band, band_params = _price_band()
    sets = [f"({', '.join([*keys, 'band', 'expiring'])})", *(f"({key})" for key in singles)]
    sets += ["(matched.regions_list)", "()"]
    flags = [f"GROUPING({keys[0] if keys else 'band'})", *(f"GROUPING({key})" for key in singles)]
    flags.append("GROUPING(matched.regions_list)")
    selected = [*keys, "band", "expiring", *singles, "matched.regions_list", *flags, "count(*)"]
    grouped = (
        f"SELECT {', '.join(f'{value} AS c{position}' for position, value in enumerate(selected))} "
        f"FROM matched, LATERAL (SELECT {band} AS band, matched.expires_on <= %s AS expiring) AS derived "
        f"GROUP BY GROUPING SETS ({', '.join(sets)})"
    )
    return inner, grouped, inner_params, [*band_params, cutoff], len(selected)


def _fetch(sql: str, params: list) -> list[tuple]:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('work_mem')")
        previous = cursor.fetchone()[0]
        cursor.execute("SELECT set_config('work_mem', %s, true)", [FACET_WORK_MEM])
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        # back to what it was: inside a caller's transaction a local setting would outlive this statement
        cursor.execute("SELECT set_config('work_mem', %s, true)", [previous])
    return rows


def facet_counts(
    queryset: QuerySet[SearchEntry], columns: Iterable[tuple[str, str | None]], cutoff: date
) -> FacetCounts:
    """The total and every facet of the matched rows in one statement (plus the labels of the ids)."""
    columns = list(columns)
    statement = _statement(queryset, columns, cutoff)
    if statement is None:
        return FacetCounts(0, 0, {}, {}, {column: [] for column, _label in columns})
    inner, grouped, inner_params, grouped_params, _width = statement
    rows = _fetch(f"WITH matched AS ({inner}) {grouped}", [*inner_params, *grouped_params])
    return _counts(rows, columns)


def _counts(rows: list[tuple], columns: list[tuple[str, str | None]]) -> FacetCounts:
    plain = [column for column, label in columns if not label]
    labelled = [(column, label) for column, label in columns if label]
    band_at, expiring_at = len(plain), len(plain) + 1
    singles_at = len(plain) + 2
    regions_at = singles_at + len(labelled)
    flags_at = regions_at + 1
    values: dict[str, Counter] = {column: Counter() for column in [*plain, *(c for c, _l in labelled)]}
    prices: Counter = Counter()
    regions: dict[str, int] = dict.fromkeys(REGION_LABELS, 0)
    total = expiring = 0
    for row in rows:
        flags, count = row[flags_at:-1], row[-1]
        if all(flags):  # the empty grouping set: every matched row
            total = count
        elif flags[0] == 0:  # the combined set of the low-cardinality keys
            for position, column in enumerate(plain):
                values[column][row[position]] += count
            if row[band_at] is not None:
                prices[PRICE_RANGES[row[band_at]].key] += count
            if row[expiring_at]:
                expiring += count
        elif flags[-1] == 0:
            for code in _region_codes(row[regions_at]):
                regions[code] += count
        else:
            for position, (column, _label) in enumerate(labelled):
                if flags[1 + position] == 0:
                    values[column][row[singles_at + position]] += count
    terms = {column: _top(values[column]) for column in plain}
    for column, label in labelled:
        top = _top(values[column])
        names = _labels(column, label, [bucket.value for bucket in top])
        terms[column] = [FacetBucket(b.value, b.count, names.get(b.value, "")) for b in top]
    return FacetCounts(total=total, expiring=expiring, prices=dict(prices), regions=regions, terms=terms)


def _region_codes(key: int | list[str] | None) -> list[str]:
    """The region facet's codes in a row's regions key (the mask, or the array)."""
    if key is None:
        return []
    if BY_MASK:
        return [code for code in REGION_LABELS if key >> int(code) & 1]
    return [code for code in key if code in REGION_LABELS]


def _top(counts: Counter) -> list[FacetBucket]:
    """The most frequent values, most first, then by value (as the portable ``GROUP BY`` orders them)."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TERMS_FACET_SIZE]
    return [FacetBucket(str(value), count) for value, count in ranked]


def _labels(column: str, label: str, values: list[str]) -> dict[str, str]:
    """The label of each id (one row per id through the id's index)."""
    if not values:
        return {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT wanted.id, (SELECT {quote(label)} FROM {quote(TABLE)} WHERE {quote(column)} = wanted.id "
            f"LIMIT 1) FROM unnest(%s::bigint[]) AS wanted(id)",
            [[int(value) for value in values]],
        )
        return {str(value): name or "" for value, name in cursor.fetchall()}


def summary_counts(
    columns: Iterable[tuple[str, str | None]], day: date, cutoff: date, sector: str | None = None
) -> FacetCounts:
    """The total and every facet of the rows visible on ``day`` (of one ``sector`` if given) from
    ``search_facet_count`` or ``search_facet_count_sector`` (kept in step with the table by the triggers of
    migrations 0013 and 0014): tens of thousands of summary rows instead of a hash of every visible row.
    Equal to ``facet_counts`` of those rows (tests/search/test_postgres_facet_summary.py)."""
    columns = list(columns)
    # one sector: a range of the per-sector table's primary key
    table, where, params = SUMMARY, "", []
    if sector is not None:
        table, where, params = SECTOR_SUMMARY, "sector = %s AND ", [sector]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT dimension, value, sum(n), coalesce(sum(n) FILTER (WHERE expires_on <= %s), 0)
                FROM {table} WHERE {where}issued_on <= %s AND expires_on >= %s
                GROUP BY dimension, value HAVING sum(n) > 0""",
            [cutoff, *params, day, day],
        )
        rows = cursor.fetchall()
    integer = {
        c for c, _l in columns if SearchEntry._meta.get_field(c).get_internal_type().endswith("IntegerField")
    }
    values: dict[str, Counter] = {column: Counter() for column, _label in columns}
    prices: Counter = Counter()
    regions: dict[str, int] = dict.fromkeys(REGION_LABELS, 0)
    total = expiring = 0
    for dimension, value, count, expiring_count in rows:
        if dimension == "total":
            total, expiring = count, expiring_count
        elif dimension == "band":
            prices[PRICE_RANGES[int(value)].key] += count
        elif dimension == "region":
            if value in regions:
                regions[value] += count
        elif dimension in values:
            values[dimension][int(value) if dimension in integer else value] += count
    terms = {}
    for column, label in columns:
        top = _top(values[column])
        if label:
            names = _labels(column, label, [bucket.value for bucket in top])
            top = [FacetBucket(b.value, b.count, names.get(b.value, "")) for b in top]
        terms[column] = top
    return FacetCounts(total=total, expiring=expiring, prices=dict(prices), regions=regions, terms=terms)
