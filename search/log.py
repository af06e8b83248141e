"""The search log: one row per first-page search, for the program's search insight (``program``).

Written by the search API (officers' and public) and the search page with one INSERT after the search
answered; a failed write is logged and never fails the search. Page turns (page > 1, a cursor) are the
same search continued and are not counted again. Nothing about the searcher is stored (``SearchLogEntry``).
"""

import logging
from dataclasses import asdict
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from search.backends.base import SearchQuery, SearchResult
from search.models import SearchLogEntry

logger = logging.getLogger(__name__)

QUERY_LENGTH = SearchLogEntry._meta.get_field("query").max_length


def normalized_query(text: str) -> str:
    """The text as the log groups it: spaces collapsed, trimmed to the column."""
    return " ".join(text.split())[:QUERY_LENGTH]


def record_search(query: SearchQuery, result: SearchResult, *, source: str) -> None:
    """Logs a first-page search (when ``SEARCH_LOG_ENABLED``); never raises."""
    if not settings.SEARCH_LOG_ENABLED or query.page > 1 or query.search_after:
        return
    filters = {name: value for name, value in asdict(query.filters).items() if value not in (None, "")}
    try:
        SearchLogEntry.objects.create(
            created_at=timezone.now(),
            query=normalized_query(query.text),
            filters=filters,
            result_count=result.total,
            backend=result.backend,
            source=source,
            took_ms=max(0, int(result.took_ms or 0)),
        )
    except DatabaseError:
        # the search already answered; losing one log row is better than failing it
        logger.warning("search log entry not written", exc_info=True)


def prune_search_log(now=None) -> int:
    """Deletes entries older than ``SEARCH_LOG_RETENTION_DAYS``; returns how many went."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.SEARCH_LOG_RETENTION_DAYS)
    deleted, _ = SearchLogEntry.objects.filter(created_at__lt=cutoff).delete()
    return deleted
