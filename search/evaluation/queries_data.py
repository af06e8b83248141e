"""Judged queries on the data: identifiers and codes, companies, attributes and units, filters, and
queries that must find nothing. Identifier and company queries take their subject from the catalog."""

from search.backends.base import SearchFilters
from search.evaluation.judgments import (
    JudgedQuery,
    Predicate,
    Resolved,
    all_of,
    any_of,
    attribute,
    busiest_supplier,
    certificate,
    code_prefix,
    core_name,
    family,
    first_listed,
    nothing,
    partner,
    product,
    supplier,
)
from search.evaluation.queries_words import CHAIRS, DESKS, q


def _from_catalog(category: str, resolve, note: str = "") -> JudgedQuery:
    return JudgedQuery(category=category, resolve=resolve, note=note)


def _business_number(dashes: bool):
    def resolve(catalog):
        index = busiest_supplier(catalog, rank=1 if dashes else 2)
        if index is None:
            return None
        digits = catalog.suppliers[index].business_number
        text = f"{digits[:3]}-{digits[3:5]}-{digits[5:]}" if dashes else digits
        return Resolved(text, supplier(index))

    return resolve


def _certificate_number(lower: bool):
    def resolve(catalog):
        first = first_listed(catalog, family("cctv" if lower else "ups"))
        if first is None:
            return None
        number = catalog.certificates[first.certificate].number
        return Resolved(number.lower() if lower else number, certificate(first.certificate))

    return resolve


def _ten_digit_code(catalog):
    first = first_listed(catalog, lambda p, c: p.family == "office_chair" and len(p.code) == 10)
    if first is None:
        return None
    return Resolved(first.code, code_prefix(first.code), code_prefix(first.code[:8]))


def _goods_identification(catalog):
    first = first_listed(catalog, lambda p, c: p.family == "air_purifier" and p.goods_identification_number)
    return first and Resolved(first.goods_identification_number, product(first.index))


def _supplier_by_name(trade: str, *, legal_form: bool = False, english: bool = False):
    def resolve(catalog):
        index = busiest_supplier(catalog, trade)
        if index is None:
            return None
        company = catalog.suppliers[index]
        text = company.name_en if english else company.name if legal_form else core_name(company)
        return Resolved(text, supplier(index))

    return resolve


FURNITURE_WORDS = {
    "office_chair": ("의자", CHAIRS),
    "student_chair": ("의자", CHAIRS),
    "office_desk": ("책상", DESKS),
    "student_desk": ("책상", DESKS),
    "cabinet": ("수납장", family("cabinet")),
    "locker": ("사물함", family("locker")),
}


def _supplier_and_product(catalog):
    """ "<company> 의자": that company's chairs; its other products and other companies' chairs related."""
    index = busiest_supplier(catalog, "furniture")
    if index is None:
        return None
    word, same = FURNITURE_WORDS[first_listed(catalog, supplier(index)).family]
    text = f"{core_name(catalog.suppliers[index])} {word}"
    return Resolved(text, all_of(supplier(index), same), any_of(supplier(index), same))


def _partner(catalog):
    first = first_listed(catalog, family("solar_works", "led_street", "cctv"))
    if first is None:
        return None
    index = catalog.certificates[first.certificate].partner
    return Resolved(catalog.partners[index].name, partner(index))


IDENTIFIERS = [
    _from_catalog("identifiers", _business_number(dashes=True), "business number 123-45-67890"),
    _from_catalog("identifiers", _business_number(dashes=False), "business number without dashes"),
    _from_catalog("identifiers", _certificate_number(lower=False), "certificate number"),
    _from_catalog("identifiers", _certificate_number(lower=True), "certificate number, lower case"),
    q("identifiers", "39111605", code_prefix("39111605"), note="8-digit class finds its 10-digit items"),
    q("identifiers", "56101504", code_prefix("56101504"), note="8-digit class finds its 10-digit items"),
    _from_catalog("identifiers", _ten_digit_code, "10-digit item; its class's other items related"),
    _from_catalog("identifiers", _goods_identification, "물품식별번호"),
    q("identifiers", "ce01", code_prefix("CE01"), note="work type, lower case"),
]

COMPANIES = [
    _from_catalog("companies", _supplier_by_name("furniture"), "a supplier's name"),
    _from_catalog("companies", _supplier_by_name("lighting", legal_form=True), "with its legal form"),
    _from_catalog("companies", _supplier_by_name("it_services"), "a services company"),
    _from_catalog("companies", _supplier_by_name("construction"), "a construction company"),
    _from_catalog("companies", _supplier_by_name("air", english=True), "English name"),
    _from_catalog("companies", _supplier_and_product, "a supplier's name and a product word"),
    _from_catalog("companies", _partner, "a partner enterprise: the products made with it"),
]


def _sized(family_key: str, key: str, value, text: str) -> JudgedQuery:
    return q("attributes", text, all_of(family(family_key), attribute(key, value)), family(family_key))


ATTRIBUTES = [
    _sized("led_street", "watt", 150, "LED 가로등 150W"),
    _sized("monitor", "inch", 27, "27인치 모니터"),
    _sized("ups", "kva", 10, "UPS 10kVA"),
    _sized("ups", "kva", 20, "무정전전원장치 20kVA"),
    _sized("air_purifier", "area", 99, "공기청정기 99㎡"),
    _sized("electric_bus", "seats", 49, "49인승 전기버스"),
    _sized("first_aid_kit", "persons", 30, "구급함 30인용"),
    _sized("network_switch", "ports", 48, "48포트 스위치"),
    _sized("solar_works", "kw", 100, "태양광 100kW"),
    _sized("office_desk", "width", 1600, "책상 1600mm"),
    q("attributes", "150W", attribute("watt", 150), note="a bare number+unit"),
]


def _filtered(text: str, exact: Predicate, related: Predicate = nothing, **filters) -> JudgedQuery:
    return JudgedQuery("filters", text, exact, related, SearchFilters(**filters))


FILTERS = [
    _filtered("의자", CHAIRS, region="26"),
    _filtered(
        "유지관리", family("sw_maintenance", "it_operations", "facility_maintenance"), sector="services"
    ),
    _filtered("LED", family("lighting_works"), sector="construction"),
    _filtered("CCTV", family("cctv"), sector="goods"),
    _filtered("공사", lambda p, c: p.sector == "construction", sector="construction", region="41"),
    _filtered("방음벽", family("noise_barrier"), sector="goods"),
    _filtered(
        "조명",
        family("led_fixture", "led_panel", "led_street", "led_flood", "led_tunnel", "led_lamp"),
        classification="3911",
    ),
]

NOTHING = [
    q("nothing", "스마트폰", nothing),
    q("nothing", "항공기", nothing),
    q("nothing", "zzqx", nothing),
    q("nothing", "참치", nothing),
    q("nothing", "피아노", nothing),
    q("nothing", "0000000000", nothing, note="a business number nobody has"),
    JudgedQuery("nothing", "의자", nothing, filters=SearchFilters(sector="construction")),
]
