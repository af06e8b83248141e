"""Hits as both backends return them: built from the stored document, with highlights of the query's
terms (so a hit looks the same whichever backend answered)."""

from datetime import date
from typing import Any

from search.analysis import highlight
from search.backends.base import SearchHit


def hit_from_document(document: dict[str, Any], score: float | None = None) -> SearchHit:
    expires = document["expires_on"]
    return SearchHit(
        id=int(document["id"]),
        name=document["name"],
        name_en=document.get("name_en", ""),
        specification=document["specification"],
        unit_price=int(document["unit_price"]),
        unit=document["unit"],
        sector=document["sector"],
        classification_code=document["classification_code"],
        supplier_id=int(document["supplier_id"]),
        supplier_name=document["supplier_name"],
        partner_id=int(document["partner_id"]),
        partner_name=document["partner_name"],
        certificate_number=document["certificate_number"],
        expires_on=expires if isinstance(expires, date) else date.fromisoformat(str(expires)[:10]),
        regions=list(document.get("regions", [])),
        score=score,
    )


HIGHLIGHT_FIELDS = ("name", "name_en", "specification", "description", "manufacturer")


def add_highlights(
    hits: list[SearchHit], documents: dict[int, dict[str, Any]], terms: frozenset[str]
) -> None:
    if not terms:
        return
    for hit in hits:
        document = documents.get(hit.id, {})
        for name in HIGHLIGHT_FIELDS:
            marked = highlight(document.get(name) or "", terms)
            if marked:
                hit.highlights[name] = marked
