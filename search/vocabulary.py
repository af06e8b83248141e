"""The words the index knows, for typo correction and "did you mean".

A query word the index does not know (공기청청기, purifer) is corrected to a known word one edit away:
on jamo for Hangul words of three syllables or more (ㅊ for ㅈ is one edit), on letters for Latin words
of five letters or more (LED never becomes LCD). Lookup uses a symmetric-delete index (every word with
one letter removed), so a correction costs a few dictionary lookups, not a scan of the vocabulary.

Each backend counts its words (``SearchBackend.vocabulary_words``: product names and the morphemes of
names and specifications, with the number of products having each); the index built from them is cached per process and backend, rebuilt after
that process wrote to the backend, and at the latest after ``RELOAD_SECONDS``.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from search.hangul import deletions, is_hangul_word, jamo, within_one_edit

RELOAD_SECONDS = 300.0
MIN_HANGUL_SYLLABLES = 3
MIN_LATIN_LETTERS = 5
# particles a buyer may leave on a misspelt word (공기청청기를): tried off when the whole word is unknown
_PARTICLES = ("으로", "에서", "을", "를", "이", "가", "은", "는", "의", "에", "와", "과", "로", "도")
_WORD = re.compile(r"[0-9A-Za-z\uac00-\ud7a3]+")


def words_of(*texts: str) -> set[str]:
    """The lowercased words of texts (names as written, morpheme texts): what the vocabulary holds."""
    return {word.lower() for text in texts for word in _WORD.findall(text or "")}


def correctable(word: str) -> bool:
    if is_hangul_word(word):
        return len(word) >= MIN_HANGUL_SYLLABLES
    return word.isascii() and word.isalpha() and len(word) >= MIN_LATIN_LETTERS


@dataclass
class Vocabulary:
    counts: Counter = field(default_factory=Counter)
    _deletes: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, word_counts: Iterable[tuple[str, int]]) -> Vocabulary:
        """From (word, number of products with it) pairs."""
        vocabulary = cls()
        for word, count in word_counts:
            vocabulary.counts[word] += count
        for word in vocabulary.counts:
            # a correction target may be one letter shorter than the word typed (HEPPA → hepa)
            if is_hangul_word(word) or (
                word.isascii() and word.isalpha() and len(word) >= MIN_LATIN_LETTERS - 1
            ):
                key = jamo(word)
                for variant in {key, *deletions(key)}:
                    vocabulary._deletes.setdefault(variant, []).append(word)
        return vocabulary

    def __contains__(self, word: str) -> bool:
        return word.lower() in self.counts

    def correct(self, word: str) -> str | None:
        """The most common known word one edit from ``word``, or None (known, too short, or no such word)."""
        word = word.lower()
        if not correctable(word) or word in self.counts:
            return None
        key = jamo(word)
        candidates = {
            candidate
            for variant in {key, *deletions(key)}
            for candidate in self._deletes.get(variant, ())
            if is_hangul_word(candidate) == is_hangul_word(word) and within_one_edit(jamo(candidate), key)
        }
        if not candidates:
            return None
        return max(candidates, key=lambda candidate: (self.counts[candidate], candidate))

    def correct_word(self, word: str) -> str | None:
        """A query word as written (maybe with a particle) corrected, or None when it needs no correction."""
        lowered = word.lower()
        if lowered in self.counts:
            return None
        corrected = self.correct(lowered)
        if corrected is not None:
            return corrected
        for particle in _PARTICLES:
            stem = lowered.removesuffix(particle)
            if stem != lowered and stem not in self.counts:
                corrected = self.correct(stem)
                if corrected is not None:
                    return corrected + particle
        return None


_lock = threading.Lock()
_cache: dict[str, tuple[float, int, Vocabulary]] = {}
_generation = 0


def changed() -> None:
    """This process wrote to a backend: its vocabulary is re-read on the next query."""
    global _generation
    _generation += 1


def count_words(documents_words: Iterable[set[str]]) -> Iterable[tuple[str, int]]:
    """(word, number of products) from each product's words."""
    counts: Counter = Counter()
    for words in documents_words:
        counts.update(words)
    return counts.items()


def get(key: str, load: Callable[[], Iterable[tuple[str, int]]]) -> Vocabulary:
    """The vocabulary of the backend identified by ``key``, built from ``load()`` when missing or stale."""
    cached = _cache.get(key)
    if cached is not None and cached[1] == _generation and time.monotonic() - cached[0] < RELOAD_SECONDS:
        return cached[2]
    with _lock:
        generation = _generation
        vocabulary = Vocabulary.build(load())
        _cache[key] = (time.monotonic(), generation, vocabulary)
    return vocabulary
