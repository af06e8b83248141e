"""Choosing the feed version: per job (API, page, command), recorded and stated; deltas compare like with
like; the 업종 table; 2.0's validators in the report, the upload's dry run and the per-listing readiness."""

import hashlib
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from catalog import services as catalog_services
from catalog.feeds import nara2, pps, services
from catalog.feeds.models import ExportJob
from catalog.generator import FAMILIES
from catalog.models import ProductListing
from catalog.reference import industry_code_for, industry_codes
from catalog.selectors import with_related
from catalog.uploads.readiness import nara_readiness
from certification.codes import CONSTRUCTION_WORK_TYPES
from tests.factories import make_listing
from tests.worlds import page_client

from .conftest import by_id, read_csv

URL = "/api/v1/exports/"


# ------------------------------------------------------------------ choosing the version
def test_new_jobs_default_to_2_0_and_1_0_stays_available(world):
    job = services.run_export(world.admin, export_format="csv")
    assert job.feed_version == "2.0"
    report = json.loads(Path(job.report_file.path).read_text(encoding="utf-8"))
    assert report["feed_version"] == "2.0"
    # the recorded checksum is that of the stored 2.0 file; its manifest holds every row it listed
    assert hashlib.sha256(Path(job.file.path).read_bytes()).hexdigest() == job.sha256
    assert job.exported_rows.count() == job.listed_count == 3
    old = services.run_export(world.admin, export_format="csv", feed_version="1.0")
    assert old.feed_version == "1.0" and "-v1.0-" in old.file.name
    assert {row["feed_version"] for row in read_csv(Path(old.file.path))} == {"1.0"}


def test_api_chooses_the_version(world):
    client = world.client(world.admin)
    default = client.post(URL, {"format": "jsonl"}, format="json")
    assert default.status_code == 202 and default.json()["feed_version"] == "2.0"
    chosen = client.post(URL, {"format": "csv", "feed_version": "1.0"}, format="json")
    assert chosen.status_code == 202 and chosen.json()["feed_version"] == "1.0"
    bad = client.post(URL, {"format": "csv", "feed_version": "3.0"}, format="json")
    assert bad.status_code == 400 and "feed_version" in bad.json()["errors"]


def test_page_chooses_the_version(world):
    client = page_client(world.admin)
    response = client.post("/exports/", {"export_format": "csv", "kind": "full", "feed_version": "1.0"})
    assert response.status_code == 302
    assert ExportJob.objects.get().feed_version == "1.0"
    page = client.get("/exports/").content.decode()
    assert 'name="feed_version"' in page and "2.0" in page


def test_command_chooses_the_version(world, capsys):
    call_command("export_nara", "--format", "csv", "--feed-version", "1.0", "--no-progress")
    assert "feed_version 1.0" in capsys.readouterr().out
    call_command("export_nara", "--format", "csv", "--no-progress")
    assert "feed_version 2.0" in capsys.readouterr().out


# ------------------------------------------------------------------ deltas across versions
def test_a_delta_takes_its_base_jobs_version(world):
    base = world.export("csv", feed_version="1.0")
    delta = world.export("csv", kind="delta", since_job=base)
    assert delta.feed_version == "1.0"


def test_a_delta_in_another_version_than_its_base_is_refused(world):
    base = world.export("csv", feed_version="1.0")
    with pytest.raises(ValidationError) as refused:
        services.run_export(
            world.admin, export_format="csv", kind="delta", since_job=base, feed_version="2.0"
        )
    assert "feed_version" in refused.value.message_dict
    response = world.client(world.admin).post(
        URL, {"format": "csv", "kind": "delta", "since_job": base.pk, "feed_version": "2.0"}, format="json"
    )
    assert response.status_code == 400
    assert "1.0" in json.dumps(response.json(), ensure_ascii=False)
    # by time: only a 2.0 base will do for a 2.0 delta
    with pytest.raises(ValidationError) as by_time:
        services.run_export(
            world.admin,
            export_format="csv",
            kind="delta",
            since=timezone.now() + timedelta(seconds=1),
            feed_version="2.0",
        )
    assert "2.0" in " ".join(by_time.value.message_dict["since"])


