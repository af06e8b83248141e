"""Restart drills against PRIVATE services (bench/drills.py): PostgreSQL restarted under traffic, and
Elasticsearch stopped in the middle of a search rebuild.

    python bench/drill_restarts.py                       # both drills
    python bench/drill_restarts.py --only postgres --down-seconds 10
    python bench/drill_restarts.py --only elasticsearch --listings 30000

**PostgreSQL.** gunicorn (persistent connections, ``DATABASE_CONN_MAX_AGE=60``, so health checks matter)
serves anonymous catalog reads, an officer's searches and a product page from several client threads;
PostgreSQL is stopped (``services.sh stop postgres``, a fast shutdown that ends every connection), kept
down ``--down-seconds`` and started again. Passes when no answer is a 500 (or any 5xx but 503), every 503
under /api/ is the JSON error ``database_unavailable``, answers are 200 again within seconds of the
restart, and the gunicorn workers are the same processes before and after (no process restart).

**Elasticsearch.** A queued rebuild runs on the Celery worker over ``--listings`` generated listings;
while it is indexing, searches are answered from the old index (same total as before); then
Elasticsearch is stopped. Passes when searches answer a JSON 503 (never a 500) while it is down, the
rebuild job ends ``failed`` with its reason, and once Elasticsearch is back the old index still serves
the same total, and a rerun of the rebuild succeeds and serves every listed product.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, write_results
from bench.drills import (
    Private,
    add_service_arguments,
    django_snippet,
    ensure_index,
    manage,
    request,
    wait_for,
    web,
    worker,
)

PEOPLE = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from catalog.models import ProductListing
from certification.roles import Role, ensure_role_groups
ensure_role_groups()
tokens = {}
for name, role in (("drill-admin", Role.ADMIN), ("drill-officer", Role.OFFICER)):
    user, _ = get_user_model().objects.get_or_create(username=name)
    user.groups.add(Group.objects.get(name=role.value))
    tokens[name] = Token.objects.get_or_create(user=user)[0].key
words = [name.split()[0] for name in ProductListing.objects.order_by("pk").values_list("name", flat=True)[::251][:20]]
result = {"tokens": tokens, "words": words, "listing": ProductListing.objects.order_by("pk").values_list("pk", flat=True).first()}
"""

JOB = """
from search.models import RebuildJob
job = RebuildJob.objects.get(pk={pk})
result = {{"status": job.status, "phase": job.phase, "rows_done": job.rows_done, "error": job.error_message, "index": job.index}}
"""


def job_state(private: Private, env: dict[str, str], pk: int) -> dict:
    """The rebuild job's row, read with psql: a Django process per poll takes seconds on a busy machine,
    and the rebuild can finish in between (the drill then never stops Elasticsearch mid-rebuild)."""
    database = env["DATABASE_URL"].rsplit("/", 1)[1]
    row = private.psql(
        f"SELECT status, phase, rows_done, error_message, index FROM search_rebuildjob WHERE id = {int(pk)}",
        database=database,
    )
    status, phase, rows_done, error, index = row.split("|")
    return {"status": status, "phase": phase, "rows_done": int(rows_done), "error": error, "index": index}


def gunicorn_workers(master_pid: int) -> set[int]:
    children: set[int] = set()
    for task in Path(f"/proc/{master_pid}/task").iterdir():
        children.update(int(pid) for pid in (task / "children").read_text().split())
    return children


class Traffic:
    """Client threads issuing requests in a loop; every answer recorded with the time it came back."""

    def __init__(self, base_url: str, paths: list[tuple[str, str | None]], threads: int = 4) -> None:
        self.base_url, self.paths, self.threads = base_url, paths, threads
        self.answers: list[tuple[float, str, int, str, bytes]] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def _loop(self, offset: int) -> None:
        i = offset
        while not self.stop.is_set():
            path, token = self.paths[i % len(self.paths)]
            i += 1
            try:
                status, content_type, body = request(self.base_url, path, token, timeout=120)
            except OSError as error:  # the connection itself failed: gunicorn is gone, never acceptable
                status, content_type, body = 0, "", str(error).encode()
            with self.lock:
                self.answers.append((time.monotonic(), path, status, content_type, body[:300]))
            time.sleep(0.05)

    def __enter__(self) -> Traffic:
        self.workers = [
            threading.Thread(target=self._loop, args=(n,), daemon=True) for n in range(self.threads)
        ]
        for thread in self.workers:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.workers:
            thread.join(timeout=60)


