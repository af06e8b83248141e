"""Every limit holds across server processes: two real servers (``runserver --noreload`` on two ports)
sharing one database count one limit, so hits split across both are refused after the limit. Proved for
the anonymous limit, the sign-in budget (the sign-in page and the token endpoint together) and the search
API (per user).

On PostgreSQL the servers share the test database; on SQLite (whose test database lives in memory) they
share a database file this module migrates. Either way the counts live in the shared cache's table, which
``migrate`` creates. The servers start once for the module; each test counts for clients (addresses,
users) of its own.
"""

import http.cookiejar
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import ExitStack
from pathlib import Path

import pytest
from django.db import connection

# pytest-django creates the test database only when a collected test asks for it: this module's tests
# use it only through the servers, so they ask explicitly (else, run alone, the servers find none)
pytestmark = pytest.mark.django_db
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


def _get(url: str, client: str, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(url, headers={"X-Forwarded-For": client, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _post(url: str, client: str, form: dict[str, str], headers: dict[str, str] | None = None) -> int:
    body = urllib.parse.urlencode(form).encode()
    request = urllib.request.Request(url, data=body, headers={"X-Forwarded-For": client, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _csrf_cookie(server: str) -> str:
    """The CSRF cookie the sign-in page sets; its value is accepted as the form's token."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{server}/accounts/login/", timeout=30) as response:
        assert response.status == 200
    return next(cookie.value for cookie in jar if cookie.name == "csrftoken")


def _manage(env: dict[str, str], code: str) -> str:
    """Runs ``code`` in ``manage.py shell`` against the servers' database; its output."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return result.stdout.strip()


def _within_one_window(attempt, period: int = 3600):
    """Runs ``attempt`` again if a fixed window ended while it ran (the count restarts then)."""
    for _try in range(2):
        window = int(time.time() // period)
        outcome = attempt()
        if int(time.time() // period) == window:
            return outcome
    return outcome


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


@pytest.fixture(scope="module")
def server_env(django_db_setup, tmp_path_factory) -> dict[str, str]:
    database_url, needs_migrate = _database_url(tmp_path_factory.mktemp("servers"))
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT),
        "SEARCH_BACKEND": "database",
        "THROTTLE_ANONYMOUS": f"{LIMIT}/hour",
        "THROTTLE_LOGIN": f"{LIMIT}/hour",
        "THROTTLE_SEARCH": f"{LIMIT}/hour",
        "CACHE_URL": "db://sangsaeng_cache",
        "THROTTLE_CACHE": "shared",
        "TRUSTED_PROXY_COUNT": "1",
        "DJANGO_DEBUG": "0",
        # the servers commit to the test database outside any test's transaction: a search log row written
        # there would outlive this module and turn up in the search log's own tests
        "SEARCH_LOG_ENABLED": "0",
    }
    if needs_migrate:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
    return env


@pytest.fixture(scope="module")
def servers(server_env):
    ports = [_free_port(), _free_port()]
    with ExitStack() as stack:
        processes = []
        for port in ports:
            process = subprocess.Popen(
                [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                cwd=ROOT,
                env=server_env,
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


@pytest.fixture(scope="module")
def tokens(server_env):
    """Two signed-in API users in the servers' database (committed there, so removed afterwards)."""
    tag = uuid.uuid4().hex[:8]
    code = (
        "import json; from django.contrib.auth import get_user_model; "
        "from rest_framework.authtoken.models import Token; "
        f"users = [get_user_model().objects.create_user(f'throttle-{tag}-{{n}}') for n in (1, 2)]; "
        "print(json.dumps([Token.objects.create(user=user).key for user in users]))"
    )
    yield json.loads(_manage(server_env, code).splitlines()[-1])
    _manage(
        server_env,
        f"from django.contrib.auth import get_user_model; "
        f"get_user_model().objects.filter(username__startswith='throttle-{tag}-').delete()",
    )


def test_two_processes_hold_one_limit(servers):
    first, second = servers

    def attempt() -> list[int]:
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
        return [_get(url, client) for url in urls]

    statuses = _within_one_window(attempt)
    assert statuses == [200] * LIMIT + [429, 429], statuses
    # another client is not affected, on either server
    other = f"6.6.6.6, 2001:db8::{uuid.uuid4().hex[:4]}:1"
    assert _get(f"{second}/search/", other) == 200


def test_two_processes_hold_one_sign_in_budget(servers):
    """The sign-in page and the token endpoint, on either server, draw on one budget per address."""
    first, second = servers
    csrf = _csrf_cookie(first)
    page = {"username": "nobody", "password": "wrong", "csrfmiddlewaretoken": csrf}
    cookie = {"Cookie": f"csrftoken={csrf}"}
    token = {"username": "nobody", "password": "wrong"}

    def attempt() -> list[int]:
        client = f"6.6.6.6, 2001:db8::{uuid.uuid4().hex[:4]}"
        return [
            _post(f"{first}/accounts/login/", client, page, cookie),  # the form again: wrong password
            _post(f"{second}/api/v1/auth/token/", client, token),
            _post(f"{second}/accounts/login/", client, page, cookie),
            _post(f"{first}/api/v1/auth/token/", client, token),
            _post(f"{first}/accounts/login/", client, page, cookie),
            _post(f"{second}/api/v1/auth/token/", client, token),
        ]

    statuses = _within_one_window(attempt)
    assert statuses == [200, 400, 200, 400, 429, 429], statuses


def test_two_processes_hold_one_search_budget_per_user(servers, tokens):
    first, second = servers
    mine, theirs = ({"Authorization": f"Token {key}"} for key in tokens)

    def attempt() -> list[int]:
        client = f"6.6.6.6, 2001:db8::{uuid.uuid4().hex[:4]}"  # the address does not matter: the user does
        return [
            _get(f"{first}/api/v1/search/?q=LED", client, mine),
            _get(f"{second}/api/v1/search/suggest/?q=LE", client, mine),
            _get(f"{second}/api/v1/search/?q=LED", client, mine),
            _get(f"{first}/api/v1/search/?q=LED", client, mine),
            _get(f"{second}/api/v1/search/?q=LED", client, mine),
            _get(f"{first}/api/v1/search/suggest/?q=LE", client, mine),
        ]

    statuses = _within_one_window(attempt)
    assert statuses == [200] * LIMIT + [429, 429], statuses
    assert _get(f"{second}/api/v1/search/?q=LED", "6.6.6.6, 192.0.2.5", theirs) == 200