def test_a_2_0_delta_reports_changes_and_delistings_in_pps_formats(world):
    base = world.export("csv", feed_version="2.0")
    catalog_services.update_listing(world.supplier_a, listing_id=world.goods.pk, unit_price=130_000)
    catalog_services.delete_listing(world.supplier_a, listing_id=world.construction.pk)
    delta = world.export("csv", kind="delta", since_job=base)
    assert delta.feed_version == "2.0"
    rows = by_id(read_csv(Path(delta.file.path)))
    assert rows[world.goods.pk]["change_type"] == "changed"
    assert rows[world.goods.pk]["cntrctPrceAmt"] == "130000"
    gone = rows[world.construction.pk]
    assert (gone["change_type"], gone["delist_reason"]) == ("delisted", "deleted")
    # the keys Nara knows it by, construction's 업종 code included, and chgDt in PPS's form
    assert (gone["industry_code"], gone["prdctClsfcNo"], gone["cert_no"]) == (
        "4990",
        "",
        world.cert_construction.number,
    )
    assert re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}", gone["chgDt"])
    assert world.services.pk not in rows  # unchanged


# ------------------------------------------------------------------ the 업종 table
def test_the_industry_table_maps_every_construction_work_type_the_generator_and_demo_use():
    table = industry_codes()
    assert table, "the 업종 table did not load"
    used = {family.code for family in FAMILIES if family.sector == "construction"}
    for work_type in used:
        row = industry_code_for(work_type)
        assert row is not None, work_type
        assert re.fullmatch(r"[0-9]{4}", row.code) and row.name and row.source
    assert industry_code_for("CS02").code == "4990"
    assert set(table) <= set(CONSTRUCTION_WORK_TYPES)


# ------------------------------------------------------------------ 2.0 validators everywhere
def test_pps_formats_refuse_what_pps_would_not_hold():
    labels = {column.key: column.label for column in nara2.COLUMNS}
    row = {
        "cntrctCorpBizno": "123-45-67890",
        "rgstDt": "2026-11-30",
        "chgDt": "20261130",
        "smetprCmptProdctYn": "y",
        "prdctSplyRgnNm": "서울특별시;경기도",
        "prodctCertList": "상생협력제품(WW-2026-000001),",
        "prdctClsfcNo": "３９１１１６０５",
    }
    problems = {key: code for key, code, _message in pps.format_reasons(row, labels, set())}
    assert problems == dict.fromkeys(row, pps.BAD_FORMAT)
    assert pps.format_reasons({"rgstDt": "20261301"}, labels, set())  # no 13th month
    good = {"cntrctCorpBizno": "1234567890", "rgstDt": "20261130", "prdctSplyRgnNm": "전지역"}
    assert pps.format_reasons(good, labels, set()) == []


@pytest.fixture
def unmapped(world):
    """A construction listing whose work type (가스난방공사업 CS11) has no sourced 업종 code."""
    certificate = world.certificate(world.supplier_a, "construction", classification_code="CS11")
    return make_listing(world.supplier_a, certificate, unit_price=50_000_000)


def test_an_unmapped_work_type_is_rejected_in_2_0_only(world, unmapped):
    v2 = world.export("csv", feed_version="2.0")
    assert v2.rejected_count == 1
    reasons = v2.rejected_preview[0]["reasons"]
    assert [(r["field"], r["code"]) for r in reasons] == [("industry_code", nara2.UNMAPPED_WORK_TYPE)]
    assert world.export("csv", feed_version="1.0").rejected_count == 0


def test_readiness_uses_the_2_0_validators(world, unmapped):
    listing = with_related(ProductListing.objects.filter(pk=unmapped.pk)).get()
    readiness = nara_readiness(listing)
    assert not readiness.ready
    assert [reason.code for reason in readiness.reasons] == [nara2.UNMAPPED_WORK_TYPE]
    assert readiness.labelled("en")[0][0] == "업종코드"
    ready = nara_readiness(with_related(ProductListing.objects.filter(pk=world.construction.pk)).get())
    assert ready.ready, ready.reasons
