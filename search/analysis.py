"""Korean (and Latin) text analysis shared by indexing and querying in both search backends.

Korean attaches particles and endings to words and writes compounds without spaces
(상생협력제품을 = 상생 + 협력 + 제품 + 을), so whitespace tokenisation — which is all Elasticsearch's
core ``standard`` analyser does for Hangul — misses most queries. We run the Kiwi morphological analyser
(kiwipiepy, which ships its own model) in Python and hand the backends a space-joined *morpheme text*
that any whitespace-ish tokenizer (``standard`` in Elasticsearch, ``LIKE ' term '`` in SQL) matches
term by term. The same functions run at index time and at query time, so both sides always agree.

An :class:`Analysis` has two parts:

* ``terms`` — the content morphemes: nouns, verb/adjective stems, roots, Latin words (lowercased),
  numbers, Hanja. A query requires all of them (AND).
* ``extras`` — alternative whole forms: an unknown compound kept whole next to its parts
  (평판조명 → 평판 조명 + extra 평판조명) and derived words (가정용 → 가정 + extra 가정용,
  고효율 → 효율 + extra 고효율). Documents index them; queries only use them to rank, never to filter,
  so 평판조명 still finds a product written 평판 조명.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from kiwipiepy import Kiwi

# Tags that carry meaning. Particles (J*), endings (E*), punctuation (S* except the ones below),
# bound nouns (NNB), pronouns, determiners and adverbs are dropped.
NOUN_TAGS = frozenset({"NNG", "NNP", "NR"})
STEM_TAGS = frozenset({"VV", "VA", "XR"})
FOREIGN_TAGS = frozenset({"SL", "SH", "W_SERIAL"})
NUMBER_TAGS = frozenset({"SN"})
CONTENT_TAGS = NOUN_TAGS | STEM_TAGS | FOREIGN_TAGS | NUMBER_TAGS
# Derivational affixes glued onto a noun: kept as an "extra" whole form (가정용, 고효율, 충전기).
NOUN_SUFFIX_TAGS = frozenset({"XSN"})
NOUN_PREFIX_TAGS = frozenset({"XPN"})

# A number followed by one of these (at most a space between) is also kept as one term, 150w, 10kva,
# 27인치: a query for "150W" should prefer the 150 W product over one with 150 somewhere and W elsewhere.
LATIN_UNIT_MAX_CHARS = 4
HANGUL_UNITS = frozenset(
    {"인치", "형", "평", "톤", "인승", "인용", "구", "단", "매", "개", "대", "층", "리터", "미터"}
)

# Kiwi's cost grows with input length; nothing a buyer reads needs more than this to be found.
MAX_DOCUMENT_CHARS = 20_000
MAX_QUERY_CHARS = 256
# An unknown noun this long is probably a compound the dictionary lacks (평판조명, 스마트팩토리).
MIN_COMPOUND_CHARS = 4
# Document texts repeat across listings (a supplier's and partner's names on every listing, one product
# line's name and description on each of its models): a rebuild spent ~85% of its time in Kiwi re-reading
# them, and search highlighting re-reads the same hits. Short texts' analyses are cached; long ones are
# rare, unlikely to repeat and would bloat the cache.
CACHED_TEXT_CHARS = 1_000

_kiwi: Kiwi | None = None
_kiwi_lock = threading.Lock()


def get_kiwi() -> Kiwi:
    """The process-wide analyser, built on first use.

    Loading the model takes a second or two and ~100 MB, so it happens once, lazily (management commands
    that never search don't pay for it). Kiwi's author states an instance built in one thread may be used
    from many threads, so only construction is locked; the warm-up call finishes Kiwi's own lazy init
    inside the lock too.
    """
    global _kiwi
    if _kiwi is None:
        with _kiwi_lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                kiwi = Kiwi()
                kiwi.tokenize("")
                _kiwi = kiwi
    return _kiwi


class Span(NamedTuple):
    """One content term and where it sits in the normalised text (for highlighting)."""

    start: int
    end: int
    term: str
    extra: bool


@dataclass(frozen=True)
class Analysis:
    terms: tuple[str, ...]
    extras: tuple[str, ...]

    @property
    def text(self) -> str:
        """The morpheme text stored in the index: every term and extra, once, in order."""
        return " ".join(dict.fromkeys(self.terms + self.extras))

    @property
    def all_terms(self) -> frozenset[str]:
        return frozenset(self.terms) | frozenset(self.extras)

    def __bool__(self) -> bool:
        return bool(self.terms or self.extras)


EMPTY = Analysis((), ())


def normalize(text: str) -> str:
    """NFKC folds full-width Latin and digits (ＬＥＤ → LED) and compatibility Hangul the way users type."""
    return unicodedata.normalize("NFKC", text or "")


def _clean(form: str, tag: str) -> str:
    if tag in FOREIGN_TAGS:
        return form.lower()
    return form


@lru_cache(maxsize=50_000)
def _decompose(form: str) -> tuple[str, ...]:
    """Known nouns that make up an unknown compound, or () if Kiwi sees no such split.

    Kiwi's best path keeps an out-of-vocabulary word whole (평판조명/NNG, oov); its next candidates often
    split it into dictionary nouns (평판 + 조명), which is how a buyer might type it.
    """
    try:
        candidates = get_kiwi().analyze(form, top_n=4)
    except Exception:  # analysis must never break indexing or a query; the whole form still matches
        return ()
    for tokens, _score in candidates[1:]:
        if len(tokens) > 1 and all(t.tag in NOUN_TAGS and not getattr(t, "oov", False) for t in tokens):
            return tuple(t.form for t in tokens)
    return ()


def stem(word: str) -> str:
    """A Latin word's simple stem: English plurals and -ing (lights → light, batteries → battery)."""
    if len(word) <= 3 or not word.isascii() or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    if word.endswith("ing") and len(word) >= 6:
        return word[:-3]
    return word


def _unit(tokens: list, index: int) -> tuple[str, int] | None:
    """The unit right after the number at ``index`` (150W, 150 W, 27인치, m2 from ㎡): (unit, end)."""
    number = tokens[index]
    if index + 1 >= len(tokens):
        return None
    following = tokens[index + 1]
    if following.start - (number.start + number.len) > 1:
        return None
    form, tag = following.form, str(following.tag)
    end = following.start + following.len
    if tag == "SL" and len(form) <= LATIN_UNIT_MAX_CHARS:
        unit = form.lower()
        if index + 2 < len(tokens):  # ㎡ reads m2 after NFKC: m + 2
            after = tokens[index + 2]
            if after.start == end and after.form in ("2", "3") and unit in ("m", "cm", "mm", "km"):
                unit, end = unit + after.form, after.start + after.len
        return unit, end
    if form in HANGUL_UNITS:
        return form, end
    if index + 2 < len(tokens) and tokens[index + 2].start == end:  # 2인용 reads 인 + 용
        joined = form + tokens[index + 2].form
        if joined in HANGUL_UNITS:
            return joined, tokens[index + 2].start + tokens[index + 2].len
    return None


def _spans(tokens) -> Iterator[Span]:
    # Token attributes are computed on every access (C++ → Python): each is read once, and only for the
    # tokens that need it; most tokens are particles and endings, skipped on their tag alone.
    tokens = list(tokens)
    for index, token in enumerate(tokens):
        tag = token.tag
        if "-" in tag:
            tag = tag.split("-")[0]  # kiwi marks irregular conjugation as VV-I / VA-R
        if tag in CONTENT_TAGS:
            start = token.start
            end = start + token.len
            if tag in NUMBER_TAGS:
                unit = _unit(tokens, index)
                if unit is not None:
                    yield Span(start, unit[1], token.form + unit[0], True)
            form = _clean(token.form, tag)
            if tag == "SL":
                stemmed = stem(form)
                if stemmed != form:
                    yield Span(start, end, stemmed, True)
            elif tag in NOUN_TAGS:
                if len(form) >= MIN_COMPOUND_CHARS and getattr(token, "oov", False):
                    parts = _decompose(form)
                    if parts:
                        offset = start
                        for part in parts:
                            yield Span(offset, offset + len(part), part, False)
                            offset += len(part)
                        yield Span(start, end, form, True)
                        continue
                yield Span(start, end, form, False)
                # noun + derivational suffix (가정+용, 충전+기): the whole derived word is an extra term
                if index + 1 < len(tokens):
                    following = tokens[index + 1]
                    if following.tag in NOUN_SUFFIX_TAGS and following.start == end:
                        yield Span(start, end + following.len, form + following.form, True)
                continue
            yield Span(start, end, form, False)
        elif tag in NOUN_PREFIX_TAGS and index + 1 < len(tokens):
            following = tokens[index + 1]
            end = token.start + token.len
            if following.tag in NOUN_TAGS and following.start == end:
                yield Span(token.start, end + following.len, token.form + following.form, True)


def _analysis_from_spans(spans: Iterable[Span]) -> Analysis:
    terms: dict[str, None] = {}
    extras: dict[str, None] = {}
    for span in spans:
        (extras if span.extra else terms)[span.term] = None
    return Analysis(tuple(terms), tuple(extra for extra in extras if extra not in terms))


def analysis_from_tokens(tokens) -> Analysis:
    """The analysis of Kiwi's tokens of one text (what :func:`analyze` returns for it)."""
    return _analysis_from_spans(_spans(tokens))


def term_spans(text: str, max_chars: int = MAX_DOCUMENT_CHARS) -> tuple[str, list[Span]]:
    """The normalised text and its content spans, for highlighting in the text the user reads."""
    if len(text or "") <= CACHED_TEXT_CHARS:
        # every search highlights up to 20 hits × 3 fields; the same names and specs come back again
        normalized, spans = _cached_term_spans(text or "", max_chars)
        return normalized, list(spans)
    return _term_spans(text, max_chars)


def _term_spans(text: str, max_chars: int) -> tuple[str, list[Span]]:
    text = normalize(text)[:max_chars]
    if not text.strip():
        return text, []
    return text, list(_spans(get_kiwi().tokenize(text, split_complex=True)))


@lru_cache(maxsize=20_000)
def _cached_term_spans(text: str, max_chars: int) -> tuple[str, tuple[Span, ...]]:
    normalized, spans = _term_spans(text, max_chars)
    return normalized, tuple(spans)


def analyze(text: str, max_chars: int = MAX_DOCUMENT_CHARS) -> Analysis:
    """Content morphemes of ``text``: the one analysis used for documents and for queries."""
    text = normalize(text)[:max_chars]
    if not text.strip():
        return EMPTY
    return analysis_from_tokens(get_kiwi().tokenize(text, split_complex=True))


def analyze_query(text: str) -> Analysis:
    """The same analysis, with a user's query bounded in length (hostile 5,000-character inputs)."""
    return analyze(text, max_chars=MAX_QUERY_CHARS)


@lru_cache(maxsize=100_000)
def _word_text(word: str) -> str:
    return analyze(word, max_chars=MAX_QUERY_CHARS).text


def _text_terms(text: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for term in analyze(text).text.split():
        seen[term] = None
    for word in dict.fromkeys(normalize(text)[:MAX_DOCUMENT_CHARS].split()):
        if any("\uac00" <= char <= "\ud7a3" for char in word):  # only Hangul words read differently
            for term in _word_text(word).split():
                seen[term] = None
    return tuple(seen)


@lru_cache(maxsize=20_000)
def _cached_text_terms(text: str) -> tuple[str, ...]:
    return _text_terms(text)


def morpheme_text(*texts: str, known: Mapping[str, tuple[str, ...]] | None = None) -> str:
    """Space-joined terms and extras of several texts, de-duplicated: what a morpheme field stores.

    Documents are analysed twice: as running text, and word by word. Kiwi reads a word in context, so
    "LED 투광등" yields 투광 (+ 등 "etc.") while a query of just "투광등" yields 투광등; storing both readings
    lets either kind of query match. Queries are analysed once, in context (``analyze_query``). ``known``
    holds terms already worked out in a batch (``search.batch_analysis.text_terms_many``).
    """
    seen: dict[str, None] = {}
    for text in texts:
        if not text:
            continue
        if known is not None and text in known:
            terms = known[text]
        elif len(text) <= CACHED_TEXT_CHARS:
            terms = _cached_text_terms(text)
        else:
            terms = _text_terms(text)
        for term in terms:
            seen[term] = None
    return " ".join(seen)


def highlight(text: str, query_terms: frozenset[str], fragment_chars: int = 160) -> str | None:
    """``text`` with the query's terms wrapped in ``<em>``, HTML-escaped; None when nothing matches.

    Done in Python, on the original text, for both backends: an Elasticsearch highlighter would mark up the
    morpheme field (상생 협력 제품), not the words the buyer reads (상생협력제품을). Long texts are cut
    to a fragment around the first match.
    """
    if not text or not query_terms:
        return None
    normalized, spans = term_spans(text)
    marks = sorted(
        {(span.start, span.end) for span in spans if span.term in query_terms},
    )
    if not marks:
        return None
    merged: list[list[int]] = []
    for start, end in marks:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    window_start, window_end = 0, len(normalized)
    if len(normalized) > fragment_chars:
        window_start = max(0, merged[0][0] - fragment_chars // 4)
        window_end = min(len(normalized), window_start + fragment_chars)
    out: list[str] = ["…" if window_start > 0 else ""]
    cursor = window_start
    for start, end in merged:
        if end <= window_start or start >= window_end:
            continue
        start, end = max(start, window_start), min(end, window_end)
        out.append(escape(normalized[cursor:start]))
        out.append(f"<em>{escape(normalized[start:end])}</em>")
        cursor = end
    out.append(escape(normalized[cursor:window_end]))
    if window_end < len(normalized):
        out.append("…")
    return "".join(out)
