"""Search responses as the contract's results: hits with highlights, the next cursor, labelled facets."""

from typing import Any

from search.backends.base import FacetBucket, SearchQuery, SearchResult, SortOrder
from search.backends.cursors import encode_cursor
from search.backends.facets import PRICE_RANGES, REGION_LABELS, SECTOR_LABELS, label_classifications
from search.backends.hits import add_highlights, hit_from_document


def result(
    response: dict[str, Any], query: SearchQuery, terms: frozenset[str], backend: str, elapsed_ms: int
) -> SearchResult:
    """The page ``response`` answers (it holds one hit more than the page when a next page exists)."""
    raw_hits = response["hits"]["hits"]
    more = len(raw_hits) > query.page_size
    raw_hits = raw_hits[: query.page_size]
    documents = {int(hit["_source"]["id"]): hit["_source"] for hit in raw_hits}
    hits = [
        hit_from_document(hit["_source"], hit.get("_score") if query.text.strip() else None)
        for hit in raw_hits
    ]
    add_highlights(hits, documents, terms)
    next_cursor = None
    if more:
        last = raw_hits[-1]["sort"]
        values = [float(last[0]) if query.sort == SortOrder.RELEVANCE else int(last[0]), *map(int, last[1:])]
        next_cursor = encode_cursor(backend, query.sort, values)
    facets, expiring = facets_of(response["aggregations"]) if query.facets else ({}, 0)
    return SearchResult(
        total=int(response["hits"]["total"]["value"]),
        hits=hits,
        facets=facets,
        expiring_soon=expiring,
        took_ms=int(response.get("took", elapsed_ms)),
        next_cursor=next_cursor,
        backend=backend,
    )


def facets_of(aggregations: dict[str, Any]) -> tuple[dict[str, list[FacetBucket]], int]:
    """The facets, and how many matches expire soon."""

    def terms(name: str, labels: dict[str, str] | None = None) -> list[FacetBucket]:
        return [
            FacetBucket(str(b["key"]), b["doc_count"], (labels or {}).get(str(b["key"]), ""))
            for b in aggregations[name]["buckets"]
        ]

    def party(name: str) -> list[FacetBucket]:
        return [
            FacetBucket(
                str(b["key"]),
                b["doc_count"],
                b["name"]["buckets"][0]["key"] if b["name"]["buckets"] else "",
            )
            for b in aggregations[name]["buckets"]
        ]

    price_labels = {p.key: p.label for p in PRICE_RANGES}
    facets = {
        "sector": terms("sector", SECTOR_LABELS),
        "classification_segment": label_classifications(terms("classification_segment")),
        "classification_family": label_classifications(terms("classification_family")),
        "region": terms("region", REGION_LABELS),
        "supplier": party("supplier"),
        "partner": party("partner"),
        "price": [
            FacetBucket(b["key"], b["doc_count"], price_labels.get(b["key"], ""))
            for b in aggregations["price"]["buckets"]
        ],
    }
    return facets, int(aggregations["expiring"]["doc_count"])
