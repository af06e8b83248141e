"""How Elasticsearch is asked for the search filters, read without a running engine: the validity bounds of
the day, each filter as its own clause, both price bounds in one range, expiring soon up to the cutoff.

The database backend's filters are proven on data by ``test_contract.py::test_filters`` and friends; the
Elasticsearch side of those tests needs a running engine, which mutation runs (SQLite, no services) do
not have, so the clauses themselves are checked here (docs/operations.md, "Mutation testing of the rules")."""

from datetime import date, timedelta

from django.utils import timezone

from search.backends.base import SearchFilters
from search.backends.elasticsearch.query import filter_clauses, visible


def clauses(**filters) -> list[dict]:
    return [clause.to_dict() for clause in filter_clauses(SearchFilters(**filters))]


def validity(day: date) -> list[dict]:
    return [
        {"range": {"issued_on": {"lte": day.isoformat()}}},
        {"range": {"expires_on": {"gte": day.isoformat()}}},
    ]


def test_a_product_is_visible_while_its_certificate_is_valid_that_day():
    day = date(2026, 6, 15)
    assert [clause.to_dict() for clause in visible(day)] == validity(day)


def test_no_filter_asks_for_validity_today_only():
    assert clauses() == validity(timezone.localdate())


def test_each_filter_is_its_own_clause():
    extra = clauses(sector="goods", classification="3911", region="41", supplier_id=7, partner_id=9)[2:]
    assert extra == [
        {"term": {"sector": "goods"}},
        {"prefix": {"classification_code": "3911"}},
        {"term": {"regions": "41"}},
        {"term": {"supplier_id": 7}},
        {"term": {"partner_id": 9}},
    ]


def test_company_id_zero_is_still_a_filter():
    # ids are checked with "is not None": a falsy id must not drop the filter
    assert clauses(supplier_id=0, partner_id=0)[2:] == [
        {"term": {"supplier_id": 0}},
        {"term": {"partner_id": 0}},
    ]


def test_price_bounds_share_one_inclusive_range():
    assert clauses(price_min=100, price_max=500)[2:] == [{"range": {"unit_price": {"gte": 100, "lte": 500}}}]
    assert clauses(price_min=0)[2:] == [{"range": {"unit_price": {"gte": 0}}}]
    assert clauses(price_max=0)[2:] == [{"range": {"unit_price": {"lte": 0}}}]


def test_expiring_soon_splits_at_the_cutoff(settings):
    settings.CERTIFICATE_EXPIRING_SOON_DAYS = 90
    cutoff = (timezone.localdate() + timedelta(days=90)).isoformat()
    assert clauses(expiring_soon=True)[2:] == [{"range": {"expires_on": {"lte": cutoff}}}]
    assert clauses(expiring_soon=False)[2:] == [{"range": {"expires_on": {"gt": cutoff}}}]
    assert clauses(expiring_soon=None)[2:] == []
