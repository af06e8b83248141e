"""Analysing many texts at once (``search.analysis`` does one at a time): a chunk of listings' texts in one
Kiwi batch, for a rebuild or an outbox pass. The terms are exactly those one-at-a-time analysis stores
(``tests/search/test_analysis.py``); only the cost differs.
"""

from __future__ import annotations

from collections.abc import Iterable

from search.analysis import (
    CACHED_TEXT_CHARS,
    EMPTY,
    MAX_DOCUMENT_CHARS,
    MAX_QUERY_CHARS,
    Analysis,
    analysis_from_tokens,
    get_kiwi,
    normalize,
)

# Whether a list of texts goes to Kiwi as one batch (spread over its threads). Not in a forked build worker
# (search.builders): Kiwi's threads did not survive the fork, and a batch would wait for them forever.
_batches = True


def analyse_one_text_at_a_time() -> None:
    """For a process forked from one whose analyser is loaded: Kiwi analyses a single text in the calling
    thread, so the inherited analyser works, without loading the model again (seconds of CPU)."""
    global _batches
    _batches = False


def _analyze_many(normalized: list[str]) -> list[Analysis]:
    """``analyze`` of texts already normalised and cut, in one call: Kiwi spreads a list over its worker
    threads (one per core by default), where one text at a time keeps a rebuild on a single core."""
    analyses = [EMPTY] * len(normalized)
    todo = [index for index, text in enumerate(normalized) if text.strip()]
    kiwi = get_kiwi()
    if _batches:
        tokenized = kiwi.tokenize([normalized[index] for index in todo], split_complex=True)
    else:
        tokenized = [kiwi.tokenize(normalized[index], split_complex=True) for index in todo]
    for index, tokens in zip(todo, tokenized, strict=True):
        analyses[index] = analysis_from_tokens(tokens)
    return analyses


# Terms of texts and words a batch already analysed in this process, for the next batches: a supplier's and
# partner's names, one product line's texts and most words recur across a rebuild's chunks. Short texts only,
# like the one-at-a-time caches; emptied when full rather than tracking recency.
_batch_texts: dict[str, tuple[str, ...]] = {}
_batch_words: dict[str, str] = {}
BATCH_CACHE_ENTRIES = 20_000


def _remember(cache: dict, key: str, value: object) -> None:
    if len(key) <= CACHED_TEXT_CHARS:
        if len(cache) >= BATCH_CACHE_ENTRIES:
            cache.clear()
        cache[key] = value


def text_terms_many(texts: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """What :func:`morpheme_text` stores for each text (``_text_terms``), for many texts at once on every
    core: a rebuild analyses a chunk of listings' texts together. The same terms as one text at a time."""
    result: dict[str, tuple[str, ...]] = {}
    distinct = []
    for text in dict.fromkeys(texts):
        if text:
            known = _batch_texts.get(text)
            if known is None:
                distinct.append(text)
            else:
                result[text] = known
    cut = [normalize(text)[:MAX_DOCUMENT_CHARS] for text in distinct]
    word_texts: dict[str, str] = {}
    new_words = []
    for word in dict.fromkeys(word for text in cut for word in text.split()):
        if any("\uac00" <= char <= "\ud7a3" for char in word):  # only Hangul words read differently
            known_word = _batch_words.get(word)
            if known_word is None:
                new_words.append(word)
            else:
                word_texts[word] = known_word
    for word, analysis in zip(
        new_words, _analyze_many([normalize(word)[:MAX_QUERY_CHARS] for word in new_words]), strict=True
    ):
        word_texts[word] = analysis.text
        _remember(_batch_words, word, analysis.text)
    for text, cut_text, analysis in zip(distinct, cut, _analyze_many(cut), strict=True):
        seen = dict.fromkeys(analysis.text.split())
        for word in dict.fromkeys(cut_text.split()):
            if word in word_texts:
                seen.update(dict.fromkeys(word_texts[word].split()))
        result[text] = tuple(seen)
        _remember(_batch_texts, text, result[text])
    return result
