"""The document source: one flat, denormalised dict per listed product, built from the catalog.

This is the only place search reads catalog tables. Both backends store exactly these dicts (the database
backend in ``SearchEntry``, Elasticsearch as ``_source``), so a hit looks the same whichever answered.

Documents are built from the flat rows ``catalog.rows`` streams (one joined query, plus one per chunk for
delivery regions), not model instances: a rebuild builds one per listed product, and instantiating four
models per row cost as much as the rest of the build. Each row comes with a digest of everything its
document is built from, which ``search.store`` compares with stored documents.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from functools import lru_cache
from typing import Any

from django.db.models import Func, TextField, Value
from django.db.models.functions import MD5, Cast, Coalesce

from catalog.rows import Chunk, iter_row_chunks
from catalog.selectors import listed_listings
from core.identifiers import starts_with_ascii_digit
from search.analysis import CACHED_TEXT_CHARS, morpheme_text
from search.hangul import chosung
from search.vocabulary import words_of

DEFAULT_CHUNK_SIZE = 500

# What a document is built from besides the listing's id: (name in the source row, ORM path).
_SOURCE_COLUMNS: tuple[tuple[str, str], ...] = (
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
    ("supplier_business_number", "supplier__business_number"),
    ("partner_id", "certificate__partner_id"),
    ("partner_name", "certificate__partner__name"),
    ("partner_name_en", "certificate__partner__name_en"),
    ("partner_business_number", "certificate__partner__business_number"),
    ("certificate_id", "certificate_id"),
    ("certificate_number", "certificate__number"),
    ("issued_on", "certificate__issued_on"),
    ("expires_on", "certificate__expires_on"),
)
_SOURCE_NAMES = ("id", *(name for name, _path in _SOURCE_COLUMNS))
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
Morph = dict[str, str]
_FIELD_SEPARATOR = "\x1f"


def morph_fields(row: SourceRow, known: Mapping[str, tuple[str, ...]] | None = None) -> Morph:
    """The morpheme fields of one source row: the expensive part of a document (Kiwi). ``known``: terms of
    its texts already analysed in a batch (``search.batch_analysis.text_terms_many``)."""
    return {
        field: _field_text(tuple(row[key] for key in keys), known) for field, keys in MORPH_SOURCES.items()
    }


# A field's texts recur as a whole (a supplier and partner on all their listings, a product line's name on
# each model): their morpheme text is worked out once. It depends on the texts alone (``known`` only saves
# analysing them), so the memo holds for any ``known``; emptied when full rather than tracking recency.
_field_texts: dict[tuple[str, ...], str] = {}
FIELD_TEXT_ENTRIES = 50_000


def _field_text(texts: tuple[str, ...], known: Mapping[str, tuple[str, ...]] | None) -> str:
    text = _field_texts.get(texts)
    if text is None:
        text = morpheme_text(*texts, known=known)
        if sum(map(len, texts)) <= CACHED_TEXT_CHARS:
            if len(_field_texts) >= FIELD_TEXT_ENTRIES:
                _field_texts.clear()
            _field_texts[texts] = text
    return text


def analysed_texts(row: SourceRow) -> Iterator[str]:
    """The texts :func:`morph_fields` analyses."""
    for keys in MORPH_SOURCES.values():
        for key in keys:
            yield row[key]


def analysis_inputs_digest(row: SourceRow) -> str:
    """Identifies exactly the texts :func:`morph_fields` reads, so a stored analysis can be matched to them."""
    joined = "\x1e".join("\x1f".join(row[key] for key in keys) for keys in MORPH_SOURCES.values())
    return hashlib.blake2b(joined.encode(), digest_size=16).hexdigest()


def classification_parts(code: str) -> tuple[str, str]:
    """(segment, family) of a code: the first 2 and 4 digits of a UNSPSC number; a construction
    work-type code (CS02) is both, it has no hierarchy below the licence type."""
    code = (code or "").strip()
    if starts_with_ascii_digit(code):
        return code[:2], code[:4]
    return code, code


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
        # Exact identifiers a buyer pastes from Nara or a certificate: matched verbatim (case-insensitive),
        # not analysed. Business numbers are stored as 10 digits; the query plan drops a pasted one's dashes.
        "codes": [
            code
            for code in (
                row["classification_code"],
                row["goods_identification_number"],
                certificate_number,
                row["supplier_business_number"],
                row["partner_business_number"],
            )
            if code
        ],
        # 초성 autocomplete (ㄱㅊㅈ → 공기청정기) and the relevance tie-break (a shorter name is covered more)
        "name_chosung": _name_chosung(row["name"]),
        "name_length": len(row["name"]),
        # the words typo correction may correct to (search.vocabulary), listed by Elasticsearch aggregation
        "vocabulary": sorted(words_of(row["name"], morph["name_morph"], morph["spec_morph"])),
    }


# Models of one product line share their name: a rebuild works its 초성 out once.
@lru_cache(maxsize=20_000)
def _name_chosung(name: str) -> str:
    return chosung("".join(name.split()))


class _Joined(Func):
    """Texts joined with ``||`` in one flat expression (``Concat`` nests a pair per argument, and 54
    levels overflow SQLite's parser)."""

    template = "(%(expressions)s)"
    arg_joiner = " || "
    output_field = TextField()


def _row_md5() -> MD5:
    """The database's MD5 of every source column as text (Django provides MD5 on SQLite too): comparing a
    stored document with the catalog then costs one short string per listing instead of its whole row
    parsed in Python."""
    parts: list[Any] = []
    for path in ("pk", *_SOURCE_PATHS):
        parts += [Coalesce(Cast(path, TextField()), Value("")), Value(_FIELD_SEPARATOR)]
    return MD5(_Joined(*parts))


def source_digest(row_md5: str, regions: tuple[str, ...]) -> str:
    """Identifies everything a document is built from, so a stored document can be matched to it."""
    return hashlib.blake2b(f"{row_md5}:{','.join(regions)}".encode(), digest_size=16).hexdigest()


def _source_row(values: tuple[Any, ...], regions: tuple[str, ...]) -> SourceRow:
    row = dict(zip(_SOURCE_NAMES, values[:-1], strict=True))  # the last value is the row digest
    row["regions"] = list(regions)
    row["keyword_list"] = [word.strip() for word in row["keywords"].split(",") if word.strip()]
    row["keyword_text"] = " ".join(row["keyword_list"])
    row["source_digest"] = source_digest(values[-1], regions)
    return row


def _chunks(
    columns: tuple[str, ...], listing_ids: Iterable[int] | None, chunk_size: int, today: date | None
) -> Iterator[tuple[Chunk, list[tuple[Any, ...]], dict[int, tuple[str, ...]]]]:
    """Listed products (all, or of ``listing_ids``) in id order, a chunk at a time, as ``(pk, *columns,
    row digest)`` rows with their delivery regions."""
    queryset = listed_listings(today)
    if listing_ids is not None:
        queryset = queryset.filter(pk__in=list(listing_ids))
    yield from iter_row_chunks(
        queryset.annotate(row_md5=_row_md5()),
        (*columns, "row_md5"),
        chunk_size,
        whole_range=listing_ids is None,
    )


def iter_source_digests(
    listing_ids: Iterable[int] | None = None, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> Iterator[tuple[Chunk, dict[int, str]]]:
    """Per chunk of listed products: each one's source digest, without reading its row into Python."""
    for chunk, values_chunk, regions in _chunks((), listing_ids, chunk_size, None):
        yield chunk, {pk: source_digest(md5, regions.get(pk, ())) for pk, md5 in values_chunk}


class SourceValues:
    """A chunk's source rows as read: ``(pk, *columns, row digest)`` tuples and delivery regions by pk. A
    rebuild hands these to its build workers, which make the rows (:meth:`rows`): tuples pickle in half
    the time of the dicts, and the dicts are then built on every core instead of the reading thread."""

    __slots__ = ("regions", "values")

    def __init__(self, values: list[tuple[Any, ...]], regions: dict[int, tuple[str, ...]]) -> None:
        self.values = values
        self.regions = regions

    def __len__(self) -> int:
        return len(self.values)

    def __getstate__(self) -> tuple[list[tuple[Any, ...]], dict[int, tuple[str, ...]]]:
        return self.values, self.regions

    def __setstate__(self, state: tuple[list[tuple[Any, ...]], dict[int, tuple[str, ...]]]) -> None:
        self.values, self.regions = state

    def rows(self) -> list[SourceRow]:
        """The source rows (with ``regions`` and ``source_digest``), in order."""
        return [_source_row(values, self.regions.get(values[0], ())) for values in self.values]


def iter_source_value_chunks(
    listing_ids: Iterable[int] | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    today: date | None = None,
) -> Iterator[tuple[Chunk, SourceValues]]:
    """:func:`iter_source_row_chunks` with each chunk's rows not yet made into dicts."""
    for chunk, values_chunk, regions in _chunks(_SOURCE_PATHS, listing_ids, chunk_size, today):
        yield chunk, SourceValues(values_chunk, regions)


def iter_source_row_chunks(
    listing_ids: Iterable[int] | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    today: date | None = None,
) -> Iterator[tuple[Chunk, list[SourceRow]]]:
    """The source rows (with ``regions`` and ``source_digest``) of listed products in id order, a chunk at
    a time: one query read through a server-side cursor, plus one per chunk for delivery regions."""
    for chunk, values in iter_source_value_chunks(listing_ids, chunk_size, today):
        yield chunk, values.rows()


def iter_source_rows(
    listing_ids: Iterable[int] | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    today: date | None = None,
) -> Iterator[SourceRow]:
    """The source rows (with ``regions`` and ``source_digest``) of listed products, in id order."""
    for _chunk, chunk_rows in iter_source_row_chunks(listing_ids, chunk_size, today):
        yield from chunk_rows


def documents_for(listing_ids: Iterable[int], today: date | None = None) -> dict[int, dict[str, Any]]:
    """Documents of the given listings that are listed, built afresh (``search.store`` reuses stored
    documents and analyses instead); an absent key means "not listed, remove it"."""
    ids = list(listing_ids)
    if not ids:
        return {}
    return {row["id"]: build_document(row, morph_fields(row)) for row in iter_source_rows(ids, today=today)}


def listed_count(today: date | None = None) -> int:
    return listed_listings(today).count()


def listed_ids(today: date | None = None) -> Iterator[int]:
    return listed_listings(today).order_by("pk").values_list("pk", flat=True).iterator(chunk_size=5000)
