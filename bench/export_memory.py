"""Peak memory of a Nara feed export at growing catalog sizes: it must stay flat.

    .venv/bin/python bench/export_memory.py                       # 10k and 100k rows, every format
    .venv/bin/python bench/export_memory.py --sizes 1000,10000 --formats csv --tracemalloc

For each size a fresh SQLite database (or --database-url, which must point to an empty, disposable
database) is migrated and filled by ``bench.generate`` (bulk inserts). Each export then runs in its own
child process, so ``ru_maxrss`` (the process's peak resident set) belongs to that export alone. The
table shows the peak RSS, its growth over the child's baseline after Django start-up and a warm-up
export of the empty scope, and with --tracemalloc the peak of the Python heap during the export
(tracemalloc slows the export about threefold). Flat means the growth column does not scale with rows.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup(database_url: str, media_root: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_MEDIA_ROOT"] = media_root
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # DEBUG keeps the SQL of the last 9,000 queries (bulk inserts of 2,000 rows are large): measure the
    # production configuration, not the development query log
    os.environ["DJANGO_DEBUG"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _rss_mib() -> float:
    # ru_maxrss is KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(export_format: str, use_tracemalloc: bool, feed_version: str | None = None) -> dict:
    from catalog.feeds import services

    # warm-up: imports, connections, caches, the first query plans; an impossible supplier keeps it empty
    services.run_export(
        None, export_format=export_format, feed_version=feed_version, filters={"supplier": [10**12]}
    )
    baseline = _rss_mib()
    if use_tracemalloc:
        import tracemalloc

        tracemalloc.start()
    started = time.perf_counter()
    job = services.run_export(None, export_format=export_format, feed_version=feed_version)
    seconds = time.perf_counter() - started
    heap_peak = None
    if use_tracemalloc:
        heap_peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
    if job.status != "succeeded":
        raise SystemExit(f"export failed: {job.error_message}")
    return {
        "rows": job.row_count,
        "rejected": job.rejected_count,
        "seconds": round(seconds, 1),
        "file_mib": round(job.file_size / 1024 / 1024, 1),
        "baseline_mib": round(baseline, 1),
        "peak_mib": round(_rss_mib(), 1),
        "heap_peak_mib": round(heap_peak, 1) if heap_peak is not None else None,
    }


def prepare(size: int, database_url: str, media_root: str) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_MEDIA_ROOT": media_root,
        "LOG_LEVEL": "WARNING",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--verbosity", "0"], check=True, env=env, cwd=ROOT)
    subprocess.run(
        [sys.executable, "-m", "bench.generate", "--listings", str(size)],
        check=True,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--formats", default="csv,xlsx,jsonl")
    parser.add_argument("--database-url", help="an empty disposable database (default: temp SQLite)")
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-db", help=argparse.SUPPRESS)
    parser.add_argument("--child-media", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        _setup(args.child_db, args.child_media)
        print(json.dumps(child(args.child, args.tracemalloc)))
        return

    sizes = [int(value) for value in args.sizes.split(",")]
    formats = args.formats.split(",")
    results = []
    with tempfile.TemporaryDirectory(prefix="export-memory-") as folder:
        for size in sizes:
            if args.database_url:
                if len(sizes) > 1:
                    raise SystemExit("--database-url takes one size per run (the database is not emptied)")
                database_url = args.database_url
            else:
                database_url = f"sqlite:///{folder}/bench-{size}.sqlite3"
            media = f"{folder}/media-{size}"
            print(f"generating {size:,} listings …", file=sys.stderr, flush=True)
            prepare(size, database_url, media)
            for export_format in formats:
                print(f"exporting {size:,} as {export_format} …", file=sys.stderr, flush=True)
                command = [
                    sys.executable,
                    __file__,
                    "--child",
                    export_format,
                    "--child-db",
                    database_url,
                    "--child-media",
                    media,
                ]
                if args.tracemalloc:
                    command.append("--tracemalloc")
                output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
                result = json.loads(output.stdout.strip().splitlines()[-1])
                results.append({"listings": size, "format": export_format, **result})

    header = ["listings", "format", "rows", "rejected", "seconds", "file_mib", "baseline_mib", "peak_mib"]
    header += ["growth_mib"] + (["heap_peak_mib"] if args.tracemalloc else [])
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for result in results:
        result["growth_mib"] = round(result["peak_mib"] - result["baseline_mib"], 1)
        print(" | ".join(str(result[key]) for key in header))


if __name__ == "__main__":
    main()
