"""Shared plumbing of the bench scripts: environment, data, tables, JSON results, percentiles, gunicorn."""

from __future__ import annotations

import json
import os
import platform
import resource
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_DATABASE_URL = "postgres://sangsaeng@127.0.0.1:54329/bench"


def configure(settings_module: str = "config.settings") -> None:
    """Environment for a bench process: production-like (DEBUG off, quiet logs), own index prefix."""
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("ELASTICSEARCH_URL", "http://127.0.0.1:9251")
    os.environ.setdefault("ELASTICSEARCH_INDEX_PREFIX", "bench")
    # the production shape: Elasticsearch serves searches and the outbox feeds it
    os.environ.setdefault("SEARCH_BACKEND", "elasticsearch")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # DEBUG keeps every query's SQL in memory: measure the production configuration
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def setup(settings_module: str = "config.settings") -> None:
    configure(settings_module)
    import django

    django.setup()


def ensure_data(listings: int) -> int:
    """Migrate, and fill an empty database with ``listings`` generated listings; returns the row count.

    A database that already holds listings is used as it is (regenerating 100,000 rows takes a minute):
    the figures quote the count actually present.
    """
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from catalog.models import ProductListing

    present = ProductListing.objects.count()
    if present:
        if present != listings:
            print(
                f"note: the database holds {present:,} listings (asked {listings:,}); using them",
                file=sys.stderr,
            )
    else:
        from bench.generate import generate

        print(f"generating {listings:,} listings …", file=sys.stderr, flush=True)
        generate(listings)
        present = ProductListing.objects.count()
    age_rows()
    return present


def age_rows() -> None:
    """Move freshly generated rows' timestamps into the past (listings over ~2 years, by id).

    A catalog is not born in the last minutes: a rebuild re-queues every listing changed within its
    catch-up margin (5 minutes), which on fresh data would be all of them and measure the outbox instead
    of the rebuild; and "newest" sorting needs spread dates. Idempotent: only rows younger than 10 minutes.
    """
    from django.db import connection

    from catalog.models import ProductListing
    from certification.models import Certificate, Company

    if connection.vendor == "sqlite":  # the same in SQLite's date functions (text timestamps, UTC)
        days_ago, one_day = "datetime('now', '-' || (id % 730 + 1) || ' days')", "datetime('now', '-1 day')"
        recent = "datetime('now', '-10 minutes')"
    else:
        days_ago, one_day = "now() - (id % 730 + 1) * interval '1 day'", "now() - interval '1 day'"
        recent = "now() - interval '10 minutes'"
    with connection.cursor() as cursor:
        table = ProductListing._meta.db_table
        cursor.execute(
            f"UPDATE {table} SET created_at = {days_ago}, updated_at = {days_ago} WHERE updated_at > {recent}"
        )
        for model in (Certificate, Company):
            cursor.execute(
                f"UPDATE {model._meta.db_table} SET updated_at = {one_day} WHERE updated_at > {recent}"
            )


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (no interpolation), as load tools report it."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, round(pct / 100 * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def machine() -> dict[str, Any]:
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(pages / 1024**3, 1),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "load_avg_at_start": [round(value, 2) for value in os.getloadavg()],
    }


def print_table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    widths = {c: max(len(c), *(len(_fmt(row.get(c))) for row in rows)) for c in columns}
    print(" | ".join(c.ljust(widths[c]) for c in columns))
    print("-|-".join("-" * widths[c] for c in columns))
    for row in rows:
        print(" | ".join(_fmt(row.get(c)).rjust(widths[c]) for c in columns))


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def write_results(name: str, payload: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    payload = {"benchmark": name, "at": stamp, "machine": machine(), **payload}
    path = RESULTS / f"{name}-{stamp}.json"
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    print(f"\nwrote {path.relative_to(ROOT)}")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """The app under gunicorn on loopback, as in production (``config.wsgi``), for the HTTP benchmarks."""

    def __init__(
        self, workers: int = 2, env: dict[str, str] | None = None, threads: int = 1, timeout: int = 120
    ) -> None:
        self.port = free_port()
        self.workers = workers
        self.threads = threads
        self.timeout = timeout
        self.env = {**os.environ, **(env or {})}
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Gunicorn:
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--log-level",
            "warning",
            "--timeout",
            str(self.timeout),
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("gunicorn exited during start-up")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        raise SystemExit("gunicorn did not start within 60 s")

    def __exit__(self, *exc_info: object) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def officer_token() -> str:
    """An API token of a procurement officer (reads the catalog and search), created once."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from certification.roles import Role, ensure_role_groups

    ensure_role_groups()
    user, _ = get_user_model().objects.get_or_create(username="bench-officer")
    user.groups.add(Group.objects.get(name=Role.OFFICER.value))
    token, _ = Token.objects.get_or_create(user=user)
    return token.key


def http_get(port: int, path: str, token: str, timeout: float = 300) -> tuple[int, bytes, float]:
    """One GET on loopback (a new connection, as gunicorn's sync workers close each one); seconds taken."""
    import http.client

    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(
            "GET", path, headers={"Authorization": f"Token {token}", "Accept": "application/json"}
        )
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    return response.status, body, time.perf_counter() - started


# Throttling protects production from one client; a benchmark is that one client.
UNTHROTTLED = {"THROTTLE_SEARCH": "100000000/min", "THROTTLE_LOGIN": "100000000/min"}
