"""The database backend's text search per database engine: a plan (``search.plan``) as a ``WHERE``
condition and a score over ``SearchEntry``, on the engine's own full-text index where there is one.

``text_search_for(connection.vendor)`` picks the translation: PostgreSQL's ``tsvector`` + GIN
(``search.backends.fulltext.postgres``), SQLite's FTS5 (``search.backends.fulltext.sqlite``); any other
engine falls back to the portable ``LIKE`` translation (``search.backends.sql``), which gives the same rows
and scores and stays the reference the others must agree with.
"""

from __future__ import annotations

from search.backends.sql import LikeTextSearch


def text_search_for(vendor: str) -> LikeTextSearch:
    """The text search for a database vendor (``connection.vendor``)."""
    if vendor == "postgresql":
        from search.backends.fulltext.postgres import PostgresTextSearch

        return PostgresTextSearch()
    if vendor == "sqlite":
        from search.backends.fulltext.sqlite import SqliteTextSearch

        return SqliteTextSearch()
    return LikeTextSearch()
