"""The partner member's column of the permission matrix: a user of the partner company named by supplier
A's application reads that application and certificate through the partner's view and answers the request
for confirmation there, and otherwise has what a user of another company (supplier B) has: it never reads
A's application through /applications/ (so never its evidence, review or audit trail), never edits it,
never downloads A's certificate document.

The rows are the permission matrix's (``test_permission_matrix.TABLE``), with their set-ups, so a new
endpoint is covered here too."""

import pytest
from django.core.cache import cache
from django.db import transaction

from certification import selectors
from certification import services as registry
from certification.roles import Role
from tests.factories import make_company, make_evaluators, make_listing, make_user
from tests.reliability.test_permission_matrix import ROLES, TABLE, Row, _call
from tests.worlds import api_client

OTHER_COMPANY = ROLES.index("supplier_b")

# (method, path, note) → the partner member's status where it differs from supplier B's
DIFFERS = {
    # the row's body names the world's partner: the partner's own company cannot partner itself
    ("POST", "/applications/", ""): 400,
    ("GET", "/partner-requests/{id}/", ""): 200,
    ("POST", "/partner-requests/{id}/confirm-partnership/", ""): 200,
    ("POST", "/partner-requests/{id}/decline-partnership/", ""): 200,
    ("GET", "/partner-certificates/{id}/", ""): 200,
}


def expected(row: Row) -> int:
    return DIFFERS.get((row.method, row.path, row.note), row.expected[OTHER_COMPANY])


@pytest.fixture
def world(rworld):
    rworld.hidden_a = make_listing(rworld.supplier_a, rworld.cert_a, name="비공개 조명", published=False)
    rworld.evaluators = make_evaluators()
    rworld.user = lambda role: rworld.partner_member
    cache.clear()
    yield rworld
    cache.clear()


@pytest.mark.parametrize("row", TABLE, ids=lambda row: row.id)
def test_partner_member_gets_the_expected_status(world, row):
    with transaction.atomic():
        if row.setup:
            row.setup(world)
        response = _call(world, "partner_member", row)
        transaction.set_rollback(True)
    assert response.status_code == expected(row), response.content[:300]


def test_a_member_of_another_partner_finds_nothing_and_cannot_answer(world):
    """A partner enterprise's member sees the records naming its own company only: another partner's
    member neither reads A's request nor answers it (404, the API never confirms it exists)."""
    other_partner = make_company("다른협력사", size="large")
    stranger = make_user(Role.SUPPLIER, other_partner, "other-partner-member")
    registry.update_application(world.supplier_a, application_id=world.draft_a.pk, product_name="새 이름")
    registry.request_partner_confirmation(world.supplier_a, application_id=world.draft_a.pk)
    client = api_client(stranger)
    assert client.get("/api/v1/partner-requests/").json()["count"] == 0
    assert client.get(f"/api/v1/partner-requests/{world.draft_a.pk}/").status_code == 404
    answer = client.post(
        f"/api/v1/partner-requests/{world.draft_a.pk}/confirm-partnership/", {}, format="json"
    )
    assert answer.status_code == 404
    assert selectors.partner_requests(stranger).count() == 0
    world.draft_a.refresh_from_db()
    assert world.draft_a.partner_confirmations.get(status="requested")


def test_the_partner_reads_an_allow_list_without_evidence_or_trail(world):
    body = api_client(world.partner_member).get(f"/api/v1/partner-requests/{world.draft_a.pk}/").json()
    assert {"documents", "audit_events", "stages", "panels", "supplement_deadline"}.isdisjoint(body)
    assert body["product_name"] == world.draft_a.product_name
    assert body["supplier"]["name"] == world.company_a.name
    assert [c["status"] for c in body["confirmations"]] == ["confirmed"]
    listed = api_client(world.partner_member).get("/api/v1/partner-certificates/").json()["results"]
    assert {row["number"] for row in listed} == {world.cert_a.number, world.cert_b.number}
