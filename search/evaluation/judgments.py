"""Judgments as predicates over a generated product's ground truth, never over an engine's answer.

A predicate takes (product, catalog) and says whether the product is what the query asked for (grade 2)
or related to it (grade 1). Because predicates read the generator's truth (family, kind, attributes,
classification code, company), one judged query applies to a generated catalog of any size or seed.
Queries whose text depends on the catalog (a business number, a certificate number) pick their subject
from the catalog deterministically (``subject`` helpers) and judge against it.
"""

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from catalog.generator.products import GeneratedCatalog, GeneratedCompany, GeneratedProduct
from search.backends.base import SearchFilters

Predicate = Callable[[GeneratedProduct, GeneratedCatalog], bool]

CATEGORIES = (
    "nouns",
    "particles",
    "compounds",
    "synonyms",
    "english",
    "mixed",
    "typos",
    "identifiers",
    "companies",
    "attributes",
    "filters",
    "nothing",
)


def nothing(product: GeneratedProduct, catalog: GeneratedCatalog) -> bool:
    return False


def family(*keys: str) -> Predicate:
    return lambda p, c: p.family in keys


def kind(*kinds: str) -> Predicate:
    return lambda p, c: p.kind in kinds


def attribute(key: str, *values) -> Predicate:
    return lambda p, c: p.attributes.get(key) in values


def code_prefix(prefix: str) -> Predicate:
    return lambda p, c: p.code.upper().startswith(prefix.upper())


def supplier(index: int) -> Predicate:
    return lambda p, c: p.supplier == index


def partner(index: int) -> Predicate:
    return lambda p, c: c.certificates[p.certificate].partner == index


def certificate(index: int) -> Predicate:
    return lambda p, c: p.certificate == index


def product(index: int) -> Predicate:
    return lambda p, c: p.index == index


def all_of(*predicates: Predicate) -> Predicate:
    return lambda p, c: all(pred(p, c) for pred in predicates)


def any_of(*predicates: Predicate) -> Predicate:
    return lambda p, c: any(pred(p, c) for pred in predicates)


def but_not(predicate: Predicate, excluded: Predicate) -> Predicate:
    return lambda p, c: predicate(p, c) and not excluded(p, c)


@dataclass(frozen=True)
class Resolved:
    """A query as run on one catalog: its text and what is exact (2) and related (1) there."""

    text: str
    exact: Predicate
    related: Predicate = nothing


@dataclass(frozen=True)
class JudgedQuery:
    category: str
    text: str = ""
    exact: Predicate = nothing
    related: Predicate = nothing
    filters: SearchFilters = field(default_factory=SearchFilters)
    #: for queries whose text comes from the catalog: catalog → Resolved (None when it has no subject)
    resolve: Callable[[GeneratedCatalog], Resolved | None] | None = None
    note: str = ""

    def on(self, catalog: GeneratedCatalog) -> Resolved | None:
        if self.resolve is not None:
            return self.resolve(catalog)
        return Resolved(self.text, self.exact, self.related)

    def admits(self, product: GeneratedProduct) -> bool:
        """Whether the product passes the query's filters (a product filtered out is never relevant)."""
        f = self.filters
        return (
            (not f.sector or product.sector == f.sector)
            and (not f.region or f.region in product.regions)
            and (not f.classification or product.code.upper().startswith(f.classification.upper()))
        )


def grade(
    query: JudgedQuery, resolved: Resolved, product: GeneratedProduct, catalog: GeneratedCatalog
) -> int:
    if not product.listed or not query.admits(product):
        return 0
    if resolved.exact(product, catalog):
        return 2
    return 1 if resolved.related(product, catalog) else 0


# -- subjects picked from the catalog, deterministically -------------------------------------------------

LEGAL_FORM = re.compile(r"주식회사|\(주\)|㈜")


def core_name(company: GeneratedCompany) -> str:
    """The company's name without its legal form: how people type it."""
    return LEGAL_FORM.sub("", company.name).strip()


def busiest_supplier(catalog: GeneratedCatalog, trade: str | None = None, rank: int = 0) -> int | None:
    """The supplier with the most listed products (of ``trade``), among those whose name without the
    legal form no other supplier shares, so a search by name has one right answer."""
    names = Counter(core_name(s) for s in catalog.suppliers)
    counts = Counter(
        p.supplier
        for p in catalog.listed
        if (trade is None or catalog.suppliers[p.supplier].trade == trade)
        and names[core_name(catalog.suppliers[p.supplier])] == 1
    )
    ranked = [index for index, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
    return ranked[rank] if len(ranked) > rank else None


def first_listed(catalog: GeneratedCatalog, predicate: Predicate) -> GeneratedProduct | None:
    return next((p for p in catalog.listed if predicate(p, catalog)), None)
