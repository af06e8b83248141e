"""How each sector classifies what it sells, and the format rule for each.

- Goods (물품) use the Public Procurement Service's UNSPSC-based 8-digit classification number
  (물품분류번호) or the 10-digit detailed item number (세부품명번호) in goods segments (10–60).
- Services (용역) use the same numbering in the UNSPSC service segments (70–95); they never get a goods
  identification number (물품식별번호).
- Construction (공사) is classified by the licensed work type (건설업종) of the Framework Act on the
  Construction Industry and related acts, not by a product number.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models


class Sector(models.TextChoices):
    GOODS = "goods", "물품 (goods)"
    CONSTRUCTION = "construction", "공사 (construction)"
    SERVICES = "services", "용역 (services)"


class TaskType(models.TextChoices):
    INNOVATIVE_GROWTH = "innovative_growth", "혁신성장과제"
    MATERIALS_PARTS = "materials_parts", "소재부품과제"
    TECH_CONVERGENCE = "tech_convergence", "기술융합과제"
    CAPACITY_BUILDING = "capacity_building", "역량강화과제"


# Construction projects are certified as capacity-building or technology-convergence tasks; goods and
# services as the three product tasks.
TASK_TYPES_BY_SECTOR: dict[str, frozenset[str]] = {
    Sector.GOODS: frozenset(
        {TaskType.INNOVATIVE_GROWTH, TaskType.MATERIALS_PARTS, TaskType.TECH_CONVERGENCE}
    ),
    Sector.SERVICES: frozenset(
        {TaskType.INNOVATIVE_GROWTH, TaskType.MATERIALS_PARTS, TaskType.TECH_CONVERGENCE}
    ),
    Sector.CONSTRUCTION: frozenset({TaskType.CAPACITY_BUILDING, TaskType.TECH_CONVERGENCE}),
}

CONSTRUCTION_WORK_TYPES: dict[str, str] = {
    "CW01": "토목공사업",
    "CW02": "건축공사업",
    "CW03": "토목건축공사업",
    "CW04": "산업·환경설비공사업",
    "CW05": "조경공사업",
    "CS01": "지반조성·포장공사업",
    "CS02": "실내건축공사업",
    "CS03": "금속창호·지붕건축물조립공사업",
    "CS04": "도장·습식·방수·석공사업",
    "CS05": "조경식재·시설물공사업",
    "CS06": "철근·콘크리트공사업",
    "CS07": "구조물해체·비계공사업",
    "CS08": "상·하수도설비공사업",
    "CS09": "철도·궤도공사업",
    "CS10": "기계가스설비공사업",
    "CS11": "가스난방공사업",
    "CE01": "전기공사업",
    "CE02": "정보통신공사업",
    "CE03": "소방시설공사업",
}

GOODS_SEGMENTS = range(10, 61)
SERVICE_SEGMENTS = range(70, 96)


def _validate_unspsc_number(code: str, segments: range, sector_label: str) -> None:
    if not re.fullmatch(r"\d{8}|\d{10}", code):
        raise ValidationError(
            f"{sector_label} 분류번호는 8자리 물품분류번호 또는 10자리 세부품명번호여야 합니다 "
            f"(8-digit classification number or 10-digit detailed item number).",
            code="format",
        )
    if int(code[:2]) not in segments:
        raise ValidationError(
            f"{code[:2]}으로 시작하는 번호는 {sector_label} 분류가 아닙니다 "
            f"(segment {code[:2]} is not a {sector_label} segment {segments.start}–{segments.stop - 1}).",
            code="sector_mismatch",
        )


def validate_classification_code(sector: str, code: str) -> None:
    """Raises ValidationError unless ``code`` is a valid classification for ``sector``."""
    code = (code or "").strip()
    if sector == Sector.GOODS:
        _validate_unspsc_number(code, GOODS_SEGMENTS, "물품")
    elif sector == Sector.SERVICES:
        _validate_unspsc_number(code, SERVICE_SEGMENTS, "용역")
    elif sector == Sector.CONSTRUCTION:
        if code not in CONSTRUCTION_WORK_TYPES:
            raise ValidationError(
                f"공사는 건설업종 코드로 분류합니다: {', '.join(CONSTRUCTION_WORK_TYPES)} "
                f"(construction is classified by work-type code).",
                code="sector_mismatch",
            )
    else:
        raise ValidationError(f"알 수 없는 분야입니다 (unknown sector {sector!r}).", code="sector")


def classification_number(code: str) -> str:
    """The 8-digit 물품분류번호 of a goods or services code; construction codes are their own number."""
    return code[:8] if code[:1].isdigit() else code
