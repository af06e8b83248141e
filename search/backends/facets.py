"""What facets show besides counts: labels for sectors, regions and classification numbers, the price
bands, and how many buckets a terms facet lists."""

from dataclasses import dataclass

from certification.codes import Sector, classification_prefix_label
from certification.models import ClassificationCode, Region
from search.backends.base import FacetBucket

TERMS_FACET_SIZE = 20
SECTOR_LABELS = dict(Sector.choices)
REGION_LABELS = dict(Region.choices)


@dataclass(frozen=True)
class PriceRange:
    key: str
    low: int | None
    high: int | None  # exclusive
    label: str


# KRW bands that match how procurement thresholds are usually talked about.
PRICE_RANGES: tuple[PriceRange, ...] = (
    PriceRange("lt_100k", None, 100_000, "10만원 미만"),
    PriceRange("100k_1m", 100_000, 1_000_000, "10만~100만원"),
    PriceRange("1m_10m", 1_000_000, 10_000_000, "100만~1,000만원"),
    PriceRange("10m_100m", 10_000_000, 100_000_000, "1,000만~1억원"),
    PriceRange("gte_100m", 100_000_000, None, "1억원 이상"),
)


def label_classifications(buckets: list[FacetBucket]) -> list[FacetBucket]:
    """Names for classification buckets from the reference table (one query for the whole facet)."""
    names = dict(
        ClassificationCode.objects.filter(code__in=[b.value for b in buckets]).values_list("code", "name")
    )
    return [
        FacetBucket(b.value, b.count, names.get(b.value) or classification_prefix_label(b.value))
        for b in buckets
    ]
