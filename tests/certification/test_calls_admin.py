"""Admins manage calls in the Django admin, task types inline, through the same services as the API."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from certification.calls import Call
from certification.models import AuditEvent
from tests.factories import open_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    superuser = get_user_model().objects.create_superuser("root", "root@example.com", "pw-for-tests-123")
    client.force_login(superuser)
    return client


def form(**overrides) -> dict:
    data = {
        "title": "2027년 1차 모집공고",
        "year": "2027",
        "round": "1",
        "opens_at_0": "2027-03-02",
        "opens_at_1": "09:00:00",
        "closes_at_0": "2027-03-31",
        "closes_at_1": "18:00:00",
        "sectors": '["goods"]',
        "task_types-TOTAL_FORMS": "1",
        "task_types-INITIAL_FORMS": "0",
        "task_types-0-task_type": "innovative_growth",
        "task_types-0-eligible_items": '["3911160501"]',
        "pass_score": "70",
        "criteria-TOTAL_FORMS": "0",
        "criteria-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_an_admin_adds_a_call_with_its_task_types_in_korean_time(admin_client):
    response = admin_client.post(reverse("admin:certification_call_add"), form())
    assert response.status_code == 302, response.content.decode()[-3000:]
    call = Call.objects.get(year=2027, round=1)
    assert call.opens_at.isoformat() == "2027-03-02T00:00:00+00:00"  # 09:00 in Seoul
    offered = call.task_types.get()
    assert (offered.task_type, offered.any_item, offered.eligible_items) == (
        "innovative_growth",
        False,
        ["3911160501"],
    )
    assert AuditEvent.objects.filter(action__startswith="call_", actor_name="root").exists()


def test_a_bad_task_type_is_shown_on_the_form_and_nothing_is_saved(admin_client):
    response = admin_client.post(
        reverse("admin:certification_call_add"), form(**{"task_types-0-eligible_items": '["3911"]'})
    )
    assert response.status_code == 200
    assert "10자리" in response.content.decode()
    assert not Call.objects.filter(year=2027).exists()


def test_the_call_pages_render(admin_client):
    call = open_call()
    assert admin_client.get(reverse("admin:certification_call_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:certification_call_change", args=[call.pk])).status_code == 200
