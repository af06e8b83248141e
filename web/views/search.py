"""The search page and the product page: officers (and staff and suppliers checking what buyers see)
get the full view; anyone else, signed in or not, the public projection (``web.views.public``)."""

from django.shortcuts import render
from django.urls import reverse

from catalog.api.public import PUBLIC_CACHE_CONTROL
from catalog.models import PriceChange, Unit
from catalog.public import PUBLIC_SEARCH_HIT_FIELDS
from catalog.selectors import card_details, visible_listings
from catalog.visibility import delist_reason
from certification.codes import Sector
from certification.roles import Role, has_role
from search.backends import run_with_fallback
from search.backends.base import InvalidQuery, SearchUnavailable
from search.log import record_search
from search.models import SearchSource
from web.access import get_or_404
from web.search_page import (
    FACET_PARAMS,
    FACET_TITLES,
    PAGE_SIZE,
    SORT_LABELS,
    page_numbers,
    read_state,
    search_error,
)
from web.throttle import throttle_anonymous
from web.views.public import public_product

# who may search the listed catalog: buyers first, and staff and suppliers to check what buyers see
SEARCHERS = (Role.OFFICER, Role.REVIEWER, Role.SUPPLIER)
UNIT_LABELS = dict(Unit.choices)
SECTOR_LABELS = dict(Sector.choices)


def reads_as_officer(user) -> bool:
    """Whether the user gets the officers' view of the catalog; everyone else gets the public one."""
    return any(has_role(user, role) for role in (*SEARCHERS, Role.ADMIN))


def _public_hit(hit) -> dict:
    """A hit as the public page may show it: the allow-listed fields only, plus the labels and the card's
    details (public fields of a listed product: lead time, minimum order, whether it has an image)."""
    shown = {name: getattr(hit, name) for name in PUBLIC_SEARCH_HIT_FIELDS}
    shown.update(unit_label=hit.unit_label, sector_label=hit.sector_label, card=hit.card)
    return shown


def _pager(page: int, last_page: int) -> dict:
    """The pager's links and whether the asked page is past the last one: a hand-edited or stale URL
    (the catalog shrank) gets a pointer back to the last page, never a range such as "0–9980"."""
    past_end = page > last_page
    return {
        "past_end": past_end,
        "previous_page": min(page - 1, last_page) if page > 1 else None,
        "next_page": page + 1 if page < last_page else None,
    }


def _facet_groups(result, state) -> list[dict]:
    order = ["sector", "classification_segment", "region", "price", "partner", "supplier"]
    if len(state.classification) >= 2:
        order.insert(order.index("classification_segment") + 1, "classification_family")
    groups = []
    for key in order:
        buckets = result.facets.get(key) or []
        if key == "price":
            buckets = [bucket for bucket in buckets if bucket.count]
        if not buckets:
            continue
        selected = state.selected(key)
        groups.append(
            {
                "key": key,
                "param": FACET_PARAMS[key],
                "title": FACET_TITLES[key],
                "selected": selected,
                "buckets": [
                    {
                        "value": bucket.value,
                        "label": bucket.label or bucket.value,
                        "count": bucket.count,
                        "selected": bucket.value == selected,
                    }
                    for bucket in buckets
                ],
            }
        )
    return groups


@throttle_anonymous
def search(request):
    """Open to everyone: the listed catalog is public, and search documents hold only listed products."""
    officer = reads_as_officer(request.user)
    state = read_state(request.GET)
    context = {
        "state": state,
        "sort_labels": SORT_LABELS,
        "result": None,
        "error": "",
        "suggest_url": reverse("search-suggest" if officer else "public-search-suggest"),
    }
    status = 200
    try:
        query = state.to_query()
        result = run_with_fallback(lambda backend: backend.search(query))[0]
    except (InvalidQuery, SearchUnavailable) as exc:
        context["error"], status = search_error(exc)
    else:
        record_search(query, result, source=SearchSource.PAGE)
        last_page = max(1, -(-min(result.total, 10_000) // PAGE_SIZE))
        cards = card_details([hit.id for hit in result.hits])
        for hit in result.hits:
            hit.unit_label = UNIT_LABELS.get(hit.unit, hit.unit)
            hit.sector_label = SECTOR_LABELS.get(hit.sector, hit.sector)
            hit.card = cards.get(hit.id, {})
        context.update(
            result=result,
            hits=result.hits if officer else [_public_hit(hit) for hit in result.hits],
            facet_groups=_facet_groups(result, state),
            last_page=last_page,
            pages=page_numbers(min(state.page, last_page), last_page),
            first_index=(state.page - 1) * PAGE_SIZE + 1 if result.hits else 0,
            last_index=(state.page - 1) * PAGE_SIZE + len(result.hits),
            **_pager(state.page, last_page),
        )
    response = render(request, "web/search/search.html", context, status=status)
    if status == 200:
        # the same query answers every anonymous visitor alike for a minute; a signed-in view is theirs
        response["Cache-Control"] = "private" if request.user.is_authenticated else PUBLIC_CACHE_CONTROL
    return response


@throttle_anonymous
def product(request, pk: int):
    if not reads_as_officer(request.user):
        return public_product(request, pk)
    listing = get_or_404(visible_listings(request.user), pk=pk)
    certificate = listing.certificate
    return render(
        request,
        "web/search/product.html",
        {
            "listing": listing,
            "certificate": certificate,
            "supplier": listing.supplier,
            "partner": certificate.partner,
            "unit_label": UNIT_LABELS.get(listing.unit, listing.unit),
            "delist_reason": delist_reason(listing),
            "regions": listing.delivery_regions.all(),
            "price_history": PriceChange.objects.filter(listing=listing).order_by("-changed_at")[:10],
            "back": request.GET.get("back", ""),
        },
    )
