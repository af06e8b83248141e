"""The document source: one flat, denormalised dict per listed product, built from the catalog.

This is the only place search reads catalog tables. Both backends store exactly these dicts (the database
backend in ``SearchEntry``, Elasticsearch as ``_source``), so a hit looks the same whichever answered.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from catalog.models import ProductListing
from catalog.selectors import listed_listings, with_related
from search.analysis import morpheme_text
from search.backends.base import classification_parts

DEFAULT_CHUNK_SIZE = 500


def build_document(listing: ProductListing) -> dict[str, Any]:
    """Everything search needs about one listing, without touching the database again.

    ``listing`` must come through ``with_related`` (certificate, partner, supplier, regions prefetched).
    """
    certificate = listing.certificate
    supplier = listing.supplier
    partner = certificate.partner
    segment, family = classification_parts(listing.classification_code)
    regions = sorted(region.code for region in listing.delivery_regions.all())
    keywords = listing.keyword_list
    return {
        "id": listing.pk,
        "name": listing.name,
        "name_en": listing.name_en,
        "specification": listing.specification,
        "manufacturer": listing.manufacturer,
        "origin": listing.origin,
        "description": listing.description,
        "keywords": keywords,
        "unit": listing.unit,
        "unit_price": listing.unit_price,
        "sector": listing.sector,
        "classification_code": listing.classification_code,
        "classification_segment": segment,
        "classification_family": family,
        "goods_identification_number": listing.goods_identification_number or "",
        "work_type": listing.work_type,
        "regions": regions,
        "supplier_id": supplier.pk,
        "supplier_name": supplier.name,
        "partner_id": partner.pk,
        "partner_name": partner.name,
        "certificate_id": certificate.pk,
        "certificate_number": certificate.number,
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat(),
        "created_at": listing.created_at.isoformat(),
        "updated_at": listing.updated_at.isoformat(),
        # Morpheme fields: what queries match against. Name outranks specification outranks the rest.
        "name_morph": morpheme_text(listing.name, listing.name_en),
        "spec_morph": morpheme_text(listing.specification, listing.manufacturer),
        # not the certificate's product name: one certificate covers several models, and its name would
        # make every model match words only one of them carries
        "body_morph": morpheme_text(listing.description, " ".join(keywords), listing.service_scope),
        "company_morph": morpheme_text(supplier.name, supplier.name_en, partner.name, partner.name_en),
        # Exact identifiers a buyer pastes from Nara or a certificate: matched verbatim, not analysed.
        "codes": [
            code
            for code in (
                listing.classification_code,
                listing.goods_identification_number,
                certificate.number,
                certificate.number.lower(),
            )
            if code
        ],
    }


def iter_documents(
    listing_ids: Iterable[int] | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    today: date | None = None,
) -> Iterator[dict[str, Any]]:
    """Documents of listed products (all of them, or of ``listing_ids``), streamed.

    ``iterator(chunk_size=…)`` keeps memory flat on a large catalog; since Django 4.1 it still applies
    ``prefetch_related`` per chunk, so regions cost one query per chunk, not per listing.
    """
    queryset = listed_listings(today)
    if listing_ids is not None:
        queryset = queryset.filter(pk__in=list(listing_ids))
    queryset = with_related(queryset).order_by("pk")
    for listing in queryset.iterator(chunk_size=chunk_size):
        yield build_document(listing)


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
