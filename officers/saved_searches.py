"""Saved searches: an officer keeps a search (text, filters, sort) under a name, runs it again, and may ask
for an e-mail when new products match (``officers.alerts``).

The search is stored as the search contract's query, so the page, the API and the alert job read it
alike. Turning the alert on records what matches now as already seen (the baseline): the first e-mail
tells only of products that arrive afterwards.
"""

from dataclasses import asdict
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from core.domain import RuleViolation
from officers.access import clean_name, require_officer
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


def own_saved_search(actor: AbstractBaseUser, saved_search_id: int, *, lock: bool = False) -> SavedSearch:
    queryset = SavedSearch.objects.select_for_update() if lock else SavedSearch.objects
    return queryset.get(pk=saved_search_id, owner=actor)


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
    """A short line for the lists: the text and the filters as the page shows them."""
    parts = [f"“{saved.text}”"] if saved.text else []
    parts += [f"{PAGE_PARAMS[name]}={value}" for name, value in saved.filters.items() if name in PAGE_PARAMS]
    return " · ".join(parts)


@transaction.atomic
def save_search(
    actor: AbstractBaseUser, *, name: str, query: SearchQuery, alert: bool = False
) -> SavedSearch:
    require_officer(actor)
    get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
    name = clean_name(name)
    limit = settings.OFFICER_SAVED_SEARCHES_MAX
    if SavedSearch.objects.filter(owner=actor).count() >= limit:
        raise RuleViolation(
            f"검색은 {limit}개까지 저장할 수 있습니다. 쓰지 않는 검색을 지우세요 "
            f"(at most {limit} saved searches; delete one you no longer use).",
            code="too_many_saved_searches",
            field="name",
        )
    if SavedSearch.objects.filter(owner=actor, name=name).exists():
        raise RuleViolation(
            f"같은 이름으로 저장한 검색이 있습니다: {name} (you already have a saved search with this name).",
            code="duplicate_name",
            field="name",
        )
    try:
        with transaction.atomic():
            saved = SavedSearch.objects.create(
                owner=actor, name=name, text=query.text, filters=filters_dict(query.filters), sort=query.sort
            )
    except IntegrityError as exc:
        raise RuleViolation(
            "같은 이름으로 저장한 검색이 있습니다 (you already have a saved search with this name).",
            code="duplicate_name",
            field="name",
        ) from exc
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


@transaction.atomic
def rename_saved_search(actor: AbstractBaseUser, *, saved_search_id: int, name: str) -> SavedSearch:
    require_officer(actor)
    saved = own_saved_search(actor, saved_search_id, lock=True)
    name = clean_name(name)
    if SavedSearch.objects.filter(owner=actor, name=name).exclude(pk=saved.pk).exists():
        raise RuleViolation(
            f"같은 이름으로 저장한 검색이 있습니다: {name} (you already have a saved search with this name).",
            code="duplicate_name",
            field="name",
        )
    saved.name = name
    saved.save(update_fields=["name"])
    return saved


@transaction.atomic
def delete_saved_search(actor: AbstractBaseUser, *, saved_search_id: int) -> None:
    require_officer(actor)
    own_saved_search(actor, saved_search_id, lock=True).delete()
