"""Shared plumbing of the operational drills (``bench/drill_*.py``, ``bench/soak.py``): PRIVATE services.

A drill stops and restarts PostgreSQL and Elasticsearch, so it never runs against the shared instances
other people use: it starts its own with ``scripts/services.sh`` under its own ``SERVICES_DIR`` and ports
(default ``/var/tmp/sangsaeng-drills``, PostgreSQL 54339, Elasticsearch 9261, Redis 63809) and refuses
the shared ports (54329, 9251, 63799) outright. The application runs as in production: gunicorn, a Celery
worker on the private Redis, ``search_sync --loop``, Elasticsearch behind search, DEBUG off.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import ROOT, UNTHROTTLED, Gunicorn

# the shared development/test services: a drill must never stop or restart these
SHARED_PORTS = {"PostgreSQL": 54329, "Elasticsearch": 9251, "Redis": 63799}


@dataclass
class Private:
    services_dir: str = "/var/tmp/sangsaeng-drills"
    pg_port: int = 54339
    es_port: int = 9261
    redis_port: int = 63809
    es_heap: str = "384m"

    def __post_init__(self) -> None:
        for name, port in (
            ("PostgreSQL", self.pg_port),
            ("Elasticsearch", self.es_port),
            ("Redis", self.redis_port),
        ):
            if port in SHARED_PORTS.values():
                raise SystemExit(
                    f"{name} port {port} is a shared instance's: drills run on private ones only"
                )
        if Path(self.services_dir).resolve() == Path("/var/tmp/sangsaeng-services"):
            raise SystemExit("the shared services' folder: pass a private --services-dir")

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Private:
        return cls(args.services_dir, args.pg_port, args.es_port, args.redis_port, args.es_heap)

    def services(self, action: str, which: str = "all") -> None:
        env = {
            **os.environ,
            "SERVICES_DIR": self.services_dir,
            "PG_PORT": str(self.pg_port),
            "ES_PORT": str(self.es_port),
            "REDIS_PORT": str(self.redis_port),
            "ES_HEAP": self.es_heap,
        }
        self._reuse_cached_elasticsearch()
        subprocess.run([str(ROOT / "scripts" / "services.sh"), action, which], env=env, check=True)

    def _reuse_cached_elasticsearch(self) -> None:
        # services.sh downloads Elasticsearch into its SERVICES_DIR: copy the shared folder's unpacked
        # archive instead (its own copy: the running instance writes beside its files)
        target = Path(self.services_dir)
        shared = Path("/var/tmp/sangsaeng-services")
        for home in shared.glob("elasticsearch-[0-9]*"):
            if not (target / home.name).exists():
                target.mkdir(parents=True, exist_ok=True)
                shutil.copytree(home, target / home.name, symlinks=True)

    def database_url(self, database: str) -> str:
        return f"postgres://sangsaeng@127.0.0.1:{self.pg_port}/{database}"

    def psql(self, *args: str, database: str = "postgres") -> str:
        return subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.pg_port),
                "-U",
                "sangsaeng",
                "-d",
                database,
                "-Atc",
                *args,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    def recreate_database(self, database: str) -> None:
        self.psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        self.psql(f'CREATE DATABASE "{database}"')

    def app_env(self, database: str, *, media: Path, index_prefix: str, **extra: str) -> dict[str, str]:
        """The application's environment against the private services (production-like, unthrottled)."""
        return {
            **os.environ,
            **UNTHROTTLED,
            "DATABASE_URL": self.database_url(database),
            "ELASTICSEARCH_URL": f"http://127.0.0.1:{self.es_port}",
            "ELASTICSEARCH_INDEX_PREFIX": index_prefix,
            "SEARCH_BACKEND": "elasticsearch",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "CACHE_URL": f"redis://127.0.0.1:{self.redis_port}/1",
            "DJANGO_MEDIA_ROOT": str(media),
            "DJANGO_DEBUG": "0",
            "LOG_LEVEL": "WARNING",
            "THROTTLE_ANONYMOUS": "100000000/min",
            "THROTTLE_PUBLIC": "100000000/min",
            "PYTHONPATH": str(ROOT),
            **extra,
        }


def add_service_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = Private()
    parser.add_argument("--services-dir", default=defaults.services_dir, help="private SERVICES_DIR")
    parser.add_argument("--pg-port", type=int, default=defaults.pg_port)
    parser.add_argument("--es-port", type=int, default=defaults.es_port)
    parser.add_argument("--redis-port", type=int, default=defaults.redis_port)
    parser.add_argument("--es-heap", default=defaults.es_heap)


def manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    """``manage.py args`` with ``env``; its output when ``capture``; on failure its error output is shown."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.stderr.write(result.stdout[-2000:] + result.stderr[-4000:])
        raise subprocess.CalledProcessError(result.returncode, ["manage.py", *args])
    if not capture:
        sys.stdout.write(result.stdout)
    return result.stdout


def ensure_index(env: dict[str, str]) -> None:
    """Rebuilds the search index unless it already holds exactly the listed products."""
    status = json.loads(manage(env, "search_index", "status", "--json", capture=True))
    if not status.get("in_step"):
        manage(env, "search_index", "rebuild", "--no-progress")


def django_snippet(env: dict[str, str], code: str) -> Any:
    """Runs ``code`` in a Django process with ``env``; returns what it assigned to ``result`` (JSON)."""
    program = (
        "import django, json, sys\ndjango.setup()\nresult = None\n"
        + code
        + "\nsys.stdout.write('\\n@@' + json.dumps(result, default=str))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", program],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.rsplit("\n@@", 1)[1])


class Background:
    """A long-lived process of the deployment (worker, index sync), stopped on exit."""

    def __init__(self, env: dict[str, str], *command: str) -> None:
        self.process = subprocess.Popen(list(command), cwd=ROOT, env=env)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def worker(env: dict[str, str]) -> Background:
    celery = str(Path(sys.executable).with_name("celery"))
    return Background(env, celery, "-A", "config", "worker", "--loglevel=WARNING", "--concurrency=1")


def index_sync(env: dict[str, str]) -> Background:
    return Background(env, sys.executable, str(ROOT / "manage.py"), "search_sync", "--loop")


class WarmGunicorn(Gunicorn):
    """gunicorn whose workers have each answered once: the first answer loads the application (up to a
    minute on a busy machine), which is start-up, not what a drill measures."""

    def __enter__(self) -> WarmGunicorn:
        super().__enter__()
        for _ in range(self.workers * self.threads * 2):
            request(self.base_url, "/api/v1/public/listings/", timeout=300)
        return self


def web(env: dict[str, str], workers: int = 2) -> Gunicorn:
    return WarmGunicorn(workers=workers, env=env, threads=2)


def request(
    base_url: str,
    path: str,
    token: str | None = None,
    *,
    method: str = "GET",
    body: Any = None,
    timeout: float = 60,
) -> tuple[int, str, bytes]:
    """One HTTP request; (status, content type, body). Never raises for an HTTP status."""
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(base_url + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def wait_for(check, timeout: float, what: str, interval: float = 1.0) -> float:
    """Polls ``check()`` until true; the seconds it took. SystemExit naming ``what`` on timeout."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout:
            raise SystemExit(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)
    return time.monotonic() - started
