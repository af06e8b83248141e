"""The judged query set, in the categories of ``judgments.CATEGORIES``."""

from search.evaluation.judgments import JudgedQuery
from search.evaluation.queries_data import ATTRIBUTES, COMPANIES, FILTERS, IDENTIFIERS, NOTHING
from search.evaluation.queries_words import COMPOUNDS, ENGLISH, MIXED, NOUNS, PARTICLES, SYNONYMS, TYPOS

QUERIES: list[JudgedQuery] = [
    *NOUNS,
    *PARTICLES,
    *COMPOUNDS,
    *SYNONYMS,
    *ENGLISH,
    *MIXED,
    *TYPOS,
    *IDENTIFIERS,
    *COMPANIES,
    *ATTRIBUTES,
    *FILTERS,
    *NOTHING,
]
