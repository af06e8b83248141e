"""The search an export runs: the page's ``SearchQuery`` page after page through the configured backend
(with the database fallback the page has), so the file holds the page's results in the page's order.

Hits give the ids and the order; the rows come from the public projection of the catalog
(``catalog.public.public_listings``), one query per page of hits (plus one for the delivery regions): a
product that left the catalog after the index last saw it is left out, as the page would on its next
refresh.
"""

from collections.abc import Callable, Iterator
from dataclasses import asdict, replace
from typing import Any

from catalog.links import PRODUCT_PAGE, absolute_template
from catalog.public import public_listings
from search.backends import run_with_fallback
from search.backends.base import MAX_PAGE_SIZE, SearchFilters, SearchQuery, SearchResult
from search.exports.columns import result_row


def query_to_json(query: SearchQuery) -> dict[str, Any]:
    """What a job stores of the page's search: text, filters and sort (pages are the export's own)."""
    return {"text": query.text, "filters": asdict(query.filters), "sort": query.sort}


def query_from_json(data: dict[str, Any]) -> SearchQuery:
    return SearchQuery(text=data["text"], filters=SearchFilters(**data["filters"]), sort=data["sort"])


def _page(query: SearchQuery, number: int) -> SearchResult:
    chunk = replace(query, page=number, page_size=MAX_PAGE_SIZE, search_after=None, facets=False)
    return run_with_fallback(lambda backend: backend.search(chunk))[0]


def count_results(query: SearchQuery) -> int:
    """How many products the search matches (what the page reports as its total)."""
    return run_with_fallback(
        lambda backend: backend.search(replace(query, page=1, page_size=1, facets=False))
    )[0].total


def result_rows(
    query: SearchQuery, limit: int, advance: Callable[[int], None] | None = None
) -> Iterator[dict[str, Any]]:
    """Rows of the search's first ``limit`` results in the page's order; ``advance(n)`` after each page."""
    product_url = absolute_template(PRODUCT_PAGE)
    seen: set[int] = set()
    emitted = 0
    number = 1
    while emitted < limit:
        result = _page(query, number)
        # a product re-indexed between two pages can move: each appears once, where it was first met
        ids = [hit.id for hit in result.hits if hit.id not in seen][: limit - emitted]
        seen.update(ids)
        listings = {listing.pk: listing for listing in public_listings().filter(pk__in=ids)}
        for pk in ids:
            if pk in listings:
                emitted += 1
                yield result_row(listings[pk], product_url.format(id=pk))
        if advance is not None:
            advance(len(ids))
        if len(result.hits) < MAX_PAGE_SIZE or number * MAX_PAGE_SIZE >= result.total:
            return
        number += 1
