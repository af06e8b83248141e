"""The officers' API: an officer's own shortlists and saved searches, clear JSON errors beyond the bounds,
another officer's records a 404."""

from certification import services as registry
from officers.models import SavedSearch, Shortlist
from officers.selectors import SHARED_ITEM_FIELDS

V1 = "/api/v1"


def test_shortlist_journey_over_json(world):
    api = world.api(world.officer)
    created = api.post(f"{V1}/shortlists/", {"name": "조명 검토"}, format="json")
    assert created.status_code == 201, created.data
    shortlist_id = created.data["id"]
    added = api.post(
        f"{V1}/shortlists/{shortlist_id}/items/",
        {"listing": world.listing_a.pk, "note": "후보"},
        format="json",
    )
    assert added.status_code == 201
    [item] = added.data["items"]
    assert item["listing_id"] == world.listing_a.pk and item["listed"] is True and item["note"] == "후보"
    # the allow-list, and the item's own id for editing it
    assert set(item) == {"id", *SHARED_ITEM_FIELDS}
    patched = api.patch(f"{V1}/shortlist-items/{item['id']}/", {"note": "최종 후보"}, format="json")
    assert patched.status_code == 200 and patched.data["note"] == "최종 후보"

    shared = api.post(f"{V1}/shortlists/{shortlist_id}/share/", {}, format="json")
    assert shared.status_code == 200 and "/shared/shortlists/" in shared.data["share_url"]
    path = shared.data["share_url"].split("testserver", 1)[1]
    assert world.pages().get(path).status_code == 200
    revoked = api.post(f"{V1}/shortlists/{shortlist_id}/revoke-share/", {}, format="json")
    assert revoked.data["share_url"] is None and world.pages().get(path).status_code == 404

    registry.revoke_certificate(world.reviewer, certificate_id=world.cert_a.pk, reason="허위 서류")
    [item] = api.get(f"{V1}/shortlists/{shortlist_id}/").data["items"]
    assert item["listed"] is False and item["reason"] == "revoked" and item["unit_price"] is None

    renamed = api.patch(f"{V1}/shortlists/{shortlist_id}/", {"name": "지난 검토"}, format="json")
    assert renamed.status_code == 200 and renamed.data["name"] == "지난 검토"
    assert api.delete(f"{V1}/shortlist-items/{item['id']}/").status_code == 204
    assert api.delete(f"{V1}/shortlists/{shortlist_id}/").status_code == 204
    assert not Shortlist.objects.exists()


def test_refusals_are_clear_json_errors(world, settings):
    api = world.api(world.officer)
    shortlist_id = api.post(f"{V1}/shortlists/", {"name": "하나"}, format="json").data["id"]
    duplicate = api.post(f"{V1}/shortlists/", {"name": " 하나 "}, format="json")
    assert duplicate.status_code == 400 and duplicate.data["code"] == "duplicate_name"
    assert "name" in duplicate.data["errors"]
    unknown = api.post(f"{V1}/shortlists/", {"name": "둘", "owner": 1}, format="json")
    assert unknown.status_code == 400 and "owner" in unknown.data["errors"]
    settings.OFFICER_SHORTLISTS_MAX = 1
    full = api.post(f"{V1}/shortlists/", {"name": "둘"}, format="json")
    assert full.status_code == 400 and full.data["code"] == "too_many_lists"
    # an unpublished product is not in the catalog: it cannot be added (and is not confirmed to exist)
    from tests.factories import make_listing

    hidden = make_listing(world.supplier_a, world.cert_a, name="비공개", published=False)
    refused = api.post(f"{V1}/shortlists/{shortlist_id}/items/", {"listing": hidden.pk}, format="json")
    assert refused.status_code == 400 and refused.data["code"] == "not_listed"
    missing = api.post(f"{V1}/shortlists/{shortlist_id}/items/", {"listing": 99_999_999}, format="json")
    assert missing.status_code == 400 and missing.data["code"] == "not_listed"
    settings.OFFICER_SHORTLIST_ITEMS_MAX = 1
    api.post(f"{V1}/shortlists/{shortlist_id}/items/", {"listing": world.listing_a.pk}, format="json")
    again = api.post(f"{V1}/shortlists/{shortlist_id}/items/", {"listing": world.listing_a.pk}, format="json")
    assert again.status_code == 400 and again.data["code"] == "already_on_list"
    over = api.post(f"{V1}/shortlists/{shortlist_id}/items/", {"listing": world.listing_b.pk}, format="json")
    assert over.status_code == 400 and over.data["code"] == "list_full"
    long_note = api.post(
        f"{V1}/shortlists/{shortlist_id}/items/",
        {"listing": world.listing_b.pk, "note": "가" * 1001},
        format="json",
    )
    assert long_note.status_code == 400 and "note" in long_note.data["errors"]
    assert api.get(f"{V1}/shortlists/{'9' * 25}/").status_code == 404


