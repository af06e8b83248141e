"""Backup and restore drill: a loaded catalog is dumped, restored into a fresh database with its files, the
search index rebuilt, and the restored copy must answer the same searches and export the same feed.

    python bench/drill_backup.py                  # private services (bench/drills.py), demo catalog
    python bench/drill_backup.py --keep           # leave both databases and folders for inspection

Steps (the runbook in docs/operations.md, "Backup and restore", done by a script):

1. the source: database ``drill_source`` migrated and loaded (``load_demo_data``: the generated catalog,
   applications with evidence files), listing images added through the catalog service, the index built;
   its search answers (queries taken from the catalog's own product names), a CSV feed export (sha256),
   and every stored file's sha256 are recorded;
2. backup: ``pg_dump --format=custom`` and a tar of ``MEDIA_ROOT`` (evidence, exports, public images);
3. restore: a fresh database ``drill_restored`` (``pg_restore --no-owner``), the tar unpacked into a
   fresh ``MEDIA_ROOT``, ``manage.py migrate`` (a no-op unless the code is newer), and
   ``manage.py search_index rebuild`` into a fresh index prefix;
4. compare: the same search answers (ids, order, totals), the same feed sha256, every file present with
   the same sha256. Exit status 1 on any difference.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import write_results
from bench.drills import Private, add_service_arguments, django_snippet, manage, request, web

SOURCE, RESTORED = "drill_source", "drill_restored"

ADD_IMAGES = """
import io
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from catalog import services
from catalog.models import ProductListing
from certification.identity import company_id_of
user = get_user_model().objects.get(username="supplier1")
ids = list(ProductListing.objects.filter(supplier_id=company_id_of(user)).order_by("pk").values_list("pk", flat=True)[:3])
for i, pk in enumerate(ids):
    if ProductListing.objects.get(pk=pk).image:
        continue
    buffer = io.BytesIO()
    Image.new("RGB", (64 + i, 48), (40 * i, 120, 200)).save(buffer, "PNG")
    services.update_listing(user, listing_id=pk, image=SimpleUploadedFile(f"p{i}.png", buffer.getvalue(), "image/png"))
result = ids
"""

# the catalog's own words: the first word of every 97th listed product's name, and its classification code
QUERIES = """
from catalog.models import ProductListing
from catalog.visibility import listed_q
from django.utils import timezone
rows = list(ProductListing.objects.filter(listed_q(timezone.localdate())).order_by("pk").values_list("name", "classification_code")[::97][:12])
result = [{"q": name.split()[0]} for name, _ in rows] + [{"classification_code": code} for _, code in rows[:3]]
"""

OFFICER_TOKEN = """
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
result = Token.objects.get_or_create(user=get_user_model().objects.get(username="officer"))[0].key
"""

EXPORT_SHA = """
from catalog.feeds.models import ExportJob
job = ExportJob.objects.order_by("-pk").first()
result = {"sha256": job.sha256, "rows": job.row_count, "status": job.status}
"""

FILES = """
import hashlib
from django.apps import apps
from django.db.models import FileField
found = {}
for model in apps.get_models():
    for field in model._meta.get_fields():
        if isinstance(field, FileField):
            for name in model.objects.exclude(**{field.name: ""}).values_list(field.name, flat=True):
                try:
                    with field.storage.open(name) as handle:
                        found[f"{model._meta.label}.{field.name}:{name}"] = hashlib.sha256(handle.read()).hexdigest()
                except FileNotFoundError:
                    found[f"{model._meta.label}.{field.name}:{name}"] = "MISSING"
