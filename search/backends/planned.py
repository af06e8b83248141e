"""One search, planned once and run by a backend: strict first, relaxed when strict finds nothing.

The backends only translate a :class:`~search.plan.QueryPlan` (``execute``); the decisions — what the
text means, when to relax, what to suggest — are made here and in ``search.plan`` for both alike.
"""

from __future__ import annotations

from collections.abc import Callable

from search.backends.base import SearchBackend, SearchQuery, SearchResult
from search.plan import QueryPlan, build_plan


def planned_search(
    backend: SearchBackend, query: SearchQuery, execute: Callable[[SearchQuery, QueryPlan], SearchResult]
) -> SearchResult:
    """``execute`` the query's plan; if a multi-part query finds nothing with every part required, run
    it again ranking by how many parts match (the same decision on every page: a strict total of zero
    does not depend on the page)."""
    plan = build_plan(query.text, backend.vocabulary)
    result = execute(query, plan)
    if result.total == 0 and plan.can_relax:
        relaxed = execute(query, plan.relax())
        if relaxed.total:
            result = relaxed
            result.relaxed = True
    result.suggestion = plan.suggestion
    return result