def bad_answers(answers) -> list[str]:
    """Every answer that is not a clean one: a 5xx other than 503, no answer at all, or a 503 under /api/
    that is not the JSON error naming the unavailable service."""
    bad = []
    for _, path, status, content_type, body in answers:
        if status == 503 and path.startswith("/api/"):
            named = any(code in body for code in (b'"database_unavailable"', b'"search_unavailable"'))
            if not (content_type.startswith("application/json") and named):
                bad.append(f"{path}: 503 not the JSON error: {content_type} {body[:120]!r}")
        elif status == 0 or (status >= 500 and status != 503):
            bad.append(f"{path}: {status} {content_type} {body[:120]!r}")
    return bad


def postgres_drill(private: Private, env: dict[str, str], people: dict, down_seconds: float) -> dict:
    officer = people["tokens"]["drill-officer"]
    paths = [
        ("/api/v1/public/listings/", None),
        (f"/api/v1/public/listings/{people['listing']}/", None),
        (f"/api/v1/search/?q={quote(people['words'][0])}", officer),
        (f"/api/v1/listings/{people['listing']}/", officer),
        (f"/products/{people['listing']}/", None),
    ]
    with web({**env, "DATABASE_CONN_MAX_AGE": "60"}, workers=2) as server:
        assert server.process is not None
        before = gunicorn_workers(server.process.pid)
        with Traffic(server.base_url, paths) as traffic:
            time.sleep(5)
            stopped_at = time.monotonic()
            private.services("stop", "postgres")
            time.sleep(down_seconds)
            private.services("start", "postgres")
            started_at = time.monotonic()
            time.sleep(15)
        after = gunicorn_workers(server.process.pid)
    answers = traffic.answers
    during = [a for a in answers if stopped_at <= a[0] <= started_at]
    recovered = [a for a in answers if a[0] > started_at and a[2] == 200]
    first_ok = min((a[0] for a in recovered), default=None)
    tail = [a for a in answers if a[0] > started_at + 10]
    statuses = Counter(a[2] for a in answers)
    result = {
        "requests": len(answers),
        "statuses": dict(statuses),
        "during_outage": dict(Counter(a[2] for a in during)),
        "seconds_to_first_200_after_start": None if first_ok is None else round(first_ok - started_at, 2),
        "last_5_s_all_200": bool(tail) and all(a[2] == 200 for a in tail),
        "same_gunicorn_workers": before == after,
        "bad": bad_answers(answers)[:10],
    }
    result["pass"] = not result["bad"] and result["last_5_s_all_200"] and result["same_gunicorn_workers"]
    return result


def search_total(base_url: str, token: str, word: str) -> tuple[int, int | None, bytes]:
    status, _, body = request(base_url, f"/api/v1/search/?q={quote(word)}", token)
    return status, json.loads(body).get("total") if status == 200 else None, body[:200]


