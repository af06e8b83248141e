"""Search latency over a fixed mixed query set: the HTTP API vs Elasticsearch directly vs the database backend.

    .venv/bin/python -m bench.search_latency                       # 100,000 listings, 20 rounds
    .venv/bin/python -m bench.search_latency --rounds 50 --keep
    .venv/bin/python -m bench.search_latency --sqlite /tmp/bench.sqlite3  # the database backend on SQLite

DATABASE_URL (default: the local bench database) is migrated and filled with --listings generated rows
when empty. The Elasticsearch index (prefix ``bench``) and the database backend's search table are built
when missing. Then, for every query of ``QUERIES`` (Korean, English, a typo, identifiers, filters, facets,
sorts, deep pages), one client, one request at a time, --rounds rounds after two warm-up rounds:

* ``api_es``  — GET /api/v1/search/ on gunicorn (``--workers 2``, 127.0.0.1) with SEARCH_BACKEND=elasticsearch:
                 everything a user waits for (HTTP, auth, validation, Kiwi query analysis, Elasticsearch,
                 highlighting, serialisation);
* ``backend`` — ``ElasticsearchBackend.search()`` in this process (no HTTP, no DRF);
* ``direct``  — the ceiling: the exact request body our backend sends (captured once per query), sent with
                 the ``elasticsearch`` client straight to Elasticsearch;
* ``api_db``  — the same API on a second gunicorn with SEARCH_BACKEND=database (PostgreSQL, or with
                 ``--sqlite PATH`` a SQLite file: FTS5, ``search.backends.fulltext.sqlite``).

With the database backend it also prints the query plan of a typical text query (``bench.explain``) and
the time of a full database rebuild (``--rebuild-db``: ``search_index rebuild`` with the document store).

The API's search throttle is lifted for the bench. Reports p50/p95/p99 (ms) per path overall and p50 per
query, and the ratios api_es/direct and api_db/api_es.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from urllib.parse import urlencode

from bench.common import (
    UNTHROTTLED,
    Gunicorn,
    ensure_data,
    http_get,
    median,
    officer_token,
    percentile,
    print_table,
    setup,
    write_results,
)
from bench.explain import BROAD_QUERY, TEXT_QUERY, sequential_scan_of_search_table, text_query_plan

QUERIES: list[tuple[str, dict]] = [
    ("ko: product", {"q": "공기청정기"}),
    ("ko: particles", {"q": "상생협력제품을 찾습니다"}),
    ("ko: compound", {"q": "평판조명"}),
    ("ko: two words", {"q": "학교 급식"}),
    ("ko: long", {"q": "태양광 발전설비 공사 전문 업체"}),
    ("en: product", {"q": "air purifier"}),
    ("en: typo", {"q": "purifer"}),
    ("en: short", {"q": "LED"}),
    ("id: classification", {"q": "39111605"}),
    ("filter: sector", {"q": "유지관리", "sector": "services"}),
    ("filter: region+price", {"q": "책상", "region": "11", "price_min": 50000, "price_max": 300000}),
    ("filter: classification", {"classification": "3911"}),
    ("browse: all facets", {}),
    ("browse: price asc", {"sort": "price_asc", "sector": "goods"}),
    ("browse: newest", {"sort": "newest"}),
    ("deep: page 100", {"q": "제품", "page": 100}),
    ("deep: page 400 x 25", {"sort": "price_desc", "page": 400, "page_size": 25}),
    ("filter: expiring", {"expiring_soon": "true", "sort": "newest"}),
]


def _query_from(params: dict):
    from search.api.serializers import SearchParamsSerializer

    serializer = SearchParamsSerializer(data={k: str(v) for k, v in params.items()})
    serializer.is_valid(raise_exception=True)
    return serializer.to_query()


def capture_bodies(backend) -> dict[str, dict]:
    """The request body our backend sends for each query (the direct path replays it verbatim)."""
    captured: dict[str, dict] = {}
    client = backend.client
    original = client.search
    try:
        for name, params in QUERIES:

            def record(*args, _name=name, **kwargs):
                captured[_name] = kwargs["body"]
                return original(*args, **kwargs)

            client.search = record
            backend.search(_query_from(params))
    finally:
        client.search = original
    return captured


def measure(rounds: int, warmup: int, call) -> dict[str, list[float]]:
    """Seconds per query name, query order rotated each round so no query always runs cold or first."""
    times: dict[str, list[float]] = {name: [] for name, _ in QUERIES}
    for round_ in range(warmup + rounds):
        shift = round_ % len(QUERIES)
        for name, params in QUERIES[shift:] + QUERIES[:shift]:
            seconds = call(name, params)
            if round_ >= warmup:
                times[name].append(seconds)
    return times


def api_caller(port: int, token: str):
    def call(name: str, params: dict) -> float:
        status, body, seconds = http_get(port, f"/api/v1/search/?{urlencode(params)}", token)
        if status != 200:
            raise SystemExit(f"{name}: HTTP {status} {body[:300]!r}")
        return seconds

    return call


def vendor() -> str:
    from django.db import connection

    return connection.vendor


def report_database(db, rebuild: bool, built: dict[str, float]) -> list[str]:
    """Time a full database rebuild when asked; the query plans of a typical and a broad text query."""
    from search import sync

    if rebuild:
        started = time.perf_counter()
        stats = sync.rebuild(db)
        built[f"database_rebuild_{vendor()}"] = round(time.perf_counter() - started, 1)
        print(f"rebuilt the database backend: {stats.indexed:,} rows", file=sys.stderr)
    lines = text_query_plan()
    broad = text_query_plan(BROAD_QUERY, relaxed=True)
    if sequential_scan_of_search_table(lines) or sequential_scan_of_search_table(broad):
        print("WARNING: a text query scans the search table", file=sys.stderr)
    return [*lines, f"-- {BROAD_QUERY!r} (relaxed):", *broad]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--listings", type=int, default=100_000, help="generated when the database is empty")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--keep", action="store_true", help="keep the bench index afterwards")
    parser.add_argument("--no-db", action="store_true", help="skip the database backend (slow at 100,000)")
    parser.add_argument(
        "--sqlite", metavar="PATH", help="run everything on this SQLite file instead of DATABASE_URL"
    )
    parser.add_argument(
        "--rebuild-db", action="store_true", help="time a full rebuild of the database backend"
    )
    args = parser.parse_args()
    if args.sqlite:
        os.environ["DATABASE_URL"] = f"sqlite:///{os.path.abspath(args.sqlite)}"

    setup()
    from search.backends import get_backend
    from search.documents import listed_count

    listings = ensure_data(args.listings)
    es, db = get_backend("elasticsearch"), get_backend("database")
    built: dict[str, float] = {}
    for backend in (es,) if args.no_db else (es, db):
        started = time.perf_counter()
        if backend.ensure():
            built[backend.name] = round(time.perf_counter() - started, 1)
            print(f"built the {backend.name} index in {built[backend.name]} s", file=sys.stderr)
    explained: list[str] = []
    if not args.no_db:
        explained = report_database(db, args.rebuild_db, built)
    listed = listed_count()
    token = officer_token()
    bodies = capture_bodies(es)

    paths: dict[str, dict[str, list[float]]] = {}
    print("direct Elasticsearch …", file=sys.stderr, flush=True)
    client = es.client

    def direct(name: str, params: dict) -> float:
        started = time.perf_counter()
        client.search(index=es.alias, body=bodies[name])
        return time.perf_counter() - started

    paths["direct"] = measure(args.rounds, args.warmup, direct)

    print("backend in process …", file=sys.stderr, flush=True)
    queries = {name: _query_from(params) for name, params in QUERIES}

    def in_process(name: str, params: dict) -> float:
        started = time.perf_counter()
        es.search(queries[name])
        return time.perf_counter() - started

    paths["backend"] = measure(args.rounds, args.warmup, in_process)

    servers = [("api_es", "elasticsearch")] + ([] if args.no_db else [("api_db", "database")])
    for label, backend_name in servers:
        print(f"{label}: gunicorn --workers {args.workers} …", file=sys.stderr, flush=True)
        with Gunicorn(args.workers, env={**UNTHROTTLED, "SEARCH_BACKEND": backend_name}) as server:
            paths[label] = measure(args.rounds, args.warmup, api_caller(server.port, token))

    if not args.keep:
        for name in es.client.indices.get(index=f"{es.alias}-v*", allow_no_indices=True):
            es.client.indices.delete(index=name, ignore_unavailable=True)

    order = [path for path in ("direct", "backend", "api_es", "api_db") if path in paths]
    overall = []
    for path in order:
        values = [s * 1000 for series in paths[path].values() for s in series]
        overall.append(
            {
                "path": path,
                "requests": len(values),
                "p50_ms": round(percentile(values, 50), 1),
                "p95_ms": round(percentile(values, 95), 1),
                "p99_ms": round(percentile(values, 99), 1),
                "mean_ms": round(sum(values) / len(values), 1),
            }
        )
    by_path = {row["path"]: row for row in overall}
    ratios = {
        f"api_es_vs_direct_{p}": round(by_path["api_es"][f"{p}_ms"] / by_path["direct"][f"{p}_ms"], 2)
        for p in ("p50", "p95", "p99")
    }
    if "api_db" in by_path:
        ratios.update(
            {
                f"api_db_vs_api_es_{p}": round(by_path["api_db"][f"{p}_ms"] / by_path["api_es"][f"{p}_ms"], 2)
                for p in ("p50", "p95", "p99")
            }
        )
    per_query = []
    for name, _ in QUERIES:
        row = {"query": name}
        for path in order:
            row[f"{path}_p50"] = round(median(paths[path][name]) * 1000, 1)
        per_query.append(row)

    print(f"\nsearch latency, {listed:,} listed documents, {args.rounds} rounds × {len(QUERIES)} queries")
    print_table(overall, ["path", "requests", "p50_ms", "p95_ms", "p99_ms", "mean_ms"])
    print()
    print_table(per_query, ["query", *(f"{p}_p50" for p in order)])
    print("\nratios: " + ", ".join(f"{k} {v}×" for k, v in ratios.items()))
    if explained:
        print(f"\nquery plans of the database backend's text queries {TEXT_QUERY!r} and {BROAD_QUERY!r}:")
        print("\n".join("  " + line for line in explained))
    if built:
        print("build/rebuild seconds: " + ", ".join(f"{k} {v}" for k, v in built.items()))
    write_results(
        "search_latency",
        {
            "listings": listings,
            "listed": listed,
            "rounds": args.rounds,
            "workers": args.workers,
            "conn_max_age": os.environ.get("DATABASE_CONN_MAX_AGE", "0"),
            "queries": [{"name": n, "params": p} for n, p in QUERIES],
            "overall": overall,
            "per_query": per_query,
            "ratios": ratios,
            "database_vendor": vendor(),
            "query_plan": explained,
            "build_seconds": built,
            "bodies": bodies,
        },
    )


if __name__ == "__main__":
    main()
