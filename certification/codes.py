"""How each sector classifies what it sells, and the format rule for each.

- Goods (물품) use the Public Procurement Service's UNSPSC-based 8-digit classification number
  (물품분류번호) or the 10-digit detailed item number (세부품명번호) in goods segments (10–60).
- Services (용역) use the same numbering in the UNSPSC service segments (70–95); they never get a goods
  identification number (물품식별번호).
- Construction (공사) is classified by the licensed work type (건설업종) of the Framework Act on the
  Construction Industry and related acts, not by a product number.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import pgettext_lazy

from core.identifiers import is_ascii_digits, starts_with_ascii_digit


class Sector(models.TextChoices):
    GOODS = "goods", pgettext_lazy("sector", "물품")
    CONSTRUCTION = "construction", pgettext_lazy("sector", "공사")
    SERVICES = "services", pgettext_lazy("sector", "용역")


class TaskType(models.TextChoices):
    INNOVATIVE_GROWTH = "innovative_growth", pgettext_lazy("task type", "혁신성장과제")
    MATERIALS_PARTS = "materials_parts", pgettext_lazy("task type", "소재부품과제")
    TECH_CONVERGENCE = "tech_convergence", pgettext_lazy("task type", "기술융합과제")
    CAPACITY_BUILDING = "capacity_building", pgettext_lazy("task type", "역량강화과제")


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
    if not is_ascii_digits(code, 8, 10):
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


def is_single_item(sector: str, code: str) -> bool:
    """Whether ``code`` names the one item a certificate covers: the 10-digit 세부품명번호 for goods and
    services (an 8-digit 물품분류번호 is a class of items), the licensed work type for construction."""
    return sector == Sector.CONSTRUCTION or is_ascii_digits(code, 10)


def covers_item(certificate_code: str, code: str) -> bool:
    """Whether a certificate on ``certificate_code`` covers ``code``: exactly that item. A certificate
    issued on an 8-digit class before the one-item rule keeps covering every item of its class."""
    if is_ascii_digits(certificate_code, 8):
        return classification_number(code) == certificate_code
    return code == certificate_code


def classification_number(code: str) -> str:
    """The 8-digit 물품분류번호 of a goods or services code; construction codes are their own number."""
    return code[:8] if starts_with_ascii_digit(code) else code


# UNSPSC segment names (the first two digits of a classification number), for facets and filters.
UNSPSC_SEGMENTS: dict[str, str] = {
    "10": "생물자원",
    "11": "광물·섬유 원료",
    "12": "화학물질",
    "13": "수지·고무",
    "14": "종이류",
    "15": "연료·윤활유",
    "20": "광업·시추 기계",
    "21": "농림어업 기계",
    "22": "건설기계",
    "23": "산업용 제조기계",
    "24": "물류·저장 장비",
    "25": "차량",
    "26": "발전·배전 설비",
    "27": "공구·일반기계",
    "30": "건축자재·구조물",
    "31": "제조 부품",
    "32": "전자부품",
    "39": "전기·조명",
    "40": "냉난방·공조",
    "41": "실험·측정 장비",
    "42": "의료기기",
    "43": "정보통신기기",
    "44": "사무기기",
    "45": "인쇄·영상 장비",
    "46": "보안·안전",
    "47": "청소 장비",
    "48": "서비스업 기계",
    "49": "체육·레저",
    "50": "식음료",
    "51": "의약품",
    "52": "가전·생활용품",
    "53": "의류·가방",
    "54": "시계·귀금속",
    "55": "출판물",
    "56": "가구",
    "60": "교구·악기·완구",
    "70": "농림어업 서비스",
    "71": "광업 서비스",
    "72": "건설·유지보수 서비스",
    "73": "산업 생산 서비스",
    "76": "청소·위생 서비스",
    "77": "환경 서비스",
    "78": "운송·보관 서비스",
    "80": "경영·사무 서비스",
    "81": "엔지니어링·IT 서비스",
    "82": "편집·디자인·광고",
    "83": "공공설비 서비스",
    "84": "금융·보험",
    "85": "보건의료 서비스",
    "86": "교육훈련",
    "90": "여행·급식·숙박",
    "91": "개인·가사 서비스",
    "92": "공공질서·경비",
    "93": "공공행정",
    "94": "단체",
    "95": "토지·건물",
}


def classification_prefix_label(prefix: str) -> str:
    """A readable name for a construction work type or a 2/4-digit classification prefix."""
    if prefix in CONSTRUCTION_WORK_TYPES:
        return CONSTRUCTION_WORK_TYPES[prefix]
    segment = UNSPSC_SEGMENTS.get(prefix[:2], "")
    if not segment or len(prefix) == 2:
        return segment
    return f"{segment} {prefix}"
