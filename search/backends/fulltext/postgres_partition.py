"""The relevance order of a text every row holds, without reading every row (PostgreSQL, issue 18).

A plan whose text condition is true of every row (its groups' terms are in ``search_universal_term``:
상생협력제품을 찾습니다, 제품) still scores each row by the fields its terms are in, so the page statement
read all ~90,000 ``search_vector`` values to order them. This splits the rows in two, exactly:

* the rows that hold a universal term in the name, the specification or the company field
  (``ts_filter(search_vector, '{a,b,d}')``, GIN index of migration 0015), or match one of the plan's other
  parts (a group or an extra term not in every row, an identifier): few; scored whole, as today;
* every other row holds each universal term (it is in every row) and only in its description, and matches
  nothing else: its score is a constant (each universal group's weight plus the description bonus, 2 per
  universal extra term), so its order is that of ``length(name), listing_id DESC``, an index (0010).

The page is the merge of the first rows of both sides (``DatabaseBackend._page_rows``): the same rows in the
same order as scoring every row. The cost moves to the first side, so a universal term that many rows hold
in their name or company (``ltd.``) falls back to scoring every row (``MAX_SCORED``).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from search.backends.fulltext.postgres import (
    TABLE,
    TRUE,
    VECTOR,
    _anywhere,
    _codes_sql,
    _either,
    _is_universal,
    _text_query,
    lexeme,
    universal_terms,
)
from search.backends.relevance import EXTRA_WEIGHT, FIELD_WEIGHTS
from search.plan import QueryPlan, TermGroup

# More rows to score whole than this and the split is slower than scoring every row (a universal term in
# every company name, ``ltd.``: 110 → 400 ms at 90,927 rows, the index-order side then skips every row), so
# the page is the usual statement; the count stops there (a few ms for such a term, ~0 for the others).
MAX_SCORED = 5000
# the lexemes of a row outside its description (the index of migration 0015 has this very expression)
OUTSIDE_DESCRIPTION = f"ts_filter({VECTOR}, '{{a,b,d}}')"


def _at_least(sql: str, params: list, rows: int) -> bool:
    """The condition holds for ``rows`` rows or more (its indexes stop counting there)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT count(*) FROM (SELECT 1 FROM "{TABLE}" WHERE {sql} LIMIT %s) AS found', [*params, rows]
        )
        return cursor.fetchone()[0] >= rows


def _any_term(group: TermGroup) -> str | None:
    """Any lexeme of the group, in any field: a row without one matches none of its field queries."""
    return _either(lexeme(term) for alternative in group.alternatives for term in alternative)


def score_partition(plan: QueryPlan) -> tuple[Q, Q, int] | None:
    """(the rows scored whole, every other row, the score of every other row), or None when the plan has a
    text condition (then the index narrows the rows already) or no text."""
    if plan.match_all or not plan.groups:
        return None
    universal = universal_terms(plan)
    if _text_query(plan, universal) != TRUE:
        return None
    scored: list[tuple[str, list]] = []
    constant = 0
    for group in plan.groups:
        if _is_universal(group, universal):
            # in every row; outside the index below, in no field but the description
            constant += group.weight + FIELD_WEIGHTS["body_morph"]
            query = _any_term(group)
            if query is not None:
                scored.append((f"{OUTSIDE_DESCRIPTION} @@ %s::tsquery", [query]))
            continue
        query = _anywhere(group)  # the score's own test for the group: a row without it gets nothing
        if query is not None:
            scored.append((f"{VECTOR} @@ %s::tsquery", [query]))
    for extra in plan.extras:
        query = lexeme(extra)
        if query is None:
            continue
        if extra in universal:  # its name bonus needs it in the name, which the index lists
            constant += EXTRA_WEIGHT
            scored.append((f"{OUTSIDE_DESCRIPTION} @@ %s::tsquery", [query]))
        else:
            scored.append((f"{VECTOR} @@ %s::tsquery", [query]))
    codes = _codes_sql(plan)
    if codes is not None:
        scored.append(codes)
    if not scored:  # nothing scores differently: every row is on the constant side
        return Q(pk__in=[]), Q(), constant
    sql = " OR ".join(f"({part})" for part, _params in scored)
    params = [param for _part, part_params in scored for param in part_params]
    if _at_least(sql, params, MAX_SCORED):
        return None
    # NULL (no vector) counts as no match on both sides, so each row is on exactly one
    return (
        Q(RawSQL(f"({sql})", params, output_field=BooleanField())),
        Q(RawSQL(f"NOT coalesce(({sql}), false)", params, output_field=BooleanField())),
        constant,
    )
