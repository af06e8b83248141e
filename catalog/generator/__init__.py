"""A realistic, deterministic catalog: product families as they appear on Nara Marketplace, SME suppliers
with valid business numbers, certificates on real classification codes, and listings with the ground
truth (family, kind, attributes) kept beside every row.

- ``families``: what a family is; the table itself in ``families_equipment`` and ``families_supplies``
  (goods), ``families_services`` and ``families_construction``;
- ``companies``: supplier and partner names, business numbers;
- ``products``: ``generate_catalog(size, seed)``, pure Python, the same seed always giving the same catalog;
- ``bulk``: writes a generated catalog into the database with bulk inserts (``bench.generate``, the demo,
  the relevance evaluation in ``search.evaluation``).
"""

from catalog.generator.families import Family
from catalog.generator.families_construction import CONSTRUCTION
from catalog.generator.families_equipment import EQUIPMENT
from catalog.generator.families_services import SERVICES
from catalog.generator.families_supplies import SUPPLIES

FAMILIES: list[Family] = [*EQUIPMENT, *SUPPLIES, *SERVICES, *CONSTRUCTION]
FAMILIES_BY_KEY: dict[str, Family] = {f.key: f for f in FAMILIES}

__all__ = ["FAMILIES", "FAMILIES_BY_KEY", "Family"]
