"""The delta feed's rules, one test per rule (mutation run of catalog/feeds/delta.py): the base manifest is
read whole in listing order whatever its page size, and a delisted row says when and why it left."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog import services as catalog_services
from catalog.feeds import delta
from catalog.feeds.models import ExportedRow
from catalog.models import ProductListing
from certification import services as certification_services
from certification.models import Certificate
from tests.feeds.conftest import by_id, read_job

pytestmark = pytest.mark.django_db


def _moment(value) -> str:
    """A time as a 1.0 row spells it (chgDt): Korean time, to the second."""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def _delta(world, base, **options) -> tuple:
    job = world.export("jsonl", kind="delta", since_job=base, **options)
    return job, by_id(read_job(job))


@pytest.mark.parametrize("page", [1, 2, 3, 2000])
def test_the_base_manifest_is_read_whole_in_listing_order_whatever_its_page_size(world, monkeypatch, page):
    base = world.export()
    monkeypatch.setattr(delta, "MANIFEST_PAGE", page)
    expected = sorted(ExportedRow.objects.filter(job=base).values_list("listing_id", flat=True))
    assert len(expected) == 3
    assert [row.listing_id for row in delta.iter_manifest(base)] == expected
    # a delta over a paged manifest: nothing changed, nothing reported; one delisting, exactly it
    assert _delta(world, base)[1] == {}
    catalog_services.update_listing(world.supplier_a, listing_id=world.services.pk, published=False)
    assert list(_delta(world, base)[1]) == [world.services.pk]


def test_a_suspended_certificates_row_left_when_it_was_suspended(world):
    base = world.export()
    certification_services.suspend_certificate(
        world.reviewer, certificate_id=world.cert_goods.pk, reason="품질 점검"
    )
    _, rows = _delta(world, base)
    suspended = Certificate.objects.get(pk=world.cert_goods.pk)
    assert rows[world.goods.pk]["delist_reason"] == "suspended"
    assert rows[world.goods.pk]["chgDt"] == _moment(suspended.status_changed_at)


def test_a_recorded_expiry_left_when_it_was_recorded_not_at_the_end_of_the_day(world):
    base = world.export()
    # the nightly job records the expiry now, a moment that is not the start of the day after expires_on
    day_after = world.cert_services.expires_on + timedelta(days=1)
    certification_services.expire_due_certificates(day_after)
    _, rows = _delta(world, base, today=day_after)
    expired = Certificate.objects.get(pk=world.cert_services.pk)
    assert expired.status == "expired"
    assert rows[world.services.pk]["delist_reason"] == "expired"
    assert rows[world.services.pk]["chgDt"] == _moment(expired.status_changed_at)
    assert not rows[world.services.pk]["chgDt"].startswith(day_after.isoformat())


def test_an_unpublished_listing_left_when_it_was_last_saved(world):
    base = world.export()
    catalog_services.update_listing(world.supplier_a, listing_id=world.goods.pk, published=False)
    # unpublished hours before the delta is taken: the row says when, not when the delta ran
    earlier = timezone.now() - timedelta(hours=3)
    ProductListing.objects.filter(pk=world.goods.pk).update(updated_at=earlier)
    _, rows = _delta(world, base)
    listing = ProductListing.objects.get(pk=world.goods.pk)
    assert listing.updated_at == earlier
    assert rows[world.goods.pk]["delist_reason"] == "unpublished"
    assert rows[world.goods.pk]["chgDt"] == _moment(listing.updated_at)


def test_a_deleted_or_rejected_listing_left_when_the_delta_was_taken(world):
    base = world.export()
    catalog_services.delete_listing(world.supplier_a, listing_id=world.goods.pk)
    # rejected: broken hours ago, but the marketplace only learns of it from this delta
    ProductListing.objects.filter(pk=world.services.pk).update(
        manufacturer="", updated_at=timezone.now() - timedelta(hours=3)
    )
    job, rows = _delta(world, base)
    assert rows[world.goods.pk]["delist_reason"] == "deleted"
    assert rows[world.services.pk]["delist_reason"] == "rejected"
    assert rows[world.goods.pk]["chgDt"] == rows[world.services.pk]["chgDt"] == _moment(job.started_at)


def test_a_listing_moved_out_of_the_exports_scope_leaves_as_out_of_scope(world):
    base = world.export(filters={"supplier": [world.company_a.pk]})
    assert base.listed_count == 3
    # still listed by the visibility rule and valid, but now another supplier's (outside the filters)
    ProductListing.objects.filter(pk=world.goods.pk).update(supplier=world.company_b)
    job, rows = _delta(world, base)
    assert list(rows) == [world.goods.pk]
    assert (rows[world.goods.pk]["change_type"], rows[world.goods.pk]["delist_reason"]) == (
        "delisted",
        "out_of_scope",
    )
    assert rows[world.goods.pk]["chgDt"] == _moment(job.started_at)
    assert job.rejected_count == 0


def test_the_delisted_rows_of_a_batch_are_resolved_in_one_query(world, django_assert_num_queries):
    base = world.export()
    for certificate in (world.cert_goods, world.cert_services, world.cert_construction):
        certification_services.suspend_certificate(
            world.reviewer, certificate_id=certificate.pk, reason="품질 점검"
        )
    entries = list(ExportedRow.objects.filter(job=base))
    now = timezone.now()
    # the listings with their certificates, whatever the batch's size: not one query per row
    with django_assert_num_queries(1):
        resolved = delta.resolve_delistings(entries, timezone.localdate(), lambda listing: True, now)
    assert {reason for reason, _when in resolved.values()} == {"suspended"}
    assert set(resolved) == {world.goods.pk, world.services.pk, world.construction.pk}


def test_a_row_that_left_for_no_reason_of_its_own_left_when_the_delta_started(world):
    """Rejected, out of scope or deleted: nothing dates the departure but the delta itself, whose start
    (not the moment the row happens to be written, minutes later in a large export) is its time."""
    base = world.export()
    entries = {entry.listing_id: entry for entry in ExportedRow.objects.filter(job=base)}
    started = timezone.now() - timedelta(minutes=20)
    today = timezone.localdate()
    for in_scope, reason in ((lambda listing: True, "rejected"), (lambda listing: False, "out_of_scope")):
        resolved = delta.resolve_delistings([entries[world.goods.pk]], today, in_scope, started)
        assert resolved == {world.goods.pk: (reason, started)}
    catalog_services.delete_listing(world.supplier_a, listing_id=world.goods.pk)
    resolved = delta.resolve_delistings([entries[world.goods.pk]], today, lambda listing: True, started)
    assert resolved == {world.goods.pk: ("deleted", started)}


def test_a_delisted_row_carries_every_key_the_marketplace_was_given_for_the_product(world):
    ProductListing.objects.filter(pk=world.goods.pk).update(goods_identification_number="24681357")
    base = world.export("jsonl")
    given = by_id(read_job(base))[world.goods.pk]
    keys = ("prdctClsfcNo", "dtilPrdctClsfcNo", "prdctIdntNo", "cert_no")
    assert all(given[key] for key in keys)  # a goods row with every key filled
    catalog_services.delete_listing(world.supplier_a, listing_id=world.goods.pk)
    _, rows = _delta(world, base)
    assert {key: rows[world.goods.pk][key] for key in keys} == {key: given[key] for key in keys}
