"""The document source: one flat, denormalised dict per listed product, built from the catalog.

This is the only place search reads catalog tables. Both backends store exactly these dicts (the database
backend in ``SearchEntry``, Elasticsearch as ``_source``), so a hit looks the same whichever answered.

Documents are built from ``values_list`` rows (one joined query per chunk plus one for delivery regions),
not model instances: a rebuild builds one per listed product, and instantiating four models per row cost
as much as the rest of the build.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from itertools import islice
from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import Greatest

from catalog.models import ProductListing
from catalog.selectors import listed_listings
from search.analysis import morpheme_text
from search.backends.base import classification_parts

DEFAULT_CHUNK_SIZE = 500

# What a document is built from: (name in the row, ORM path). ``source_updated_at`` is the newest change
# of the four rows a document reads; the document store compares it to tell a stored document is current.
_SOURCE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "pk"),
    ("name", "name"),
    ("name_en", "name_en"),
    ("specification", "specification"),
    ("manufacturer", "manufacturer"),
    ("origin", "origin"),
    ("description", "description"),
    ("keywords", "keywords"),
    ("service_scope", "service_scope"),
    ("unit", "unit"),
    ("unit_price", "unit_price"),
    ("sector", "sector"),
    ("classification_code", "classification_code"),
    ("goods_identification_number", "goods_identification_number"),
    ("work_type", "work_type"),
    ("created_at", "created_at"),
    ("updated_at", "updated_at"),
    ("supplier_id", "supplier_id"),
    ("supplier_name", "supplier__name"),
    ("supplier_name_en", "supplier__name_en"),
    ("partner_id", "certificate__partner_id"),
    ("partner_name", "certificate__partner__name"),
    ("partner_name_en", "certificate__partner__name_en"),
    ("certificate_id", "certificate_id"),
    ("certificate_number", "certificate__number"),
    ("issued_on", "certificate__issued_on"),
    ("expires_on", "certificate__expires_on"),
    ("source_updated_at", "source_updated_at"),
)
_SOURCE_NAMES = tuple(name for name, _path in _SOURCE_COLUMNS)
_SOURCE_PATHS = tuple(path for _name, path in _SOURCE_COLUMNS)


def with_source_stamp(queryset: QuerySet[ProductListing]) -> QuerySet[ProductListing]:
    """Annotates ``source_updated_at``: when anything a listing's document is built from last changed.

    Delivery regions have no stamp of their own; the catalog only sets them together with saving the
    listing (``catalog.services``), in one transaction.
    """
    return queryset.annotate(
        source_updated_at=Greatest(
            "updated_at",
            "certificate__updated_at",
            "supplier__updated_at",
            "certificate__partner__updated_at",
        )
    )


def build_document(row: dict[str, Any], regions: list[str]) -> dict[str, Any]:
    """Everything search needs about one listing, from one source row and its region codes."""
    segment, family = classification_parts(row["classification_code"])
    keywords = [word.strip() for word in row["keywords"].split(",") if word.strip()]
    certificate_number = row["certificate_number"]
    return {
        "id": row["id"],
        "name": row["name"],
        "name_en": row["name_en"],
        "specification": row["specification"],
        "manufacturer": row["manufacturer"],
        "origin": row["origin"],
        "description": row["description"],
        "keywords": keywords,
        "unit": row["unit"],
        "unit_price": row["unit_price"],
        "sector": row["sector"],
        "classification_code": row["classification_code"],
        "classification_segment": segment,
        "classification_family": family,
        "goods_identification_number": row["goods_identification_number"] or "",
        "work_type": row["work_type"],
        "regions": sorted(regions),
        "supplier_id": row["supplier_id"],
        "supplier_name": row["supplier_name"],
        "partner_id": row["partner_id"],
        "partner_name": row["partner_name"],
        "certificate_id": row["certificate_id"],
        "certificate_number": certificate_number,
        "issued_on": row["issued_on"].isoformat(),
        "expires_on": row["expires_on"].isoformat(),
        "created_at": row["created_at"].isoformat(),
        "updated_at": row["updated_at"].isoformat(),
        # Morpheme fields: what queries match against. Name outranks specification outranks the rest.
        "name_morph": morpheme_text(row["name"], row["name_en"]),
        "spec_morph": morpheme_text(row["specification"], row["manufacturer"]),
        # not the certificate's product name: one certificate covers several models, and its name would
        # make every model match words only one of them carries
        "body_morph": morpheme_text(row["description"], " ".join(keywords), row["service_scope"]),
        "company_morph": morpheme_text(
            row["supplier_name"], row["supplier_name_en"], row["partner_name"], row["partner_name_en"]
        ),
        # Exact identifiers a buyer pastes from Nara or a certificate: matched verbatim, not analysed.
        "codes": [
            code
            for code in (
                row["classification_code"],
                row["goods_identification_number"],
                certificate_number,
                certificate_number.lower(),
            )
            if code
        ],
    }


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """``itertools.batched`` of Python 3.12, as lists."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _regions_of(listing_ids: list[int]) -> dict[int, list[str]]:
    through = ProductListing.delivery_regions.through
    regions: dict[int, list[str]] = defaultdict(list)
    for listing_id, code in through.objects.filter(productlisting_id__in=listing_ids).values_list(
        "productlisting_id", "deliveryregion_id"
    ):
        regions[listing_id].append(code)
    return regions


def iter_built(
    listing_ids: Iterable[int] | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    today: date | None = None,
) -> Iterator[tuple[dict[str, Any], datetime]]:
    """(document, source_updated_at) of listed products (all, or of ``listing_ids``), in id order, streamed."""
    queryset = listed_listings(today)
    if listing_ids is not None:
        queryset = queryset.filter(pk__in=list(listing_ids))
    rows = with_source_stamp(queryset).order_by("pk").values_list(*_SOURCE_PATHS)
    for chunk in batched(rows.iterator(chunk_size=chunk_size), chunk_size):
        regions = _regions_of([values[0] for values in chunk])
        for values in chunk:
            row = dict(zip(_SOURCE_NAMES, values, strict=True))
            yield build_document(row, regions.get(row["id"], [])), row["source_updated_at"]


def iter_documents(
    listing_ids: Iterable[int] | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    today: date | None = None,
) -> Iterator[dict[str, Any]]:
    """Documents of listed products (all of them, or of ``listing_ids``), streamed in id order."""
    for document, _stamp in iter_built(listing_ids, chunk_size, today):
        yield document


def documents_for(listing_ids: Iterable[int], today: date | None = None) -> dict[int, dict[str, Any]]:
    """Documents of the given listings that are listed; an absent key means "not listed, remove it"."""
    ids = list(listing_ids)
    if not ids:
        return {}
    return {document["id"]: document for document in iter_documents(ids, today=today)}


def listed_count(today: date | None = None) -> int:
    return listed_listings(today).count()


def listed_ids(today: date | None = None) -> Iterator[int]:
    return listed_listings(today).order_by("pk").values_list("pk", flat=True).iterator(chunk_size=5000)
