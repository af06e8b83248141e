"""Every change to a listing leaves an audit entry with each changed value before and after, written in
the change's own transaction (a refused change leaves none), and the trail outlives the listing."""

import io

import pytest

from catalog import services
from catalog.models import ListingChange, ProductListing
from tests.images import png
from tests.worlds import ListedWorld, api_client

URL = "/api/v1/listings/"


@pytest.fixture
def world(db):
    return ListedWorld()


def trail(listing_id: int) -> list[ListingChange]:
    return list(ListingChange.objects.filter(listing_id=listing_id).order_by("id"))


def latest(listing_id: int) -> ListingChange:
    return trail(listing_id)[-1]


def test_creating_a_listing_records_every_value(world):
    (entry,) = trail(world.listing_a.pk)
    assert entry.action == ListingChange.Action.CREATED
    assert entry.actor == world.supplier_a and entry.actor_name == world.supplier_a.get_username()
    assert entry.changes["name"] == [None, world.listing_a.name]
    assert entry.changes["unit_price"] == [None, world.listing_a.unit_price]
    regions = sorted(world.listing_a.delivery_regions.values_list("code", flat=True))
    assert entry.changes["delivery_regions"] == [None, regions]


def test_name_specification_and_publication_edits_are_audited_with_before_and_after(world):
    listing = world.listing_a
    response = api_client(world.supplier_a).patch(
        f"{URL}{listing.pk}/",
        {"name": "새 이름", "specification": "600x600 40W", "published": False},
        format="json",
    )
    assert response.status_code == 200, response.json()
    entry = latest(listing.pk)
    assert entry.action == ListingChange.Action.UPDATED
    assert entry.actor == world.supplier_a
    assert entry.changes == {
        "name": [listing.name, "새 이름"],
        "published": [True, False],
        "specification": [listing.specification, "600x600 40W"],
    }


def test_regions_and_price_are_audited(world):
    listing = world.listing_a
    regions = sorted(listing.delivery_regions.values_list("code", flat=True))
    services.update_listing(
        world.admin, listing_id=listing.pk, delivery_regions=["26"], unit_price=listing.unit_price + 1
    )
    assert latest(listing.pk).changes == {
        "delivery_regions": [regions, ["26"]],
        "unit_price": [listing.unit_price, listing.unit_price + 1],
    }
    assert latest(listing.pk).actor == world.admin


def test_image_set_and_removed_are_audited(world, media_in_tmp):
    listing = world.listing_a
    client = api_client(world.supplier_a)
    upload = io.BytesIO(png())
    upload.name = "photo.png"
    assert client.patch(f"{URL}{listing.pk}/", {"image": upload}, format="multipart").status_code == 200
    stored = ProductListing.objects.get(pk=listing.pk).image.name
    assert stored and latest(listing.pk).changes == {"image": ["", stored]}
    services.update_listing(world.supplier_a, listing_id=listing.pk, remove_image=True)
    assert latest(listing.pk).changes == {"image": [stored, ""]}


def test_a_save_that_changes_nothing_and_a_refused_change_leave_no_entry(world):
    listing = world.listing_a
    before = len(trail(listing.pk))
    services.update_listing(world.supplier_a, listing_id=listing.pk, name=listing.name)
    response = api_client(world.supplier_a).patch(f"{URL}{listing.pk}/", {"unit_price": 0}, format="json")
    assert response.status_code == 400
    assert len(trail(listing.pk)) == before


def test_the_goods_identification_number_is_audited(world):
    listing = world.listing_a
    url = f"{URL}{listing.pk}/identification-number/"
    response = api_client(world.admin).post(url, {"goods_identification_number": "24012345"}, format="json")
    assert response.status_code == 200
    entry = latest(listing.pk)
    assert entry.action == ListingChange.Action.IDENTIFICATION_NUMBER
    assert entry.changes == {"goods_identification_number": [None, "24012345"]}


def test_a_deleted_listing_keeps_its_trail_ending_in_the_deletion(world):
    listing = world.listing_a
    assert api_client(world.supplier_a).delete(f"{URL}{listing.pk}/").status_code == 204
    assert not ProductListing.objects.filter(pk=listing.pk).exists()
    actions = [entry.action for entry in trail(listing.pk)]
    assert actions == [ListingChange.Action.CREATED, ListingChange.Action.DELETED]
    assert latest(listing.pk).changes["name"] == [listing.name, None]


def test_the_trail_is_append_only(world):
    entry = latest(world.listing_a.pk)
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        ListingChange.objects.filter(pk=entry.pk).update(action="x")


def test_the_admin_shows_the_trail_read_only(world):
    from django.contrib.auth import get_user_model

    from tests.worlds import page_client

    services.update_listing(world.admin, listing_id=world.listing_a.pk, specification="새 규격")
    root = get_user_model().objects.create_superuser("root", "root@example.com", "pw-1234-x")
    page = page_client(root).get(f"/admin/catalog/productlisting/{world.listing_a.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "새 규격" in text and "updated" in text and "created" in text
