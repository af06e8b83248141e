import csv
import json
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from catalog.feeds import services
from catalog.feeds.models import ExportJob
from tests.factories import make_listing
from tests.worlds import World


class FeedWorld(World):
    """Supplier A with one listing per sector, each under its own certificate (B lists nothing)."""

    def __init__(self) -> None:
        super().__init__()
        self.cert_goods = self.certificate(self.supplier_a, "goods")
        self.cert_services = self.certificate(self.supplier_a, "services")
        self.cert_construction = self.certificate(self.supplier_a, "construction")
        self.goods = make_listing(self.supplier_a, self.cert_goods, regions=("11", "41"))
        self.services = make_listing(
            self.supplier_a, self.cert_services, regions=("26",), unit_price=3_000_000
        )
        self.construction = make_listing(self.supplier_a, self.cert_construction, unit_price=85_000_000)

    def export(self, export_format: str = "csv", **options) -> ExportJob:
        # The tests written for 1.0 pin its (deprecated) format; new jobs default to 2.0, whose own tests
        # (test_feed_v2.py, test_versions.py) pass feed_version="2.0". A delta takes its base's version.
        if options.get("kind", "full") == "full":
            options.setdefault("feed_version", "1.0")
        job = services.run_export(self.admin, export_format=export_format, **options)
        assert job.status == "succeeded", job.error_message
        return job


@pytest.fixture(autouse=True)
def _site_and_media(media_in_tmp, settings):
    settings.SITE_BASE_URL = "https://sangsaeng.example"


@pytest.fixture
def world(db) -> FeedWorld:
    return FeedWorld()


# ------------------------------------------------------------- reading feeds back
def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def read_xlsx(path: Path) -> tuple[list, list, list[dict]]:
    """(labels row, keys row, data rows as dicts keyed by the keys row)."""
    workbook = load_workbook(path, read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    workbook.close()
    labels, keys, data = rows[0], rows[1], rows[2:]
    return list(labels), list(keys), [dict(zip(keys, row, strict=True)) for row in data]


def read_job(job: ExportJob) -> list[dict]:
    path = Path(job.file.path)
    if job.format == "csv":
        return read_csv(path)
    if job.format == "jsonl":
        return read_jsonl(path)
    return read_xlsx(path)[2]


def by_id(rows: list[dict]) -> dict[int, dict]:
    return {int(row["listing_id"]): row for row in rows}


def as_naive(value):
    return value.replace(tzinfo=None) if isinstance(value, datetime) else value
