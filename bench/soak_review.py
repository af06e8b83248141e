"""The soak's review side (bench/soak.py): reviewers deciding and evaluators scoring, through the API.

Before the clock starts, ``PREPARE`` files a queue of applications the way suppliers do (draft, evidence, the
partner's confirmation, submit) in the open call, so the reviewers have real work for the whole run. Then:

- a reviewer reads an application and takes the next step its state allows: starts the review; forms the
  next stage's panel with three evaluators the API says are not tied to either company
  (``/api/v1/evaluators/?application=…``); records the stage once every seat has scored; approves after the
  committee stage passed; sometimes sends it back for a supplement (the supplier resubmits) or rejects it;
- an evaluator (one thread each) reads their open seats (``/api/v1/evaluations/``), the stage's criteria
  from the application, and submits a sheet: usually passing marks, sometimes failing ones, so a failed
  stage rejects the application (``fail_stage``) now and then.

Every 200 is booked in the ledger with the audit events it must leave: the audit check at the end compares
them, per application and action, with what ``AuditEvent`` holds.
"""

from __future__ import annotations

import json
import random
import threading
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.soak import Ledger

STAGES = ("presentation", "site", "committee")

# Files ``{count}`` submitted applications for the soak's suppliers (the demo's own helpers: the same
# families, partners, evidence and confirmation as the demo's queue). Runs before the soak's start mark.
PREPARE = """
import random
from django.contrib.auth import get_user_model
from django.utils import timezone
from catalog.demo import _application, _confirm, _demo_families
from certification import services
from certification.calls import Call
from core.domain import DomainError
User = get_user_model()
rng = random.Random(22)
call = Call.objects.open_at(timezone.now()).order_by("pk").last()
partners = [u.membership.company for u in User.objects.filter(username__regex=r"^partner[0-9]+$").order_by("pk")]
suppliers = [User.objects.get(username=name) for name in {names!r}]
families = _demo_families()
filed, refused = [], []
for n in range({count}):
    user = suppliers[n % len(suppliers)]
    application = _application(rng, user, partners[n % len(partners)], families[n % len(families)], call)
    try:
        _confirm(user, application)
        services.submit_application(user, application_id=application.pk)
        filed.append([user.username, application.pk])
    except DomainError as error:
        refused.append(f"{{application.pk}}: {{error}}")
        services.withdraw_application(user, application_id=application.pk)
result = {{"filed": filed, "refused": refused[:5], "refused_count": len(refused)}}
"""

EVALUATORS = """
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
users = get_user_model().objects.filter(username__regex=r"^evaluator[0-9]+$").order_by("pk")
result = {u.username: Token.objects.get_or_create(user=u)[0].key for u in users}
"""


def _act(
    ledger: Ledger, kind: str, base: str, token: str, pk: int, route: str, body: dict, *consequences: str
) -> dict:
    """POSTs a workflow action on application ``pk``; a 200 is booked with the audit events it leaves (the
    action's own, named like the route, then ``consequences``). The application as answered, or {}."""
    status, raw = ledger.call(
        kind, base, f"/api/v1/applications/{pk}/{route}/", token, method="POST", body=body
    )
    if status != 200:
        return {}
    ledger.book(pk, route.replace("-", "_"), *consequences)
    return json.loads(raw)


def _next_stage(detail: dict) -> str | None:
    """The first stage without a recorded result; None when all three are recorded."""
    recorded = {result["stage"] for result in detail["stages"]}
    return next((stage for stage in STAGES if stage not in recorded), None)


