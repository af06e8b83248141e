"""Full Nara feed export in CSV, XLSX and JSONL vs a plain ``values_list`` iteration writing the same CSV.

    .venv/bin/python -m bench.export                         # 100,000 listings, every format, 1 run
    .venv/bin/python -m bench.export --runs 3 --formats csv,plain

DATABASE_URL (default: the local bench database) is migrated and filled with --listings generated rows
when empty. Every export runs in its own child process (as in ``bench/export_memory.py``, whose child it
reuses), so the peak resident set (``ru_maxrss``) belongs to that export alone; ``growth_mib`` is the peak
over the child's baseline after Django start-up and a warm-up export of an empty scope.

* ``csv`` / ``xlsx`` / ``jsonl`` — ``catalog.feeds.services.run_export`` (what ``manage.py export_nara``
  and the admin run): rows, validation, the manifest that later delta feeds compare against, SHA-256.
  In the default feed version (2.0); ``csv@1.0`` (any format, ``@`` and a version) measures another.
* ``plain`` — the ceiling: one ``values_list`` query over the listed catalog (regions aggregated in SQL),
  streamed with ``iterator()`` into ``csv.writer`` with the same 32 columns and labels, nothing else.

Memory flat in N: run at two sizes (two databases) and compare ``growth_mib``; ``bench/export_memory.py``
does that on throw-away SQLite databases.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time

from bench.common import ROOT, configure, ensure_data, median, print_table, rss_mib, setup, write_results

FORMATS = ("csv", "xlsx", "jsonl", "plain")


def plain_child() -> dict:
    from django.conf import settings
    from django.contrib.postgres.aggregates import StringAgg
    from django.db import connection
    from django.db.models import Value

    from catalog.feeds.nara import FEED_VERSION, LABELS
    from catalog.selectors import listed_listings

    def queryset():
        queryset = listed_listings().order_by("pk")
        if connection.vendor == "postgresql":
            queryset = queryset.annotate(
                region_codes=StringAgg(
                    "delivery_regions__code", delimiter=";", ordering="delivery_regions__code"
                )
            )
        else:
            queryset = queryset.annotate(region_codes=Value(""))
        return queryset.values_list(
            "classification_code",
            "goods_identification_number",
            "specification",
            "unit_price",
            "unit",
            "manufacturer",
            "origin",
            "delivery_lead_days",
            "supplier__name",
            "supplier__business_number",
            "certificate__number",
            "created_at",
            "updated_at",
            "name",
            "min_order_quantity",
            "region_codes",
            "sector",
            "certificate__partner__name",
            "certificate__partner__business_number",
            "certificate__issued_on",
            "certificate__expires_on",
            "pk",
        )

    with tempfile.TemporaryDirectory(prefix="plain-feed-") as folder:
        # warm-up on an empty scope, as the feed children do
        list(queryset().filter(pk__lt=0))
        baseline = rss_mib()
        started = time.perf_counter()
        rows = 0
        path = os.path.join(folder, "plain.csv")
        with open(path, "w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow(LABELS)
            for (code, gin, spec, price, unit, maker, origin, lead, corp, bizno, cert, created, updated, name,
                 moq, regions, sector, partner, partner_bizno, issued, expires, pk) in queryset().iterator(
                chunk_size=2000
            ):  # fmt: skip
                writer.writerow(
                    (code[:8], "", code if len(code) == 10 else "", "", gin or "", spec, price, unit, maker,
                     origin, lead, corp, bizno, f"상생협력제품({cert})", "", created.isoformat(),
                     updated.isoformat(), name, moq, regions, regions, sector, partner, partner_bizno, cert,
                     issued.isoformat(), expires.isoformat(), f"{settings.SITE_BASE_URL}/products/{pk}/",
                     pk, "", "", FEED_VERSION)
                )  # fmt: skip
                rows += 1
        seconds = time.perf_counter() - started
        size = os.path.getsize(path)
    return {
        "rows": rows,
        "seconds": seconds,
        "file_mib": round(size / 1024 / 1024, 1),
        "baseline_mib": round(baseline, 1),
        "peak_mib": round(rss_mib(), 1),
    }


def child(export_format: str) -> dict:
    setup()
    if export_format == "plain":
        return plain_child()
    from bench.export_memory import child as feed_child

    feed_format, _, version = export_format.partition("@")
    with tempfile.TemporaryDirectory(prefix="bench-export-media-") as media:
        from django.conf import settings

        settings.MEDIA_ROOT = media
        return feed_child(feed_format, use_tracemalloc=False, feed_version=version or None)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--listings", type=int, default=100_000, help="generated when the database is empty")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--runs", type=int, default=1, help="runs of each format; the table shows medians")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        print(json.dumps(child(args.child), default=str))
        return

    setup()
    listings = ensure_data(args.listings)
    configure()
    formats = args.formats.split(",")
    runs: dict[str, list[dict]] = {name: [] for name in formats}
    for run in range(args.runs):
        for name in formats:
            print(f"run {run + 1}/{args.runs}: {name} …", file=sys.stderr, flush=True)
            output = subprocess.run(
                [sys.executable, "-m", "bench.export", "--child", name],
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            runs[name].append(json.loads(output.stdout.strip().splitlines()[-1]))

    rows = []
    for name, results in runs.items():
        seconds = median([r["seconds"] for r in results])
        peak = median([r["peak_mib"] for r in results])
        baseline = median([r["baseline_mib"] for r in results])
        rows.append(
            {
                "format": name,
                "rows": results[0]["rows"],
                "seconds": round(seconds, 2),
                "rows_per_s": round(results[0]["rows"] / seconds, 1),
                "file_mib": results[0]["file_mib"],
                "peak_rss_mib": peak,
                "growth_mib": round(peak - baseline, 1),
            }
        )
    by_name = {row["format"]: row for row in rows}
    ratios = {}
    if "plain" in by_name:
        for name in by_name:
            if name != "plain":
                ratios[f"{name}_vs_plain_time"] = round(
                    by_name[name]["seconds"] / by_name["plain"]["seconds"], 2
                )
    print(f"\nfull Nara feed of {listings:,} listings, median of {args.runs} run(s)")
    print_table(rows, ["format", "rows", "seconds", "rows_per_s", "file_mib", "peak_rss_mib", "growth_mib"])
    print("\nratios (time): " + ", ".join(f"{k} {v}×" for k, v in ratios.items()))
    write_results(
        "export", {"listings": listings, "runs": args.runs, "rows": rows, "ratios": ratios, "raw": runs}
    )


if __name__ == "__main__":
    main()