result = found
"""


def pg_tool(name: str) -> str:
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[4]))
    return str(candidates[-1]) if candidates else name


def search_answers(env: dict[str, str], queries: list[dict], token: str) -> list[dict]:
    from urllib.parse import urlencode

    answers = []
    with web(env, workers=1) as server:
        # the first request loads the application in the worker: a minute on a busy machine
        request(server.base_url, "/api/v1/public/listings/", timeout=300)
        for params in queries:
            status, _, body = request(
                server.base_url, "/api/v1/search/?" + urlencode(params), token, timeout=300
            )
            data = json.loads(body) if status == 200 else {}
            answers.append(
                {
                    "query": params,
                    "status": status,
                    "total": data.get("total"),
                    "ids": [hit.get("id") for hit in data.get("results", [])],
                }
            )
    return answers


def record(env: dict[str, str], label: str) -> dict:
    manage(env, "export_nara", "--format", "csv", "--no-progress")
    return {
        "feed": django_snippet(env, EXPORT_SHA),
        "files": django_snippet(env, FILES),
        "label": label,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_service_arguments(parser)
    parser.add_argument("--work", type=Path, default=Path("/var/tmp/sangsaeng-drills/backup"))
    parser.add_argument("--keep", action="store_true", help="keep the databases and folders afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse the source a kept run loaded")
    args = parser.parse_args(argv)
    private = Private.from_args(args)
    private.services("start")
    media_source, media_restored = args.work / "media-source", args.work / "media-restored"
    dump, archive = args.work / "catalog.dump", args.work / "media.tar.gz"
    for leftover in (media_restored, args.work / "unpacked", dump, archive):
        shutil.rmtree(leftover, ignore_errors=True) if leftover.is_dir() else leftover.unlink(missing_ok=True)
    source = private.app_env(SOURCE, media=media_source, index_prefix="drill_source")
    restored = private.app_env(RESTORED, media=media_restored, index_prefix="drill_restored")
    timings: dict[str, float] = {}

    def timed(name: str, step):
        started = time.perf_counter()
        value = step()
        timings[name] = round(time.perf_counter() - started, 1)
        print(f"  {name}: {timings[name]} s", flush=True)
        return value

    print("1. source catalog", flush=True)
    if not (args.reuse and private.psql(f"SELECT 1 FROM pg_database WHERE datname = '{SOURCE}'")):
        shutil.rmtree(media_source, ignore_errors=True)
        media_source.mkdir(parents=True)
        private.recreate_database(SOURCE)
        timed("migrate", lambda: manage(source, "migrate", "--noinput", "-v", "0"))
        timed("load_demo_data", lambda: manage(source, "load_demo_data", capture=True))
        timed("images", lambda: django_snippet(source, ADD_IMAGES))
    timed("index", lambda: manage(source, "search_index", "rebuild", "--no-progress", capture=True))
    queries = django_snippet(source, QUERIES)
    token = django_snippet(source, OFFICER_TOKEN)
    before = record(source, "source")
    before["search"] = timed("search before", lambda: search_answers(source, queries, token))

    print("2. backup", flush=True)
    timed(
        "pg_dump",
        lambda: subprocess.run(
            [
                pg_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--file",
                str(dump),
                private.database_url(SOURCE),
            ],
            check=True,
        ),
    )
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(media_source, arcname="media")

    print("3. restore into a fresh database and folder", flush=True)
    private.recreate_database(RESTORED)
    timed(
        "pg_restore",
        lambda: subprocess.run(
            [
                pg_tool("pg_restore"),
                "--no-owner",
                "--exit-on-error",
                "-d",
                private.database_url(RESTORED),
                str(dump),
            ],
            check=True,
        ),
    )
    media_restored.mkdir(parents=True)
    with tarfile.open(archive) as tar:
        tar.extractall(args.work / "unpacked", filter="data")
    (args.work / "unpacked" / "media").rename(media_restored)
    timed("migrate (restored)", lambda: manage(restored, "migrate", "--noinput", "-v", "0"))
    timed(
        "index (restored)", lambda: manage(restored, "search_index", "rebuild", "--no-progress", capture=True)
    )
    after = record(restored, "restored")
    after["search"] = timed("search after", lambda: search_answers(restored, queries, token))

    print("4. compare", flush=True)
    problems = []
    if before["feed"]["sha256"] != after["feed"]["sha256"] or before["feed"]["rows"] != after["feed"]["rows"]:
        problems.append(f"feed differs: {before['feed']} / {after['feed']}")
    # the restored copy also holds the source's export files (they were in the dump and the tar)
    missing = {name: digest for name, digest in before["files"].items() if after["files"].get(name) != digest}
    if missing:
        problems.append(f"{len(missing)} files differ or are missing: {sorted(missing)[:5]}")
    if any(answer["status"] != 200 for answer in before["search"]):
        problems.append("a search failed on the source")
    if before["search"] != after["search"]:
        problems.append("search answers differ")
    payload = {
        "listings_searched": len(queries),
        "feed": {"before": before["feed"], "after": after["feed"]},
        "files": len(before["files"]),
        "file_kinds": sorted({name.split(":")[0] for name in before["files"]}),
        "dump_bytes": dump.stat().st_size,
        "media_archive_bytes": archive.stat().st_size,
        "timings_s": timings,
        "search_same": before["search"] == after["search"],
        "problems": problems,
    }
    print(json.dumps(payload, ensure_ascii=False, indent=2))
    write_results("drill_backup", payload)
    if not args.keep:
        for database in (SOURCE, RESTORED):
            private.psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        shutil.rmtree(args.work, ignore_errors=True)
    print("PASS" if not problems else "FAIL:\n- " + "\n- ".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
