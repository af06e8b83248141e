"""Rows that cannot be listed are left out, reported with listing id and reasons; the export succeeds."""

import json
from datetime import timedelta
from pathlib import Path

import pytest

from catalog.feeds.nara import ClassificationNames, RejectCode, build_row, validate_row
from catalog.models import ProductListing
from catalog.selectors import with_related
from certification.models import Company
from tests.feeds.conftest import by_id, read_job

pytestmark = pytest.mark.django_db


def report_of(job) -> dict:
    return json.loads(Path(job.report_file.path).read_text(encoding="utf-8"))


def codes(entry: dict) -> set[str]:
    return {reason["code"] for reason in entry["reasons"]}


# each case breaks the goods listing behind the services' back, as bad imports or old data would
CASES = {
    "missing_field": ({"manufacturer": ""}, RejectCode.MISSING, "prdctMakrNm"),
    "missing_spec": ({"specification": "  "}, RejectCode.MISSING, "prdctSpecNm"),
    "bad_code_for_sector": ({"classification_code": "81111500"}, RejectCode.BAD_CODE, "prdctClsfcNo"),
    "bad_code_format": ({"classification_code": "3911"}, RejectCode.BAD_CODE, "prdctClsfcNo"),
    "unknown_code": ({"classification_code": "39111699"}, RejectCode.UNKNOWN_CODE, "prdctClsfcNo"),
    "zero_price": ({"unit_price": 0}, RejectCode.NON_POSITIVE, "cntrctPrceAmt"),
    "zero_lead_time": ({"delivery_lead_days": 0}, RejectCode.NON_POSITIVE, "dlvrTmlmtDaynum"),
}


@pytest.mark.parametrize("case", CASES)
def test_report_catches_each_invalid_listing(world, case):
    fields, code, field = CASES[case]
    ProductListing.objects.filter(pk=world.goods.pk).update(**fields)
    job = world.export("csv")
    assert job.status == "succeeded"
    assert job.rejected_count == 1
    assert job.listed_count == job.row_count == 2
    assert world.goods.pk not in by_id(read_job(job))
    report = report_of(job)
    assert report["rejected_count"] == 1 and report["job"] == job.pk
    (entry,) = report["rejected"]
    assert entry["listing_id"] == world.goods.pk
    assert entry["cert_no"] == world.cert_goods.number
    assert code in codes(entry)
    assert any(reason["field"] == field and reason["message"] for reason in entry["reasons"])
    assert job.rejected_preview == report["rejected"]


def test_bad_business_number_is_reported(world):
    number = world.company_a.business_number
    wrong_check_digit = number[:9] + str((int(number[9]) + 1) % 10)
    Company.objects.filter(pk=world.company_a.pk).update(business_number=wrong_check_digit)
    job = world.export("jsonl")
    assert job.rejected_count == 3 and job.row_count == 0
    assert all(RejectCode.BAD_BIZNO in codes(entry) for entry in report_of(job)["rejected"])


def test_bad_partner_business_number_is_reported(world):
    Company.objects.filter(pk=world.partner.pk).update(business_number="12345")
    entry = report_of(world.export("csv"))["rejected"][0]
    assert {r["field"] for r in entry["reasons"]} == {"partner_corp_bizno"}


def test_all_reasons_of_a_row_are_reported(world):
    ProductListing.objects.filter(pk=world.goods.pk).update(manufacturer="", unit_price=0)
    (entry,) = report_of(world.export("csv"))["rejected"]
    assert codes(entry) == {RejectCode.MISSING, RejectCode.NON_POSITIVE}


def _validated(listing_id: int, today):
    listing = with_related(ProductListing.objects.filter(pk=listing_id)).get()
    return validate_row(build_row(listing, ClassificationNames()), listing, today)


def test_certificate_not_valid_at_export_time_is_a_reason(world):
    # listed_listings already leaves such rows out; the row check is the second line of defence
    expires = world.cert_goods.expires_on
    assert _validated(world.goods.pk, expires) == []
    (reason,) = _validated(world.goods.pk, expires + timedelta(days=1))
    assert (reason.field, reason.code) == ("cert_no", RejectCode.CERTIFICATE)
    (reason,) = _validated(world.goods.pk, world.cert_goods.issued_on - timedelta(days=1))
    assert reason.code == RejectCode.CERTIFICATE


def test_valid_rows_of_every_sector_pass(world):
    for listing in (world.goods, world.services, world.construction):
        assert _validated(listing.pk, world.cert_goods.issued_on) == []


def test_report_is_served_by_the_api(world):
    ProductListing.objects.filter(pk=world.goods.pk).update(unit_price=0)
    job = world.export("csv")
    response = world.client(world.admin).get(f"/api/v1/exports/{job.pk}/report/")
    assert response.status_code == 200
    body = json.loads(b"".join(response.streaming_content))
    assert body["rejected"][0]["listing_id"] == world.goods.pk


def _full_width(digits: str) -> str:
    return "".join(chr(0xFF10 + int(ch)) for ch in digits)


def _arabic_indic(digits: str) -> str:
    return "".join(chr(0x0660 + int(ch)) for ch in digits)


@pytest.mark.parametrize("spell", [_full_width, _arabic_indic])
def test_look_alike_digits_that_reached_the_database_are_rejected_by_the_feed(world, spell):
    # the feed checks stored values as they are: no normalising a number that should never have been stored
    number = world.company_a.business_number
    Company.objects.filter(pk=world.company_a.pk).update(business_number=spell(number))
    ProductListing.objects.filter(pk=world.goods.pk).update(goods_identification_number=spell("12345678"))
    reasons = _validated(world.goods.pk, world.cert_goods.issued_on)
    assert {(r.field, r.code) for r in reasons} == {
        ("cntrctCorpBizno", RejectCode.BAD_BIZNO),
        ("prdctIdntNo", RejectCode.BAD_GOODS_NUMBER),
    }


def test_look_alike_digits_in_a_stored_classification_code_are_rejected(world):
    code = ProductListing.objects.get(pk=world.goods.pk).classification_code
    ProductListing.objects.filter(pk=world.goods.pk).update(classification_code=_full_width(code))
    reasons = _validated(world.goods.pk, world.cert_goods.issued_on)
    assert RejectCode.BAD_CODE in {r.code for r in reasons}
