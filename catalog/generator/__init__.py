"""A realistic, deterministic catalog: product families as they appear on Nara Marketplace, SME suppliers
with valid business numbers, certificates on real classification codes, and listings with the ground
truth (family, kind, attributes) kept beside every row.

- ``families`` (with ``families_goods`` and ``families_works``): the table of product families;
- ``companies``: supplier and partner names, business numbers;
- ``products``: ``generate_catalog(size, seed)``, pure Python, the same seed always giving the same catalog;
- ``bulk``: writes a generated catalog into the database with bulk inserts (``bench.generate``, the demo,
  the relevance evaluation in ``search.evaluation``).
"""

from catalog.generator.families import Family
from catalog.generator.families_goods import GOODS
from catalog.generator.families_works import CONSTRUCTION, SERVICES

FAMILIES: list[Family] = [*GOODS, *SERVICES, *CONSTRUCTION]
FAMILIES_BY_KEY: dict[str, Family] = {f.key: f for f in FAMILIES}

__all__ = ["FAMILIES", "FAMILIES_BY_KEY", "Family"]
