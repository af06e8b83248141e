"""The listing data a feed row is built from, as flat tuples read in bulk.

An export reads each listing with its certificate, supplier and partner as one flat row and its delivery
regions with one query per chunk, as ``catalog.rows`` streams them. ``ListingRecord.of`` makes the same
record from a loaded listing, for callers that hold one.

Times are the feed's: local time (Nara's times are Korean local times) in whole seconds (nobody
registers microseconds). The database converts and truncates them and returns the local wall time;
``iter_records`` attaches the zone. That spares a Python parse of each ``timestamptz`` and a conversion
per value. Attaching rather than converting cannot tell the two occurrences of a repeated
daylight-saving hour apart; Korea has had no daylight-saving time since 1988.
"""

from collections.abc import Iterator
from datetime import date, datetime, tzinfo
from typing import NamedTuple

from django.db.models import DateTimeField, ExpressionWrapper, QuerySet
from django.db.models.functions import Greatest, TruncSecond

from catalog.models import ProductListing
from catalog.rows import iter_row_chunks


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
    supplier_name: str
    supplier_business_number: str
    certificate_number: str
    certificate_status: str
    certificate_issued_on: date
    certificate_expires_on: date
    partner_name: str
    partner_business_number: str
    supplier_size: str  # certification.models.CompanySize (feed 2.0's entrprsDivNm)
    created_at: datetime  # local, whole seconds
    # chgDt: the latest change of anything the row shows (listing, certificate, supplier, partner)
    last_change: datetime  # local, whole seconds
    region_codes: tuple[str, ...]  # sorted

    @classmethod
    def of(cls, listing: ProductListing, zone: tzinfo) -> "ListingRecord":
        """The record of a listing loaded with ``catalog.selectors.with_related`` (no extra queries)."""
        certificate = listing.certificate
        last_change = max(
            listing.updated_at,
            certificate.updated_at,
            listing.supplier.updated_at,
            certificate.partner.updated_at,
        )
        return cls.build(
            listing,
            created_at=listing.created_at.astimezone(zone).replace(microsecond=0),
            last_change=last_change.astimezone(zone).replace(microsecond=0),
            # prefetched: .all() reads the prefetch cache, a filter or order_by would query again
            region_codes=tuple(sorted(region.code for region in listing.delivery_regions.all())),
        )

    @classmethod
    def build(
        cls,
        listing: ProductListing,
        *,
        created_at: datetime,
        last_change: datetime,
        region_codes: tuple[str, ...],
    ) -> "ListingRecord":
        """The record of ``listing`` (saved or not: a bulk upload checks rows before they exist) with the
        times and regions given; the certificate, supplier and partner are read from the listing."""
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
            supplier.name,
            supplier.business_number,
            certificate.number,
            certificate.status,
            certificate.issued_on,
            certificate.expires_on,
            partner.name,
            partner.business_number,
            supplier.size,
            created_at,
            last_change,
            region_codes,
        )


# the columns of ListingRecord after the id, up to the times, in order
_COLUMNS = (
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
    "supplier__name",
    "supplier__business_number",
    "certificate__number",
    "certificate__status",
    "certificate__issued_on",
    "certificate__expires_on",
    "certificate__partner__name",
    "certificate__partner__business_number",
    "supplier__size",
)


def _local_wall_time(expression: str | Greatest, zone: tzinfo) -> ExpressionWrapper:
    # The wrapper keeps TruncSecond's SQL but not its Python conversion (make_aware for each value);
    # the database driver returns the local wall time, naive or labelled UTC, and iter_records
    # attaches the zone.
    return ExpressionWrapper(TruncSecond(expression, tzinfo=zone), output_field=DateTimeField())


def iter_records(
    listings: QuerySet[ProductListing], chunk_size: int, zone: tzinfo
) -> Iterator[ListingRecord]:
    """The records of ``listings`` in id order, times in ``zone``: one streamed query (one snapshot of
    the listings), plus one region query per chunk."""
    last_change = Greatest(
        "updated_at", "certificate__updated_at", "supplier__updated_at", "certificate__partner__updated_at"
    )
    columns = (*_COLUMNS, _local_wall_time("created_at", zone), _local_wall_time(last_change, zone))
    for _chunk, rows, regions in iter_row_chunks(listings, columns, chunk_size):
        for *fields, created_at, last_changed in rows:
            # _make binds one tuple rather than 25 arguments: measurably cheaper per row
            yield ListingRecord._make(
                (
                    *fields,
                    created_at.replace(tzinfo=zone),
                    last_changed.replace(tzinfo=zone),
                    regions.get(fields[0], ()),
                )
            )
