"""Delta feeds are exact: added / changed / delisted with the reason, against a base job's manifest."""

import hashlib
import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog import services as catalog_services
from catalog.feeds import services
from catalog.feeds.models import ExportedRow, ExportJob
from catalog.feeds.nara import COLUMNS, ClassificationNames, build_row, row_hash
from catalog.models import ProductListing
from catalog.selectors import with_related
from certification import services as certification_services
from certification.models import Certificate
from tests.factories import make_listing
from tests.feeds.conftest import by_id, read_job

pytestmark = pytest.mark.django_db


def delta_rows(world, base, export_format="jsonl", **options) -> tuple[ExportJob, dict[int, dict]]:
    job = world.export(export_format, kind="delta", since_job=base, **options)
    return job, by_id(read_job(job))


def test_unchanged_catalog_gives_an_empty_delta(world):
    base = world.export()
    # a save that changes nothing the feed shows is not a change, though updated_at moved
    catalog_services.update_listing(world.supplier_a, listing_id=world.goods.pk, keywords="LED,조명,절전")
    job, rows = delta_rows(world, base)
    assert rows == {}
    assert (job.row_count, job.unchanged_count, job.listed_count) == (0, 3, 3)
    assert job.base_job == base


def test_edits_price_changes_and_new_listings(world):
    base = world.export()
    catalog_services.update_listing(world.supplier_a, listing_id=world.goods.pk, name="LED 평판조명 2세대")
    catalog_services.update_listing(world.supplier_a, listing_id=world.services.pk, unit_price=3_300_000)
    catalog_services.update_listing(
        world.supplier_a, listing_id=world.construction.pk, delivery_regions=["11", "26"]
    )
    new = make_listing(world.supplier_a, world.cert_goods, specification="LED-PL-1200, 50W")
    job, rows = delta_rows(world, base)
    assert {pk: row["change_type"] for pk, row in rows.items()} == {
        world.goods.pk: "changed",
        world.services.pk: "changed",
        world.construction.pk: "changed",
        new.pk: "added",
    }
    assert rows[world.goods.pk]["prdct_nm"] == "LED 평판조명 2세대"
    assert rows[world.services.pk]["cntrctPrceAmt"] == 3_300_000
    assert rows[world.construction.pk]["dlvr_regions"] == "서울특별시;부산광역시"
    assert rows[new.pk]["prdctSpecNm"] == "LED-PL-1200, 50W"
    assert (job.added_count, job.changed_count, job.delisted_count, job.unchanged_count) == (1, 3, 0, 0)
    assert all(row["delist_reason"] == "" for row in rows.values())


def test_supplier_rename_changes_all_its_rows(world):
    base = world.export()
    certification_services.update_company(
        world.admin, company_id=world.company_a.pk, name="가나조명 주식회사"
    )
    _, rows = delta_rows(world, base)
    assert {row["change_type"] for row in rows.values()} == {"changed"}
    assert {row["cntrctCorpNm"] for row in rows.values()} == {"가나조명 주식회사"}
    assert len(rows) == 3


def _revoke(world):
    certification_services.revoke_certificate(
        world.reviewer, certificate_id=world.cert_goods.pk, reason="허위 인증"
    )


def _suspend(world):
    certification_services.suspend_certificate(
        world.reviewer, certificate_id=world.cert_goods.pk, reason="품질 점검"
    )


def _unpublish(world):
    catalog_services.update_listing(world.supplier_a, listing_id=world.goods.pk, published=False)


def _delete(world):
    catalog_services.delete_listing(world.supplier_a, listing_id=world.goods.pk)


def _break(world):
    ProductListing.objects.filter(pk=world.goods.pk).update(manufacturer="")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (_revoke, "revoked"),
        (_suspend, "suspended"),
        (_unpublish, "unpublished"),
        (_delete, "deleted"),
        (_break, "rejected"),
    ],
)
def test_delisted_with_reason(world, change, reason):
    base = world.export()
    change(world)
    job, rows = delta_rows(world, base)
    assert list(rows) == [world.goods.pk]
    row = rows[world.goods.pk]
    assert (row["change_type"], row["delist_reason"]) == ("delisted", reason)
    # the marketplace finds the product by the keys it was given
    assert row["cert_no"] == world.cert_goods.number
    assert row["prdctClsfcNo"] == "39111605"
    assert row["cntrctPrceAmt"] is None and row["prdct_nm"] == ""
    assert (job.delisted_count, job.unchanged_count, job.listed_count) == (1, 2, 2)
    assert job.rejected_count == (1 if reason == "rejected" else 0)


def test_revocation_time_is_the_change_time(world):
    base = world.export()
    _revoke(world)
    _, rows = delta_rows(world, base)
    certificate = Certificate.objects.get(pk=world.cert_goods.pk)
    expected = timezone.localtime(certificate.status_changed_at).replace(microsecond=0)
    assert rows[world.goods.pk]["chgDt"] == expected.isoformat()


