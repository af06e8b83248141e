"""A call closing while a submit is in flight, on PostgreSQL with real concurrent transactions: the submit
checks the close time under the call's row lock, which closing the call takes too, so exactly one order
wins and the other side sees it."""

import threading
import time

import pytest
from django.db import transaction
from django.utils import timezone

from certification import services as registry
from certification.models import ApplicationStatus
from core.domain import Conflict
from tests.factories import open_call
from tests.reliability.conftest import requires_postgresql
from tests.reliability.test_concurrency import run_in_parallel
from tests.worlds import World

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

HOLD = 0.5  # seconds the first transaction keeps its lock before committing


@pytest.fixture
def race(media_in_tmp):
    requires_postgresql()
    world = World()
    call = open_call(title="마감 경합 공고")
    return world, call, world.draft(call=call)


def test_a_submit_waiting_on_a_closing_call_sees_it_closed(race):
    world, call, application = race
    locked = threading.Event()

    def close_and_hold():
        with transaction.atomic():
            registry.update_call(world.admin, call_id=call.pk, closes_at=timezone.now())
            locked.set()
            time.sleep(HOLD)

    def submit_meanwhile():
        assert locked.wait(10)
        started = time.monotonic()
        try:
            registry.submit_application(world.supplier_a, application_id=application.pk)
        except Conflict as exc:
            return exc, time.monotonic() - started
        return None, time.monotonic() - started

    _, (refused, waited) = run_in_parallel([close_and_hold, submit_meanwhile])
    assert isinstance(refused, Conflict), refused
    assert refused.code == "call_closed"
    assert waited >= HOLD * 0.8  # it waited for the close to commit, then read the new close time
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_a_close_waiting_on_a_submit_comes_after_it(race):
    world, call, application = race
    locked = threading.Event()

    def submit_and_hold():
        with transaction.atomic():
            registry.submit_application(world.supplier_a, application_id=application.pk)
            locked.set()
            time.sleep(HOLD)

    def close_meanwhile():
        assert locked.wait(10)
        started = time.monotonic()
        registry.update_call(world.admin, call_id=call.pk, closes_at=timezone.now())
        return time.monotonic() - started

    submitted, waited = run_in_parallel([submit_and_hold, close_meanwhile])
    assert submitted is None and isinstance(waited, float), (submitted, waited)
    assert waited >= HOLD * 0.8  # the close waited for the submit's commit
    application.refresh_from_db()
    call.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.submitted_at < call.closes_at
