"""API throughput under concurrent load: catalog list and search, gunicorn as in production.

    .venv/bin/python -m bench.throughput                      # 100,000 listings, 8 clients, 400 requests each
    .venv/bin/python -m bench.throughput --concurrency 16 --requests 1000 --workers 2

DATABASE_URL (default: the local bench database) is migrated and filled with --listings generated rows
when empty; the Elasticsearch index (prefix ``bench``) is built when missing. gunicorn serves
``config.wsgi`` on 127.0.0.1 (``--workers``, sync workers, SEARCH_BACKEND=elasticsearch, search throttle
lifted). A second process generates the load: --concurrency threads, each on its own connections
(``http.client``), share a fixed number of --requests per scenario, stopped by --time-limit seconds:

* ``catalog`` — GET /api/v1/listings/ pages 1–50 (20 per page, the default ordering);
* ``search``  — GET /api/v1/search/ cycling through the latency benchmark's mixed query set;
* ``mixed``   — the two alternating.

Reports requests/s, p50/p95/p99 latency and errors per scenario. Only loopback is ever contacted.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from urllib.parse import urlencode

from bench.common import (
    ROOT,
    UNTHROTTLED,
    Gunicorn,
    configure,
    ensure_data,
    http_get,
    officer_token,
    percentile,
    print_table,
    setup,
    write_results,
)

SCENARIOS = ("catalog", "search", "mixed")


def paths_for(scenario: str) -> list[str]:
    from bench.search_latency import QUERIES

    catalog = [f"/api/v1/listings/?page={page}" for page in range(1, 51)]
    search = [f"/api/v1/search/?{urlencode(params)}" for _, params in QUERIES]
    if scenario == "catalog":
        return catalog
    if scenario == "search":
        return search
    return [path for pair in zip(catalog, search * 3, strict=False) for path in pair]


def load(port: int, token: str, scenario: str, concurrency: int, requests: int, time_limit: float) -> dict:
    """The load generator (runs in its own process): fixed request budget, bounded in time."""
    paths = paths_for(scenario)
    lock = threading.Lock()
    counter = iter(range(requests))
    latencies: list[float] = []
    errors: dict[str, int] = {}
    deadline = time.monotonic() + time_limit

    def worker() -> None:
        while time.monotonic() < deadline:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            try:
                status, _, seconds = http_get(port, paths[n % len(paths)], token, timeout=30)
            except OSError as exc:
                with lock:
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                continue
            with lock:
                if status == 200:
                    latencies.append(seconds)
                else:
                    errors[str(status)] = errors.get(str(status), 0) + 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ms = [s * 1000 for s in latencies]
    return {
        "scenario": scenario,
        "ok": len(ms),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "seconds": round(elapsed, 2),
        "req_per_s": round(len(ms) / elapsed, 1),
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "timed_out": time.monotonic() >= deadline,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--listings", type=int, default=100_000, help="generated when the database is empty")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--requests", type=int, default=400, help="per scenario")
    parser.add_argument("--time-limit", type=float, default=120, help="seconds per scenario")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--keep", action="store_true", help="keep the bench index afterwards")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        configure()
        result = load(args.port, args.token, args.child, args.concurrency, args.requests, args.time_limit)
        print(json.dumps(result))
        return

    setup()
    from search.backends import get_backend

    listings = ensure_data(args.listings)
    es = get_backend("elasticsearch")
    es.ensure()
    token = officer_token()
    rows = []
    with Gunicorn(args.workers, env={**UNTHROTTLED, "SEARCH_BACKEND": "elasticsearch"}) as server:
        for scenario in args.scenarios.split(","):
            # warm both workers (Kiwi model, connections) outside the measurement
            for path in paths_for(scenario)[:6]:
                http_get(server.port, path, token)
            print(f"{scenario}: {args.concurrency} clients …", file=sys.stderr, flush=True)
            command = [sys.executable, "-m", "bench.throughput", "--child", scenario]
            command += ["--port", str(server.port), "--token", token]
            command += ["--concurrency", str(args.concurrency), "--requests", str(args.requests)]
            command += ["--time-limit", str(args.time_limit)]
            output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
            rows.append(json.loads(output.stdout.strip().splitlines()[-1]))
    if not args.keep:
        for name in es.client.indices.get(index=f"{es.alias}-v*", allow_no_indices=True):
            es.client.indices.delete(index=name, ignore_unavailable=True)

    print(
        f"\nAPI throughput, {listings:,} listings, gunicorn --workers {args.workers}, "
        f"{args.concurrency} concurrent clients"
    )
    print_table(rows, ["scenario", "ok", "errors", "seconds", "req_per_s", "p50_ms", "p95_ms", "p99_ms"])
    write_results(
        "throughput",
        {"listings": listings, "workers": args.workers, "concurrency": args.concurrency, "rows": rows},
    )


if __name__ == "__main__":
    main()