def test_expiry_by_date_without_any_write(world):
    base = world.export()
    day_after = world.cert_goods.expires_on + timedelta(days=1)
    job, rows = delta_rows(world, base, today=day_after)
    # nothing ran expire_due_certificates: the certificates are still 'active' in the database
    assert set(Certificate.objects.values_list("status", flat=True)) == {"active"}
    assert {pk: (r["change_type"], r["delist_reason"]) for pk, r in rows.items()} == {
        pk: ("delisted", "expired") for pk in (world.goods.pk, world.services.pk, world.construction.pk)
    }
    assert rows[world.goods.pk]["chgDt"].startswith(day_after.isoformat() + "T00:00:00")
    assert (job.delisted_count, job.listed_count) == (3, 0)


def test_expiry_recorded_by_the_job_runner(world):
    base = world.export()
    day_after = world.cert_goods.expires_on + timedelta(days=1)
    certification_services.expire_due_certificates(day_after)
    _, rows = delta_rows(world, base, today=day_after)
    assert {r["delist_reason"] for r in rows.values()} == {"expired"}


def test_chained_deltas_stay_exact(world):
    full = world.export()
    _suspend(world)
    first, rows = delta_rows(world, full)
    assert rows[world.goods.pk]["delist_reason"] == "suspended"
    # the delta recorded the whole listed state, so the next one compares against it
    assert set(ExportedRow.objects.filter(job=first).values_list("listing_id", flat=True)) == {
        world.services.pk,
        world.construction.pk,
    }
    second, rows = delta_rows(world, first)
    assert rows == {} and second.row_count == 0
    certification_services.reinstate_certificate(
        world.reviewer, certificate_id=world.cert_goods.pk, reason="점검 완료"
    )
    catalog_services.update_listing(world.supplier_a, listing_id=world.services.pk, delivery_lead_days=21)
    _, rows = delta_rows(world, second)
    assert {pk: row["change_type"] for pk, row in rows.items()} == {
        world.goods.pk: "added",
        world.services.pk: "changed",
    }
    assert rows[world.services.pk]["dlvrTmlmtDaynum"] == 21


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_delta_in_other_formats(world, export_format):
    base = world.export()
    _revoke(world)
    catalog_services.update_listing(world.supplier_a, listing_id=world.services.pk, unit_price=2_900_000)
    _, rows = delta_rows(world, base, export_format)
    goods, service = rows[world.goods.pk], rows[world.services.pk]
    assert (goods["change_type"], goods["delist_reason"]) == ("delisted", "revoked")
    assert service["change_type"] == "changed"
    assert str(service["cntrctPrceAmt"]) == "2900000"


def test_since_timestamp_uses_the_last_export_before_it(world):
    base = world.export()
    moment = timezone.now()
    _revoke(world)
    job = world.export("csv", kind="delta", since=moment)
    assert job.base_job == base and job.since == moment
    assert job.delisted_count == 1
    with pytest.raises(ValidationError) as error:
        services.run_export(
            world.admin, export_format="csv", kind="delta", since=base.started_at - timedelta(1)
        )
    assert "since" in error.value.message_dict


def test_delta_keeps_the_base_filters(world):
    base = world.export(filters={"sector": ["goods"]})
    assert base.listed_count == 1
    make_listing(world.supplier_a, world.cert_services)  # outside the base's scope
    job, rows = delta_rows(world, base)
    assert job.filters == {"sector": ["goods"]} and rows == {}
    with pytest.raises(ValidationError):
        services.run_export(
            world.admin, export_format="csv", kind="delta", since_job=base, filters={"sector": ["services"]}
        )


def test_delta_needs_a_successful_base(world):
    failed = ExportJob.objects.create(
        started_at=timezone.now(),
        as_of=timezone.localdate(),
        format="csv",
        feed_version="1.0",
        status="failed",
    )
    for options in ({"since_job": failed.pk}, {"since_job": 999999}, {}):
        with pytest.raises(ValidationError):
            services.run_export(world.admin, export_format="csv", kind="delta", **options)
    with pytest.raises(ValidationError):
        services.run_export(world.admin, export_format="csv", kind="full", since_job=failed.pk)


def test_row_hash_keeps_the_spelling_stored_manifests_were_hashed_with(world):
    """Manifests of earlier jobs hold hashes of json.dumps(content values, ensure_ascii=False,
    default=str): any other spelling would report every row of the next delta as changed."""
    listing = with_related(ProductListing.objects.filter(pk=world.goods.pk)).get()
    row = build_row(listing, ClassificationNames())
    values = [row[column.key] for column in COLUMNS if column.content]
    payload = json.dumps(values, ensure_ascii=False, default=str)
    assert row_hash(row) == hashlib.blake2b(payload.encode("utf-8"), digest_size=16).hexdigest()
