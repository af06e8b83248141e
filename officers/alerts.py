"""The daily saved-search alert: each saved search with the alert on is run through the search backend,
and the products it has not seen before are told to its owner, by one notification (and e-mail, as the
owner's preferences allow) listing at most ``SAVED_SEARCH_ALERT_MAX_PRODUCTS`` of them with their links.

What a search has seen is stored per product (``SavedSearchMatch``, unique), in the same transaction as
the notification, so running the job twice, or two workers at once (the search's row is locked), never
tells of a product twice. A run reads the newest ``SAVED_SEARCH_SCAN_MAX`` matches (sorted by newest
listing): a new product is among them unless that many newer ones arrived the same day. A search the
backend answers only by relaxing it (no product matches every word) reports nothing: loose matches are
not news. While the search engine is down the run skips the search and the next run catches up.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from catalog.models import Unit
from notifications import services as notifications
from notifications.kinds import Kind
from notifications.rendering import absolute
from officers.access import keeps_lists
from officers.models import SavedSearch, SavedSearchMatch
from officers.saved_searches import page_query_string, query_of
from search.backends import run_with_fallback
from search.backends.base import MAX_PAGE_SIZE, SearchError, SearchHit, SortOrder

logger = logging.getLogger(__name__)
UNIT_LABELS = dict(Unit.choices)


def scan(saved: SavedSearch) -> list[SearchHit]:
    """The search's matches now, newest first, at most SAVED_SEARCH_SCAN_MAX."""
    limit = settings.SAVED_SEARCH_SCAN_MAX
    hits: list[SearchHit] = []
    page = 1
    while len(hits) < limit:
        # newest first whatever the officer sorts by: new products are at the top
        query = query_of(saved, page=page, page_size=MAX_PAGE_SIZE, facets=False, sort=SortOrder.NEWEST)
        result = run_with_fallback(lambda backend, query=query: backend.search(query))[0]
        if result.relaxed:
            return []
        hits.extend(result.hits)
        if len(result.hits) < MAX_PAGE_SIZE or page * MAX_PAGE_SIZE >= result.total:
            break
        page += 1
    return hits[:limit]


def record_baseline(saved: SavedSearch) -> bool:
    """Marks what matches now as seen, without telling anyone; False when the search engine cannot answer
    (the first alert run then records the baseline instead)."""
    try:
        hits = scan(saved)
    except SearchError as exc:
        logger.warning("saved search %s: baseline postponed: %s", saved.pk, exc)
        saved.last_checked_at = None
        saved.save(update_fields=["last_checked_at"])
        return False
    SavedSearchMatch.objects.bulk_create(
        [SavedSearchMatch(saved_search=saved, listing_id=hit.id) for hit in hits], ignore_conflicts=True
    )
    saved.last_checked_at = timezone.now()
    saved.save(update_fields=["last_checked_at"])
    return True


def _product(hit: SearchHit) -> dict:
    return {
        "name": hit.name,
        "supplier_name": hit.supplier_name,
        "unit_price": f"{hit.unit_price:,}",
        "unit": UNIT_LABELS.get(hit.unit, hit.unit).split(" (")[0],
        "url": absolute(reverse("web:product", args=[hit.id])),
    }


def check(saved: SavedSearch) -> int:
    """Runs one saved search; returns how many new products its owner was told of (0 for a baseline)."""
    hits = scan(saved)
    with transaction.atomic():
        locked = SavedSearch.objects.select_for_update().select_related("owner").filter(pk=saved.pk).first()
        if locked is None or not locked.alert:
            return 0
        ids = [hit.id for hit in hits]
        seen = set(locked.matches.filter(listing_id__in=ids).values_list("listing_id", flat=True))
        new = [hit for hit in hits if hit.id not in seen]
        baseline = locked.last_checked_at is None
        SavedSearchMatch.objects.bulk_create(
            [SavedSearchMatch(saved_search=locked, listing_id=hit.id, alerted=not baseline) for hit in new],
            ignore_conflicts=True,
        )
        locked.last_checked_at = timezone.now()
        fields = ["last_checked_at"]
        if new and not baseline:
            shown = settings.SAVED_SEARCH_ALERT_MAX_PRODUCTS
            search_url = absolute(f"{reverse('web:search')}?{page_query_string(locked)}")
            notifications.notify(
                [locked.owner],
                Kind.SAVED_SEARCH_MATCHES,
                # the new products of one run are seen by no other run, so the smallest id names the run
                source=f"saved-search:{locked.pk}:{min(hit.id for hit in new)}",
                context={
                    "saved_search": locked,
                    "count": len(new),
                    "products": [_product(hit) for hit in new[:shown]],
                    "more": max(0, len(new) - shown),
                    "search_url": search_url,
                },
                link=search_url,
            )
            locked.last_alerted_at = locked.last_checked_at
            fields.append("last_alerted_at")
        locked.save(update_fields=fields)
    return 0 if baseline else len(new)


@dataclass
class AlertRun:
    searches: int = 0
    products: int = 0
    failed: list[int] = field(default_factory=list)


def run_alerts() -> AlertRun:
    """The daily job: every saved search with its alert on, of an active officer."""
    run = AlertRun()
    due = SavedSearch.objects.filter(alert=True, owner__is_active=True).select_related("owner").order_by("pk")
    for saved in due.iterator():
        if not keeps_lists(saved.owner):
            continue  # no longer an officer: the search is kept, silent
        try:
            told = check(saved)
        except SearchError as exc:
            # nothing was recorded for this search: the next run sees the same products as new
            logger.warning("saved search %s skipped: %s", saved.pk, exc)
            run.failed.append(saved.pk)
            continue
        run.searches += 1
        run.products += told
    return run
