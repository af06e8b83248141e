"""``/healthz``: each dependency checked on its own, so an operator (or a load balancer) sees which part
fails, not only that something does.

A check is a function of no arguments with a name in ``settings.HEALTH_CHECKS`` (name → dotted path), run
in that order; it returns a :class:`CheckResult`: ``ok``, ``degraded`` (the service works, worse: lag, a
fallback in use) or ``failing`` (the service cannot do its job). A check that raises is failing, with the
error: the endpoint itself never answers 500. The answer is 503 when any check fails, naming each failing
check, and 200 otherwise (degraded included, with the detail), so a load balancer takes an instance out
only when it cannot serve.

To add a check, write a function returning :func:`ok`, :func:`degraded` or
:func:`failing` and add its path to ``HEALTH_CHECKS``. Checks must stay cheap: they run on every poll.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import cache
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.celery import app
from search import sync
from search.backends import get_backend

logger = logging.getLogger(__name__)


class Status(StrEnum):
    OK = "ok"
    DEGRADED = "degraded"
    FAILING = "failing"


SEVERITY = {Status.OK: 0, Status.DEGRADED: 1, Status.FAILING: 2}


@dataclass(frozen=True)
class CheckResult:
    status: Status
    message: str = ""  # why it is not ok, for a person reading the answer
    detail: dict[str, Any] = field(default_factory=dict)


def ok(**detail: Any) -> CheckResult:
    return CheckResult(Status.OK, "", detail)


def degraded(message: str, **detail: Any) -> CheckResult:
    return CheckResult(Status.DEGRADED, message, detail)


def failing(message: str, **detail: Any) -> CheckResult:
    return CheckResult(Status.FAILING, message, detail)


HealthCheck = Callable[[], CheckResult]


# ------------------------------------------------------------------------------------------ the checks
def check_database() -> CheckResult:
    """Every request needs the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return ok(vendor=connection.vendor)


def check_search() -> CheckResult:
    """The configured search backend can answer: for Elasticsearch, the node is reachable and the live
    alias points at a readable index. With SEARCH_FALLBACK_TO_DATABASE the database answers instead, so
    a broken Elasticsearch is degraded rather than failing."""
    facts = get_backend().health()
    detail = {key: value for key, value in facts.items() if key not in {"ok", "error"}}
    if facts["ok"]:
        return ok(**detail)
    problem = facts.get("error") or "the search backend is not ready"
    if facts["backend"] != "database" and settings.SEARCH_FALLBACK_TO_DATABASE:
        return degraded(f"{problem}; searches are answered from the database", **detail)
    return failing(problem, **detail)


def check_outbox() -> CheckResult:
    """How far the index trails the catalog: the age of the oldest change the outbox worker has not yet
    applied. Past ``HEALTH_OUTBOX_LAG_SECONDS`` searches show stale results: the worker is stopped, stuck
    or cannot reach the search engine. Rows that failed too often (dead) are reported, not judged."""
    lag = sync.outbox_lag()
    threshold = settings.HEALTH_OUTBOX_LAG_SECONDS
    age = None
    if lag.oldest_pending is not None:
        age = max(0, int((timezone.now() - lag.oldest_pending).total_seconds()))
    detail = {
        "pending": lag.pending,
        "dead": lag.dead,
        "capped": lag.capped,
        "oldest_pending_age_seconds": age,
        "threshold_seconds": threshold,
    }
    if age is not None and age > threshold:
        return degraded(
            f"the oldest pending search change is {age} s old (threshold {threshold} s): is the "
            "search_sync worker running?",
            **detail,
        )
    return ok(**detail)


def check_broker() -> CheckResult:
    """Exports are queued on the Celery broker (Redis): unreachable, no export can start. In-process mode
    (no ``CELERY_BROKER_URL``, ``make run``) has no broker to reach."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return ok(mode="in-process")
    with app.connection_for_write(settings.CELERY_BROKER_URL) as broker:
        try:
            broker.ensure_connection(max_retries=1, timeout=2)
        except Exception as exc:  # kombu raises the transport's own errors
            return failing(
                f"the task broker cannot be reached: {type(exc).__name__}", transport=broker.transport_cls
            )
    return ok(transport=broker.transport_cls)


def check_worker() -> CheckResult:
    """A Celery worker and beat are alive: beat has a worker refresh the heartbeat every 30 s
    (``config.tasks.worker_heartbeat``). Older than ``HEALTH_WORKER_HEARTBEAT_SECONDS``, queued exports and
    the daily certificate jobs do not run. Degraded, not failing: the pages and the API still serve."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return ok(mode="in-process")
    beat = caches[settings.WORKER_HEARTBEAT_CACHE].get(settings.WORKER_HEARTBEAT_KEY)
    threshold = settings.HEALTH_WORKER_HEARTBEAT_SECONDS
    if not beat:
        return degraded("no worker has ever reported: start `celery -A config worker` and `beat`")
    age = max(0, int((timezone.now() - datetime.fromisoformat(beat["at"])).total_seconds()))
    detail = {"worker": beat.get("worker", ""), "heartbeat_age_seconds": age, "threshold_seconds": threshold}
    if age > threshold:
        return degraded(
            f"the last worker heartbeat is {age} s old: is a worker (and beat) running?", **detail
        )
    return ok(**detail)


# ---------------------------------------------------------------------------------------- the runner
@cache
def _load(path: str) -> HealthCheck:
    return import_string(path)


def run_checks() -> dict[str, dict[str, Any]]:
    """Every configured check's answer, each timed, none allowed to raise."""
    answers: dict[str, dict[str, Any]] = {}
    for name, path in settings.HEALTH_CHECKS.items():
        started = time.monotonic()
        try:
            result = _load(path)()
        except Exception as exc:  # a check that cannot run is a failing dependency, never a 500
            logger.warning("health check %s raised", name, exc_info=True)
            result = failing(f"{type(exc).__name__}: {str(exc)[:200]}")
        answer: dict[str, Any] = {"status": result.status.value}
        if result.message:
            answer["message"] = result.message
        answers[name] = {**answer, **result.detail, "ms": round((time.monotonic() - started) * 1000, 1)}
    return answers


def overall(answers: dict[str, dict[str, Any]]) -> Status:
    return max((Status(answer["status"]) for answer in answers.values()), key=SEVERITY.get, default=Status.OK)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    answers = run_checks()
    status = overall(answers)
    body = {
        "status": status.value,
        "failing": [name for name, answer in answers.items() if answer["status"] == Status.FAILING.value],
        "degraded": [name for name, answer in answers.items() if answer["status"] == Status.DEGRADED.value],
        "checks": answers,
    }
    return JsonResponse(body, status=503 if status is Status.FAILING else 200)
