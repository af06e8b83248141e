import pytest

from bench.generate import generate
from catalog.models import ProductListing
from catalog.selectors import listed_listings

pytestmark = pytest.mark.django_db


def test_generator_makes_realistic_rows_in_every_sector():
    stats = generate(400, seed=3)
    assert stats["listings"] == ProductListing.objects.count() == 400
    assert set(ProductListing.objects.values_list("sector", flat=True)) == {
        "goods",
        "services",
        "construction",
    }
    listed = listed_listings().count()
    # most of the catalog is listed; a few certificates are suspended, revoked or expired, a few unpublished
    assert 0.6 * 400 < listed < 400
