"""The program dashboard at scale: its pages' response time and query count.

    DATABASE_URL=postgres://sangsaeng@127.0.0.1:54329/bench_dash .venv/bin/python -m bench.dashboard
    .venv/bin/python -m bench.dashboard --listings 100000 --rounds 20 --log 50000

The database (default: the local ``bench_dash``, created when missing) is migrated and filled with
--listings generated rows when empty (``bench.generate``), plus --log search log entries (a realistic mix:
frequent product words, some that find nothing). Then, after two warm-up rounds, --rounds requests of each
page through Django's test client as an admin (the whole view: figures, template, no HTTP server), with
p50/p95 and the number of SQL queries per page. The goal (issue 23): the program page under 300 ms at
100,000 listings, with a query count that does not grow with the data (tests/program/test_query_count.py).
"""

from __future__ import annotations

import argparse
import os
import random
import time
from datetime import timedelta

from bench.common import median, percentile, print_table, setup, write_results

DEFAULT_DATABASE_URL = "postgres://sangsaeng@127.0.0.1:54329/bench_dash"
PAGES = {"program": "/program/", "insight": "/program/search/", "statistics": "/statistics/"}
TARGET_MS = 300.0


def ensure_database(url: str) -> None:
    """Creates the bench database on the server when it does not exist yet."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def ensure_search_log(entries: int, seed: int = 7) -> int:
    """Fills the search log with ``entries`` rows over the last 60 days when it holds fewer."""
    from django.utils import timezone

    from catalog.models import ProductListing
    from search.models import SearchLogEntry

    present = SearchLogEntry.objects.count()
    if present >= entries:
        return present
    rng = random.Random(seed)
    names = list(ProductListing.objects.values_list("name", flat=True)[:2000]) or ["LED"]
    words = [name.split()[0] for name in names] + [f"없는검색어{n}" for n in range(200)]
    now = timezone.now()
    rows = [
        SearchLogEntry(
            created_at=now - timedelta(minutes=rng.randrange(60 * 24 * 60)),
            query=(word := rng.choice(words)),
            filters={},
            result_count=0 if word.startswith("없는") else rng.randrange(1, 500),
            backend="database",
            source=rng.choice(["api", "page"]),
            took_ms=rng.randrange(5, 80),
        )
        for _ in range(entries - present)
    ]
    SearchLogEntry.objects.bulk_create(rows, batch_size=5000)
    return SearchLogEntry.objects.count()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--log", type=int, default=50_000, help="search log entries")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("SEARCH_BACKEND", "database")
    ensure_database(os.environ["DATABASE_URL"])
    setup()

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.common import ensure_data
    from catalog.models import ProductListing
    from certification.models import Certificate, CertificationApplication
    from search.models import SearchLogEntry

    listings = ensure_data(args.listings)
    log = ensure_search_log(args.log)
    if connection.vendor == "postgresql":
        # freshly bulk-loaded tables have no planner statistics until autovacuum passes; a live database has
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    admin, _ = get_user_model().objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)

    rows, results = [], {}
    for name, path in PAGES.items():
        for _ in range(2):
            assert client.get(path).status_code == 200, path
        times = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        results[name] = {
            "p50_ms": median(times),
            "p95_ms": percentile(times, 95),
            "max_ms": max(times),
            "queries": len(queries),
        }
        rows.append({"page": name, **results[name]})
    print(
        f"\n{listings:,} listings, {Certificate.objects.count():,} certificates, "
        f"{CertificationApplication.objects.count():,} applications, {log:,} search log entries; "
        f"{args.rounds} rounds"
    )
    print_table(rows, ["page", "p50_ms", "p95_ms", "max_ms", "queries"])
    verdict = "meets" if results["program"]["p95_ms"] < TARGET_MS else "MISSES"
    print(f"program page p95 {results['program']['p95_ms']:.0f} ms: {verdict} the {TARGET_MS:.0f} ms goal")
    write_results(
        "dashboard",
        {
            "listings": ProductListing.objects.count(),
            "search_log": SearchLogEntry.objects.count(),
            "rounds": args.rounds,
            "pages": results,
        },
    )


if __name__ == "__main__":
    main()
