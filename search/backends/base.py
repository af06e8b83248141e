"""The search contract every backend fulfils, and the value types that cross it.

Backends receive a validated :class:`SearchQuery` and return a :class:`SearchResult`; they never see HTTP.
Visibility (certificate active, issued, unexpired, listing published) is enforced twice: the index holds
only listed products (the outbox removes the rest), and every query also filters on the certificate's
dates (``catalog.visibility.VALIDITY_BOUNDS``) so a certificate that expires overnight disappears at
midnight with no write at all.

What backends share beyond the contract sits beside this module: ``cursors`` (search_after cursors),
``hits`` (hits and highlights from documents), ``facets`` (labels and price bands) and ``relevance``
(field weights).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from search import vocabulary as vocabularies

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
    # "did you mean": the query with misspelt words corrected (the results already include the correction)
    suggestion: str | None = None
    # no product had every part of the query: these rank by how many parts they match
    relaxed: bool = False


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


class DocumentStore(Protocol):
    """Where a backend gets documents from: ``search.store``, named by each concrete backend (as Wagtail
    backends name their ``rebuilder_class``) so the contract does not import the store that imports it."""

    def refresh(self, listing_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        """Documents of these listings that are listed; an absent key means "not listed, remove it"."""

    def iter_all(self) -> Iterator[DocumentSource]:
        """Every listed product's document, in id order."""


class SearchBackend(ABC):
    """One search engine behind the contract. Instances are cheap; create one per use."""

    name: str
    documents: DocumentStore

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
        ids = sorted(set(listing_ids))
        documents = self.documents.refresh(ids)
        stats = self.write(list(documents.values()))
        gone = [pk for pk in ids if pk not in documents]
        if gone:
            deleted = self.delete(gone)
            stats.deleted = deleted.deleted
            stats.failed.update(deleted.failed)
        return stats

    def vocabulary(self) -> vocabularies.Vocabulary:
        """The words this backend's index knows (typo correction), cached per process."""
        return vocabularies.get(self.vocabulary_key(), self.vocabulary_words)

    def vocabulary_key(self) -> str:
        return self.name

    def vocabulary_words(self) -> Iterable[tuple[str, int]]:
        """(word, products having it) for the words of indexed products' names and their name and
        specification morphemes (``search.vocabulary.words_of``)."""
        return ()

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
        product's, from the document store), and switch searches to it in one atomic step."""

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
