"""The search contract every backend fulfils, and the value types that cross it.

Backends receive a validated :class:`SearchQuery` and return a :class:`SearchResult`; they never see HTTP.
Visibility (certificate active, issued, unexpired, listing published) is enforced twice: the index holds
only listed products (the outbox removes the rest), and every query also filters on the certificate's
dates so a certificate that expires overnight disappears at midnight with no write at all.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from certification.codes import Sector, classification_prefix_label
from certification.models import Region

MAX_PAGE_SIZE = 100
# Deep offset paging costs the engine O(offset); beyond this, clients must use the search_after cursor.
MAX_RESULT_WINDOW = 10_000
MAX_QUERY_TERMS = 16
# Control characters mean nothing in a search, and PostgreSQL refuses NUL in any text value (a 500 from
# the driver): dropped once here for every caller (API, pages, commands) and both backends.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class SortOrder:
    RELEVANCE = "relevance"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    NEWEST = "newest"
    CHOICES = (RELEVANCE, PRICE_ASC, PRICE_DESC, NEWEST)


class SearchError(Exception):
    """Base of the errors a backend raises on purpose."""


class InvalidQuery(SearchError):
    """The query cannot be answered as asked (bad cursor, too deep): the client's fault, a 400."""


class SearchUnavailable(SearchError):
    """The search engine cannot be reached or has no index: a 503, or a fallback to the database."""


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


@dataclass(frozen=True)
class SearchFilters:
    sector: str | None = None
    classification: str | None = None  # prefix of the classification code / work type
    region: str | None = None
    supplier_id: int | None = None
    partner_id: int | None = None
    price_min: int | None = None
    price_max: int | None = None
    expiring_soon: bool | None = None


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    filters: SearchFilters = field(default_factory=SearchFilters)
    sort: str = SortOrder.RELEVANCE
    page: int = 1
    page_size: int = 20
    search_after: str | None = None  # opaque cursor from a previous SearchResult.next_cursor
    facets: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", CONTROL_CHARACTERS.sub(" ", self.text))
        if self.sort not in SortOrder.CHOICES:
            raise InvalidQuery(f"unknown sort {self.sort!r}")
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise InvalidQuery(f"page_size must be between 1 and {MAX_PAGE_SIZE}")
        if self.page < 1:
            raise InvalidQuery("page must be 1 or more")
        if self.search_after is None and self.page * self.page_size > MAX_RESULT_WINDOW:
            raise InvalidQuery(
                f"page × page_size may not exceed {MAX_RESULT_WINDOW}; use the cursor to go deeper"
            )

    @property
    def offset(self) -> int:
        return 0 if self.search_after else (self.page - 1) * self.page_size


@dataclass
class SearchHit:
    id: int
    name: str
    name_en: str
    specification: str
    unit_price: int
    unit: str
    sector: str
    classification_code: str
    supplier_id: int
    supplier_name: str
    partner_id: int
    partner_name: str
    certificate_number: str
    expires_on: date
    regions: list[str]
    score: float | None = None
    highlights: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FacetBucket:
    value: str
    count: int
    label: str = ""


@dataclass
class SearchResult:
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetBucket]]
    expiring_soon: int
    took_ms: int
    next_cursor: str | None
    backend: str


@dataclass
class RebuildStats:
    indexed: int
    errors: int
    seconds: float
    index: str = ""
    removed_indices: list[str] = field(default_factory=list)


@dataclass
class ApplyStats:
    indexed: int = 0
    deleted: int = 0
    failed: dict[int, str] = field(default_factory=dict)  # listing id → error, for the outbox to retry


ProgressCallback = Callable[[int], None]
# (listing id, the document as JSON), as search.store hands documents to a rebuild
DocumentSource = tuple[int, str]


def today() -> date:
    return timezone.localdate()


def expiring_soon_cutoff(day: date | None = None) -> date:
    return (day or today()) + timedelta(days=settings.CERTIFICATE_EXPIRING_SOON_DAYS)


