"""Full reindex of the listed catalog into Elasticsearch: ours vs the raw bulk ceiling vs django-elasticsearch-dsl.

    .venv/bin/python -m bench.reindex                         # 100,000 listings, 1 run of each
    .venv/bin/python -m bench.reindex --listings 20000 --runs 3

Needs ``pip install -r bench/requirements.txt``. DATABASE_URL (default: the local bench database) is
migrated and, when empty, filled with --listings generated rows; a database that already holds listings is
used as it is. Each contender runs in its own process (fresh Kiwi caches, its own peak RSS):

* ``ours-cold`` — ``manage.py search_index rebuild --backend elasticsearch --reanalyze``: builds every
                  document from scratch (catalog read, Kiwi morpheme analysis of all its texts) on one
                  worker process per core (``search.builders``), stores it (``search.store``) and streams
                  bulk requests into a new versioned index with refresh off, then refreshes, swaps the
                  alias and catches up. What a rebuild costs after the document code or Kiwi changed.
* ``ours``      — the same command without the option, run after ``ours-cold``: reads the catalog again
                  and re-sends the stored JSON of every product whose catalog rows are unchanged (all of
                  them here), as every rebuild does while the outbox keeps the store current. What a
                  rebuild costs for a mapping change or a lost index.
* ``raw``       — the ceiling: the same pre-serialised documents, read from the store beforehand (not
                  timed; reported apart as ``build_s``), sent with ``elasticsearch.helpers.parallel_bulk``
                  (2 threads, 500 per request) into a fresh index with the same mapping and refresh off,
                  then refreshed.
* ``ded``       — django-elasticsearch-dsl's ``search_index --rebuild -f`` with its defaults, for a Document
                  with the equivalent mapping and the same documents (``bench/documents.py``).
* ``ded-parallel`` (``--ded-parallel``) — the same with its ``--parallel`` option.

Indices use the ELASTICSEARCH_INDEX_PREFIX (default ``bench``) and are deleted at the end. ``cpu_s`` is the
CPU time (user + system) of the contender's process and of its build workers, Kiwi's model load excluded:
on a shared machine the wall clock follows the others' load, the CPU seconds show the work done.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

from bench.common import ROOT, configure, median, print_table, rss_mib, setup, write_results

SETTINGS = "bench.settings"


def _count(client, index: str) -> int:
    client.indices.refresh(index=index)
    return int(client.count(index=index)["count"])


def run_ours(reanalyze: bool) -> dict:
    from django.core.management import call_command

    from search.backends import get_backend
    from search.es_client import get_client

    backend = get_backend("elasticsearch")
    options = ["rebuild", "--backend", "elasticsearch", "--no-progress"]
    options += ["--reanalyze"] if reanalyze else []
    started = time.perf_counter()
    call_command("search_index", *options, verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "documents": _count(get_client(), backend.alias)}


def run_raw(threads: int, chunk: int) -> dict:
    from django.conf import settings
    from elasticsearch.helpers import parallel_bulk

    from search.backends import get_backend
    from search.es_client import get_client
    from search.store import iter_all

    built = time.perf_counter()
    documents = list(iter_all())
    build_seconds = time.perf_counter() - built
    client = get_client()
    index = f"{settings.ELASTICSEARCH_INDEX_PREFIX}-raw-products"
    client.indices.delete(index=index, ignore_unavailable=True)
    started = time.perf_counter()
    get_backend("elasticsearch").indices.create(index, loading=True)
    actions = (
        {"_op_type": "index", "_index": index, "_id": str(listing_id), "_source": body}
        for listing_id, body in documents
    )
    failed = sum(
        1 for ok, _ in parallel_bulk(client, actions, thread_count=threads, chunk_size=chunk) if not ok
    )
    client.indices.put_settings(index=index, settings={"index": {"refresh_interval": None}})
    client.indices.refresh(index=index)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "build_s": build_seconds,
        "documents": _count(client, index),
        "failed": failed,
    }


def run_ded(parallel: bool) -> dict:
    from django.core.management import call_command
    from django_elasticsearch_dsl.management.commands.search_index import Command

    from bench.documents import DedProductDocument
    from search.es_client import get_client

    options = ["--rebuild", "-f", "--models", "catalog.ProductListing"]
    options.append("--parallel" if parallel else "--no-parallel")
    started = time.perf_counter()
    # the command object directly: its name clashes with ours, which wins in INSTALLED_APPS order
    call_command(Command(), *options, stdout=open("/dev/null", "w"))  # noqa: SIM115
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "documents": _count(get_client(), DedProductDocument._index._name)}


def _cpu_seconds() -> float:
    """User + system CPU of this process and of the processes it waited for (build workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def child(contender: str, threads: int, chunk: int) -> dict:
    setup(SETTINGS)
    from search.analysis import get_kiwi

    get_kiwi()  # model load (~1 s) is start-up, not indexing, for every contender
    cpu_before = _cpu_seconds()
    if contender in {"ours", "ours-cold"}:
        result = run_ours(reanalyze=contender == "ours-cold")
    elif contender == "raw":
        result = run_raw(threads, chunk)
    else:
        result = run_ded(parallel=contender == "ded-parallel")
    result["peak_rss_mib"] = rss_mib()
    # on a shared machine the wall clock depends on the others' load; CPU seconds show the work done
    result["cpu_s"] = _cpu_seconds() - cpu_before
    return result


def cleanup() -> None:
    from django.conf import settings

    from search.es_client import get_client

    client = get_client()
    prefix = settings.ELASTICSEARCH_INDEX_PREFIX
    for pattern in (f"{prefix}-products*", f"{prefix}-raw-products", f"{prefix}-ded-products*"):
        for name in client.indices.get(index=pattern, allow_no_indices=True, ignore_unavailable=True):
            client.indices.delete(index=name, ignore_unavailable=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--listings", type=int, default=100_000, help="generated when the database is empty")
    parser.add_argument("--runs", type=int, default=1, help="runs of each contender; the table shows medians")
    parser.add_argument(
        "--contenders", default="ours-cold,ours,raw,ded", help="any of ours-cold,ours,raw,ded,ded-parallel"
    )
    parser.add_argument("--ded-parallel", action="store_true", help="add ded-parallel to the contenders")
    parser.add_argument("--threads", type=int, default=2, help="parallel_bulk threads of the raw ceiling")
    parser.add_argument(
        "--chunk", type=int, default=500, help="documents per bulk request of the raw ceiling"
    )
    parser.add_argument("--keep", action="store_true", help="keep the indices")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        print(json.dumps(child(args.child, args.threads, args.chunk)))
        return

    setup(SETTINGS)
    from bench.common import ensure_data
    from search.documents import listed_count

    listings = ensure_data(args.listings)
    listed = listed_count()
    contenders = args.contenders.split(",") + (["ded-parallel"] if args.ded_parallel else [])
    configure(SETTINGS)
    runs: dict[str, list[dict]] = {name: [] for name in contenders}
    for run in range(args.runs):
        for name in contenders:
            print(f"run {run + 1}/{args.runs}: {name} …", file=sys.stderr, flush=True)
            command = [sys.executable, "-m", "bench.reindex", "--child", name]
            command += ["--threads", str(args.threads), "--chunk", str(args.chunk)]
            output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
            result = json.loads(output.stdout.strip().splitlines()[-1])
            if result["documents"] != listed:
                raise SystemExit(f"{name} indexed {result['documents']} documents, {listed} are listed")
            runs[name].append(result)
    if not args.keep:
        cleanup()

    rows = []
    for name, results in runs.items():
        seconds = median([r["seconds"] for r in results])
        row = {
            "contender": name,
            "documents": listed,
            "seconds": round(seconds, 2),
            "docs_per_s": round(listed / seconds, 1),
            "peak_rss_mib": round(median([r["peak_rss_mib"] for r in results]), 1),
            "cpu_s": round(median([r["cpu_s"] for r in results]), 1),
        }
        if name == "raw":
            row["build_s"] = round(median([r["build_s"] for r in results]), 2)
        rows.append(row)
    by_name = {row["contender"]: row for row in rows}
    ratios = {}
    for ours in ("ours", "ours-cold"):
        for other in ("raw", "ded", "ded-parallel"):
            if ours in by_name and other in by_name:
                ratios[f"{ours}_vs_{other}"] = round(
                    by_name[ours]["docs_per_s"] / by_name[other]["docs_per_s"], 2
                )
    print(
        f"\nfull reindex of {listed:,} listed documents ({listings:,} listings), median of {args.runs} run(s)"
    )
    print_table(rows, ["contender", "documents", "seconds", "docs_per_s", "cpu_s", "peak_rss_mib", "build_s"])
    print("\nratios (docs/s): " + ", ".join(f"{key} {value}×" for key, value in ratios.items()))
    write_results(
        "reindex",
        {
            "listings": listings,
            "listed": listed,
            "runs": args.runs,
            "rows": rows,
            "ratios": ratios,
            "raw": runs,
        },
    )


if __name__ == "__main__":
    main()
