"""Listings streamed as flat rows with their delivery region codes: what the search document source and
the Nara feed read the listed catalog with.

Each listing is one ``values_list`` row (its certificate, supplier and partner joined in), all from one
query iterated with a server-side cursor on PostgreSQL (one snapshot), plus one query per chunk for the
delivery regions. Model instances for four tables per row cost more than everything else either reader
does with a row.
"""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.db.models import Q, QuerySet

from catalog.models import ProductListing


@dataclass(frozen=True)
class Chunk:
    """Consecutive listings in id order."""

    ids: list[int]
    # a walk over a whole (filtered) catalog: the chunk owns every id between its first and last
    whole_range: bool

    def q(self, field: str) -> Q:
        """Selects rows of other tables that belong to this chunk's listings by ``field``. A walk asks
        for the id range rather than 1,000 ids: binding and planning a long ``IN`` list cost more than the
        rest of a chunk's queries (rows of other ids in the range are ignored)."""
        if self.whole_range:
            return Q(**{f"{field}__gte": self.ids[0], f"{field}__lte": self.ids[-1]})
        return Q(**{f"{field}__in": self.ids})


RowChunk = tuple[Chunk, list[tuple[Any, ...]], dict[int, tuple[str, ...]]]


def iter_row_chunks(
    listings: QuerySet[ProductListing], columns: Sequence[Any], chunk_size: int, *, whole_range: bool = True
) -> Iterator[RowChunk]:
    """``listings`` in id order, a chunk at a time: (chunk, its rows as ``(pk, *columns)`` tuples, the
    sorted delivery region codes of each of its listings that has any). ``whole_range=False`` when
    ``listings`` are a few picked ids rather than a walk, so regions are asked for by id."""
    rows = listings.order_by("pk").values_list("pk", *columns).iterator(chunk_size=chunk_size)
    while batch := list(islice(rows, chunk_size)):
        chunk = Chunk(ids=[row[0] for row in batch], whole_range=whole_range)
        yield chunk, batch, region_codes(chunk)


def region_codes(chunk: Chunk) -> dict[int, tuple[str, ...]]:
    """Sorted delivery region codes per listing of the chunk (listings without any are absent)."""
    links = ProductListing.delivery_regions.through.objects.filter(chunk.q("productlisting_id"))
    codes: defaultdict[int, list[str]] = defaultdict(list)
    # a region's primary key is its code
    for listing_id, code in links.order_by("productlisting_id", "deliveryregion_id").values_list(
        "productlisting_id", "deliveryregion_id"
    ):
        codes[listing_id].append(code)
    return {listing_id: tuple(values) for listing_id, values in codes.items()}
