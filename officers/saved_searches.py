"""Saved searches: an officer keeps a search (text, filters, sort) under a name, runs it again, and may ask
for an e-mail when new products match (``officers.alerts``).

The search is stored as the search contract's query, so the page, the API and the alert job read it
alike. Turning the alert on records what matches now as already seen (the baseline): the first e-mail
tells only of products that arrive afterwards.
"""

from dataclasses import asdict
from urllib.parse import urlencode

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from certification.codes import Sector
from certification.models import Region
from officers.access import OwnedNames, require_officer
from officers.models import SavedSearch
from search.backends.base import SearchFilters, SearchQuery, SortOrder

# the search page's parameter for each filter of the contract (web.search_page reads them back)
PAGE_PARAMS = {
    "sector": "sector",
    "classification": "classification",
    "region": "region",
    "supplier_id": "supplier",
    "partner_id": "partner",
    "price_min": "price_min",
    "price_max": "price_max",
    "expiring_soon": "expiring",
}


def filters_dict(filters: SearchFilters) -> dict:
    return {name: value for name, value in asdict(filters).items() if value is not None}


def query_of(
    saved: SavedSearch, *, page: int = 1, page_size: int = 20, facets: bool = True, sort: str | None = None
) -> SearchQuery:
    known = set(SearchFilters.__dataclass_fields__)
    return SearchQuery(
        text=saved.text,
        filters=SearchFilters(**{name: value for name, value in saved.filters.items() if name in known}),
        sort=sort or (saved.sort if saved.sort in SortOrder.CHOICES else SortOrder.RELEVANCE),
        page=page,
        page_size=page_size,
        facets=facets,
    )


# the search API's parameter names differ from the page's for one filter only
API_PARAMS = {**PAGE_PARAMS, "expiring_soon": "expiring_soon"}


def page_query_string(saved: SavedSearch, *, api: bool = False) -> str:
    """The search page's query string for the saved search (``q=…&sector=…``), or the search API's."""
    params: list[tuple[str, str]] = []
    if saved.text:
        params.append(("q", saved.text))
    for name, param in (API_PARAMS if api else PAGE_PARAMS).items():
        value = saved.filters.get(name)
        if value is None:
            continue
        if isinstance(value, bool):
            if not (api or value):
                continue  # the page filters "expiring soon" only, not "not expiring soon"
            value = ("true" if value else "false") if api else "1"
        params.append((param, str(value)))
    if saved.sort and saved.sort != SortOrder.RELEVANCE:
        params.append(("sort", saved.sort))
    return urlencode(params)


def describe(saved: SavedSearch) -> str:
    """A short line for the lists: the text and the filters in words (물품, 서울특별시, 가격 범위)."""
    filters = saved.filters
    parts = [f"“{saved.text}”"] if saved.text else []
    if filters.get("sector") in Sector.values:
        parts.append(str(Sector(filters["sector"]).label))
    if filters.get("classification"):
        parts.append(f"분류 {filters['classification']}")
    if filters.get("region") in Region.values:
        parts.append(str(Region(filters["region"]).label))
    low, high = filters.get("price_min"), filters.get("price_max")
    if low is not None or high is not None:
        parts.append(f"{low or 0:,}–{'' if high is None else f'{high:,}'}원")
    if filters.get("supplier_id"):
        parts.append(f"공급기업 #{filters['supplier_id']}")
    if filters.get("partner_id"):
        parts.append(f"협력기업 #{filters['partner_id']}")
    if filters.get("expiring_soon"):
        parts.append("만료 임박")
    return " · ".join(parts)


SEARCHES = OwnedNames(
    SavedSearch, "저장한 검색", "saved search", "OFFICER_SAVED_SEARCHES_MAX", "too_many_saved_searches"
)


def own_saved_search(actor: AbstractBaseUser, saved_search_id: int, *, lock: bool = False) -> SavedSearch:
    return SEARCHES.own(actor, saved_search_id, lock=lock)


@transaction.atomic
def save_search(
    actor: AbstractBaseUser, *, name: str, query: SearchQuery, alert: bool = False
) -> SavedSearch:
    require_officer(actor)
    SEARCHES.check_room(actor)
    name = SEARCHES.unique_name(actor, name)
    with SEARCHES.writing():
        saved = SavedSearch.objects.create(
            owner=actor, name=name, text=query.text, filters=filters_dict(query.filters), sort=query.sort
        )
    if alert:
        _turn_alert_on(saved)
    return saved


def _turn_alert_on(saved: SavedSearch) -> None:
    from officers import alerts  # alerts reads this module's query_of

    alerts.record_baseline(saved)
    saved.alert = True
    saved.save(update_fields=["alert"])


@transaction.atomic
def set_alert(actor: AbstractBaseUser, *, saved_search_id: int, alert: bool) -> SavedSearch:
    require_officer(actor)
    saved = own_saved_search(actor, saved_search_id, lock=True)
    if alert and not saved.alert:
        _turn_alert_on(saved)
    elif not alert and saved.alert:
        saved.alert = False
        saved.save(update_fields=["alert"])
    return saved


def rename_saved_search(actor: AbstractBaseUser, *, saved_search_id: int, name: str) -> SavedSearch:
    return SEARCHES.rename(actor, saved_search_id, name)


@transaction.atomic
def delete_saved_search(actor: AbstractBaseUser, *, saved_search_id: int) -> None:
    require_officer(actor)
    own_saved_search(actor, saved_search_id, lock=True).delete()
