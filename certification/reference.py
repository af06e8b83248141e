"""Loads the reference data the registry validates against: role groups and classification codes."""

import csv
from pathlib import Path

CLASSIFICATION_CODES_CSV = Path(__file__).parent / "data" / "classification_codes.csv"


def load_classification_codes(model) -> int:
    """Upserts the shipped classification codes into ``model`` (the real or the historical model)."""
    with CLASSIFICATION_CODES_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        model.objects.update_or_create(
            code=row["code"],
            defaults={"sector": row["sector"], "name": row["name"], "name_en": row["name_en"]},
        )
    return len(rows)


def ensure_reference_data(**kwargs) -> None:
    """post_migrate handler: role groups and classification codes are always present, also after a test
    flush (flush emits post_migrate; data migrations alone would not restore them)."""
    from certification.models import ClassificationCode
    from certification.roles import ensure_role_groups

    ensure_role_groups()
    with CLASSIFICATION_CODES_CSV.open(encoding="utf-8") as handle:
        shipped = sum(1 for _ in handle) - 1
    if ClassificationCode.objects.count() < shipped:
        load_classification_codes(ClassificationCode)
