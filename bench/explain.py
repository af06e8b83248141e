"""The database backend's query plan for a typical text query, as the database prints it.

``EXPLAIN QUERY PLAN`` on SQLite (the FTS5 index must drive the search table: no ``SCAN search_searchentry``
for the text condition), ``EXPLAIN`` on PostgreSQL. Printed by ``bench.search_latency`` for the record.
"""

from __future__ import annotations

TEXT_QUERY = "공기청정기"
# broad words, ranked by how many parts match (relaxed): on PostgreSQL the planner picked a sequential
# scan for these until session 18
BROAD_QUERY = "태양광 발전설비 공사 전문 업체"


def text_query_plan(text: str = TEXT_QUERY, relaxed: bool = False) -> list[str]:
    """The plan lines of the first page of a relevance-sorted search for ``text`` (database backend)."""
    from django.db import connection

    from search.backends import get_backend
    from search.backends.base import SearchFilters
    from search.plan import build_plan

    backend = get_backend("database")
    plan = build_plan(text, backend.vocabulary)
    if relaxed and plan.can_relax:
        plan = plan.relax()
    queryset = backend._matched(backend._filtered(backend._visible(), SearchFilters()), plan)
    page = queryset.order_by("-score", "name_length", "-listing_id").values("listing_id", "document")[:21]
    sql, params = page.query.sql_with_params()
    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    # under the settings the backend runs a text condition with (PostgreSQL: no sequential scans)
    with backend.text.text_index_scans(), connection.cursor() as cursor:
        cursor.execute(explain + sql, params)
        return [str(row[-1]) if connection.vendor == "sqlite" else str(row[0]) for row in cursor.fetchall()]


def sequential_scan_of_search_table(lines: list[str]) -> bool:
    text = "\n".join(lines)
    return "SCAN search_searchentry" in text or "Seq Scan on search_searchentry" in text
