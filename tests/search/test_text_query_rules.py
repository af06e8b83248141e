"""The Elasticsearch text query's rules, read without a running engine (mutation run of the backend's
``text_query``, ``_group``, ``_in_field`` and ``search_body``).

The contract and relevance suites prove the query on a live index, which a mutation run (SQLite, no
services) does not have. Here the query is scored by ``es_score``, the few Elasticsearch semantics the
query uses, over a document given as its morpheme fields: what matches, and the integer sum of the
``constant_score`` weights of ``search.backends.relevance`` it gets (the database backend's sum)."""

from typing import Any

import pytest

from search.backends.base import MAX_RESULT_WINDOW, InvalidQuery, SearchFilters, SearchQuery, SortOrder
from search.backends.cursors import encode_cursor
from search.backends.elasticsearch.query import SORTS, filter_clauses, search_body, text_query
from search.backends.relevance import (
    CODE_WEIGHT,
    EXTRA_NAME_WEIGHT,
    EXTRA_WEIGHT,
    FIELD_WEIGHTS,
    GROUP_WEIGHT,
)
from search.plan import QueryPlan, TermGroup

NAME, SPEC, BODY, COMPANY = (FIELD_WEIGHTS[field] for field in FIELD_WEIGHTS)
CHAIR = TermGroup((("의자",),))
DESK = TermGroup((("책상",),))
STREETLIGHT = TermGroup((("가로등",), ("street", "light")))
PURCHASE = TermGroup((("구매",),), optional=True)


def _words(document: dict[str, Any], field: str) -> list[str]:
    value = document.get(field, "")
    return value.split() if isinstance(value, str) else list(value)


def _has_all(document: dict[str, Any], field: str, query: str) -> bool:
    return all(word in _words(document, field) for word in query.split())


def es_score(clause: dict[str, Any], document: dict[str, Any]) -> int | None:
    """The score Elasticsearch gives ``document`` for ``clause`` (only ``constant_score`` scores), or None
    when it does not match. A ``bool`` without ``minimum_should_match`` needs a ``should`` clause only
    when it has no ``must``/``filter``; ``match`` with ``operator: and`` needs every word in the field."""
    ((kind, body),) = clause.items()
    if kind == "bool":
        musts = [es_score(c, document) for c in body.get("must", []) + body.get("filter", [])]
        shoulds = [es_score(c, document) for c in body.get("should", [])]
        needed = body.get("minimum_should_match", 0 if "must" in body or "filter" in body else 1)
        matched = [score for score in shoulds if score is not None]
        if None in musts or len(matched) < needed:
            return None
        return sum(musts) + sum(matched)
    if kind == "constant_score":
        return body["boost"] if es_score(body["filter"], document) is not None else None
    if kind == "match":
        ((field, options),) = body.items()
        assert options["operator"] == "and"
        return 0 if _has_all(document, field, options["query"]) else None
    if kind == "multi_match":
        assert body["operator"] == "and"
        return 0 if any(_has_all(document, field, body["query"]) for field in body["fields"]) else None
    if kind == "terms":
        ((field, values),) = body.items()
        return 0 if set(values) & set(_words(document, field)) else None
    if kind == "prefix":
        ((field, prefix),) = body.items()
        return 0 if str(document.get(field, "")).startswith(prefix) else None
    if kind == "match_none":
        return None
    raise AssertionError(f"a clause the text query should not use: {kind}")


def score(plan: QueryPlan, **document: Any) -> int | None:
    query = text_query(plan)
    assert query is not None
    return es_score(query.to_dict(), document)


def test_a_part_scores_its_weight_plus_the_weight_of_each_field_it_is_in():
    plan = QueryPlan(groups=(CHAIR,))
    assert score(plan, name_morph="사무용 의자") == GROUP_WEIGHT + NAME
    assert score(plan, name_morph="의자", spec_morph="의자 높이", body_morph="의자") == (
        GROUP_WEIGHT + NAME + SPEC + BODY
    )
    assert score(plan, company_morph="의자 공방") == GROUP_WEIGHT + COMPANY
    assert score(plan, name_morph="책상") is None
    # a rarer part weighs more (search.plan._weighted): its own weight, not GROUP_WEIGHT
    heavy = QueryPlan(groups=(TermGroup((("의자",),), weight=GROUP_WEIGHT + 6),))
    assert score(heavy, spec_morph="의자") == GROUP_WEIGHT + 6 + SPEC


def test_an_alternative_matches_with_all_its_words_in_one_field():
    plan = QueryPlan(groups=(STREETLIGHT,))
    assert score(plan, name_morph="led street light") == GROUP_WEIGHT + NAME
    assert score(plan, name_morph="가로등") == GROUP_WEIGHT + NAME
    # street in the name and light in the specification: no alternative is whole in one field
    assert score(plan, name_morph="street", spec_morph="light") is None
    assert score(plan, name_morph="street") is None


def test_a_strict_plan_requires_every_part_but_the_purchase_words_which_only_add():
    plan = QueryPlan(groups=(CHAIR, DESK, PURCHASE))
    assert score(plan, name_morph="의자 책상") == 2 * (GROUP_WEIGHT + NAME)
    assert score(plan, name_morph="의자") is None
    assert score(plan, name_morph="의자 책상", body_morph="구매") == 2 * (GROUP_WEIGHT + NAME) + (
        GROUP_WEIGHT + BODY
    )
    # a purchase word alone is all that was asked: then it is required
    assert score(QueryPlan(groups=(PURCHASE,)), name_morph="의자") is None
    assert score(QueryPlan(groups=(PURCHASE,)), body_morph="구매") == GROUP_WEIGHT + BODY


