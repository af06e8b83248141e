"""The catalog's own reference data: one ``DeliveryRegion`` per 시·도, and the construction 업종 code table."""

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


def ensure_delivery_regions(**kwargs) -> None:
    """post_migrate handler: every region exists, also after a test flush (which empties the table)."""
    from catalog.models import DeliveryRegion
    from certification.models import Region

    if DeliveryRegion.objects.count() < len(Region.values):
        DeliveryRegion.objects.bulk_create(
            [DeliveryRegion(code=code) for code in Region.values], ignore_conflicts=True
        )


# ---------------------------------------------------------------- construction 업종 codes
# Nara's notices and licence limits name construction by the licensed 업종's 4-digit code
# (실내건축공사업 4990); our work types (CW01…, CS02) map to them through this shipped table, so a new or
# corrected code is a data change, not a code change. docs/nara-feed.md cites the source of every row.
INDUSTRY_CODES_CSV = Path(__file__).parent / "data" / "construction_industry_codes.csv"


@dataclass(frozen=True)
class IndustryCode:
    code: str  # 4 ASCII digits
    name: str
    work_type: str  # our work type (certification.codes.CONSTRUCTION_WORK_TYPES)
    source: str


@lru_cache(maxsize=1)
def industry_codes() -> dict[str, IndustryCode]:
    """The 업종 table keyed by our work type; a work type missing here has no sourced 업종 code."""
    with INDUSTRY_CODES_CSV.open(encoding="utf-8", newline="") as handle:
        rows = [
            IndustryCode(row["industry_code"], row["name"], row["work_type"], row["source"])
            for row in csv.DictReader(handle)
        ]
    return {row.work_type: row for row in rows}


def industry_code_for(work_type: str) -> IndustryCode | None:
    return industry_codes().get((work_type or "").strip())


# ---------------------------------------------------------------- 중소기업자간 경쟁제품
# The items designated SME-competition products (중소벤처기업부 고시), by 세부품명번호 or 물품분류번호, for
# feed 2.0's smetprCmptProdctYn. Shipped empty: no designation list could be sourced yet, so every row
# says N until the list is filled in (docs/nara-feed.md). A data change, not a code change.
SME_COMPETITION_ITEMS_CSV = Path(__file__).parent / "data" / "sme_competition_items.csv"


@lru_cache(maxsize=1)
def sme_competition_items() -> frozenset[str]:
    with SME_COMPETITION_ITEMS_CSV.open(encoding="utf-8", newline="") as handle:
        return frozenset(row["code"].strip() for row in csv.DictReader(handle) if row["code"].strip())


def is_sme_competition_item(classification_code: str) -> bool:
    """A 10-digit item is designated when it or its 8-digit class is on the list."""
    items = sme_competition_items()
    code = (classification_code or "").strip()
    return bool(items) and (code in items or code[:8] in items)
