"""Real Celery workers for the job tests: ``celery -A config worker`` processes on the test Redis
(``REDIS_URL`` from ``scripts/services.sh env``) and the test PostgreSQL database.

The rest of the suite runs tasks eagerly (no ``CELERY_BROKER_URL``); here the test process sends real
messages to a queue of its own, so parallel runs on one Redis never take each other's tasks.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection

from config import celery_app
from tests.conftest import missing_service

ROOT = Path(__file__).resolve().parent.parent.parent
# one queue per test session: the producer's queue table is built once per process
QUEUE = f"sangsaeng-test-{uuid.uuid4().hex[:10]}"
WORKER_START_SECONDS = 60


@pytest.fixture
def on_postgresql() -> None:
    """The worker is another process: it must reach the test database, which SQLite keeps in memory.
    A vendor choice, not a missing service: a skip, never a failure."""
    if connection.vendor != "postgresql":
        pytest.skip(
            f"a worker process needs the test database on PostgreSQL; this run uses {connection.vendor}"
        )


def worker_database_url() -> str:
    """The URL of the database pytest-django created (``test_<name>``), for the worker process."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def redis_url() -> str:
    import redis

    url = os.environ.get("REDIS_URL", "")
    if not url:
        missing_service("REDIS_URL is not set (scripts/services.sh start; eval $(scripts/services.sh env))")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        missing_service(f"Redis is not reachable at {url}: {exc}")
    return url


@pytest.fixture
def broker(redis_url) -> Iterator[str]:
    """The test process sends tasks to Redis instead of running them in-process, for this test."""
    conf = celery_app.conf
    saved = {key: conf[key] for key in ("task_always_eager", "broker_url", "task_default_queue")}
    conf.update(task_always_eager=False, broker_url=redis_url, task_default_queue=QUEUE)
    _reset_producer()
    try:
        yield redis_url
    finally:
        _reset_producer()
        conf.update(saved)
        import redis

        # messages a killed worker never ran stay behind on the test queue: drop them with it
        redis.Redis.from_url(redis_url).delete(QUEUE)


def _reset_producer() -> None:
    # kombu keeps producer pools per broker URL and reuses them; only the app's references are dropped
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


class Worker:
    def __init__(self, process: subprocess.Popen, name: str, log: Path) -> None:
        self.process = process
        self.name = name
        self.log = log

    def log_tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-40:])

    def kill(self) -> None:
        """SIGKILL: no shutdown, no acknowledgement, no cleanup, as when a machine or container dies."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)


@pytest.fixture
def start_worker(on_postgresql, broker, tmp_path) -> Iterator[Callable[[], Worker]]:
    """Starts real worker processes on the test queue; all are stopped when the test ends."""
    started: list[Worker] = []
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "CELERY_BROKER_URL": broker,
        "CELERY_QUEUE": QUEUE,
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SITE_BASE_URL": settings.SITE_BASE_URL,
        # progress (and the cancel check) every few rows, so a test can stop a worker between writes
        "EXPORT_PROGRESS_ROWS": "10",
        "PYTHONPATH": str(ROOT),
    }

    def start() -> Worker:
        name = f"test-{uuid.uuid4().hex[:8]}@localhost"
        log = tmp_path / f"worker-{len(started)}.log"
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", QUEUE]
        command += ["-n", name, "--without-gossip", "--without-mingle", "--loglevel=INFO"]
        with log.open("wb") as output:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
        worker = Worker(process, name, log)
        started.append(worker)
        _wait_until_ready(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def _wait_until_ready(worker: Worker) -> None:
    """A worker is ready once its start-up heartbeat (config.tasks) is in the shared cache."""
    cache = caches[settings.WORKER_HEARTBEAT_CACHE]
    deadline = time.monotonic() + WORKER_START_SECONDS
    while time.monotonic() < deadline:
        beat = cache.get(settings.WORKER_HEARTBEAT_KEY)
        if beat and beat.get("worker") == worker.name:
            return
        if worker.process.poll() is not None:
            pytest.fail(f"the worker exited with {worker.process.returncode}:\n{worker.log_tail()}")
        time.sleep(0.2)
    pytest.fail(f"the worker was not ready in {WORKER_START_SECONDS}s:\n{worker.log_tail()}")


def wait_for(condition: Callable[[], object], what: str, worker: Worker | None = None, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    pytest.fail(f"timed out waiting for {what}" + (f"\n{worker.log_tail()}" if worker else ""))
