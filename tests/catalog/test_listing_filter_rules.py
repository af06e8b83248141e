"""The catalog's listing filters (catalog/filtersets.py), one test per rule, on the filterset itself."""

import pytest
from django.test import RequestFactory

from catalog.filtersets import ListingFilterSet
from catalog.models import ProductListing
from tests.worlds import ListedWorld

pytestmark = pytest.mark.django_db


def _filtered(user=None, **data) -> list[int]:
    request = RequestFactory().get("/")
    request.user = user
    filterset = ListingFilterSet(data=data, queryset=ProductListing.objects.order_by("pk"), request=request)
    assert filterset.is_valid(), filterset.errors
    return list(filterset.qs.values_list("pk", flat=True))


def test_a_region_filter_lists_each_listing_delivering_there_once():
    world = ListedWorld()
    assert _filtered(region="41") == [world.listing_a.pk]
    assert _filtered(region="26") == [world.listing_b.pk]
    assert _filtered(region="11") == [world.listing_a.pk]
    assert _filtered(region="50") == []


def test_mine_narrows_to_the_users_company_and_false_leaves_the_list_alone():
    world = ListedWorld()
    everyone = [world.listing_a.pk, world.listing_b.pk]
    assert _filtered(world.supplier_a, mine="true") == [world.listing_a.pk]
    assert _filtered(world.supplier_b, mine="true") == [world.listing_b.pk]
    assert _filtered(world.supplier_a, mine="false") == everyone
    # a user of no company has no listings of their own
    assert _filtered(world.officer, mine="true") == []
