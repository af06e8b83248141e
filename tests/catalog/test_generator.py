"""The realistic catalog generator (catalog.generator): deterministic, realistic, truthful."""

import csv
import re
from collections import Counter

import pytest

from catalog.generator import FAMILIES
from catalog.generator.bulk import load_catalog
from catalog.generator.products import generate_catalog
from catalog.models import ProductListing
from catalog.rules import listing_errors
from catalog.selectors import listed_listings
from certification.reference import CLASSIFICATION_CODES_CSV
from certification.rules import classification_errors
from certification.validators import validate_business_number


@pytest.fixture(scope="module")
def catalog():
    return generate_catalog(3000, seed=5)


def test_the_same_seed_gives_the_same_catalog_and_another_seed_another():
    first, again, other = generate_catalog(300, 1), generate_catalog(300, 1), generate_catalog(300, 2)
    assert first.products == again.products and first.suppliers == again.suppliers
    assert [p.specification for p in first.products] != [p.specification for p in other.products]


def test_at_least_fifty_families_across_the_three_sectors_on_shipped_codes():
    assert len(FAMILIES) >= 50
    assert len({f.key for f in FAMILIES}) == len(FAMILIES)
    by_sector = Counter(f.sector for f in FAMILIES)
    assert min(by_sector["goods"], by_sector["services"], by_sector["construction"]) >= 10
    with CLASSIFICATION_CODES_CSV.open(encoding="utf-8") as handle:
        shipped = {(row["code"], row["sector"]) for row in csv.DictReader(handle)}
    assert {(f.code, f.sector) for f in FAMILIES} <= shipped


def test_every_family_is_in_a_catalog_as_large_as_the_table(catalog):
    assert {p.family for p in catalog.products} == {f.key for f in FAMILIES}
    # generic names with spacing variants: many distinct names, nothing like the old 19
    assert len({p.name for p in catalog.products}) > 150
    assert {"친환경페인트", "친환경 페인트"} <= {p.name for p in catalog.products}


def test_rows_carry_their_ground_truth(catalog):
    families = {f.key: f for f in FAMILIES}
    for product in catalog.products:
        family = families[product.family]
        for attribute in family.attributes:
            # the attribute the evaluation judges by is written in the specification (150W, 27인치)
            assert attribute.text(product.attributes[attribute.key]) in product.specification
        if product.kind:
            assert product.kind in f"{product.name} {product.specification}"
        low, high = family.price
        # within the family's range, rounded down to the price step (at most 10,000 won)
        assert low - 10_000 < product.unit_price <= high


def test_codes_identifiers_and_companies_look_like_the_registry(catalog):
    for product in catalog.products:
        if product.sector == "construction":
            assert re.fullmatch(r"C[WSE]\d\d", product.code)
        else:
            assert re.fullmatch(r"\d{8}(\d{2})?", product.code)
        assert (product.goods_identification_number is None) or product.sector == "goods"
    assert any(len(p.code) == 8 for p in catalog.products if p.sector == "goods")
    numbers = [p.goods_identification_number for p in catalog.products if p.goods_identification_number]
    assert len(numbers) == len(set(numbers)) and all(re.fullmatch(r"\d{8}", n) for n in numbers)
    companies = catalog.suppliers + catalog.partners
    for company in companies:
        validate_business_number(company.business_number)
        assert "상생중소기업" not in company.name
    assert len({c.business_number for c in companies}) == len(companies)
    assert sum(bool(p.name_en) for p in catalog.products) / len(catalog.products) > 0.4


@pytest.mark.django_db
def test_loaded_rows_pass_the_listing_rules_and_most_are_listed():
    from certification.models import ClassificationCode

    loaded = load_catalog(size=250, seed=4)
    assert ProductListing.objects.count() == len(loaded.listing_ids) == 250
    rows = ProductListing.objects.select_related("certificate").in_bulk(loaded.listing_ids)
    for listing_id, product in zip(loaded.listing_ids, loaded.catalog.products, strict=True):
        row = rows[listing_id]
        assert (row.name, row.specification, row.classification_code) == (
            product.name,
            product.specification,
            product.code,
        )
        assert listing_errors(row) == {}
        assert (
            classification_errors(row.sector, row.classification_code, ClassificationCode.objects.all()) == []
        )
    listed = set(listed_listings().values_list("id", flat=True))
    assert listed == {i for i, p in zip(loaded.listing_ids, loaded.catalog.products, strict=True) if p.listed}
