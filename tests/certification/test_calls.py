"""Calls for applications (모집공고): the submit rules of a call, checked at the moment the submit commits,
with their stable codes; the supplement deadline; the calls API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from certification import services
from certification.calls import Call
from certification.models import ApplicationStatus, AuditEvent
from tests.factories import open_call

pytestmark = pytest.mark.django_db


def submit(reg, application):
    return reg.client(reg.supplier_a).post(
        f"/api/v1/applications/{application.pk}/submit/", {}, format="json"
    )


def at(monkeypatch, moment):
    """Sets the clock every service reads (``django.utils.timezone.now``) to ``moment``."""
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_submit_before_the_close_time_goes_through_and_at_it_is_call_closed(reg, monkeypatch):
    call = open_call(closes_at=timezone.now() + timedelta(hours=1))
    first, second = reg.draft(call=call), reg.draft(call=call)

    at(monkeypatch, call.closes_at - timedelta(microseconds=1))
    assert submit(reg, first).status_code == 200
    first.refresh_from_db()
    assert first.submitted_at == call.closes_at - timedelta(microseconds=1)

    at(monkeypatch, call.closes_at)  # the close time itself is already closed
    response = submit(reg, second)
    assert response.status_code == 409
    assert response.json()["code"] == "call_closed"
    assert "마감" in response.json()["detail"] and "(the call has closed)" in response.json()["detail"]
    second.refresh_from_db()
    assert second.status == ApplicationStatus.DRAFT


def test_submit_before_the_call_opens_is_call_not_open(reg):
    call = open_call(
        opens_at=timezone.now() + timedelta(days=1), closes_at=timezone.now() + timedelta(days=9)
    )
    response = submit(reg, reg.draft(call=call))
    assert response.status_code == 409
    assert response.json()["code"] == "call_not_open"


def test_a_sector_the_call_does_not_accept_is_refused(reg):
    call = open_call(sectors=["services"], task_types=[{"task_type": "innovative_growth", "any_item": True}])
    response = submit(reg, reg.draft(call=call))  # a goods application
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "sector_not_in_call"
    assert "sector" in body["errors"]


def test_a_task_type_the_call_does_not_offer_is_refused(reg):
    call = open_call(task_types=[{"task_type": "materials_parts", "any_item": True}])
    response = submit(reg, reg.draft(call=call))  # innovative_growth
    assert response.status_code == 400
    assert response.json()["code"] == "task_type_not_in_call"
    assert "task_type" in response.json()["errors"]


def test_an_item_the_task_type_does_not_allow_is_refused_on_classification_code(reg):
    listed = {"task_type": "innovative_growth", "eligible_items": ["3911160501", "3911160502"]}
    call = open_call(task_types=[listed])
    # an 8-digit classification number is not a detailed item at all: refused before the list is asked
    for code, refusal in (("3911160599", "item_not_eligible"), ("39111605", "detailed_item_required")):
        response = submit(reg, reg.draft(call=call, classification_code=code))
        assert response.status_code == 400, code
        assert response.json()["code"] == refusal
        assert "classification_code" in response.json()["errors"]
    assert submit(reg, reg.draft(call=call, classification_code="3911160502")).status_code == 200


def test_the_rules_are_checked_at_submit_not_when_the_draft_was_made(reg):
    call = open_call()
    draft = reg.draft(call=call)
    services.update_call(reg.admin, call_id=call.pk, sectors=["services", "construction"])
    response = submit(reg, draft)
    assert response.status_code == 400
    assert response.json()["code"] == "sector_not_in_call"


# ------------------------------------------------------------------ supplement deadline
def test_a_supplement_may_be_answered_after_the_close_until_its_deadline(reg, monkeypatch):
    call = open_call(closes_at=timezone.now() + timedelta(days=1))
    application = reg.draft(call=call)
    services.submit_application(reg.supplier_a, application_id=application.pk)
    services.start_review(reg.reviewer, application_id=application.pk)
    deadline = call.closes_at + timedelta(days=10)
    response = reg.client(reg.reviewer).post(
        f"/api/v1/applications/{application.pk}/request-supplement/",
        {"comment": "시험성적서 보완", "deadline": deadline.isoformat()},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["supplement_deadline"] is not None
    application.refresh_from_db()
    assert application.supplement_deadline == deadline

    at(monkeypatch, deadline)  # after the call closed, on the deadline itself: still in time
    assert submit(reg, application).status_code == 200


def test_a_supplement_after_its_deadline_is_overdue(reg, monkeypatch):
    application = reg.under_review()
    deadline = timezone.now() + timedelta(days=3)
    services.request_supplement(
        reg.reviewer, application_id=application.pk, comment="보완", deadline=deadline
    )
    at(monkeypatch, deadline + timedelta(microseconds=1))
    response = submit(reg, application)
    assert response.status_code == 409
    assert response.json()["code"] == "supplement_overdue"


def test_a_supplement_deadline_must_be_in_the_future_and_defaults_to_two_weeks(reg):
    application = reg.under_review()
    response = reg.client(reg.reviewer).post(
        f"/api/v1/applications/{application.pk}/request-supplement/",
        {"comment": "보완", "deadline": (timezone.now() - timedelta(minutes=1)).isoformat()},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "supplement_deadline_past"
    assert "deadline" in response.json()["errors"]

    services.request_supplement(reg.reviewer, application_id=application.pk, comment="보완")
    application.refresh_from_db()
    deadline = timezone.localtime(application.supplement_deadline)
    assert deadline.date() == timezone.localdate() + timedelta(days=14)
    assert (deadline.hour, deadline.minute) == (23, 59)


# ------------------------------------------------------------------ the calls API
def call_body(**overrides) -> dict:
    now = timezone.localtime()
    body = {
        "title": "2026년 2차 상생협력제품 모집공고",
        "year": 2026,
        "round": 2,
        "opens_at": now.isoformat(),
        "closes_at": (now + timedelta(days=30)).isoformat(),
        "sectors": ["goods", "services"],
        "task_types": [
            {"task_type": "innovative_growth", "any_item": False, "eligible_items": ["3911160501"]},
            {"task_type": "materials_parts", "any_item": True},
        ],
    }
    body.update(overrides)
    return body


def test_admins_create_and_change_calls_with_an_audit_event(reg):
    response = reg.client(reg.admin).post("/api/v1/calls/", call_body(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["is_open"] is True
    assert body["opens_at"].endswith("+09:00")  # answered in Korean time
    assert {t["task_type"] for t in body["task_types"]} == {"innovative_growth", "materials_parts"}
    closes = timezone.now().isoformat()
    changed = reg.client(reg.admin).patch(
        f"/api/v1/calls/{body['id']}/", {"closes_at": closes}, format="json"
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["is_open"] is False
    assert len(changed.json()["task_types"]) == 2  # a partial update leaves the task types
    assert list(AuditEvent.objects.filter(action__startswith="call_").values_list("action", flat=True)) == [
        "call_create",
        "call_update",
    ]


@pytest.mark.parametrize("role", ["supplier_a", "reviewer", "officer"])
def test_only_admins_write_calls_and_everyone_signed_in_reads(reg, role):
    client = reg.client(getattr(reg, role))
    assert client.post("/api/v1/calls/", call_body(), format="json").status_code == 403
    open_call()
    assert client.get("/api/v1/calls/").status_code == 200
    assert reg.client().get("/api/v1/calls/").status_code in (401, 403)


def test_open_calls_are_filterable(reg):
    now = timezone.now()
    current = open_call()
    closed = open_call(opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=1))
    listed = reg.client(reg.supplier_a).get("/api/v1/calls/?open=true").json()["results"]
    assert [c["id"] for c in listed] == [current.pk]
    listed = reg.client(reg.supplier_a).get("/api/v1/calls/?open=false").json()["results"]
    assert [c["id"] for c in listed] == [closed.pk]


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"closes_at": "2020-01-01T00:00:00+09:00"}, "closes_at"),
        # Korean time in the year 110 carried a +08:27:52 offset, which is no RFC 3339 date-time
        ({"opens_at": "0110-07-04T19:18:36-01:21"}, "opens_at"),
        (
            {"task_types": [{"task_type": "innovative_growth", "any_item": False, "eligible_items": []}]},
            "eligible_items",
        ),
        (
            {
                "task_types": [
                    {"task_type": "innovative_growth", "any_item": True, "eligible_items": ["3911160501"]}
                ]
            },
            "eligible_items",
        ),
        ({"task_types": [{"task_type": "innovative_growth", "eligible_items": ["39111605"]}]}, "task_types"),
        (
            {
                "sectors": ["construction"],
                "task_types": [{"task_type": "innovative_growth", "any_item": True}],
            },
            "task_type",
        ),
        ({"sectors": []}, "sectors"),
    ],
)
def test_bad_calls_are_400_and_nothing_is_written(reg, overrides, field):
    response = reg.client(reg.admin).post("/api/v1/calls/", call_body(**overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert not Call.objects.filter(year=2026, round=2).exists()


def test_a_round_is_unique_per_year(reg):
    assert reg.client(reg.admin).post("/api/v1/calls/", call_body(), format="json").status_code == 201
    again = reg.client(reg.admin).post("/api/v1/calls/", call_body(), format="json")
    assert again.status_code == 400
