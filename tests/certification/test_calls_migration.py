"""The migration that introduced calls puts every existing application into a closed legacy call of its
year (Korean time) that accepts what the application has."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("certification", "0002_reference_data")]
AFTER = [("certification", "0004_calls_required")]
SEOUL = ZoneInfo("Asia/Seoul")


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_applications_go_into_a_closed_legacy_call_per_year():
    old = migrate(BEFORE)
    try:
        company = old.get_model("certification", "Company")
        application = old.get_model("certification", "CertificationApplication")
        supplier = company.objects.create(
            name="가", business_number="2208162517", size="sme", region="11", representative="김"
        )
        partner = company.objects.create(
            name="나", business_number="1234567891", size="large", region="11", representative="이"
        )
        common = {
            "supplier": supplier,
            "partner": partner,
            "cooperation_type": "joint_development",
            "product_name": "제품",
            "agreement_start": "2024-01-01",
            "agreement_end": "2026-01-01",
        }
        rows = [
            # 2024-12-31 16:00 UTC is already 2025-01-01 in Seoul
            ("goods", "innovative_growth", "39111605", datetime(2024, 12, 31, 16, 0, tzinfo=ZoneInfo("UTC"))),
            ("services", "materials_parts", "81111500", datetime(2025, 6, 1, 9, 0, tzinfo=SEOUL)),
            ("construction", "capacity_building", "CS02", datetime(2024, 3, 1, 9, 0, tzinfo=SEOUL)),
        ]
        ids = []
        for sector, task_type, code, created in rows:
            status = "supplement_requested" if sector == "services" else "approved"
            row = application.objects.create(
                sector=sector, task_type=task_type, classification_code=code, status=status, **common
            )
            application.objects.filter(pk=row.pk).update(created_at=created)
            ids.append(row.pk)

        new = migrate(AFTER)
        calls = {call.year: call for call in new.get_model("certification", "Call").objects.all()}
        assert sorted(calls) == [2024, 2025]
        now = timezone.now()
        for year, call in calls.items():
            assert call.legacy and call.round == 0
            assert call.opens_at == datetime(year, 1, 1, tzinfo=SEOUL)
            assert call.closes_at <= now  # closed: nothing more is submitted to it
            assert all(t.any_item for t in call.task_types.all())
        assert sorted(calls[2025].sectors) == ["goods", "services"]
        assert sorted(calls[2025].task_types.values_list("task_type", flat=True)) == [
            "innovative_growth",
            "materials_parts",
        ]
        assert calls[2024].sectors == ["construction"]
        migrated = new.get_model("certification", "CertificationApplication").objects
        assert [migrated.get(pk=pk).call.year for pk in ids] == [2025, 2025, 2024]
        # the open supplement request can still be answered: it got the default deadline
        deadline = timezone.localtime(migrated.get(pk=ids[1]).supplement_deadline)
        assert deadline.date() == timezone.localdate() + timedelta(days=14)
        assert migrated.get(pk=ids[0]).supplement_deadline is None
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # back to the current schema
