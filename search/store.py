"""The document store: documents kept between builds, so building them again skips what did not change.

Most rebuilds (a mapping change, a lost index) change no document, and most outbox passes (a price, a
date, a certificate's status) change no text; yet building a document is ~80% Kiwi analysis of its texts.
:func:`iter_documents` reads the catalog afresh every time and compares it with ``StoredDocument``'s
digests: an unchanged source reuses the stored JSON as it is, unchanged texts reuse the stored morpheme
fields, anything else is built from scratch, and what was built is stored for next time. So a document
from here always equals one built from scratch (``search.documents.documents_for``); it is only cheaper.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from catalog import rows
from catalog.selectors import listed_listings
from search import analysis, documents
from search.backends.base import DocumentSource
from search.documents import (
    MORPH_SOURCES,
    analysed_texts,
    analysis_inputs_digest,
    build_document,
    iter_source_digests,
    iter_source_rows,
    morph_fields,
)
from search.models import StoredDocument

CHUNK_SIZE = 1000


class _Stored(NamedTuple):
    """A stored document's keys and body, read as plain values: 100,000 model instances cost seconds."""

    source_digest: str
    inputs_digest: str
    body: str


@cache
def builder_fingerprint() -> str:
    """Changes whenever a document could come out differently from the same catalog rows: the code that
    reads the rows and builds documents from them (and the analysis it calls) or the kiwipiepy and model
    versions. Hashing the source rather than a hand-bumped version means nobody has to remember to bump
    it; an edit that changes nothing costs one full re-analysis."""
    import kiwipiepy
    import kiwipiepy_model

    digest = hashlib.sha256()
    for module in (rows, analysis, documents):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(f"kiwipiepy {kiwipiepy.__version__} model {kiwipiepy_model.__version__}".encode())
    return digest.hexdigest()[:16]


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def iter_documents(
    listing_ids: Iterable[int] | None = None, reuse: bool = True, chunk_size: int = CHUNK_SIZE
) -> Iterator[DocumentSource]:
    """(id, document JSON) of listed products (all, or of ``listing_ids``) in id order, reusing what the
    store holds for unchanged catalog rows (unless ``reuse`` is off) and storing what had to be built."""
    fingerprint = builder_fingerprint()
    for chunk, digests in iter_source_digests(listing_ids, chunk_size):
        stored: dict[int, _Stored] = {}
        if reuse:
            entries = StoredDocument.objects.filter(chunk.q("listing_id"), builder=fingerprint)
            stored = {
                entry[0]: _Stored(*entry[1:]) for entry in entries.values_list("listing_id", *_Stored._fields)
            }
        bodies = {
            listing_id: entry.body
            for listing_id, digest in digests.items()
            if (entry := stored.get(listing_id)) is not None and entry.source_digest == digest
        }
        stale = [listing_id for listing_id in chunk.ids if listing_id not in bodies]
        if stale:
            bodies.update(_build(stale, stored, fingerprint))
        # a product delisted between the two reads has no body: the rebuild's catch-up removes it
        yield from ((listing_id, bodies[listing_id]) for listing_id in chunk.ids if listing_id in bodies)


def _build(listing_ids: list[int], stored: dict[int, _Stored], fingerprint: str) -> dict[int, str]:
    """Builds and stores the documents of these listings; their digests come from the same read."""
    rows = [(row, analysis_inputs_digest(row)) for row in iter_source_rows(listing_ids)]
    reused: dict[int, dict[str, str]] = {}
    for row, inputs_digest in rows:
        entry = stored.get(row["id"])
        if entry is not None and entry.inputs_digest == inputs_digest:
            body = json.loads(entry.body)
            reused[row["id"]] = {field: body[field] for field in MORPH_SOURCES}
    # the texts to analyse, all at once: Kiwi spreads a batch over every core
    known = analysis.text_terms_many(
        text for row, _digest in rows if row["id"] not in reused for text in analysed_texts(row)
    )
    built: list[StoredDocument] = []
    for row, inputs_digest in rows:
        morph = reused.get(row["id"]) or morph_fields(row, known)
        body = dumps(build_document(row, morph))
        built.append(
            StoredDocument(
                listing_id=row["id"],
                builder=fingerprint,
                source_digest=row["source_digest"],
                inputs_digest=inputs_digest,
                body=body,
            )
        )
    StoredDocument.objects.bulk_create(
        built,
        update_conflicts=True,
        unique_fields=["listing_id"],
        update_fields=["builder", "source_digest", "inputs_digest", "body"],
    )
    return {entry.listing_id: entry.body for entry in built}


def refresh(listing_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Documents of the given listings that are listed; the store forgets the others. An absent key means
    "not listed, remove it from the index"."""
    ids = sorted(set(listing_ids))
    if not ids:
        return {}
    fresh = {listing_id: json.loads(body) for listing_id, body in iter_documents(ids)}
    StoredDocument.objects.filter(listing_id__in=[pk for pk in ids if pk not in fresh]).delete()
    return fresh


def iter_all(reuse: bool = True) -> Iterator[DocumentSource]:
    """Every listed product's document, for a rebuild. ``reuse=False`` builds everything from scratch
    (after a change the fingerprint cannot see, such as a Kiwi user dictionary edited outside the code).
    Once the walk is complete, stored documents of products no longer listed are deleted."""
    yield from iter_documents(reuse=reuse)
    StoredDocument.objects.exclude(listing_id__in=listed_listings().values("pk")).delete()
