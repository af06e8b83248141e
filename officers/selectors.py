"""Reads of the officers' records, scoped to their owner, and the shared list's public projection.

An item's status comes from the catalog's own rule (``catalog.visibility.delist_reason``): listed, or
left the catalog with the reason, or deleted. A product that left the catalog is shown by the snapshot
taken when it was added, never by its current (private) row.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, QuerySet
from django.utils.translation import pgettext_lazy

from catalog.public import GONE_REASONS
from catalog.visibility import delist_reason
from officers.models import SavedSearch, Shortlist, ShortlistItem

DELETED = "deleted"
REASON_LABELS = {
    **{reason: korean for reason, (korean, _english) in GONE_REASONS.items()},
    DELETED: pgettext_lazy("delist reason", "삭제됨"),
}

# What the shared (anonymous) page and its item rows may show: the product's public fields, and the
# officer's note, which the owner shares on purpose (the share form says so).
SHARED_ITEM_FIELDS: tuple[str, ...] = (
    "listing_id",
    "name",
    "specification",
    "supplier_name",
    "certificate_number",
    "unit_price",
    "unit",
    "expires_on",
    "listed",
    "reason",
    "reason_label",
    "note",
    "added_at",
)


def shortlists_of(user: AbstractBaseUser) -> QuerySet[Shortlist]:
    return Shortlist.objects.filter(owner=user).annotate(item_count=Count("items")).order_by("name", "id")


def saved_searches_of(user: AbstractBaseUser) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(owner=user).order_by("name", "id")


@dataclass(frozen=True)
class Entry:
    """One item as a page or the API shows it."""

    item: ShortlistItem
    listed: bool
    reason: str | None

    @property
    def reason_label(self) -> str:
        return str(REASON_LABELS[self.reason]) if self.reason else ""

    def public(self) -> dict[str, Any]:
        """The allow-listed fields (``SHARED_ITEM_FIELDS``); live values only while listed."""
        item, listing = self.item, self.item.listing if self.listed else None
        shown = {
            "listing_id": item.listing_ref,
            "name": listing.name if listing else item.name,
            "specification": listing.specification if listing else item.specification,
            "supplier_name": listing.supplier.name if listing else item.supplier_name,
            "certificate_number": listing.certificate.number if listing else item.certificate_number,
            "unit_price": listing.unit_price if listing else None,
            "unit": listing.unit if listing else "",
            "expires_on": listing.certificate.expires_on if listing else None,
            "listed": self.listed,
            "reason": self.reason,
            "reason_label": self.reason_label,
            "note": item.note,
            "added_at": item.added_at,
        }
        assert tuple(shown) == SHARED_ITEM_FIELDS
        return shown


def items_of(shortlist: Shortlist) -> QuerySet[ShortlistItem]:
    # one query for every item with what its status and public face need (no query per item)
    return shortlist.items.select_related("listing", "listing__certificate", "listing__supplier").order_by(
        "added_at", "id"
    )


def entry_of(item: ShortlistItem) -> Entry:
    if item.listing is None:
        return Entry(item=item, listed=False, reason=DELETED)
    reason = delist_reason(item.listing)
    return Entry(item=item, listed=reason is None, reason=reason)


def entries(shortlist: Shortlist) -> list[Entry]:
    return [entry_of(item) for item in items_of(shortlist)]


def shared_shortlist(token: str) -> Shortlist | None:
    """The list behind a read-only link, or None (never shared, revoked, or a made-up token)."""
    if not token or len(token) > 64:
        return None
    return Shortlist.objects.filter(share_token=token).first()
