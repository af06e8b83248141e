"""Elasticsearch client errors as the contract's errors: an unreachable engine or a missing index is
``SearchUnavailable`` (a 503, or a fallback to the database), a query the engine refuses ``InvalidQuery``."""

from collections.abc import Iterator
from contextlib import contextmanager

from elasticsearch import ApiError, BadRequestError, NotFoundError, TransportError
from elasticsearch.helpers import BulkIndexError

from search.backends.base import InvalidQuery, SearchUnavailable

NOT_BUILT = "the search index has not been built; run `search_index ensure`"
# what a call raises when the node is down or refuses the request (a bulk helper, when it gives up)
CLIENT_ERRORS = (TransportError, ApiError, BulkIndexError)


def unavailable(exc: Exception) -> SearchUnavailable:
    return SearchUnavailable(f"Elasticsearch is unavailable: {str(exc)[:200]}")


@contextmanager
def unavailable_on_error() -> Iterator[None]:
    """Any client error inside the block means the engine is unavailable."""
    try:
        yield
    except CLIENT_ERRORS as exc:
        raise unavailable(exc) from exc


@contextmanager
def index_required() -> Iterator[None]:
    """Around a call on the live alias: a missing index has not been built yet; other errors as above."""
    with unavailable_on_error():
        try:
            yield
        except NotFoundError as exc:
            raise SearchUnavailable(NOT_BUILT) from exc


@contextmanager
def query_errors() -> Iterator[None]:
    """Around a search request: a query the engine refuses is the client's fault (a 400)."""
    with index_required():
        try:
            yield
        except BadRequestError as exc:
            raise InvalidQuery("the search engine rejected the query") from exc
