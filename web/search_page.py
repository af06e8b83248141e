"""Reading the search page's query string into the search contract's ``SearchQuery`` and back.

The query string is the whole state of the page, so a URL can be shared or bookmarked: ``q``, ``sector``,
``classification`` (a code prefix), ``region``, ``price`` (a price band key) or ``price_min``/``price_max``,
``partner``, ``supplier``, ``expiring``, ``sort`` and ``page``.
"""

from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from certification.codes import Sector
from certification.models import Region
from search.backends.base import (
    MAX_PAGE_SIZE,
    MAX_RESULT_WINDOW,
    InvalidQuery,
    SearchError,
    SearchFilters,
    SearchQuery,
    SortOrder,
)
from search.backends.facets import PRICE_RANGES

PAGE_SIZE = 20
MAX_TEXT = 200
SORT_LABELS = {
    SortOrder.RELEVANCE: _("관련도순"),
    SortOrder.PRICE_ASC: _("낮은 가격순"),
    SortOrder.PRICE_DESC: _("높은 가격순"),
    SortOrder.NEWEST: _("최신 등록순"),
}
FACET_TITLES = {
    "sector": _("분야"),
    "classification_segment": _("분류"),
    "classification_family": _("세부 분류"),
    "region": _("납품 지역"),
    "price": _("가격대"),
    "partner": _("협력기업"),
    "supplier": _("공급기업"),
}
# which query parameter each facet sets
FACET_PARAMS = {
    "sector": "sector",
    "classification_segment": "classification",
    "classification_family": "classification",
    "region": "region",
    "price": "price",
    "partner": "partner",
    "supplier": "supplier",
}
PRICE_BANDS = {band.key: band for band in PRICE_RANGES}


def _positive_int(value: str | None) -> int | None:
    try:
        number = int((value or "").replace(",", "").strip())
    except ValueError:
        return None
    return number if number >= 0 else None


@dataclass
class PageState:
    """The cleaned parameters: what the page shows as selected, and what it asks the backend."""

    text: str
    sector: str
    classification: str
    region: str
    price: str
    price_min: int | None
    price_max: int | None
    partner: int | None
    supplier: int | None
    expiring: bool
    sort: str
    page: int

    @property
    def has_filters(self) -> bool:
        return any(
            [
                self.sector,
                self.classification,
                self.region,
                self.price,
                self.price_min is not None,
                self.price_max is not None,
                self.partner,
                self.supplier,
                self.expiring,
            ]
        )

    def selected(self, facet: str) -> str:
        value = getattr(self, FACET_PARAMS[facet])
        return "" if value in (None, False) else str(value)

    def to_query(self) -> SearchQuery:
        low, high = self.price_min, self.price_max
        if self.price in PRICE_BANDS:
            band = PRICE_BANDS[self.price]
            low = band.low
            # bands are exclusive at the top; the contract's price_max is inclusive
            high = band.high - 1 if band.high is not None else None
        return SearchQuery(
            text=self.text,
            filters=SearchFilters(
                sector=self.sector or None,
                classification=self.classification or None,
                region=self.region or None,
                supplier_id=self.supplier,
                partner_id=self.partner,
                price_min=low,
                price_max=high,
                expiring_soon=True if self.expiring else None,
            ),
            sort=self.sort,
            page=self.page,
            page_size=PAGE_SIZE,
        )


def read_state(params: QueryDict) -> PageState:
    """Unknown or malformed values are dropped rather than refused: a hand-edited URL still shows a page."""
    sector = params.get("sector", "")
    region = params.get("region", "")
    classification = "".join(ch for ch in params.get("classification", "") if ch.isalnum())[:10]
    price = params.get("price", "")
    sort = params.get("sort", SortOrder.RELEVANCE)
    page = _positive_int(params.get("page")) or 1
    return PageState(
        text=" ".join(params.get("q", "").split())[:MAX_TEXT],
        sector=sector if sector in Sector.values else "",
        classification=classification,
        region=region if region in Region.values else "",
        price=price if price in PRICE_BANDS else "",
        price_min=_positive_int(params.get("price_min")),
        price_max=_positive_int(params.get("price_max")),
        partner=_positive_int(params.get("partner")) or None,
        supplier=_positive_int(params.get("supplier")) or None,
        expiring=params.get("expiring") == "1",
        sort=sort if sort in SortOrder.CHOICES else SortOrder.RELEVANCE,
        page=min(page, MAX_RESULT_WINDOW // PAGE_SIZE),
    )


assert PAGE_SIZE <= MAX_PAGE_SIZE


def page_numbers(current: int, last: int, around: int = 2) -> list[int | None]:
    """1 … 4 5 [6] 7 8 … 20 (None marks a gap)."""
    wanted = {1, last, *range(max(1, current - around), min(last, current + around) + 1)}
    numbers: list[int | None] = []
    previous = 0
    for number in sorted(wanted):
        if number - previous > 1:
            numbers.append(None)
        numbers.append(number)
        previous = number
    return numbers


def search_error(exc: SearchError) -> tuple[str, int]:
    """What a page says when its search cannot be answered, and the status: the query's fault (400) or
    the engine's (503). The search page and the result export say the same."""
    if isinstance(exc, InvalidQuery):
        return gettext("검색 조건을 처리할 수 없습니다: %(reason)s") % {"reason": exc}, 400
    return gettext("검색 서비스에 일시적으로 연결할 수 없습니다. 잠시 후 다시 시도하세요."), 503
