"""Search request bodies: visibility and filters, the text query, aggregations for facets, sorts.

User text only ever reaches ``match``-family queries and ``term`` values — never ``query_string`` — so no
input is parsed as query syntax.
"""

from datetime import date
from typing import Any

from django.utils import timezone
from elasticsearch.dsl import Q as EQ
from elasticsearch.dsl import Search

from catalog.visibility import VALIDITY_BOUNDS, expiring_soon_cutoff
from search.analysis import analyze_query
from search.backends.base import MAX_RESULT_WINDOW, SearchFilters, SearchQuery, SortOrder
from search.backends.cursors import decode_cursor
from search.backends.facets import PRICE_RANGES, REGION_LABELS, TERMS_FACET_SIZE
from search.backends.relevance import CODE_WEIGHT, EXTRA_NAME_WEIGHT, EXTRA_WEIGHT, FIELD_WEIGHTS
from search.hangul import as_chosung_query
from search.plan import QueryPlan, TermGroup

# per sort: (sort clauses, their cursor value types); every order ends on the id so it is total. Equal
# scores go to the shorter name (the query covers more of it), as in the database backend.
SORTS: dict[str, tuple[list[Any], tuple[type, ...]]] = {
    # unmapped_type: an index built before name_length existed still answers (until its rebuild)
    SortOrder.RELEVANCE: (
        [{"_score": "desc"}, {"name_length": {"order": "asc", "unmapped_type": "integer"}}, {"id": "desc"}],
        (float, int, int),
    ),
    SortOrder.PRICE_ASC: ([{"unit_price": "asc"}, {"id": "asc"}], (int, int)),
    SortOrder.PRICE_DESC: ([{"unit_price": "desc"}, {"id": "desc"}], (int, int)),
    SortOrder.NEWEST: ([{"created_at": "desc"}, {"id": "desc"}], (int, int)),
}


def visible(day: date) -> list[Any]:
    """Certificates valid on ``day`` (the index holds listed products only, as of their last write)."""
    return [EQ("range", **{field: {comparison: day.isoformat()}}) for field, comparison in VALIDITY_BOUNDS]


def filter_clauses(filters: SearchFilters) -> list[Any]:
    day = timezone.localdate()
    clauses = visible(day)
    if filters.sector:
        clauses.append(EQ("term", sector=filters.sector))
    if filters.classification:
        clauses.append(EQ("prefix", classification_code=filters.classification))
    if filters.region:
        clauses.append(EQ("term", regions=filters.region))
    if filters.supplier_id is not None:
        clauses.append(EQ("term", supplier_id=filters.supplier_id))
    if filters.partner_id is not None:
        clauses.append(EQ("term", partner_id=filters.partner_id))
    price: dict[str, int] = {}
    if filters.price_min is not None:
        price["gte"] = filters.price_min
    if filters.price_max is not None:
        price["lte"] = filters.price_max
    if price:
        clauses.append(EQ("range", unit_price=price))
    cutoff = expiring_soon_cutoff(day).isoformat()
    if filters.expiring_soon is True:
        clauses.append(EQ("range", expires_on={"lte": cutoff}))
    elif filters.expiring_soon is False:
        clauses.append(EQ("range", expires_on={"gt": cutoff}))
    return clauses


def _in_field(group: TermGroup, field: str) -> Any:
    """Some alternative of the group has all its terms in this field."""
    return EQ(
        "bool",
        should=[
            EQ("match", **{field: {"query": " ".join(alt), "operator": "and"}}) for alt in group.alternatives
        ],
        minimum_should_match=1,
    )


def _scored(condition: Any, weight: int) -> Any:
    return EQ("constant_score", filter=condition, boost=weight)


def _group(group: TermGroup) -> Any:
    """Matches when the group matches in some field; scores the group's weight plus each matching field's weight."""
    per_field = [_in_field(group, field) for field in FIELD_WEIGHTS]
    return EQ(
        "bool",
        should=[
            _scored(EQ("bool", should=per_field, minimum_should_match=1), group.weight),
            *(
                _scored(clause, weight)
                for clause, weight in zip(per_field, FIELD_WEIGHTS.values(), strict=True)
            ),
        ],
        minimum_should_match=1,
    )


def text_query(plan: QueryPlan) -> Any:
    """The plan (``search.plan``) as a query whose score is the same integer sum the database backend
    computes: ``constant_score`` clauses with the weights of ``search.backends.relevance``. None matches
    everything."""
    if plan.match_all:
        return None
    options: list[Any] = []
    if plan.groups:
        if plan.any_group:
            options.append(
                EQ("bool", should=[_group(group) for group in plan.groups], minimum_should_match=1)
            )
        else:
            required = [_group(group) for group in plan.required]
            options.append(EQ("bool", must=required, should=[_group(group) for group in plan.optional]))
    codes: list[Any] = [EQ("terms", codes=list(plan.codes))] if plan.codes else []
    if plan.classification_prefix:
        codes.append(EQ("prefix", classification_code=plan.classification_prefix))
    if codes:
        options.append(_scored(EQ("bool", should=codes, minimum_should_match=1), CODE_WEIGHT))
    if not options:
        return EQ("match_none")
    extras = [
        clause
        for extra in plan.extras
        for clause in (
            _scored(EQ("multi_match", query=extra, fields=list(FIELD_WEIGHTS), operator="and"), EXTRA_WEIGHT),
            _scored(EQ("match", name_morph={"query": extra, "operator": "and"}), EXTRA_NAME_WEIGHT),
        )
    ]
    # the extras only add to the score of what matched
    return EQ("bool", must=[EQ("bool", should=options, minimum_should_match=1)], should=extras)


