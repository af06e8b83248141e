"""The query plan: what a search text asks for, decided once for both backends.

Both backends translate a :class:`QueryPlan` (the database into ``LIKE`` conditions and ``CASE`` sums,
Elasticsearch into ``constant_score`` clauses) and compute the same integer score from it, so the rules
of matching and ranking live here and nowhere else:

* the text is analysed (``search.analysis``); a misspelt word the index does not know is corrected to a
  known word one edit away (``search.vocabulary``) and the corrected text becomes the "did you mean";
* each query part becomes a :class:`TermGroup` of alternatives, any of which satisfies it: the term, its
  synonyms (``search.synonyms``, e.g. 체어 → 의자), its English stem (lights → light); a number with its
  unit is one part (150W → ``150w``), so "LED 가로등 150W" does not match 60 W lamps through a stray 150;
* strict plans require every group but words about the purchase (교체, 구매: ``SOFT_TERMS``); "and"-words (과/와/및/,) make the plan *any*: each group may match and
  more matched groups rank higher. A strict plan that finds nothing is retried relaxed (``relax()``);
* a text that can be an identifier also matches verbatim against codes (business, certificate,
  classification, goods identification numbers; case-insensitive), an 8-digit classification number
  also finds the 10-digit items under it.

Score (``search.backends.relevance``): per matched group ``GROUP_WEIGHT`` plus the weight of each field
it matches in (name first, company last), ``EXTRA_WEIGHT`` per matched extra, ``CODE_WEIGHT`` for an
identifier. Ties are broken by the shorter name (higher name coverage), never by id first.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from search.analysis import MAX_QUERY_CHARS, normalize, stem, term_spans
from search.backends.base import MAX_QUERY_TERMS
from search.backends.relevance import GROUP_WEIGHT, MAX_RARITY_BONUS, RARITY_WEIGHT, verbatim_code
from search.synonyms import expansions, longest_variant_at
from search.vocabulary import Vocabulary, correctable, words_of

# a vocabulary, or how to get it when needed
VocabularySource = Vocabulary | Callable[[], Vocabulary] | None

_UNIT_TERM = re.compile(r"^\d[\d.]*[^\d\s.]+\d?$")
_BUSINESS_NUMBER = re.compile(r"^\d{3}-\d{2}-\d{5}$")
_CLASSIFICATION_CLASS = re.compile(r"^\d{8}$")
# "and" between nouns in a query means either (책상과 의자: desks and chairs, not desk-chairs)
_OR_PARTICLES = frozenset({"과", "와", "하고", "랑", "이랑"})
_OR_WORDS = frozenset({"및", "또는", ","})
# Words about the purchase, not the product (가로등을 교체, 의자 구매): they rank, never filter.
SOFT_TERMS = frozenset({"교체", "구매", "구입", "납품", "조달", "필요", "희망", "요청", "문의", "견적"})


@dataclass(frozen=True)
class TermGroup:
    """One part of the query: satisfied when any alternative (all of its terms, in one field) matches."""

    alternatives: tuple[tuple[str, ...], ...]
    weight: int = GROUP_WEIGHT  # what matching this part adds: more for a rarer part (see _weighted)
    optional: bool = False  # a word about the purchase (SOFT_TERMS): adds score, never required

    @property
    def terms(self) -> frozenset[str]:
        return frozenset(term for alternative in self.alternatives for term in alternative)


@dataclass(frozen=True)
class QueryPlan:
    groups: tuple[TermGroup, ...] = ()
    extras: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    classification_prefix: str | None = None
    any_group: bool = False  # rank by how many groups match instead of requiring all
    relaxed: bool = False  # a strict plan retried as any_group because it found nothing
    suggestion: str | None = None  # the corrected text, when a word was corrected
    match_all: bool = False  # no text: every product, unscored

    @property
    def required(self) -> tuple[TermGroup, ...]:
        """The groups a strict plan requires (all of them when every group is optional)."""
        required = tuple(group for group in self.groups if not group.optional)
        return required or self.groups

    @property
    def optional(self) -> tuple[TermGroup, ...]:
        required = self.required
        return tuple(group for group in self.groups if group not in required)

    @property
    def can_relax(self) -> bool:
        return len(self.required) > 1 and not self.any_group

    def relax(self) -> QueryPlan:
        return replace(self, any_group=True, relaxed=True)

    @property
    def highlight_terms(self) -> frozenset[str]:
        terms = frozenset(self.extras)
        for group in self.groups:
            terms |= group.terms
        return terms

    @property
    def matches_nothing(self) -> bool:
        return not self.match_all and not self.groups and not self.codes and not self.classification_prefix


def _corrected(text: str, vocabulary: VocabularySource) -> str | None:
    """The text with each unknown word replaced by its correction, or None when nothing changed. The
    vocabulary is only loaded when some word is long enough to be corrected."""
    if vocabulary is None:
        return None
    words = text.split()
    changed = False
    for index, word in enumerate(words):
        if not any(correctable(part.lower()) for part in words_of(word)):
            continue
        if callable(vocabulary):
            vocabulary = vocabulary()
        spans = term_spans(word, MAX_QUERY_CHARS)[1]
        if all(span.term in vocabulary for span in spans if not span.extra):
            continue
        correction = vocabulary.correct_word(word)
        if correction is not None:
            words[index], changed = correction, True
    return " ".join(words) if changed else None


def _is_disjunction(text: str) -> bool:
    from search.analysis import get_kiwi

    for token in get_kiwi().tokenize(normalize(text)[:MAX_QUERY_CHARS]):
        if (str(token.tag) == "JC" and token.form in _OR_PARTICLES) or token.form in _OR_WORDS:
            return True
    return False


def _parts(text: str) -> tuple[list[str], list[str]]:
    """The query's terms in order, a number and its unit merged into one (150W → 150w), and its extras."""
    _normalized, spans = term_spans(text, MAX_QUERY_CHARS)
    units = {span.start: span for span in spans if span.extra and _UNIT_TERM.match(span.term)}
    terms: list[str] = []
    extras: list[str] = []
    unit_end = -1
    for span in spans:
        if span.extra:
            if span.start not in units and span.term not in extras:
                extras.append(span.term)
            continue
        if span.start < unit_end:
            continue  # the unit's letters, already part of the number+unit term
        unit = units.get(span.start)
        if unit is not None:
            terms.append(unit.term)
            unit_end = unit.end
        else:
            terms.append(span.term)
    return terms, extras


