"""Comparing listed products side by side: which ids a comparison URL asks for, and the products as the
public may read them (``catalog.public``'s allow-lists through the public serializer), in the order asked.

The selection lives in the URL (``?ids=1,2,3``, or ``ids`` repeated as a form of checkboxes sends it), so a
comparison can be shared, bookmarked and printed. Ids that are not numbers, not listed or unknown are named
back to the visitor as "not found" alike: a comparison never tells an unpublished product from a missing one.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from catalog.api.public import PublicListingSerializer
from catalog.public import public_listings
from core.identifiers import MAX_ID, is_ascii_digits, normalize_identifier

MAX_COMPARED = 4
# what a URL may carry at all: more is cut before any parsing (a hand-made URL of thousands of ids)
MAX_REQUESTED = 20


@dataclass
class Comparison:
    products: list[dict[str, Any]] = field(default_factory=list)
    # what the visitor asked for that is not shown: not a number, not listed, or past the fourth
    not_found: list[str] = field(default_factory=list)
    dropped: list[int] = field(default_factory=list)

    @property
    def ids(self) -> list[int]:
        return [product["id"] for product in self.products]


def requested_ids(values: Iterable[str]) -> tuple[list[int], list[str]]:
    """(ids in the order first given, without repeats; the parts that are not ids)."""
    ids: list[int] = []
    invalid: list[str] = []
    parts = [part for value in values for part in str(value).split(",")][: MAX_REQUESTED * 2]
    for raw in parts:
        text = normalize_identifier(raw)
        if not text:
            continue
        if is_ascii_digits(text) and 0 < int(text) <= MAX_ID:
            if int(text) not in ids:
                ids.append(int(text))
        else:
            invalid.append(text[:20])
    return ids[:MAX_REQUESTED], invalid


def compare(values: Iterable[str]) -> Comparison:
    """The products ``values`` (the URL's ``ids``) name, at most ``MAX_COMPARED``, in one query (plus the
    delivery regions' prefetch), in the order asked."""
    ids, invalid = requested_ids(values)
    found = {listing.pk: listing for listing in public_listings().filter(pk__in=ids)}
    comparison = Comparison(not_found=invalid + [str(pk) for pk in ids if pk not in found])
    shown = [pk for pk in ids if pk in found]
    comparison.dropped = shown[MAX_COMPARED:]
    comparison.products = list(
        PublicListingSerializer([found[pk] for pk in shown[:MAX_COMPARED]], many=True).data
    )
    return comparison
