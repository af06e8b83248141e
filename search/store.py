"""The document store: documents kept between builds so a full rebuild mostly re-sends stored JSON.

Writes: :func:`refresh` builds the documents of listings that changed (the outbox worker calls it inside
the transaction that consumes the outbox rows), stores the listed ones and forgets the rest.
Reads: :func:`iter_sources` walks every listed product for a rebuild, reusing each stored document whose
builder fingerprint and source stamp still match and building (and storing) the others, so a rebuild is
never staler than one built from scratch, only faster.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from catalog.selectors import listed_listings
from search import analysis, documents
from search.backends import base
from search.documents import batched, iter_built, with_source_stamp
from search.models import StoredDocument

REBUILD_CHUNK = 1000


@cache
def builder_fingerprint() -> str:
    """Changes whenever a document could come out differently: the code that builds documents (and the
    analysis and classification helpers it calls) or the Kiwi analyser and model versions. Hashing the
    source rather than a hand-bumped version number means nobody has to remember to bump it; an edit
    that changes nothing costs one full re-analysis."""
    import kiwipiepy
    import kiwipiepy_model

    digest = hashlib.sha256()
    for module in (analysis, documents, base):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(f"kiwipiepy {kiwipiepy.__version__} model {kiwipiepy_model.__version__}".encode())
    return digest.hexdigest()[:16]


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def _save(built: list[tuple[dict[str, Any], datetime, str]]) -> None:
    fingerprint = builder_fingerprint()
    StoredDocument.objects.bulk_create(
        [
            StoredDocument(listing_id=document["id"], builder=fingerprint, source_updated_at=stamp, body=body)
            for document, stamp, body in built
        ],
        update_conflicts=True,
        unique_fields=["listing_id"],
        update_fields=["builder", "source_updated_at", "body"],
    )


def refresh(listing_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Fresh documents of the given listings that are listed (stored for the next rebuild); the store
    forgets the others. An absent key means "not listed, remove it from the index"."""
    ids = sorted(set(listing_ids))
    if not ids:
        return {}
    built = [(document, stamp, dumps(document)) for document, stamp in iter_built(ids)]
    _save(built)
    fresh = {document["id"]: document for document, _stamp, _body in built}
    StoredDocument.objects.filter(listing_id__in=[pk for pk in ids if pk not in fresh]).delete()
    return fresh


def iter_sources(reuse: bool = True, chunk_size: int = REBUILD_CHUNK) -> Iterator[tuple[int, str]]:
    """(listing id, document JSON) of every listed product, in id order.

    ``reuse=False`` builds every document again (after a change the fingerprint cannot see, such as a
    user dictionary edited outside the code). Once the walk is complete, stored documents of products no
    longer listed are deleted.
    """
    fingerprint = builder_fingerprint()
    stamps = with_source_stamp(listed_listings()).order_by("pk").values_list("pk", "source_updated_at")
    for chunk in batched(stamps.iterator(chunk_size=chunk_size), chunk_size):
        stored: dict[int, str] = {}
        if reuse:
            current = dict(chunk)
            for listing_id, stamp, body in StoredDocument.objects.filter(
                listing_id__in=list(current), builder=fingerprint
            ).values_list("listing_id", "source_updated_at", "body"):
                if current[listing_id] == stamp:
                    stored[listing_id] = body
        stale = [listing_id for listing_id, _stamp in chunk if listing_id not in stored]
        if stale:
            built = [(document, stamp, dumps(document)) for document, stamp in iter_built(stale)]
            _save(built)
            stored.update((document["id"], body) for document, _stamp, body in built)
        for listing_id, _stamp in chunk:
            if listing_id in stored:  # delisted between the two reads: the catch-up removes it
                yield listing_id, stored[listing_id]
    StoredDocument.objects.exclude(listing_id__in=listed_listings().values("pk")).delete()