def _decide(ledger: Ledger, base: str, token: str, pk: int, detail: dict, rng: random.Random) -> None:
    """The reviewer's next step on an application under review."""
    decide = "reviewer-decide"
    stage = _next_stage(detail)
    if stage is None:
        if all(result["passed"] for result in detail["stages"]) and rng.random() < 0.9:
            _act(ledger, decide, base, token, pk, "approve", {"comment": "승인"}, "issue")
        else:
            comment = "종합 검토 결과 반려합니다 (soak drill)."
            _act(ledger, decide, base, token, pk, "reject", {"comment": comment})
        return
    panel = next((p for p in detail["panels"] if p["stage"] == stage), None)
    if panel is None:
        roll = rng.random()
        if roll < 0.15:
            comment = "시험성적서를 보완해 주세요 (soak drill)."
            _act(ledger, decide, base, token, pk, "request-supplement", {"comment": comment})
            return
        if roll < 0.2:
            comment = "협력 실적이 확인되지 않습니다 (soak drill)."
            _act(ledger, decide, base, token, pk, "reject", {"comment": comment})
            return
        status, raw = ledger.call(
            "reviewer-read", base, f"/api/v1/evaluators/?application={pk}&page_size=100", token
        )
        if status != 200:
            return
        free = [row["id"] for row in json.loads(raw)["results"] if not row["conflict_of_interest"]]
        if len(free) >= 3:
            body = {"stage": stage, "evaluators": rng.sample(free, 3)}
            _act(ledger, decide, base, token, pk, "form-panel", body)
        return
    if panel["closed_at"] is None and all(seat["submitted_at"] for seat in panel["seats"]):
        # a failed stage rejects the application in the same step, with an event of its own: booked as
        # one more event when the answer shows the application rejected
        status, raw = ledger.call(
            decide,
            base,
            f"/api/v1/applications/{pk}/record-stage/",
            token,
            method="POST",
            body={"stage": stage},
        )
        if status == 200:
            failed = json.loads(raw)["status"] == "rejected"
            ledger.book(pk, f"stage_{stage}", *(["fail_stage"] if failed else []))


def reviewer_loop(
    ledger: Ledger, base: str, token: str, applications: list[int], stop: threading.Event, seed: int
) -> None:
    """``applications`` is shared by the reviewers: a decided one leaves it."""
    rng = random.Random(seed)
    while not stop.is_set():
        if not applications:
            stop.wait(2)
            continue
        pk = rng.choice(applications)
        status, raw = ledger.call("reviewer-read", base, f"/api/v1/applications/{pk}/", token)
        if status != 200:
            continue
        detail = json.loads(raw)
        if detail["status"] in ("approved", "rejected", "withdrawn"):
            with ledger.lock:
                if pk in applications:
                    applications.remove(pk)
        elif detail["status"] == "submitted":
            _act(ledger, "reviewer-decide", base, token, pk, "start-review", {})
        elif detail["status"] == "under_review":
            _decide(ledger, base, token, pk, detail, rng)
        stop.wait(0.3)


def _sheet(criteria: list[dict], rng: random.Random) -> list[dict]:
    """Points per criterion at one mark (a percentage): passing mostly, failing about one sheet in eight."""
    mark = Decimal(rng.randint(45, 65) if rng.random() < 0.125 else rng.randint(72, 96))
    return [
        {
            "criterion": criterion["id"],
            "points": str((criterion["weight"] * mark / 100).quantize(Decimal("0.01"), ROUND_DOWN)),
        }
        for criterion in criteria
    ]


def evaluator_loop(ledger: Ledger, base: str, token: str, stop: threading.Event, seed: int) -> None:
    rng = random.Random(seed)
    while not stop.is_set():
        status, raw = ledger.call("evaluator-read", base, "/api/v1/evaluations/?page_size=100", token)
        seats = json.loads(raw)["results"] if status == 200 else []
        for seat in seats:
            if stop.is_set() or not seat["panel_open"] or seat["submitted_at"]:
                continue
            pk, stage = seat["application"], seat["stage"]
            status, raw = ledger.call("evaluator-read", base, f"/api/v1/applications/{pk}/", token)
            if status != 200:
                continue
            panel = next((p for p in json.loads(raw)["panels"] if p["stage"] == stage), None)
            if panel is None or panel["closed_at"]:
                continue
            body = {"stage": stage, "scores": _sheet(panel["criteria"], rng), "comment": "soak drill"}
            _act(ledger, "evaluator-score", base, token, pk, "score-stage", body)
        stop.wait(0.5)
