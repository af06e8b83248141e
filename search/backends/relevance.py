"""How much a match counts, the same in both backends (``search.plan`` says what matches): per matched
query part, per morpheme field it matches in, for the query's extra terms, and for an identifier pasted
verbatim. Both backends sum these integers, so their scores (and orders) agree."""

# Per morpheme field of a document (``search.documents.MORPH_SOURCES``): the product name counts most, a
# company name least (a cabinet maker called 체어 must not outrank chairs).
FIELD_WEIGHTS: dict[str, int] = {"name_morph": 16, "spec_morph": 6, "body_morph": 2, "company_morph": 1}
# Per query part (term group) matched anywhere: more parts matched always ranks higher, which is what a
# relaxed or "A와 B" query ranks by.
GROUP_WEIGHT = 40
# A part of the query that few products have adds up to this much more (RARITY_WEIGHT per halving of
# its frequency against the query's most common part): matters where not every part must match.
RARITY_WEIGHT = 2
MAX_RARITY_BONUS = 8
# Extra terms of the analysis (compound parts, synonyms) only add to the score, never filter.
EXTRA_WEIGHT = 2
# ... and more in the name: the whole word typed (냉난방기, 평판조명) written as one word in the product name
EXTRA_NAME_WEIGHT = 8
# A certificate, classification or identification number matched verbatim outranks any text match.
CODE_WEIGHT = 1000
MAX_CODE_LENGTH = 20


def verbatim_code(text: str) -> str | None:
    """The query as an identifier to match verbatim, when it can be one (a single short word)."""
    raw = text.strip()
    if raw and len(raw) <= MAX_CODE_LENGTH and " " not in raw:
        return raw
    return None
