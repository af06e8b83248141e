"""What a product family is, and the table of every family the generator draws from.

A family is one kind of thing public buyers order on Nara Marketplace (LED 가로등, 사무용 의자, 청사 청소
용역, 태양광 발전설비 공사): the names suppliers write it under (spacing variants included), the kinds that
appear in the name or the specification (방등, 직부등, 매입등), the attributes with their units (150W, 27인치,
10kVA), the unit of sale, a price range, and the trade the companies that make it work in. The families
themselves live in ``families_equipment``, ``families_supplies`` (goods), ``families_services`` and
``families_construction``.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Attribute:
    """One measurable property: its key in the ground truth, how it is written, the values it takes."""

    key: str
    template: str  # "{}W", "{}인치", "{}" for words such as 원형
    values: tuple

    def text(self, value) -> str:
        return self.template.format(value)


def attr(key: str, template: str, *values: int | float | str) -> Attribute:
    return Attribute(key, template, tuple(values))


@dataclass(frozen=True)
class Family:
    key: str
    sector: str
    #: an 8-digit 물품분류번호 of the shipped reference table, or a construction work type
    code: str
    #: how suppliers write the product name, spacing variants included; the first is the usual one
    names: tuple[str, ...]
    name_en: str
    #: the kinds of the family, written in the name or in the specification
    kinds: tuple[str, ...]
    attributes: tuple[Attribute, ...]
    unit: str
    price: tuple[int, int]
    keywords: tuple[str, ...]
    #: the trade (``companies.TRADES``) whose companies make it
    trade: str
    #: a sentence of the description: what the product does for the buyer
    blurb: str
    #: how many 10-digit 세부품명번호 the family spreads over under its 8-digit class
    items: int = 2

    @property
    def eight_digit(self) -> bool:
        return self.code.isdigit()


def family(
    key: str,
    sector: str,
    code: str,
    names: str,
    name_en: str,
    kinds: str,
    attributes: list[Attribute],
    unit: str,
    price: tuple[int, int],
    keywords: str,
    trade: str,
    blurb: str,
    items: int = 2,
) -> Family:
    """A table row: names, kinds and keywords given as "a|b|c" to keep the table readable."""
    return Family(
        key=key,
        sector=sector,
        code=code,
        names=tuple(names.split("|")),
        name_en=name_en,
        kinds=tuple(kinds.split("|")) if kinds else (),
        attributes=tuple(attributes),
        unit=unit,
        price=price,
        keywords=tuple(keywords.split("|")),
        trade=trade,
        blurb=blurb,
        items=items,
    )
