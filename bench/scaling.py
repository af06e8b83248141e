"""The production shape on one machine: two web processes, two Celery workers, Redis for the queue and the
shared cache, PostgreSQL, Elasticsearch; an administrator's XLSX export of the whole catalog started from
the exports page while officers load the API.

    .venv/bin/python -m bench.scaling                   # 100,000 listings, gunicorn's default 30 s timeout
    .venv/bin/python -m bench.scaling --listings 20000 --concurrency 4

What it measures and checks:

* the export: the page answers the POST at once (the job goes to a worker), the progress endpoint shows
  rows, percent and an ETA while it runs, the job succeeds in whatever time the workbook takes (longer
  than gunicorn's timeout: the web process never runs it), and the file downloaded from the page hashes to
  the job's SHA-256;
* the load meanwhile: ``bench.throughput``'s mixed scenario (catalog pages and searches) from another
  process: requests/s, p50/p95, errors (must be none);
* the shared limit: one anonymous client calling the public API past ``THROTTLE_ANONYMOUS`` gets exactly
  that many answers across both web processes (counted in Redis), then 429s.

REDIS_URL (default: the one ``scripts/services.sh`` starts) gives the broker (db 6) and the cache (db 7).
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import re
import subprocess
import sys
import threading
import time
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

from bench.common import (
    ROOT,
    UNTHROTTLED,
    Gunicorn,
    ensure_data,
    officer_token,
    print_table,
    setup,
    write_results,
)

ADMIN = ("bench-admin", "bench-admin-pw-2026")
ANONYMOUS_LIMIT = 60
GUNICORN_DEFAULT_TIMEOUT = 30


def redis_base() -> str:
    return os.environ.get("REDIS_URL", "redis://127.0.0.1:63799/0").rsplit("/", 1)[0]


def ensure_admin() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from certification.roles import Role

    user, _ = get_user_model().objects.get_or_create(username=ADMIN[0])
    user.set_password(ADMIN[1])
    user.save()
    user.groups.add(Group.objects.get(name=Role.ADMIN.value))


class Workers:
    """``count`` Celery worker processes, one task at a time each, as `docker compose --scale worker=N`."""

    def __init__(self, count: int, env: dict[str, str], log_folder: Path) -> None:
        self.count = count
        self.env = env
        self.log_folder = log_folder
        self.processes: list[subprocess.Popen] = []

    def __enter__(self) -> Workers:
        celery = str(Path(sys.executable).with_name("celery"))
        for n in range(self.count):
            log = (self.log_folder / f"worker-{n}.log").open("w")
            command = [
                celery,
                "-A",
                "config",
                "worker",
                "-c",
                "1",
                "-n",
                f"bench{n}@%h",
                "--loglevel=WARNING",
            ]
            self.processes.append(
                subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
            )
        return self

    def __exit__(self, *exc_info: object) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


class Browser:
    """An administrator's session on the pages: cookies, the CSRF token of the last form read."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.jar = CookieJar()
        self.opener = build_opener(HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[str, str]:
        with self.opener.open(self.base_url + path, timeout=60) as response:
            return response.geturl(), response.read().decode()

    def post_form(self, path: str, page: str, fields: dict[str, str]) -> tuple[str, str, float]:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        request = Request(self.base_url + path, data=body, headers={"Referer": self.base_url + path})
        started = time.perf_counter()
        with self.opener.open(request, timeout=60) as response:
            return response.geturl(), response.read().decode(), time.perf_counter() - started

    def sign_in(self) -> None:
        _, page = self.get("/accounts/login/")
        # the sign-in form names its first field "username" (Django) or "login" (allauth)
        name_field = "login" if 'name="login"' in page else "username"
        url, _, _ = self.post_form("/accounts/login/", page, {name_field: ADMIN[0], "password": ADMIN[1]})
        if "/accounts/login/" in url:
            raise SystemExit("the administrator could not sign in")

    def download(self, path: str) -> str:
        digest = hashlib.sha256()
        with self.opener.open(self.base_url + path, timeout=600) as response:
            while chunk := response.read(1 << 20):
                digest.update(chunk)
        return digest.hexdigest()


def export_from_the_page(browser: Browser, poll_seconds: float) -> dict:
    _, page = browser.get("/exports/")
    url, _, post_seconds = browser.post_form("/exports/", page, {"export_format": "xlsx", "kind": "full"})
    job_id = int(re.search(r"/exports/(\d+)/", url).group(1))
    started = time.perf_counter()
    samples = []
    while True:
        _, body = browser.get(f"/exports/{job_id}/progress/")
        progress = json.loads(body)
        samples.append({"t": round(time.perf_counter() - started, 1), **progress})
        if progress["finished"]:
            break
        time.sleep(poll_seconds)
    midway = [s for s in samples if s["percent"] is not None and 0 < s["percent"] < 100]
    return {
        "job": job_id,
        "post_ms": round(post_seconds * 1000, 1),
        "status": progress["status"],
        "seconds": round(time.perf_counter() - started, 1),
        "rows": progress["rows_done"],
        "samples_midway": len(midway),
        "with_eta": sum(1 for s in midway if s["eta"]),
        "phases": sorted({s["phase"] for s in samples}),
    }


def anonymous_limit_check(port: int, attempts: int) -> dict:
    """One client address, new connections each time (so both web processes answer some)."""
    statuses: dict[int, int] = {}
    for _ in range(attempts):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/api/v1/public/listings/?page_size=1")
        response = connection.getresponse()
        response.read()
        connection.close()
        statuses[response.status] = statuses.get(response.status, 0) + 1
    return {
        "limit": ANONYMOUS_LIMIT,
        "attempts": attempts,
        "200": statuses.get(200, 0),
        "429": statuses.get(429, 0),
    }


def run_load(port: int, token: str, args: argparse.Namespace, into: list[dict]) -> None:
    command = [sys.executable, "-m", "bench.throughput", "--child", "mixed", "--port", str(port)]
    command += ["--token", token, "--concurrency", str(args.concurrency), "--requests", str(args.requests)]
    command += ["--time-limit", str(args.time_limit)]
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    into.append(json.loads(output.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--listings", type=int, default=100_000, help="generated when the database is empty")
    parser.add_argument("--web", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--time-limit", type=float, default=120)
    parser.add_argument("--poll", type=float, default=1.0, help="seconds between progress polls")
    args = parser.parse_args()

    redis = redis_base()
    os.environ.update({"CELERY_BROKER_URL": f"{redis}/6", "CACHE_URL": f"{redis}/7"})
    setup()
    from django.core.cache import caches

    from search.backends import get_backend

    listings = ensure_data(args.listings)
    get_backend("elasticsearch").ensure()
    ensure_admin()
    caches["shared"].clear()
    token = officer_token()
    env = {
        **os.environ,
        **UNTHROTTLED,
        "THROTTLE_ANONYMOUS": f"{ANONYMOUS_LIMIT}/min",
        "SITE_BASE_URL": "http://127.0.0.1",
    }
    logs = ROOT / "bench" / "results" / "scaling-logs"
    logs.mkdir(parents=True, exist_ok=True)
    load: list[dict] = []
    with (
        Workers(args.workers, env, logs),
        Gunicorn(args.web, env=env, timeout=GUNICORN_DEFAULT_TIMEOUT) as server,
    ):
        browser = Browser(server.base_url)
        browser.sign_in()
        loader = threading.Thread(target=run_load, args=(server.port, token, args, load))
        loader.start()
        export = export_from_the_page(browser, args.poll)
        loader.join()
        download_ok = None
        if export["status"] == "succeeded":
            from catalog.feeds.models import ExportJob

            download_ok = browser.download(f"/exports/{export['job']}/download/") == (
                ExportJob.objects.get(pk=export["job"]).sha256
            )
        export["download_matches_sha256"] = download_ok
        limits = anonymous_limit_check(server.port, ANONYMOUS_LIMIT + 20)

    print(
        f"\nProduction shape: {listings:,} listings, gunicorn --workers {args.web} "
        f"(timeout {GUNICORN_DEFAULT_TIMEOUT} s), {args.workers} Celery workers, Redis queue and cache"
    )
    print("\nXLSX export of the whole catalog, started from the exports page:")
    print_table([export], ["job", "post_ms", "status", "seconds", "rows", "samples_midway", "with_eta"])
    print(f"phases seen: {', '.join(export['phases'])}; download matches SHA-256: {download_ok}")
    print(f"\nAPI load meanwhile ({args.concurrency} clients, mixed catalog and search):")
    print_table(load, ["scenario", "ok", "errors", "seconds", "req_per_s", "p50_ms", "p95_ms", "p99_ms"])
    print("\nOne anonymous client past the shared limit, across both web processes:")
    print_table([limits], ["limit", "attempts", "200", "429"])
    write_results(
        "scaling",
        {
            "listings": listings,
            "web": args.web,
            "workers": args.workers,
            "export": export,
            "load": load,
            "limits": limits,
        },
    )


if __name__ == "__main__":
    main()
