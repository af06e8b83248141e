"""The public status event feed: every status change once, oldest first, paged by an opaque cursor that
holds even when events share a timestamp; never the person who acted; JSON and Atom."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from certification import services
from certification.api import public as public_api
from tests.certification.conftest import renewed

EVENTS = "/api/v1/public/certificate-events/"
ATOM = "/feeds/certificates.atom"
ATOM_NS = {"a": "http://www.w3.org/2005/Atom"}
EVENT_FIELDS = {
    "id",
    "kind",
    "kind_label",
    "effective_at",
    "from_status",
    "to_status",
    "reason",
    "suspended_until",
    "renewed_as",
    "renewal_of",
    "certificate",
}
EVENT_CERTIFICATE_FIELDS = {
    "number",
    "valid_from",
    "valid_until",
    "sector",
    "item_number",
    "product_name",
    "supplier",
    "partner",
    "verification_url",
}


@pytest.fixture(autouse=True)
def _no_settling(settings):
    settings.CERTIFICATE_EVENTS_SETTLE_SECONDS = 0


def all_events(client, **params) -> tuple[list[dict], str]:
    """Pages through the feed; returns the events and the last cursor."""
    seen: list[dict] = []
    response = client.get(EVENTS, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        seen += body["results"]
        if not body["has_more"]:
            return seen, body["next_cursor"]
        response = client.get(EVENTS, {**params, "since": body["next_cursor"]})


def test_serializers_declare_exactly_the_allow_list():
    assert set(public_api.StatusEventSerializer().fields) == EVENT_FIELDS
    assert set(public_api.EventCertificateSerializer().fields) == EVENT_CERTIFICATE_FIELDS
    assert set(public_api.EventPageSerializer().fields) == {"results", "next_cursor", "has_more"}


def test_every_change_appears_once_in_order_without_the_actor(reg):
    certificate = reg.certificate()
    services.suspend_certificate(reg.reviewer, certificate_id=certificate.pk, reason="현장 점검")
    services.reinstate_certificate(reg.reviewer, certificate_id=certificate.pk, reason="점검 완료")
    services.revoke_certificate(reg.reviewer, certificate_id=certificate.pk, reason="부정 취득")
    response = reg.client(None).get(EVENTS)
    assert response.status_code == 200
    assert "reviewer" not in response.content.decode()  # the actor's user name
    body = response.json()
    assert body["has_more"] is False
    kinds = [(e["kind"], e["from_status"], e["to_status"], e["reason"]) for e in body["results"]]
    assert kinds == [
        ("issued", "", "active", certificate.number),
        ("suspended", "active", "suspended", "현장 점검"),
        ("reinstated", "suspended", "active", "점검 완료"),
        ("revoked", "active", "revoked", "부정 취득"),
    ]
    first = body["results"][0]
    assert set(first) == EVENT_FIELDS and set(first["certificate"]) == EVENT_CERTIFICATE_FIELDS
    assert first["certificate"]["number"] == certificate.number
    assert first["certificate"]["supplier"]["name"] == "가나조명㈜"
    assert first["certificate"]["verification_url"].endswith(f"/verify/{certificate.number}/")


def test_paging_by_cursor_skips_and_repeats_nothing_when_timestamps_are_equal(reg, monkeypatch):
    """Five certificates suspended at the same instant: one event a page still yields each exactly once."""
    certificates = [reg.certificate() for _ in range(5)]
    same = timezone.now() - timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: same)
    for certificate in certificates:
        services.suspend_certificate(reg.reviewer, certificate_id=certificate.pk, reason="일제 점검")
    monkeypatch.undo()
    client = reg.client(None)
    paged, cursor = all_events(client, limit=1)
    whole = client.get(EVENTS, {"limit": 500}).json()["results"]
    assert len(paged) == 10
    assert [e["id"] for e in paged] == [e["id"] for e in whole]
    suspensions = [e for e in paged if e["kind"] == "suspended"]
    assert len({e["effective_at"] for e in suspensions}) == 1
    assert [e["certificate"]["number"] for e in suspensions] == [c.number for c in certificates]
    # nothing new: the same cursor comes back, and the next change is picked up from it
    empty = client.get(EVENTS, {"since": cursor}).json()
    assert empty == {"results": [], "next_cursor": cursor, "has_more": False}
    services.revoke_certificate(reg.reviewer, certificate_id=certificates[0].pk, reason="취소")
    later = client.get(EVENTS, {"since": cursor}).json()["results"]
    assert [(e["kind"], e["certificate"]["number"]) for e in later] == [("revoked", certificates[0].number)]


def test_since_date_starts_at_the_beginning_of_that_day(reg, monkeypatch):
    old = reg.certificate()
    ten_days = timezone.now() + timedelta(days=10)
    monkeypatch.setattr(timezone, "now", lambda: ten_days)
    services.suspend_certificate(reg.reviewer, certificate_id=old.pk, reason="점검")
    monkeypatch.setattr(timezone, "now", lambda: ten_days + timedelta(seconds=1))
    day = timezone.localdate().isoformat()  # ten days on
    results = reg.client(None).get(EVENTS, {"since_date": day}).json()["results"]
    assert [e["kind"] for e in results] == ["suspended"]


def test_an_event_shows_once_it_has_settled(reg, settings, monkeypatch):
    settings.CERTIFICATE_EVENTS_SETTLE_SECONDS = 30
    reg.certificate()
    client = reg.client(None)
    assert client.get(EVENTS).json()["results"] == []
    later = timezone.now() + timedelta(seconds=31)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert [e["kind"] for e in client.get(EVENTS).json()["results"]] == ["issued"]


def test_a_renewal_is_published_as_renewed_with_the_new_number(reg):
    old = reg.certificate()
    new = renewed(reg, old)
    results = reg.client(None).get(EVENTS).json()["results"]
    by_kind = {(e["kind"], e["certificate"]["number"]): e for e in results}
    assert by_kind[("renewed", old.number)]["renewed_as"] == new.number
    assert by_kind[("issued", new.number)]["renewal_of"] == old.number
    assert by_kind[("issued", old.number)]["renewal_of"] is None


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"since": "not-a-cursor"}, "since", "invalid_cursor"),
        ({"since": "!!!"}, "since", "invalid_cursor"),
        ({"since": "OTk5OTk5OTk5OTk5OTk5OTk5OS4x"}, "since", "invalid_cursor"),  # year > 9999
        ({"since": "MS45MjIzMzcyMDM2ODU0Nzc1ODA4"}, "since", "invalid_cursor"),  # an id beyond 64 bits
        ({"since_date": "2026-02-30"}, "since_date", "invalid_date"),
        ({"since_date": "1900-01-01"}, "since_date", "invalid_date"),
        ({"since": "MC4w", "since_date": "2026-01-01"}, "since_date", "invalid_cursor"),
        ({"limit": "0"}, "limit", "invalid_limit"),
        ({"limit": "501"}, "limit", "invalid_limit"),
        ({"limit": "ten"}, "limit", "invalid_limit"),
    ],
)
def test_bad_input_is_a_400_on_the_field(reg, params, field, code):
    response = reg.client(None).get(EVENTS, params)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code
    assert field in response.json()["errors"]


def test_atom_feed_lists_the_newest_events_first(reg):
    certificate = reg.certificate()
    services.revoke_certificate(reg.reviewer, certificate_id=certificate.pk, reason="부정 취득")
    response = reg.client(None).get(ATOM)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert b"reviewer" not in response.content
    feed = ET.fromstring(response.content)
    entries = feed.findall("a:entry", ATOM_NS)
    assert [e.find("a:category", ATOM_NS).get("term") for e in entries] == ["revoked", "issued"]
    newest = entries[0]
    assert certificate.number in newest.find("a:title", ATOM_NS).text
    assert newest.find("a:link", ATOM_NS).get("href").endswith(f"/verify/{certificate.number}/")
    assert "부정 취득" in newest.find("a:summary", ATOM_NS).text
    assert newest.find("a:id", ATOM_NS).text.startswith("urn:sangsaeng:certificate-event:")


def test_atom_since_date_and_its_bad_input(reg):
    reg.certificate()
    client = reg.client(None)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    feed = ET.fromstring(client.get(ATOM, {"since_date": tomorrow}).content)
    assert feed.findall("a:entry", ATOM_NS) == []
    bad = client.get(ATOM, {"since_date": "soon"})
    assert bad.status_code == 400
    assert bad.json()["errors"] == {"since_date": [bad.json()["errors"]["since_date"][0]]}
    assert bad.json()["code"] == "invalid_date"
