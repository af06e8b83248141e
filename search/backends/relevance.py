"""How much a match counts, the same in both backends: per morpheme field, for the query's extra terms,
and for an identifier pasted verbatim."""

# Per morpheme field of a document (``search.documents.MORPH_SOURCES``): the product name counts most.
FIELD_WEIGHTS: dict[str, int] = {"name_morph": 8, "spec_morph": 3, "body_morph": 1, "company_morph": 1}
# Extra terms of the analysis (compound parts, synonyms) only add to the score, never filter.
EXTRA_WEIGHT = 2
# A certificate, classification or identification number matched verbatim outranks any text match.
CODE_WEIGHT = 20
MAX_CODE_LENGTH = 20


def verbatim_code(text: str) -> str | None:
    """The query as an identifier to match verbatim, when it can be one (a single short word)."""
    raw = text.strip()
    if raw and len(raw) <= MAX_CODE_LENGTH and " " not in raw:
        return raw
    return None
