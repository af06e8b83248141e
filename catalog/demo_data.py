"""The demo's tables: partner enterprises, suppliers (name, region code), the product families the demo
certifies through the workflow and the size of the generated catalog around them. ``catalog.demo`` loads
them.
"""

from certification.models import Region

PARTNERS = [
    ("한빛전자", "Hanbit Electronics", "41"),
    ("대성중공업", "Daesung Heavy Industries", "48"),
    ("미래통신", "Mirae Telecom", "11"),
    ("동해건설", "Donghae E&C", "26"),
    ("새솔에너지", "Saesol Energy", "31"),
    ("누리소프트", "Nuri Soft", "11"),
]
SUPPLIERS = [
    ("가온조명", "11"),
    ("푸른공기", "41"),
    ("한결가구", "43"),
    ("다온시스템", "30"),
    ("세움안전", "28"),
    ("바른환경", "44"),
    ("이룸건축", "27"),
    ("하늘정보통신", "29"),
    ("온누리클린", "26"),
    ("새빛에너지", "47"),
    ("미르보안", "11"),
    ("참좋은급식", "46"),
    ("나래기술", "48"),
    ("든든설비", "52"),
    ("한울교육", "36"),
]


# The families the demo certifies through the real workflow (two certificates each, a few listings per
# certificate), across the three sectors; the rest of the catalog is generated in bulk (``catalog.generator``).
DEMO_FAMILIES = [
    "led_panel",
    "led_flood",
    "air_purifier",
    "air_conditioner",
    "student_desk",
    "office_chair",
    "cctv",
    "ups",
    "auto_extinguisher",
    "network_switch",
    "sw_development",
    "it_operations",
    "cleaning",
    "catering",
    "training",
    "interior_works",
    "solar_works",
    "pa_works",
    "water_main",
]
# the realistic catalog around them: products of every family from SME suppliers of their trade
GENERATED_LISTINGS = 3000
GENERATED_SEED = 2026

# in code order, so the seeded random picks stay the same whatever order the region table lists
REGIONS = sorted(Region.values)
