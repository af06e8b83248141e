"""The document source: one flat, denormalised dict per listed product, built from the catalog.

This is the only place search reads catalog tables. Both backends store exactly these dicts (the database
backend in ``SearchEntry``, Elasticsearch as ``_source``), so a hit looks the same whichever answered.

Documents are built from ``values_list`` rows (one joined query per chunk plus one for delivery regions),
not model instances: a rebuild builds one per listed product, and instantiating four models per row cost
as much as the rest of the build.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any

from django.db.models import Q

from catalog.models import ProductListing
from catalog.selectors import listed_listings
from search.analysis import morpheme_text
from search.backends.base import classification_parts

DEFAULT_CHUNK_SIZE = 500

# What a document is built from: (name in the source row, ORM path).
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
)
_SOURCE_NAMES = tuple(name for name, _path in _SOURCE_COLUMNS)
_SOURCE_PATHS = tuple(path for _name, path in _SOURCE_COLUMNS)

# Morpheme fields (what queries match against) and the source texts each is analysed from. Name outranks
# specification outranks the rest. The body leaves out the certificate's product name: one certificate
# covers several models, and its name would make every model match words only one of them carries.
MORPH_SOURCES: dict[str, tuple[str, ...]] = {
    "name_morph": ("name", "name_en"),
    "spec_morph": ("specification", "manufacturer"),
    "body_morph": ("description", "keyword_text", "service_scope"),
    "company_morph": ("supplier_name", "supplier_name_en", "partner_name", "partner_name_en"),
}

SourceRow = dict[str, Any]
# a listing's values in _SOURCE_COLUMNS order and its region codes, sorted: what a document is built from
SourceValues = tuple[tuple[Any, ...], list[str]]
Morph = dict[str, str]


def morph_fields(row: SourceRow) -> Morph:
    """The morpheme fields of one source row: the expensive part of a document (Kiwi)."""
    return {field: morpheme_text(*(row[key] for key in keys)) for field, keys in MORPH_SOURCES.items()}


def analysis_inputs_digest(row: SourceRow) -> str:
    """Identifies exactly the texts :func:`morph_fields` reads, so a stored analysis can be matched to them."""
    joined = "\x1e".join("\x1f".join(row[key] for key in keys) for keys in MORPH_SOURCES.values())
    return hashlib.blake2b(joined.encode(), digest_size=16).hexdigest()


def build_document(row: SourceRow, morph: Morph) -> dict[str, Any]:
    """Everything search needs about one listing: its source row and its morpheme fields."""
    segment, family = classification_parts(row["classification_code"])
    certificate_number = row["certificate_number"]
    return {
        "id": row["id"],
        "name": row["name"],
        "name_en": row["name_en"],
        "specification": row["specification"],
        "manufacturer": row["manufacturer"],
        "origin": row["origin"],
        "description": row["description"],
        "keywords": row["keyword_list"],
        "unit": row["unit"],
        "unit_price": row["unit_price"],
        "sector": row["sector"],
        "classification_code": row["classification_code"],
        "classification_segment": segment,
        "classification_family": family,
        "goods_identification_number": row["goods_identification_number"] or "",
        "work_type": row["work_type"],
        "regions": row["regions"],
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
        **{field: morph[field] for field in MORPH_SOURCES},
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


@dataclass(frozen=True)
class SourceChunk:
    """Consecutive listed products in id order: their source rows and delivery region codes."""

    rows: list[SourceValues]
    ids: list[int]
    # a walk over the whole catalog: the chunk owns every listed id between its first and last
    whole_range: bool

    def q(self, field: str) -> Q:
        """Selects rows of other tables that belong to this chunk's listings by ``field``. A whole-catalog
        walk asks for the id range rather than 1,000 ids: binding and planning a long ``IN`` list cost
        more than the rest of a chunk's queries (rows of unlisted ids in the range are ignored)."""
        if self.whole_range:
            return Q(**{f"{field}__gte": self.ids[0], f"{field}__lte": self.ids[-1]})
        return Q(**{f"{field}__in": self.ids})


def _regions_of(chunk_q: Q) -> dict[int, list[str]]:
    regions: dict[int, list[str]] = defaultdict(list)
    through = ProductListing.delivery_regions.through.objects.filter(chunk_q)
    for listing_id, code in through.values_list("productlisting_id", "deliveryregion_id"):
        regions[listing_id].append(code)
    return regions


def source_digest(source: SourceValues) -> str:
    """Identifies everything a document is built from, so a stored document can be matched to it."""
    return hashlib.blake2b(repr(source).encode(), digest_size=16).hexdigest()


def source_row(source: SourceValues) -> SourceRow:
    values, regions = source
    row = dict(zip(_SOURCE_NAMES, values, strict=True))
    row["regions"] = regions
    row["keyword_list"] = [word.strip() for word in row["keywords"].split(",") if word.strip()]
    row["keyword_text"] = " ".join(row["keyword_list"])
    return row


def iter_source_chunks(
    listing_ids: Iterable[int] | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    today: date | None = None,
) -> Iterator[SourceChunk]:
    """Listed products (all, or of ``listing_ids``) in id order, a chunk at a time: one joined query
    streamed with a server-side cursor, plus one regions query per chunk."""
    queryset = listed_listings(today)
    if listing_ids is not None:
        queryset = queryset.filter(pk__in=list(listing_ids))
    rows = queryset.order_by("pk").values_list(*_SOURCE_PATHS)
    for values_chunk in batched(rows.iterator(chunk_size=chunk_size), chunk_size):
        ids = [values[0] for values in values_chunk]
        chunk = SourceChunk(rows=[], ids=ids, whole_range=listing_ids is None)
        regions = _regions_of(chunk.q("productlisting_id"))
        chunk.rows.extend((values, sorted(regions.get(values[0], []))) for values in values_chunk)
        yield chunk


def iter_documents(
    listing_ids: Iterable[int] | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    today: date | None = None,
) -> Iterator[dict[str, Any]]:
    """Documents of listed products (all of them, or of ``listing_ids``), streamed in id order, built
    afresh (``search.store`` reuses stored documents and analyses instead)."""
    for chunk in iter_source_chunks(listing_ids, chunk_size, today):
        for source in chunk.rows:
            row = source_row(source)
            yield build_document(row, morph_fields(row))


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
