"""Delta feeds: what was added, changed or delisted since a previous export job.

A job's manifest (``ExportedRow``: listing id, content hash, Nara keys) is the exact record of what the
marketplace was given. A delta walks the rows listed now and the base manifest side by side, both in
listing-id order (a merge join), so it needs constant memory however large the catalog is:

- id listed now, not in the base            → added
- id in both, content hash differs          → changed
- id in the base, not among valid rows now  → delisted, with the reason from ``delist_reason``,
  ``deleted`` when the listing row is gone, ``rejected`` when it is listed but fails validation.
"""

from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from catalog.feeds.models import ExportedRow, ExportJob
from catalog.feeds.nara import ChangeType
from catalog.feeds.versions import FeedVersion
from catalog.models import ProductListing
from catalog.visibility import DelistReason, delist_reason

MANIFEST_PAGE = 2000


class ExtraDelistReason:
    DELETED = "deleted"
    # listed by the visibility rule, but the row fails feed validation (see the job's report)
    REJECTED = "rejected"
    # listed and valid, yet outside the export's filters (kept for completeness; filters are fixed
    # between a delta and its base, so this only happens when a listing moves supplier or sector)
    OUT_OF_SCOPE = "out_of_scope"


def iter_manifest(job: ExportJob) -> Iterator[ExportedRow]:
    """The base manifest in listing-id order, one keyset page at a time.

    Pages are complete queries rather than one open cursor because the new job's manifest is inserted
    into the same table meanwhile, and SQLite gives no isolation between statements of one connection.
    """
    last_id: int | None = None
    while True:
        page = ExportedRow.objects.filter(job=job).order_by("listing_id")
        if last_id is not None:
            page = page.filter(listing_id__gt=last_id)
        rows = list(page[:MANIFEST_PAGE])
        if not rows:
            return
        yield from rows
        last_id = rows[-1].listing_id


def _start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _delisted_when(listing: ProductListing, reason: str, fallback: datetime) -> datetime:
    """When the listing left the marketplace, as precisely as the data tells (chgDt of the row)."""
    certificate = listing.certificate
    if reason in (DelistReason.REVOKED, DelistReason.SUSPENDED):
        return certificate.status_changed_at
    if reason == DelistReason.EXPIRED:
        if certificate.status == "expired":
            return certificate.status_changed_at
        # expired by date alone: nothing was written, the certificate ended at the end of expires_on
        return _start_of_day(certificate.expires_on + timedelta(days=1))
    if reason == DelistReason.UNPUBLISHED:
        return listing.updated_at
    return fallback


def resolve_delistings(
    entries: Iterable[ExportedRow], today: date, in_scope, fallback: datetime
) -> dict[int, tuple[str, datetime]]:
    """Reason and time for base entries missing from the current valid rows, one query per batch."""
    ids = [entry.listing_id for entry in entries]
    listings = ProductListing.objects.filter(pk__in=ids).select_related("certificate").in_bulk()
    resolved: dict[int, tuple[str, datetime]] = {}
    for listing_id in ids:
        listing = listings.get(listing_id)
        if listing is None:
            resolved[listing_id] = (ExtraDelistReason.DELETED, fallback)
            continue
        reason = delist_reason(listing, today)
        if reason is None:
            reason = ExtraDelistReason.REJECTED if in_scope(listing) else ExtraDelistReason.OUT_OF_SCOPE
        resolved[listing_id] = (reason, _delisted_when(listing, reason, fallback))
    return resolved


def delisted_row(entry: ExportedRow, reason: str, when: datetime, version: FeedVersion) -> dict[str, Any]:
    """A delisted row carries the keys Nara knows the product by (as last exported) and the reason, in
    the job's feed version."""
    row = version.empty_row()
    row.update(
        version.delisted_keys(
            entry.prdct_clsfc_no, entry.dtil_prdct_clsfc_no, entry.prdct_idnt_no, entry.cert_no
        )
    )
    row.update(
        listing_id=entry.listing_id,
        chgDt=version.moment(when),
        change_type=ChangeType.DELISTED,
        delist_reason=reason,
    )
    return row
