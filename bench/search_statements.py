"""Where a database-backend search spends its time: per query of ``bench.search_latency.QUERIES``, the
whole search in process, its page statement alone (``DatabaseBackend._page_rows``) and its total/facet statement
alone (median ms).

    DATABASE_URL=…/bench_pg python -m bench.search_statements --rounds 5 --query "ko: long"

The plan is the one the backend runs (relaxed when the strict plan finds nothing), and the statements run
under the backend's settings for a text condition (``text_index_scans``).
"""

from __future__ import annotations

import argparse
import time
from contextlib import nullcontext

from bench.common import median, setup


def timed(call, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return round(median(times), 1)


def profile(backend, query, rounds: int) -> tuple[float, float, float]:
    """(whole search, page statement, total/facet statement) in ms, medians of ``rounds``."""
    from django.db.models import Q

    from catalog.visibility import expiring_soon_cutoff
    from search.backends.database import TERMS_FACETS
    from search.plan import build_plan

    plan = build_plan(query.text, backend.vocabulary)
    if plan.can_relax and backend._execute(query, plan).total == 0:
        plan = plan.relax()
    base = backend._filtered(backend._visible(), query.filters)
    matched = backend._matched(base, plan)
    texts = backend.text.condition(plan) not in (None, Q())
    settings = backend.text.text_index_scans if texts else nullcontext

    def page() -> None:
        with settings():
            backend._page_rows(query, plan, base, matched)

    def facets() -> None:
        with settings():
            if backend._counts(query, texts) is None:
                backend.text.facet_counts(matched, TERMS_FACETS, expiring_soon_cutoff())

    return timed(lambda: backend.search(query), rounds), timed(page, rounds), timed(facets, rounds)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--query", action="append", help="a query name of bench.search_latency (repeatable)")
    args = parser.parse_args()
    setup()
    from bench.search_latency import QUERIES, _query_from
    from search.backends import get_backend

    backend = get_backend("database")
    for name, params in QUERIES:
        if args.query and name not in args.query:
            continue
        whole, page, facets = profile(backend, _query_from(params), args.rounds)
        print(f"{name:24s} whole {whole:8} page {page:8} facets {facets:8}", flush=True)


if __name__ == "__main__":
    main()
