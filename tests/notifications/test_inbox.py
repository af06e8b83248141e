"""The inbox page and API: one's own notifications only (another user's is a 404), marking read, the
header's unread count, and the preferences (essential kinds cannot be turned off)."""

import pytest

from certification import services
from notifications.kinds import Kind
from notifications.models import Notification, Preference
from tests.worlds import api_client, page_client


@pytest.fixture
def inbox_world(world):
    """Two notifications for supplier A (submitted, then a supplement request), one for B."""
    application = world.draft()
    services.submit_application(world.supplier_a, application_id=application.pk)
    services.start_review(world.reviewer, application_id=application.pk)
    services.request_supplement(world.reviewer, application_id=application.pk, comment="보완")
    services.submit_application(world.supplier_b, application_id=world.draft(world.supplier_b).pk)
    world.mine = Notification.objects.filter(recipient=world.supplier_a)
    world.theirs = Notification.objects.get(recipient=world.supplier_b)
    return world


def test_the_header_counts_unread_and_the_inbox_lists_them(inbox_world):
    w = inbox_world
    client = page_client(w.supplier_a)
    page = client.get("/notifications/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<span class="badge">2</span>' in html
    for notification in w.mine:
        assert notification.subject in html
    assert w.theirs.link not in html


def test_mark_one_read_then_all(inbox_world):
    w = inbox_world
    client = page_client(w.supplier_a)
    first, _second = w.mine.order_by("id")
    assert client.post(f"/notifications/{first.pk}/read/").status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    assert '<span class="badge">1</span>' in client.get("/notifications/").content.decode()
    client.post("/notifications/read-all/")
    assert not w.mine.filter(read_at__isnull=True).exists()
    assert 'class="badge"' not in client.get("/supplier/").content.decode().split("</header>")[0]


def test_another_users_notification_is_a_404_on_the_page(inbox_world):
    w = inbox_world
    response = page_client(w.supplier_a).post(f"/notifications/{w.theirs.pk}/read/")
    assert response.status_code == 404
    w.theirs.refresh_from_db()
    assert w.theirs.read_at is None


def test_the_inbox_needs_a_sign_in(inbox_world):
    response = page_client().get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_api_lists_only_ones_own(inbox_world):
    w = inbox_world
    client = api_client(w.supplier_a)
    body = client.get("/api/v1/notifications/").json()
    assert body["count"] == 2
    assert {row["id"] for row in body["results"]} == set(w.mine.values_list("pk", flat=True))
    assert set(body["results"][0]) == {
        "id",
        "kind",
        "subject",
        "body",
        "link",
        "created_at",
        "read_at",
        "read",
    }
    assert client.get("/api/v1/notifications/", {"unread": "true"}).json()["count"] == 2


def test_the_api_answers_404_for_another_users_notification(inbox_world):
    w = inbox_world
    client = api_client(w.supplier_a)
    assert client.get(f"/api/v1/notifications/{w.theirs.pk}/").status_code == 404
    response = client.post(f"/api/v1/notifications/{w.theirs.pk}/read/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    w.theirs.refresh_from_db()
    assert w.theirs.read_at is None
    # an administrator reads no one else's inbox either
    assert api_client(w.admin).get(f"/api/v1/notifications/{w.theirs.pk}/").status_code == 404


def test_the_api_marks_read(inbox_world):
    w = inbox_world
    client = api_client(w.supplier_a)
    first = w.mine.order_by("id").first()
    body = client.post(f"/api/v1/notifications/{first.pk}/read/").json()
    assert body["read"] is True and body["read_at"]
    assert client.get("/api/v1/notifications/", {"unread": "true"}).json()["count"] == 1
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    assert client.get("/api/v1/notifications/", {"unread": "true"}).json()["count"] == 0


def test_preferences_through_the_api(world):
    client = api_client(world.supplier_a)
    body = client.get("/api/v1/notifications/preferences/").json()
    assert body["language"] == "ko" and body["muted_kinds"] == []
    assert Kind.STAGE_RESULT in body["optional_kinds"] and Kind.REJECTED not in body["optional_kinds"]
    updated = client.put(
        "/api/v1/notifications/preferences/",
        {"language": "en", "muted_kinds": [Kind.STAGE_RESULT]},
        format="json",
    )
    assert updated.status_code == 200
    assert Preference.objects.get(user=world.supplier_a).muted_kinds == [Kind.STAGE_RESULT]


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"muted_kinds": [Kind.SUPPLEMENT_REQUESTED]}, "muted_kinds", "invalid"),
        ({"muted_kinds": ["no_such_kind"]}, "muted_kinds", "invalid"),
        ({"language": "jp"}, "language", "invalid"),
    ],
)
def test_bad_preferences_are_a_400_naming_the_field(world, body, field, code):
    response = api_client(world.supplier_a).put("/api/v1/notifications/preferences/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Preference.objects.filter(user=world.supplier_a).exclude(muted_kinds=[]).exists()


def test_the_preferences_page_offers_optional_kinds_and_saves(world):
    client = page_client(world.supplier_a)
    page = client.get("/notifications/preferences/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'value="{Kind.STAGE_RESULT}"' in html
    assert f'value="{Kind.REJECTED}"' not in html  # essential: listed, not offered
    response = client.post(
        "/notifications/preferences/", {"language": "en", "emailed": [Kind.APPLICATION_RECEIVED]}
    )
    assert response.status_code == 302
    preference = Preference.objects.get(user=world.supplier_a)
    assert preference.language == "en"
    assert (
        Kind.STAGE_RESULT in preference.muted_kinds
        and Kind.APPLICATION_RECEIVED not in preference.muted_kinds
    )


def test_a_forged_essential_kind_on_the_page_is_a_form_error(world):
    response = page_client(world.supplier_a).post(
        "/notifications/preferences/", {"language": "ko", "emailed": ["approved"]}
    )
    assert response.status_code == 200  # the form again, with the error; nothing saved
    assert not Preference.objects.filter(user=world.supplier_a).exists()