def test_an_either_or_plan_matches_any_part_and_ranks_by_the_parts_matched():
    plan = QueryPlan(groups=(CHAIR, DESK), any_group=True)
    assert score(plan, name_morph="의자") == GROUP_WEIGHT + NAME
    assert score(plan, spec_morph="책상") == GROUP_WEIGHT + SPEC
    assert score(plan, name_morph="의자 책상") == 2 * (GROUP_WEIGHT + NAME)
    assert score(plan, name_morph="소파") is None
    # a strict plan that found nothing, relaxed, ranks the same way
    assert score(QueryPlan(groups=(CHAIR, DESK)).relax(), name_morph="의자") == GROUP_WEIGHT + NAME


def test_a_verbatim_code_or_class_outranks_any_text_and_matches_alone():
    plan = QueryPlan(groups=(TermGroup((("ww",),)),), codes=("ww-2026-000001", "ww2026"))
    assert score(plan, codes=["ww-2026-000001"]) == CODE_WEIGHT
    assert score(plan, codes=["ww2026"], name_morph="ww") == CODE_WEIGHT + GROUP_WEIGHT + NAME
    assert score(plan, codes=["ww-2026-000002"]) is None
    by_class = QueryPlan(codes=("39111605",), classification_prefix="39111605")
    assert score(by_class, classification_code="3911160501") == CODE_WEIGHT
    assert score(by_class, codes=["39111605"]) == CODE_WEIGHT  # one code bonus, however it matched
    assert score(by_class, classification_code="3911160601") is None
    assert score(QueryPlan(classification_prefix="39111605"), classification_code="3911160501") == (
        CODE_WEIGHT
    )


def test_the_extras_only_add_to_what_matched_and_most_in_the_name():
    plan = QueryPlan(groups=(TermGroup((("에어컨",),)),), extras=("실외기",))
    assert score(plan, name_morph="에어컨 실외기") == GROUP_WEIGHT + NAME + EXTRA_WEIGHT + EXTRA_NAME_WEIGHT
    assert score(plan, name_morph="에어컨", spec_morph="실외기") == GROUP_WEIGHT + NAME + EXTRA_WEIGHT
    assert score(plan, name_morph="실외기") is None


def test_no_text_matches_everything_and_a_plan_of_nothing_matches_nothing():
    assert text_query(QueryPlan(match_all=True)) is None
    assert text_query(QueryPlan()).to_dict() == {"match_none": {}}


def body(**query: Any) -> dict[str, Any]:
    request, _terms = search_body(SearchQuery(**query), QueryPlan(groups=(CHAIR,)), "elasticsearch")
    return request


def test_a_page_asks_for_one_hit_more_than_it_shows_within_the_result_window():
    assert body(page_size=20)["size"] == 21 and body(page_size=20)["from"] == 0
    assert body(page=3, page_size=20)["from"] == 40
    last = body(page=MAX_RESULT_WINDOW // 50, page_size=50)
    assert last["from"] + last["size"] == MAX_RESULT_WINDOW  # the engine refuses a window beyond it
    assert body()["track_total_hits"] is True


def test_the_request_filters_matches_sorts_and_counts_as_asked():
    request = body(filters=SearchFilters(sector="goods"))
    assert request["query"]["bool"]["filter"] == [
        clause.to_dict() for clause in filter_clauses(SearchFilters(sector="goods"))
    ]
    assert request["query"]["bool"]["must"] == [text_query(QueryPlan(groups=(CHAIR,))).to_dict()]
    assert request["sort"] == SORTS[SortOrder.RELEVANCE][0] and request["track_scores"] is True
    assert set(request["aggs"]) >= {"sector", "region", "price", "expiring", "supplier", "partner"}
    assert request["_source"] == {"excludes": ["*_morph", "vocabulary"]}
    newest = body(sort=SortOrder.NEWEST, facets=False)
    assert newest["sort"] == SORTS[SortOrder.NEWEST][0]
    assert "track_scores" not in newest and "aggs" not in newest and "search_after" not in newest
    everything, terms = search_body(SearchQuery(), QueryPlan(match_all=True), "elasticsearch")
    assert everything["query"] == {"bool": {"filter": everything["query"]["bool"]["filter"]}}
    assert terms == frozenset()


def test_a_cursor_continues_after_the_values_it_carries():
    cursor = encode_cursor("elasticsearch", SortOrder.PRICE_ASC, [125_000, 7])
    request = body(sort=SortOrder.PRICE_ASC, search_after=cursor)
    assert request["search_after"] == [125_000, 7] and request["from"] == 0
    request, terms = search_body(
        SearchQuery(search_after=encode_cursor("elasticsearch", SortOrder.RELEVANCE, [56, 3, 9])),
        QueryPlan(groups=(STREETLIGHT,), extras=("led",)),
        "elasticsearch",
    )
    assert request["search_after"] == [56.0, 3, 9]
    assert terms == {"가로등", "street", "light", "led"}


@pytest.mark.parametrize("backend", ["database", "other"])
def test_a_cursor_of_another_backend_is_refused(backend):
    cursor = encode_cursor(backend, SortOrder.RELEVANCE, [56, 3, 9])
    with pytest.raises(InvalidQuery):
        body(search_after=cursor)