def _groups(terms: list[str]) -> tuple[TermGroup, ...]:
    dictionary = expansions()
    groups: dict[tuple[tuple[str, ...], ...], None] = {}
    sequence = tuple(terms)
    index = 0
    while index < len(sequence):
        length, variants = longest_variant_at(sequence, index, dictionary)
        if length:
            alternatives = variants
            index += length
        else:
            term = sequence[index]
            alternatives = ((term,),) if stem(term) == term else ((term,), (stem(term),))
            index += 1
        groups[alternatives] = None
    return tuple(
        TermGroup(
            alternatives,
            optional=alternatives == ((alternatives[0][0],),) and alternatives[0][0] in SOFT_TERMS,
        )
        for alternatives in groups
    )[:MAX_QUERY_TERMS]


def _weighted(groups: tuple[TermGroup, ...], vocabulary: VocabularySource) -> tuple[TermGroup, ...]:
    """Groups weighted by rarity: when not every part can match (either-or, relaxed), a product matching
    the rare part (cleaning) outranks one matching only the common one (service). Products matching all
    parts get every weight, so a strict plan's order does not change."""
    if len(groups) < 2 or vocabulary is None:
        return groups
    if callable(vocabulary):
        vocabulary = vocabulary()
    counts = vocabulary.counts
    frequencies = [
        max(1, sum(min(counts.get(term, 0) for term in alternative) for alternative in group.alternatives))
        for group in groups
    ]
    most = max(frequencies)
    return tuple(
        replace(
            group, weight=GROUP_WEIGHT + min(MAX_RARITY_BONUS, round(RARITY_WEIGHT * math.log2(most / count)))
        )
        for group, count in zip(groups, frequencies, strict=True)
    )


def _codes(text: str) -> tuple[tuple[str, ...], str | None]:
    code = verbatim_code(text)
    if code is None:
        return (), None
    lowered = code.lower()
    codes = [lowered]
    if _BUSINESS_NUMBER.match(lowered):
        codes.append(lowered.replace("-", ""))
    prefix = lowered if _CLASSIFICATION_CLASS.match(lowered) else None
    return tuple(codes), prefix


def build_plan(text: str, vocabulary: VocabularySource = None) -> QueryPlan:
    """The plan for a search text; ``vocabulary`` (the backend's known words, or a function returning
    them) enables typo correction."""
    text = normalize(text)[:MAX_QUERY_CHARS]
    if not text.strip():
        return QueryPlan(match_all=True)
    codes, prefix = _codes(text)
    if callable(vocabulary):
        load, loaded = vocabulary, []

        def vocabulary() -> Vocabulary:  # loaded at most once, and only if a step needs it
            if not loaded:
                loaded.append(load())
            return loaded[0]

    corrected = _corrected(text, vocabulary)
    analysed = corrected or text
    terms, extras = _parts(analysed)
    groups = _weighted(_groups(terms), vocabulary)
    used = frozenset(term for group in groups for term in group.terms)
    return QueryPlan(
        groups=groups,
        extras=tuple(extra for extra in extras if extra not in used)[:MAX_QUERY_TERMS],
        codes=codes,
        classification_prefix=prefix,
        any_group=len(groups) > 1 and _is_disjunction(analysed),
        suggestion=corrected,
    )