def test_another_officers_records_are_not_found(world):
    mine = world.api(world.officer)
    shortlist_id = mine.post(f"{V1}/shortlists/", {"name": "내 목록"}, format="json").data["id"]
    item_id = mine.post(
        f"{V1}/shortlists/{shortlist_id}/items/", {"listing": world.listing_a.pk}, format="json"
    ).data["items"][0]["id"]
    saved_id = mine.post(f"{V1}/saved-searches/", {"name": "LED"}, format="json").data["id"]
    for user in (world.other_officer, world.admin):
        other = world.api(user)
        assert other.get(f"{V1}/shortlists/").data["results"] == []
        assert other.get(f"{V1}/shortlists/{shortlist_id}/").status_code == 404
        assert (
            other.patch(f"{V1}/shortlists/{shortlist_id}/", {"name": "x"}, format="json").status_code == 404
        )
        assert other.post(f"{V1}/shortlists/{shortlist_id}/share/", {}, format="json").status_code == 404
        assert (
            other.post(
                f"{V1}/shortlists/{shortlist_id}/items/", {"listing": world.listing_b.pk}, format="json"
            ).status_code
            == 404
        )
        assert other.delete(f"{V1}/shortlist-items/{item_id}/").status_code == 404
        assert other.get(f"{V1}/saved-searches/{saved_id}/").status_code == 404
        assert other.delete(f"{V1}/saved-searches/{saved_id}/").status_code == 404
    for user in (world.supplier_a, world.reviewer, None):
        assert world.api(user).get(f"{V1}/shortlists/").status_code == 403
        assert world.api(user).post(f"{V1}/saved-searches/", {"name": "x"}, format="json").status_code == 403
    assert Shortlist.objects.get().items.count() == 1 and SavedSearch.objects.count() == 1


def test_saved_search_over_json_runs_through_the_search_api(world, settings):
    api = world.api(world.officer)
    created = api.post(
        f"{V1}/saved-searches/",
        {"name": "서울 LED", "alert": True, "query": {"q": "LED", "region": "11", "expiring_soon": False}},
        format="json",
    )
    assert created.status_code == 201, created.data
    body = created.data
    assert body["text"] == "LED" and body["filters"] == {"region": "11", "expiring_soon": False}
    assert body["alert"] is True and body["last_checked_at"] is not None
    assert body["page_url"] == "/search/?q=LED&region=11"
    results = api.get(body["api_url"])
    assert results.status_code == 200 and [hit["id"] for hit in results.data["results"]] == [
        world.listing_a.pk
    ]
    assert world.pages(world.officer).get(body["page_url"]).status_code == 200
    bad = api.post(f"{V1}/saved-searches/", {"name": "잘못", "query": {"region": "99"}}, format="json")
    assert bad.status_code == 400
    settings.OFFICER_SAVED_SEARCHES_MAX = 1
    over = api.post(f"{V1}/saved-searches/", {"name": "둘째"}, format="json")
    assert over.status_code == 400 and over.data["code"] == "too_many_saved_searches"
    off = api.patch(
        f"{V1}/saved-searches/{body['id']}/", {"alert": False, "name": "서울 조명"}, format="json"
    )
    assert off.status_code == 200 and off.data["alert"] is False and off.data["name"] == "서울 조명"
    assert api.delete(f"{V1}/saved-searches/{body['id']}/").status_code == 204
