"""Deterministic, realistic catalog data at scale, loaded with bulk inserts.

    DJANGO_SETTINGS_MODULE=config.settings python -m bench.generate --listings 100000

Creates suppliers, partner enterprises, approved applications, active certificates (a few suspended,
revoked or expired) and N listings across the product families of goods, construction and services
(``catalog.generator``: realistic names, specifications with units, classification codes, 물품식별번호,
valid business numbers, company names, prices and regions, English names for a share of products).
It writes rows directly (no services, no outbox): benchmarks then index or export them in bulk.
The same --seed always gives the same data.
"""

import argparse
from datetime import date

import django


def generate(listings: int, seed: int = 7, today: date | None = None) -> dict[str, float]:
    from catalog.generator.bulk import load_catalog

    loaded = load_catalog(size=listings, seed=seed, today=today)
    return {
        "listings": len(loaded.listing_ids),
        "certificates": len(loaded.catalog.certificates),
        "suppliers": len(loaded.catalog.suppliers),
        "seconds": loaded.seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    django.setup()
    print(generate(args.listings, args.seed))


if __name__ == "__main__":
    main()
