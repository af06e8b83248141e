"""The synonym dictionary at query time: which analysed term sequences mean the same thing.

Each ``Synonym`` row is a set of variants (CCTV, 씨씨티비, 폐쇄회로카메라). A variant is analysed like a
query (씨씨티비 → 씨씨티비; 유지관리 → 유지 관리), so the plan can recognise it in a query's terms and let
any variant satisfy that part of the query. Nothing is expanded at index time: an edit in the admin
takes effect on the next query, no reindex.

The dictionary is read once per process and kept; saving or deleting a row clears this process's copy at
once (signals), and other processes re-read it after ``RELOAD_SECONDS``.
"""

from __future__ import annotations

import threading
import time

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from search.analysis import analyze_query, stem
from search.models import Synonym

RELOAD_SECONDS = 60.0

Variant = tuple[str, ...]

_lock = threading.Lock()
_cache: tuple[float, dict[Variant, tuple[Variant, ...]]] | None = None


def _variant_terms(text: str) -> Variant:
    analysis = analyze_query(text)
    # an unknown compound analyses to parts + the whole as an extra: the parts are what a query carries
    return stemmed(analysis.terms or analysis.extras[:1])


def stemmed(terms: tuple[str, ...]) -> Variant:
    """Terms as the dictionary is keyed: English stems, so "fire extinguishers" finds "fire extinguisher"."""
    return tuple(stem(term) for term in terms)


def _load() -> dict[Variant, tuple[Variant, ...]]:
    """Every variant's terms → all the variants of every set it belongs to (itself first)."""
    expansions: dict[Variant, dict[Variant, None]] = {}
    for row in Synonym.objects.filter(is_active=True).only("variants"):
        variants = [terms for terms in map(_variant_terms, row.variant_list()) if terms]
        for variant in variants:
            group = expansions.setdefault(variant, {variant: None})
            for other in variants:
                group[other] = None
    return {variant: tuple(group) for variant, group in expansions.items()}


def expansions() -> dict[Variant, tuple[Variant, ...]]:
    """The dictionary as analysed term sequences, cached per process."""
    global _cache
    cached = _cache
    if cached is not None and time.monotonic() - cached[0] < RELOAD_SECONDS:
        return cached[1]
    with _lock:
        loaded = _load()
        _cache = (time.monotonic(), loaded)
    return loaded


def clear_cache() -> None:
    global _cache
    _cache = None


@receiver(post_save, sender=Synonym, dispatch_uid="search.synonyms.saved")
@receiver(post_delete, sender=Synonym, dispatch_uid="search.synonyms.deleted")
def _changed(**kwargs) -> None:
    clear_cache()


def longest_variant_at(terms: tuple[str, ...], start: int, dictionary: dict[Variant, tuple[Variant, ...]]):
    """The longest dictionary variant that the query's terms spell from ``start``: (length, variants)."""
    for length in range(min(len(terms) - start, 4), 0, -1):
        variants = dictionary.get(stemmed(terms[start : start + length]))
        if variants:
            return length, variants
    return 0, ()