def aggregations() -> dict[str, Any]:
    search = Search()
    aggs = search.aggs
    aggs.bucket("sector", "terms", field="sector", size=TERMS_FACET_SIZE)
    aggs.bucket("classification_segment", "terms", field="classification_segment", size=TERMS_FACET_SIZE)
    aggs.bucket("classification_family", "terms", field="classification_family", size=TERMS_FACET_SIZE)
    aggs.bucket("region", "terms", field="regions", size=len(REGION_LABELS))
    for party in ("supplier", "partner"):
        aggs.bucket(party, "terms", field=f"{party}_id", size=TERMS_FACET_SIZE).bucket(
            "name", "terms", field=f"{party}_name", size=1
        )
    ranges = []
    for price in PRICE_RANGES:
        bucket: dict[str, Any] = {"key": price.key}
        if price.low is not None:
            bucket["from"] = price.low
        if price.high is not None:
            bucket["to"] = price.high
        ranges.append(bucket)
    aggs.bucket("price", "range", field="unit_price", ranges=ranges)
    aggs.bucket("expiring", "filter", EQ("range", expires_on={"lte": expiring_soon_cutoff().isoformat()}))
    return search.to_dict().get("aggs", {})


def search_body(query: SearchQuery, plan: QueryPlan, backend: str) -> tuple[dict[str, Any], frozenset[str]]:
    """The request for one page of ``query`` as ``plan`` reads its text (a cursor is checked against
    ``backend``), and the terms its hits are highlighted with."""
    matching, terms = text_query(plan), plan.highlight_terms
    sort, types = SORTS[query.sort]
    body: dict[str, Any] = {
        "query": EQ(
            "bool", filter=filter_clauses(query.filters), must=[matching] if matching else []
        ).to_dict(),
        "sort": sort,
        # one hit more than asked tells whether a next page exists, also on cursor pages
        "size": min(query.page_size + 1, MAX_RESULT_WINDOW - query.offset),
        "from": query.offset,
        "track_total_hits": True,
        "_source": {"excludes": ["*_morph", "vocabulary"]},
    }
    if query.search_after:
        body["search_after"] = decode_cursor(query.search_after, backend, query.sort, types)
    if query.sort == SortOrder.RELEVANCE:
        body["track_scores"] = True
    if query.facets:
        body["aggs"] = aggregations()
    return body, terms


def suggest_body(prefix: str, limit: int) -> dict[str, Any]:
    """Names completing the typed prefix: ``match_bool_prefix`` on the name as written (공기청 →
    공기청정기) and on its morphemes (청정 → 공기청정기), both served by ``index_prefixes``;
    ``collapse`` on the name keeps one suggestion per distinct name."""
    chosung = as_chosung_query(prefix)
    if chosung is not None:
        return _chosung_suggest_body(chosung, limit)
    analysis = analyze_query(prefix)
    # operator "and": every typed word must be there, the last one as a prefix
    should = [EQ("match_bool_prefix", name={"query": prefix, "operator": "and", "boost": 2})]
    if analysis.terms:
        should.append(
            EQ("match_bool_prefix", name_morph={"query": " ".join(analysis.terms), "operator": "and"})
        )
    return {
        "query": EQ(
            "bool", filter=filter_clauses(SearchFilters()), should=should, minimum_should_match=1
        ).to_dict(),
        "size": limit,
        "_source": ["name"],
        "collapse": {"field": "name.raw"},
        "sort": [{"_score": "desc"}, {"name.raw": "asc"}],
    }


def _chosung_suggest_body(chosung: str, limit: int) -> dict[str, Any]:
    """ㄱㅊㅈ → 공기청정기: the initial consonants anywhere in the name (``wildcard`` on a keyword of
    jamo only, so nothing typed is a wildcard character), names that start with them first."""
    return {
        "query": EQ(
            "bool",
            filter=[*filter_clauses(SearchFilters()), EQ("wildcard", name_chosung={"value": f"*{chosung}*"})],
            should=[EQ("prefix", name_chosung={"value": chosung, "boost": 1})],
        ).to_dict(),
        "size": limit,
        "_source": ["name"],
        "collapse": {"field": "name.raw"},
        "sort": [
            {"_score": "desc"},
            {"name_length": {"order": "asc", "unmapped_type": "integer"}},
            {"name.raw": "asc"},
        ],
    }