def elasticsearch_drill(private: Private, env: dict[str, str], people: dict) -> dict:
    admin, officer = people["tokens"]["drill-admin"], people["tokens"]["drill-officer"]
    word = people["words"][0]
    celery = worker(env)
    try:
        with web(env, workers=2) as server:
            base = server.base_url
            status, total_before, _ = search_total(base, officer, word)
            assert status == 200, status
            status, _, body = request(
                base,
                "/api/v1/search/rebuilds/",
                admin,
                method="POST",
                body={"backend": "elasticsearch", "reuse_stored": False},
            )
            assert status == 202, (status, body)
            job_id = json.loads(body)["id"]
            job = lambda: job_state(private, env, job_id)  # noqa: E731
            wait_for(
                lambda: job()["phase"] in ("indexing", "catching") or job()["status"] != "running",
                300,
                "indexing",
            )
            served_during = [search_total(base, officer, word) for _ in range(3)]
            state_at_stop = job()
            private.services("stop", "elasticsearch")
            down = [search_total(base, officer, word) for _ in range(3)]
            wait_for(lambda: job()["status"] not in ("queued", "running"), 600, "the rebuild to settle", 3)
            settled = job()
            private.services("start", "elasticsearch")
            wait_for(lambda: search_total(base, officer, word)[0] == 200, 120, "search to answer again")
            _, total_after_restart, _ = search_total(base, officer, word)
            status, _, body = request(
                base, "/api/v1/search/rebuilds/", admin, method="POST", body={"backend": "elasticsearch"}
            )
            rerun_id = json.loads(body).get("id")
            wait_for(
                lambda: django_snippet(env, JOB.format(pk=rerun_id))["status"] not in ("queued", "running"),
                900,
                "the rerun",
                3,
            )
            rerun = django_snippet(env, JOB.format(pk=rerun_id))
            _, total_after_rerun, _ = search_total(base, officer, word)
    finally:
        celery.stop()
    status_json = json.loads(manage(env, "search_index", "status", "--json", capture=True))
    result = {
        "total_before": total_before,
        "job_when_stopped": state_at_stop,
        "served_by_old_index_during_rebuild": [(s, t) for s, t, _ in served_during],
        "while_down": [(s, body.decode(errors="replace")[:100]) for s, _, body in down],
        "job_after_outage": settled,
        "total_after_restart": total_after_restart,
        "rerun": rerun,
        "total_after_rerun": total_after_rerun,
        "index_status": status_json,
    }
    result["pass"] = (
        state_at_stop["status"] == "running"
        and all(s == 200 and t == total_before for s, t, _ in served_during)
        and all(s == 503 for s, _, _ in down)
        and settled["status"] == "failed"
        and total_after_restart == total_before
        and rerun["status"] == "succeeded"
        and total_after_rerun == total_before
        and bool(status_json.get("in_step"))
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_service_arguments(parser)
    parser.add_argument("--only", choices=["postgres", "elasticsearch"])
    parser.add_argument("--down-seconds", type=float, default=8)
    parser.add_argument(
        "--listings", type=int, default=20_000, help="generated listings (a rebuild to interrupt)"
    )
    parser.add_argument(
        "--database", default="drill_restarts", help="the drill's database on the private PostgreSQL"
    )
    parser.add_argument("--reuse", action="store_true", help="keep the drill database if it is there")
    args = parser.parse_args(argv)
    private = Private.from_args(args)
    private.services("start")
    media = Path(args.services_dir) / "restarts-media"
    env = private.app_env(
        args.database, media=media, index_prefix=args.database, SEARCH_REBUILD_PROGRESS_ROWS="500"
    )
    if not (args.reuse and private.psql(f"SELECT 1 FROM pg_database WHERE datname = '{args.database}'")):
        private.recreate_database(args.database)
        manage(env, "migrate", "--noinput", "-v", "0")
        subprocess.run(
            [sys.executable, "-m", "bench.generate", "--listings", str(args.listings)],
            env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
            check=True,
            cwd=ROOT,
        )
    ensure_index(env)
    people = django_snippet(env, PEOPLE)
    results = {}
    if args.only in (None, "postgres"):
        print("PostgreSQL restart under traffic …", flush=True)
        results["postgres"] = postgres_drill(private, env, people, args.down_seconds)
        print(json.dumps(results["postgres"], indent=2, ensure_ascii=False), flush=True)
    if args.only in (None, "elasticsearch"):
        print("Elasticsearch stopped during a rebuild …", flush=True)
        results["elasticsearch"] = elasticsearch_drill(private, env, people)
        print(json.dumps(results["elasticsearch"], indent=2, ensure_ascii=False), flush=True)
    write_results("drill_restarts", {"listings": args.listings, **results})
    ok = all(r["pass"] for r in results.values())
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
