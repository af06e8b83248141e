"""The listing data a feed row is built from, as flat tuples read in bulk.

An export reads each listing with its certificate, supplier and partner as one ``values_list`` row and
its delivery regions with one query per chunk: building model instances for four tables cost more than
everything else an export does. ``ListingRecord.of`` makes the same record from a loaded listing, for
callers that hold one.

Times are the feed's: local time (Nara's times are Korean local times) in whole seconds (nobody
registers microseconds). The database converts and truncates them, which spares a Python parse of each
``timestamptz`` and a conversion per value. Django's ``make_aware`` then attaches the zone without
resolving a fold, which differs from ``astimezone`` only within a repeated daylight-saving hour; Korea
has had no daylight-saving time since 1988.
"""

from collections.abc import Iterator
from datetime import date, datetime, tzinfo
from itertools import islice
from typing import NamedTuple

from django.db.models import QuerySet
from django.db.models.functions import Greatest, TruncSecond

from catalog.models import ProductListing


class ListingRecord(NamedTuple):
    id: int
    sector: str
    classification_code: str
    work_type: str
    goods_identification_number: str | None
    name: str
    specification: str
    unit_price: int
    unit: str
    manufacturer: str
    origin: str
    delivery_lead_days: int
    min_order_quantity: int
    image: str  # the stored file's name; empty without an image
    created_at: datetime  # local, whole seconds
    # chgDt: the latest change of anything the row shows (listing, certificate, supplier, partner)
    last_change: datetime  # local, whole seconds
    supplier_name: str
    supplier_business_number: str
    certificate_number: str
    certificate_status: str
    certificate_issued_on: date
    certificate_expires_on: date
    partner_name: str
    partner_business_number: str
    region_codes: tuple[str, ...]  # sorted

    @classmethod
    def of(cls, listing: ProductListing, zone: tzinfo) -> "ListingRecord":
        """The record of a listing loaded with ``catalog.selectors.with_related`` (no extra queries)."""
        certificate = listing.certificate
        supplier = listing.supplier
        partner = certificate.partner
        return cls(
            listing.pk,
            listing.sector,
            listing.classification_code,
            listing.work_type,
            listing.goods_identification_number,
            listing.name,
            listing.specification,
            listing.unit_price,
            listing.unit,
            listing.manufacturer,
            listing.origin,
            listing.delivery_lead_days,
            listing.min_order_quantity,
            listing.image.name or "",
            _local(listing.created_at, zone),
            _local(
                max(listing.updated_at, certificate.updated_at, supplier.updated_at, partner.updated_at), zone
            ),
            supplier.name,
            supplier.business_number,
            certificate.number,
            certificate.status,
            certificate.issued_on,
            certificate.expires_on,
            partner.name,
            partner.business_number,
            # prefetched: .all() reads the prefetch cache, a filter or order_by would query again
            tuple(sorted(region.code for region in listing.delivery_regions.all())),
        )


def _local(moment: datetime, zone: tzinfo) -> datetime:
    return moment.astimezone(zone).replace(microsecond=0)


def _columns(zone: tzinfo) -> tuple:
    """The columns of ListingRecord before region_codes, in order; the database computes the times as
    ListingRecord.of does in Python."""
    last_change = Greatest(
        "updated_at", "certificate__updated_at", "supplier__updated_at", "certificate__partner__updated_at"
    )
    return (
        "pk",
        "sector",
        "classification_code",
        "work_type",
        "goods_identification_number",
        "name",
        "specification",
        "unit_price",
        "unit",
        "manufacturer",
        "origin",
        "delivery_lead_days",
        "min_order_quantity",
        "image",
        TruncSecond("created_at", tzinfo=zone),
        TruncSecond(last_change, tzinfo=zone),
        "supplier__name",
        "supplier__business_number",
        "certificate__number",
        "certificate__status",
        "certificate__issued_on",
        "certificate__expires_on",
        "certificate__partner__name",
        "certificate__partner__business_number",
    )


def iter_records(
    listings: QuerySet[ProductListing], chunk_size: int, zone: tzinfo
) -> Iterator[ListingRecord]:
    """The records of ``listings`` in id order, times in ``zone``: one streamed query (one snapshot of
    the listings, as ``iterator`` reads it through a server-side cursor on PostgreSQL), plus one region
    query per chunk."""
    rows = listings.order_by("pk").values_list(*_columns(zone)).iterator(chunk_size=chunk_size)
    while chunk := list(islice(rows, chunk_size)):
        regions = _region_codes(chunk[0][0], chunk[-1][0])
        for row in chunk:
            yield ListingRecord(*row, regions.get(row[0], ()))


def _region_codes(first_id: int, last_id: int) -> dict[int, tuple[str, ...]]:
    """Sorted delivery region codes of the listings with ids in [first_id, last_id]."""
    links = ProductListing.delivery_regions.through.objects.filter(
        productlisting_id__gte=first_id, productlisting_id__lte=last_id
    ).values_list("productlisting_id", "deliveryregion_id")
    codes: dict[int, list[str]] = {}
    for listing_id, code in links:
        codes.setdefault(listing_id, []).append(code)
    return {listing_id: tuple(sorted(values)) for listing_id, values in codes.items()}
