"""The evaluator's column of the permission matrix: an appointed evaluator seated on supplier A's
application reads that application and its evidence and scores it, and otherwise has what any signed-in
user without a company has (a procurement officer's reads), minus the certificates officers check.

The rows are the permission matrix's (``test_permission_matrix.TABLE``), so a new endpoint is covered here
too."""

import pytest
from django.db import transaction

from certification import services as registry
from tests.factories import make_evaluators, make_listing
from tests.reliability.test_permission_matrix import ROLES, TABLE, Row, _call, _under_review

OFFICER = ROLES.index("officer")

# (method, path, note) → the evaluator's status where it differs from the officer's
DIFFERS = {
    ("GET", "/applications/", ""): 200,
    ("GET", "/applications/{id}/", ""): 200,
    ("GET", "/documents/", ""): 200,
    ("GET", "/documents/{id}/", ""): 200,
    ("GET", "/documents/{id}/download/", ""): 200,
    ("GET", "/evaluations/", ""): 200,
    # certificates are the officers' and the holders' business, not an evaluator's
    ("GET", "/certificates/", ""): 403,
    ("GET", "/certificates/{id}/", ""): 403,
    ("POST", "/applications/{id}/score-stage/", ""): 200,
}
# shortlists and saved searches are procurement officers' own tools, not a signed-in user's reads
DIFFERS.update(
    {
        (row.method, row.path, row.note): 403
        for row in TABLE
        if row.path.startswith(("/shortlists/", "/shortlist-items/", "/saved-searches/"))
    }
)


def expected(row: Row) -> int:
    return DIFFERS.get((row.method, row.path, row.note), row.expected[OFFICER])


def seat_evaluator(world) -> None:
    """Supplier A's application under review with the evaluator on its presentation panel."""
    _under_review(world)
    registry.form_panel(
        world.reviewer,
        application_id=world.draft_a.pk,
        stage="presentation",
        evaluators=[e.pk for e in world.panel],
    )


@pytest.fixture
def world(rworld):
    rworld.hidden_a = make_listing(rworld.supplier_a, rworld.cert_a, name="비공개 조명", published=False)
    rworld.panel = make_evaluators()
    rworld.evaluators = make_evaluators()  # the rows that form panels seat these
    rworld.evaluator = rworld.panel[0]
    rworld.user = lambda role: rworld.evaluator
    return rworld


@pytest.mark.parametrize("row", TABLE, ids=lambda row: row.id)
def test_evaluator_gets_the_expected_status(world, row):
    # the rows' own set-ups are not run: whom the evaluator may act as is decided before the state is
    with transaction.atomic():
        seat_evaluator(world)
        response = _call(world, "evaluator", row)
        transaction.set_rollback(True)
    assert response.status_code == expected(row), response.content[:300]
