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


CLASSIFICATION_MATCHES = 20  # a picker shows a short list; the caller narrows by typing more


def search_classifications(text: str, sector: str = "", limit: int = CLASSIFICATION_MATCHES) -> list:
    """Reference rows whose number starts with ``text`` or whose Korean or English name contains it, the
    number matches first (an officer typing digits means the number), then in number order."""
    from django.db.models import Case, IntegerField, Q, Value, When

    from certification.models import ClassificationCode

    rows = ClassificationCode.objects.order_by("code")
    if sector:
        rows = rows.filter(sector=sector)
    text = text.strip()
    if text:
        by_number = Q(code__startswith=text)
        rows = (
            rows.filter(by_number | Q(name__icontains=text) | Q(name_en__icontains=text))
            .annotate(
                rank=Case(When(by_number, then=Value(0)), default=Value(1), output_field=IntegerField())
            )
            .order_by("rank", "code")
        )
    return list(rows[: max(1, min(limit, CLASSIFICATION_MATCHES))])


def is_known_classification(sector: str, code: str) -> bool:
    """Whether the reference table has ``code`` (its 8-digit 물품분류번호 for a 10-digit 세부품명번호)."""
    from certification.codes import Sector
    from certification.models import ClassificationCode

    lookup = code if sector == Sector.CONSTRUCTION else code[:8]
    return ClassificationCode.objects.filter(code=lookup, sector=sector).exists()
