"""Judged queries in words: nouns, particles, compounds and spacing, synonyms and loanwords, English,
mixed Korean/English, typos. Each judges by family (and kind), so it holds at any catalog size."""

from search.evaluation.judgments import JudgedQuery, Predicate, all_of, family, kind, nothing

CHAIRS = family("office_chair", "student_chair")
DESKS = family("office_desk", "student_desk")


def q(
    category: str, text: str, exact: Predicate, related: Predicate = nothing, note: str = ""
) -> JudgedQuery:
    return JudgedQuery(category=category, text=text, exact=exact, related=related, note=note)


NOUNS = [
    q("nouns", "의자", CHAIRS),
    q("nouns", "책상", DESKS),
    q("nouns", "공기청정기", family("air_purifier")),
    q("nouns", "가로등", family("led_street"), family("led_flood", "led_tunnel")),
    q("nouns", "소화기", family("fire_extinguisher"), family("auto_extinguisher")),
    q("nouns", "사물함", family("locker"), family("cabinet")),
    q("nouns", "냉장고", family("refrigerator")),
    q("nouns", "제습기", family("dehumidifier")),
    q("nouns", "전기버스", family("electric_bus"), family("electric_car")),
    q("nouns", "모니터", family("monitor"), family("e_board")),
    q(
        "nouns",
        "방음벽",
        family("noise_barrier"),
        family("noise_barrier_works"),
        "the product before the works",
    ),
    q("nouns", "청소 용역", family("cleaning"), family("floor_cleaner")),
    q("nouns", "급식", family("catering")),
    q("nouns", "조경", family("landscaping")),
]

PARTICLES = [
    q("particles", "의자를", CHAIRS),
    q("particles", "책상에서", DESKS),
    q("particles", "공기청정기가", family("air_purifier")),
    q("particles", "노트북으로", family("notebook")),
    q(
        "particles",
        "가로등을 교체",
        family("led_street"),
        family("lighting_works", "led_flood", "led_tunnel"),
    ),
    q(
        "particles",
        "소화기와 구급함",
        family("fire_extinguisher", "first_aid_kit"),
        family("auto_extinguisher"),
    ),
    q("particles", "책상과 의자", family("office_chair", "student_chair", "office_desk", "student_desk")),
    q("particles", "교실에 설치할 전자칠판", family("e_board"), family("monitor", "projector")),
]

COMPOUNDS = [
    q("compounds", "친환경 페인트", family("eco_paint")),
    q("compounds", "친환경페인트", family("eco_paint")),
    q("compounds", "무정전 전원장치", family("ups")),
    q("compounds", "LED가로등", family("led_street"), family("led_flood", "led_tunnel")),
    q("compounds", "사무용 의자", family("office_chair"), family("student_chair")),
    q("compounds", "사무용의자", family("office_chair"), family("student_chair")),
    q("compounds", "학생 책상", family("student_desk"), family("office_desk", "student_chair")),
    q("compounds", "시스템 냉난방기", family("air_conditioner"), family("hvac_works")),
    q("compounds", "태양광발전 공사", family("solar_works")),
    q("compounds", "학생사물함", family("locker"), family("cabinet")),
]

SYNONYMS = [
    q("synonyms", "체어", CHAIRS, note="loanword for 의자; a 체어 company's cabinets are not chairs"),
    q("synonyms", "씨씨티비", family("cctv"), family("cctv_works")),
    q("synonyms", "에어컨", family("air_conditioner"), family("hvac_works")),
    q("synonyms", "빔프로젝터", family("projector")),
    q("synonyms", "캐비닛", family("cabinet"), family("locker")),
    q("synonyms", "유지보수", family("sw_maintenance", "facility_maintenance", "it_operations")),
    q(
        "synonyms",
        "엘리베이터 유지관리",
        all_of(family("facility_maintenance"), kind("승강기")),
        family("facility_maintenance"),
    ),
    q("synonyms", "보도블럭", family("paving")),
    q("synonyms", "랩톱", family("notebook"), family("desktop")),
    q("synonyms", "데스크탑", family("desktop"), family("notebook")),
]

ENGLISH = [
    q("english", "office chair", family("office_chair"), family("student_chair")),
    q("english", "chairs", CHAIRS),
    q("english", "air purifier", family("air_purifier")),
    q("english", "street lights", family("led_street"), family("led_flood", "led_tunnel")),
    q("english", "solar power", family("solar_works")),
    q("english", "notebook computer", family("notebook"), family("desktop")),
    q("english", "fire extinguishers", family("fire_extinguisher"), family("auto_extinguisher")),
    q("english", "cleaning service", family("cleaning"), family("floor_cleaner")),
]

MIXED = [
    q("mixed", "LED 가로등", family("led_street"), family("led_flood", "led_tunnel", "lighting_works")),
    q("mixed", "CCTV 설치 공사", family("cctv_works"), family("cctv")),
    q("mixed", "PC 모니터", family("monitor"), family("desktop")),
    q("mixed", "SW 유지보수", family("sw_maintenance"), family("it_operations")),
    q("mixed", "LED 투광등", family("led_flood"), family("led_street", "led_tunnel")),
    q("mixed", "UPS 배터리", family("ups", "battery")),
]

TYPOS = [
    q("typos", "공기청청기", family("air_purifier")),
    q("typos", "무정전전원장지", family("ups")),
    q("typos", "사물한", family("locker"), family("cabinet")),
    q("typos", "프로젝타", family("projector")),
    q("typos", "purifer", family("air_purifier")),
    q("typos", "projecter", family("projector")),
    q("typos", "냉남방기", family("air_conditioner"), family("hvac_works")),
]
