"""``generate_catalog``: the companies, certificates and products of a realistic catalog, in pure Python.

Nothing here touches the database, so the same (size, seed) always gives the same catalog, and whoever
loads it (``catalog.generator.bulk``) keeps the ground truth of every product beside its row: its family,
kind and attributes. The relevance evaluation judges search results against that truth, never against
what an engine returns.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from catalog.generator import FAMILIES, FAMILIES_BY_KEY
from catalog.generator.companies import PARTNER_NAMES, business_number, company_name
from catalog.generator.families import Family
from certification.models import Region

# how much of the catalog each sector takes, per family: goods dominate the real marketplace
SECTOR_WEIGHT = {"goods": 3.0, "services": 1.5, "construction": 1.0}
LISTINGS_PER_CERTIFICATE = (6, 24)
# letters for model numbers: no vowels nor the letters of LED, PC, SW, UPS, CCTV, AI, so a model number
# never reads as a word somebody searches for
MODEL_LETTERS = "BGHJKMNRTXZ"
REGIONS = sorted(Region.values)


@dataclass(frozen=True)
class GeneratedCompany:
    index: int
    name: str
    name_en: str
    business_number: str
    region: str
    size: str  # "sme" for suppliers, "large" for partner enterprises
    trade: str = ""


@dataclass(frozen=True)
class GeneratedCertificate:
    index: int
    supplier: int  # index into GeneratedCatalog.suppliers
    partner: int  # index into GeneratedCatalog.partners
    family: str
    code: str
    number: str
    issued_days_ago: int
    valid_days: int
    status: str  # active, suspended, revoked

    @property
    def in_force(self) -> bool:
        return self.status == "active" and self.valid_days > self.issued_days_ago


@dataclass(frozen=True)
class GeneratedProduct:
    index: int
    certificate: int
    supplier: int
    sector: str
    # the ground truth the evaluation judges by
    family: str
    kind: str
    attributes: dict = field(hash=False)
    # the row
    name: str = ""
    name_en: str = ""
    specification: str = ""
    description: str = ""
    keywords: str = ""
    code: str = ""
    goods_identification_number: str | None = None
    unit: str = "EA"
    unit_price: int = 1
    regions: tuple[str, ...] = ()
    published: bool = True
    service_period_months: int | None = None
    service_scope: str = ""
    licence_number: str = ""
    #: published and its certificate in force: what the listed catalog (and the search index) holds
    listed: bool = True


@dataclass
class GeneratedCatalog:
    seed: int
    suppliers: list[GeneratedCompany]
    partners: list[GeneratedCompany]
    certificates: list[GeneratedCertificate]
    products: list[GeneratedProduct]

    @property
    def listed(self) -> list[GeneratedProduct]:
        return [product for product in self.products if product.listed]

    def family(self, product: GeneratedProduct) -> Family:
        return FAMILIES_BY_KEY[product.family]


def family_counts(size: int, rng: random.Random) -> list[tuple[Family, int]]:
    """How many products each family gets: by sector weight, every family at least one once the catalog
    is as large as the table, the total exactly ``size``."""
    weights = [SECTOR_WEIGHT[f.sector] * rng.uniform(0.6, 1.4) for f in FAMILIES]
    total = sum(weights)
    counts = [max(1 if size >= len(FAMILIES) else 0, int(size * w / total)) for w in weights]
    order = sorted(range(len(FAMILIES)), key=lambda i: -weights[i])
    i = 0
    while sum(counts) != size:
        slot = order[i % len(order)]
        if sum(counts) < size:
            counts[slot] += 1
        elif counts[slot] > 1:
            counts[slot] -= 1
        i += 1
    return list(zip(FAMILIES, counts, strict=True))


@dataclass(frozen=True)
class ProductText:
    kind: str
    attributes: dict
    name: str
    specification: str
    attribute_text: str
    keywords: str


def describe(family: Family, rng: random.Random, model_prefix: str) -> ProductText:
    """One product of ``family`` as a supplier writes it: a name variant (the kind in the name now and
    then), the specification with the kind, the attributes with their units and a model number."""
    kind = rng.choice(family.kinds) if family.kinds else ""
    attributes = {a.key: rng.choice(a.values) for a in family.attributes}
    base = family.names[0] if rng.random() < 0.5 else rng.choice(family.names)
    kind_in_name = bool(kind) and family.sector == "goods" and rng.random() < 0.3
    attribute_text = " ".join(a.text(attributes[a.key]) for a in family.attributes)
    model = f"{model_prefix}-{rng.randint(100, 9999)}"
    specification = " ".join(part for part in ("" if kind_in_name else kind, attribute_text, model) if part)
    return ProductText(
        kind=kind,
        attributes=attributes,
        name=f"{kind} {base}" if kind_in_name else base,
        specification=specification[:300],
        attribute_text=attribute_text,
        keywords=",".join(rng.sample(family.keywords, rng.randint(2, len(family.keywords)))),
    )


class _Builder:
    def __init__(self, size: int, seed: int, today: date) -> None:
        self.size, self.seed, self.today = size, seed, today
        self.rng = random.Random(seed)
        self.taken: set[str] = set()
        self.partners = [
            GeneratedCompany(i, name, name_en, business_number(self.rng, self.taken), self._region(), "large")
            for i, (name, name_en) in enumerate(PARTNER_NAMES[: max(2, min(len(PARTNER_NAMES), size // 300))])
        ]
        self.suppliers: list[GeneratedCompany] = []
        self.by_trade: dict[str, list[int]] = {}
        self.certificates: list[GeneratedCertificate] = []
        self.products: list[GeneratedProduct] = []
        self.model_prefix: dict[int, str] = {}

    def _region(self) -> str:
        return self.rng.choice(REGIONS)

    def supplier_for(self, family: Family) -> int:
        """A company of the family's trade: a known one most of the time (companies make several products
        and hold several certificates), a new one otherwise."""
        pool = self.by_trade.setdefault(family.trade, [])
        if pool and self.rng.random() < 0.6:
            return self.rng.choice(pool)
        name, name_en = company_name(self.rng, family.trade)
        index = len(self.suppliers)
        self.suppliers.append(
            GeneratedCompany(
                index,
                name,
                name_en,
                business_number(self.rng, self.taken),
                self._region(),
                "sme",
                family.trade,
            )
        )
        self.model_prefix[index] = "".join(self.rng.choice(MODEL_LETTERS) for _ in range(2))
        pool.append(index)
        return index

    def certificate(self, family: Family) -> GeneratedCertificate:
        rng = self.rng
        code = family.code
        if family.eight_digit and rng.random() < 0.85:
            code += f"{rng.randint(1, family.items):02d}"  # the 10-digit 세부품명번호 under the class
        roll = rng.random()
        status = "suspended" if roll < 0.02 else "revoked" if roll < 0.03 else "active"
        issued_days_ago = rng.randint(370, 900)  # last year or before: numbered apart from this year's
        valid_days = 1095 if rng.random() > 0.04 else rng.randint(30, 360)
        index = len(self.certificates)
        issued_year = (self.today - timedelta(days=issued_days_ago)).year
        certificate = GeneratedCertificate(
            index=index,
            supplier=self.supplier_for(family),
            partner=rng.randrange(len(self.partners)),
            family=family.key,
            code=code,
            # the registry's format (WW-year-sequence), numbered from 500000 so services never reach them
            number=f"WW-{issued_year}-{500_000 + index:06d}",
            issued_days_ago=issued_days_ago,
            valid_days=valid_days,
            status=status,
        )
        self.certificates.append(certificate)
        return certificate

    def product(self, family: Family, certificate: GeneratedCertificate) -> GeneratedProduct:
        rng = self.rng
        text = describe(family, rng, self.model_prefix[certificate.supplier])
        kind, attributes, name, specification = text.kind, text.attributes, text.name, text.specification
        partner = self.partners[certificate.partner]
        description = (
            f"{family.blurb}. {partner.name}와(과) 공동개발한 상생협력제품입니다. {text.attribute_text}."
        )
        keywords = text.keywords
        index = len(self.products)
        goods = family.sector == "goods"
        supplier = self.suppliers[certificate.supplier]
        regions = sorted({supplier.region, *rng.sample(REGIONS, rng.randint(0, 4))})
        published = rng.random() > 0.02
        return GeneratedProduct(
            index=index,
            certificate=certificate.index,
            supplier=certificate.supplier,
            sector=family.sector,
            family=family.key,
            kind=kind,
            attributes=attributes,
            name=name,
            name_en=family.name_en if rng.random() < 0.6 else "",
            specification=specification,
            description=description,
            keywords=keywords,
            code=certificate.code,
            goods_identification_number=(
                f"{20_000_000 + (self.seed * 104_729 + index * 7_919) % 80_000_000:08d}"
                if goods and rng.random() < 0.7
                else None
            ),
            unit=family.unit,
            unit_price=self._price(family, attributes),
            regions=tuple(regions),
            published=published,
            service_period_months=rng.choice((6, 12, 24)) if family.sector == "services" else None,
            service_scope=f"{kind} {family.blurb}".strip() if family.sector == "services" else "",
            licence_number=f"제{rng.randint(1000, 9999)}호" if family.sector == "construction" else "",
            listed=published and certificate.in_force,
        )

    def _price(self, family: Family, attributes: dict) -> int:
        """Within the family's range, higher for the larger sizes of its first numeric attribute."""
        low, high = family.price
        position = 0.5
        for attribute in family.attributes:
            numbers = [v for v in attribute.values if isinstance(v, int | float)]
            if numbers and attributes[attribute.key] in numbers and len(numbers) > 1:
                position = numbers.index(attributes[attribute.key]) / (len(numbers) - 1)
                break
        price = low + (high - low) * (0.7 * position + 0.3 * self.rng.random())
        step = 10 if high < 100_000 else 100 if high < 10_000_000 else 10_000
        return max(step, int(price // step * step))

    def build(self) -> GeneratedCatalog:
        for family, count in family_counts(self.size, self.rng):
            left = count
            while left > 0:
                certificate = self.certificate(family)
                batch = min(left, self.rng.randint(*LISTINGS_PER_CERTIFICATE))
                self.products.extend(self.product(family, certificate) for _ in range(batch))
                left -= batch
        return GeneratedCatalog(self.seed, self.suppliers, self.partners, self.certificates, self.products)


def generate_catalog(size: int, seed: int = 7, today: date | None = None) -> GeneratedCatalog:
    """``size`` products across every family (once ``size`` reaches the number of families), grouped
    under certificates of suppliers in the family's trade. Deterministic in (size, seed, today); dates
    are kept as days before ``today`` and the certificate numbers carry the year of issue."""
    return _Builder(size, seed, today or date.today()).build()
