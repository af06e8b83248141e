"""Search backends behind one contract; ``SEARCH_BACKEND`` picks one."""

import logging
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings

from search.backends.base import SearchBackend, SearchUnavailable

logger = logging.getLogger(__name__)
T = TypeVar("T")

BACKEND_NAMES = ("database", "elasticsearch")


def get_backend(name: str | None = None) -> SearchBackend:
    name = name or settings.SEARCH_BACKEND
    if name == "elasticsearch":
        from search.backends.elasticsearch.backend import ElasticsearchBackend

        return ElasticsearchBackend()
    from search.backends.database import DatabaseBackend

    return DatabaseBackend()


def run_with_fallback(call: Callable[[SearchBackend], T], can_fall_back: bool = True) -> tuple[T, bool]:
    """Runs ``call`` on the configured backend. During an outage, answers from the database backend when
    SEARCH_FALLBACK_TO_DATABASE allows it (and the call can be answered there), else re-raises
    SearchUnavailable. Returns (result, fell_back)."""
    backend = get_backend()
    try:
        return call(backend), False
    except SearchUnavailable as exc:
        logger.warning("search unavailable: %s", exc)
        if can_fall_back and settings.SEARCH_FALLBACK_TO_DATABASE and backend.name != "database":
            return call(get_backend("database")), True
        raise
