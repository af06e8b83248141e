"""Contract, every backend: a text every listed product carries counts like browsing (the database
backend on PostgreSQL drops the condition of such a term once a rebuild lists it as universal, migration
``0012_postgres_universal_terms``), and stops doing so as soon as a product without it is written."""

import pytest

from catalog.models import ProductListing
from search import sync
from tests.search.conftest import run, sync_now

pytestmark = pytest.mark.django_db
WORD = "상생협력"


def _facets(result) -> dict[str, dict[str, int]]:
    return {name: {b.value: b.count for b in buckets} for name, buckets in result.facets.items()}


def _describe(listings: list[ProductListing], prefix: str) -> None:
    for listing in listings:
        current = ProductListing.objects.get(pk=listing.pk).description
        ProductListing.objects.filter(pk=listing.pk).update(
            description=prefix + current.removeprefix(f"{WORD} ")
        )
    sync.enqueue([listing.pk for listing in listings])


def test_a_text_every_product_carries_counts_like_browsing(backend, indexed):
    _describe(indexed.all, f"{WORD} ")
    sync.rebuild(backend)
    browse, text = run(backend), run(backend, WORD)
    assert text.total == browse.total == 5
    assert sorted(hit.id for hit in text.hits) == sorted(hit.id for hit in browse.hits)
    assert _facets(text) == _facets(browse)
    assert text.expiring_soon == browse.expiring_soon

    _describe([indexed.street], "")  # the LED street light no longer carries the word
    sync_now(backend)
    text = run(backend, WORD)
    assert text.total == 4 and indexed.street.pk not in [hit.id for hit in text.hits]
    assert _facets(text)["region"] == {"11": 2, "41": 2, "30": 1}
    assert _facets(text)["sector"] == {"goods": 2, "services": 1, "construction": 1}