# ----------------------------------------------------------------------------------- cursors
def encode_cursor(backend: str, sort: str, values: list[Any]) -> str:
    raw = json.dumps({"b": backend, "s": sort, "v": values}, separators=(",", ":"), default=str)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, backend: str, sort: str, types: tuple[type, ...]) -> list[Any]:
    """The sort values a cursor carries, checked: a forged or foreign cursor is a 400, never a 500."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        values = data["v"]
        if data["b"] != backend or data["s"] != sort:
            raise InvalidQuery("the cursor belongs to a different backend or sort order")
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeError) as exc:
        raise InvalidQuery("malformed cursor") from exc
    if not isinstance(values, list) or len(values) != len(types):
        raise InvalidQuery("malformed cursor")
    checked: list[Any] = []
    for value, kind in zip(values, types, strict=True):
        if kind is float and isinstance(value, int | float) and not isinstance(value, bool):
            checked.append(float(value))
        elif (kind is int and isinstance(value, int) and not isinstance(value, bool)) or (
            kind is str and isinstance(value, str) and len(value) <= 64
        ):
            checked.append(value)
        else:
            raise InvalidQuery("malformed cursor")
    return checked


# ----------------------------------------------------------------------------- facet labels
SECTOR_LABELS = dict(Sector.choices)
REGION_LABELS = dict(Region.choices)


def classification_parts(code: str) -> tuple[str, str]:
    """(segment, family) of a code: the first 2 and 4 digits of a UNSPSC number; a construction
    work-type code (CS02) is both, it has no hierarchy below the licence type."""
    code = (code or "").strip()
    if code[:1].isdigit():
        return code[:2], code[:4]
    return code, code


def label_classifications(buckets: list[FacetBucket]) -> list[FacetBucket]:
    """Names for classification buckets from the reference table (one query for the whole facet)."""
    from certification.models import ClassificationCode

    names = dict(
        ClassificationCode.objects.filter(code__in=[b.value for b in buckets]).values_list("code", "name")
    )
    return [
        FacetBucket(b.value, b.count, names.get(b.value) or classification_prefix_label(b.value))
        for b in buckets
    ]


def hit_from_document(document: dict[str, Any], score: float | None = None) -> SearchHit:
    expires = document["expires_on"]
    return SearchHit(
        id=int(document["id"]),
        name=document["name"],
        name_en=document.get("name_en", ""),
        specification=document["specification"],
        unit_price=int(document["unit_price"]),
        unit=document["unit"],
        sector=document["sector"],
        classification_code=document["classification_code"],
        supplier_id=int(document["supplier_id"]),
        supplier_name=document["supplier_name"],
        partner_id=int(document["partner_id"]),
        partner_name=document["partner_name"],
        certificate_number=document["certificate_number"],
        expires_on=expires if isinstance(expires, date) else date.fromisoformat(str(expires)[:10]),
        regions=list(document.get("regions", [])),
        score=score,
    )


HIGHLIGHT_FIELDS = ("name", "name_en", "specification", "description", "manufacturer")


def add_highlights(
    hits: list[SearchHit], documents: dict[int, dict[str, Any]], terms: frozenset[str]
) -> None:
    from search.analysis import highlight

    if not terms:
        return
    for hit in hits:
        document = documents.get(hit.id, {})
        for name in HIGHLIGHT_FIELDS:
            marked = highlight(document.get(name) or "", terms)
            if marked:
                hit.highlights[name] = marked


class SearchBackend(ABC):
    """One search engine behind the contract. Instances are cheap; create one per use."""

    name: str
    # Typo tolerance for Latin words (LDE → LED): Elasticsearch's fuzzy matching; SQL has no cheap equivalent.
    supports_fuzzy: bool = False

    @abstractmethod
    def health(self) -> dict:
        """``{"ok": bool, "backend": name, ...}``: never raises, so /healthz can always answer."""

    @abstractmethod
    def search(self, query: SearchQuery) -> SearchResult:
        """Listed products matching the query, with facets over the whole match set."""

    @abstractmethod
    def suggest(self, prefix: str, limit: int = 10) -> list[str]:
        """Product names that complete what the user is typing, most relevant first."""

    def index(self, listing_ids: Iterable[int]) -> ApplyStats:
        """Bring these listings in step with the catalog: index the listed ones, remove the rest."""
        from search import store

        ids = sorted(set(listing_ids))
        documents = store.refresh(ids)
        stats = self.write(list(documents.values()))
        gone = [pk for pk in ids if pk not in documents]
        if gone:
            deleted = self.delete(gone)
            stats.deleted = deleted.deleted
            stats.failed.update(deleted.failed)
        return stats

    @abstractmethod
    def write(self, documents: list[dict[str, Any]]) -> ApplyStats:
        """Store complete documents from :mod:`search.documents` (insert or replace)."""

    @abstractmethod
    def delete(self, listing_ids: Iterable[int]) -> ApplyStats:
        """Remove listings from the index; absent ones are fine."""

    @abstractmethod
    def rebuild(
        self, progress: ProgressCallback | None = None, documents: Iterable[DocumentSource] | None = None
    ) -> RebuildStats:
        """Fill a fresh index with ``documents``, (id, document JSON) pairs (by default every listed
        product's, from ``search.store.iter_all()``), and switch searches to it in one atomic step."""

    @abstractmethod
    def count(self) -> int:
        """Documents in the live index (which may include products that expired by date today)."""

    @abstractmethod
    def iter_ids(self) -> Iterator[int]:
        """Every listing id in the live index, for reconciling with the catalog."""

    def ensure(self) -> bool:
        """Create the index if missing; True when it had to be built."""
        return False

    def refresh(self) -> None:  # noqa: B027 - optional hook: only engines with refresh cycles need it
        """Make writes visible to searches now (tests and commands; engines refresh on their own)."""

    def status(self) -> dict[str, Any]:
        return {"backend": self.name, "count": self.count()}

    def cleanup(self) -> list[str]:
        """Remove leftovers of earlier rebuilds; returns what was removed."""
        return []
