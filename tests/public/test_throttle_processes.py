"""The anonymous limit holds across server processes: two real servers (``runserver --noreload`` on two
ports) sharing one database count one limit, so hits split across both are refused after the limit.

On PostgreSQL the servers share the test database; on SQLite (whose test database lives in memory) they
share a database file this test migrates. Either way the count lives in the shared cache's table, which
``migrate`` creates.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from contextlib import ExitStack
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 4


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url(tmp_path: Path) -> tuple[str, bool]:
    """The database both servers use, and whether it still needs migrating."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}", False
    return f"sqlite:///{tmp_path / 'shared.sqlite3'}", True


def _get(url: str, client: str) -> int:
    request = urllib.request.Request(url, headers={"X-Forwarded-For": client})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _wait_until_up(process: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server on {port} exited: {process.stdout.read()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"server on {port} did not start")


@pytest.fixture
def servers(django_db_setup, tmp_path):
    database_url, needs_migrate = _database_url(tmp_path)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT),
        "SEARCH_BACKEND": "database",
        "THROTTLE_ANONYMOUS": f"{LIMIT}/hour",
        "CACHE_URL": "db://sangsaeng_cache",
        "THROTTLE_CACHE": "shared",
        "TRUSTED_PROXY_COUNT": "1",
        "DJANGO_DEBUG": "0",
    }
    if needs_migrate:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
    ports = [_free_port(), _free_port()]
    with ExitStack() as stack:
        processes = []
        for port in ports:
            process = subprocess.Popen(
                [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            stack.callback(process.wait, 10)
            stack.callback(process.terminate)
            processes.append(process)
        for process, port in zip(processes, ports, strict=True):
            _wait_until_up(process, port)
        yield [f"http://127.0.0.1:{port}" for port in ports]


def test_two_processes_hold_one_limit(servers):
    first, second = servers
    for _attempt in range(2):  # a window that ends mid-test restarts the count: try once more
        hour = int(time.time() // 3600)
        # the last X-Forwarded-For entry is the client (one trusted proxy); make it unique per run
        client = f"6.6.6.6, 2001:db8::{uuid.uuid4().hex[:4]}"
        urls = [
            f"{first}/search/",
            f"{second}/api/v1/public/search/",
            f"{first}/api/v1/public/listings/",
            f"{second}/search/",
            f"{first}/search/",
            f"{second}/api/v1/public/search/",
        ]
        statuses = [_get(url, client) for url in urls]
        if int(time.time() // 3600) == hour:
            break
    assert statuses == [200] * LIMIT + [429, 429], statuses
    # another client is not affected, on either server
    other = f"6.6.6.6, 2001:db8::{uuid.uuid4().hex[:4]}:1"
    assert _get(f"{second}/search/", other) == 200
