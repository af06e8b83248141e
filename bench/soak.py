"""Soak drill: N minutes of concurrent work against the production shape on PRIVATE services
(bench/drills.py): gunicorn, PostgreSQL, Elasticsearch, the Celery worker and ``search_sync --loop``.

    python bench/soak.py                      # 10 minutes (the documented run)
    python bench/soak.py --minutes 3 --reuse  # shorter, on the database a previous run loaded

Who does what, all through the HTTP API with their own tokens:

- suppliers (one thread each, the demo's supplier1 … supplierN) change their listings' prices and names,
  and resubmit their applications a reviewer sent back for a supplement;
- reviewers (``--reviewers`` threads, the demo's reviewer) decide: a queue of ``--applications``
  submitted applications is filed first (bench/soak_review.py), and they start reviews, form each stage's
  panel, record the stage once the evaluators have scored, approve after the committee, reject, or send an
  application back for a supplement (an e-mail to the supplier through the outbox each time);
- evaluators (one thread each, the demo's evaluator1 …) score their open panels' stages;
- officers (``--officers`` threads) search with words of the catalog's own product names, filter and page;
- an administrator starts a CSV feed export every ``--export-every`` seconds and waits for it.

At the end, after the processes had ``--drain-seconds`` to catch up: zero 5xx answers; the e-mail outbox
has nothing pending or sending; the search outbox is empty and the index holds exactly the listed products
(``search_index status``); every accepted change left exactly one audit event (listing edits: one
``updated`` ListingChange per 200; transitions: one AuditEvent per 200, per application and action, plus
``issue`` for an approval and ``fail_stage`` for a stage recorded as failed) and no other; every export
succeeded. Exit status 1 otherwise. Figures go to bench/results/soak-*.json.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import percentile, write_results
from bench.drills import (
    Private,
    add_service_arguments,
    django_snippet,
    ensure_index,
    index_sync,
    manage,
    request,
    wait_for,
    web,
    worker,
)
from bench.soak_review import EVALUATORS, PREPARE, evaluator_loop, reviewer_loop

CAST = """
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from catalog.models import ProductListing
from certification.identity import company_id_of
from certification.models import CertificationApplication
User = get_user_model()
def token(name):
    return Token.objects.get_or_create(user=User.objects.get(username=name))[0].key
CYCLE = ["submitted", "under_review", "supplement_requested"]
def in_cycle(user):
    return CertificationApplication.objects.filter(supplier_id=company_id_of(user), status__in=CYCLE).exists()
# the suppliers with applications under review first: they are the reviewers' work
users = sorted(User.objects.filter(username__regex=r"^supplier[0-9]+$"), key=lambda u: (not in_cycle(u), u.username))
suppliers = []
for user in users[:{suppliers}]:
    company = company_id_of(user)
    suppliers.append({{
        "name": user.username,
        "token": token(user.username),
        "listings": list(ProductListing.objects.filter(supplier_id=company).order_by("pk").values_list("pk", flat=True)[:20]),
        "applications": list(CertificationApplication.objects.filter(supplier_id=company, status__in=CYCLE).values_list("pk", flat=True)),
    }})
words = [n.split()[0] for n in ProductListing.objects.order_by("pk").values_list("name", flat=True)[::53][:40]]
codes = sorted(set(ProductListing.objects.values_list("classification_code", flat=True)[:200]))[:10]
result = {{"suppliers": suppliers, "reviewer": token("reviewer"), "officer": token("officer"), "admin": token("admin"), "words": words, "codes": codes}}
"""

MARK = """
from django.utils import timezone
result = timezone.now().isoformat()
"""

CHECK = """
from collections import Counter
from django.utils.dateparse import parse_datetime
from catalog.models import ListingChange
from certification.models import AuditEvent
from notifications.models import EmailDelivery
since = parse_datetime("{since}")
changes = Counter(ListingChange.objects.filter(at__gte=since, action="updated").values_list("listing_id", flat=True))
events = Counter(f"{{a}}:{{b}}" for a, b in AuditEvent.objects.filter(at__gte=since, application__isnull=False).values_list("application_id", "action"))
other_events = AuditEvent.objects.filter(at__gte=since, application__isnull=True).count()
mail = Counter(EmailDelivery.objects.filter(created_at__gte=since).values_list("status", flat=True))
stuck = EmailDelivery.objects.filter(status__in=["pending", "sending"]).count()
result = {{"listing_changes": dict(changes), "audit_events": dict(events), "other_audit_events": other_events, "mail": dict(mail), "mail_not_sent": stuck}}
"""


class Ledger:
    """What the clients saw: every answer's status and time, and the changes the server accepted."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.answers: Counter[tuple[str, int]] = Counter()
        self.seconds: dict[str, list[float]] = {}
        self.server_errors: list[str] = []
        self.listing_edits: Counter[int] = Counter()
        # the audit events the accepted transitions must have left, "application:action" -> count
        self.transitions: Counter[str] = Counter()
        self.decisions: Counter[str] = Counter()
        self.exports: list[dict] = []

    def call(self, kind: str, base: str, path: str, token: str, **kwargs) -> tuple[int, bytes]:
        started = time.perf_counter()
        try:
            status, _, body = request(base, path, token, timeout=120, **kwargs)
        except OSError as error:
            status, body = 0, str(error).encode()
        with self.lock:
            self.answers[(kind, status)] += 1
            self.seconds.setdefault(kind, []).append(time.perf_counter() - started)
            if status >= 500 or status == 0:
                self.server_errors.append(
                    f"{kind} {kwargs.get('method', 'GET')} {path}: {status} {body[:200]!r}"
                )
        return status, body

    def book(self, application: int, action: str, *consequences: str) -> None:
        """An accepted transition: the audit events it leaves (its own, then any it caused)."""
        with self.lock:
            self.decisions[action] += 1
            for name in (action, *consequences):
                self.transitions[f"{application}:{name}"] += 1


def supplier_loop(ledger: Ledger, base: str, supplier: dict, stop: threading.Event, seed: int) -> None:
    rng = random.Random(seed)
    token = supplier["token"]
    while not stop.is_set():
        if supplier["listings"]:
            pk = rng.choice(supplier["listings"])
            body = {"unit_price": rng.randrange(10_000, 5_000_000, 10)}
            if rng.random() < 0.3:
                status, current = ledger.call("supplier-read", base, f"/api/v1/listings/{pk}/", token)
                if status == 200:
                    name = json.loads(current)["name"].split(" · ")[0]
                    body["name"] = f"{name} · {rng.randrange(1000)}"
            status, _ = ledger.call(
                "supplier-edit", base, f"/api/v1/listings/{pk}/", token, method="PATCH", body=body
            )
            if status == 200:
                with ledger.lock:
                    ledger.listing_edits[pk] += 1
        for pk in list(supplier["applications"]):
            status, detail = ledger.call("supplier-read", base, f"/api/v1/applications/{pk}/", token)
            state = json.loads(detail)["status"] if status == 200 else None
            if state in ("approved", "rejected"):
                supplier["applications"].remove(pk)  # decided: nothing more for the supplier to do
            if state == "supplement_requested":
                status, _ = ledger.call(
                    "supplier-submit",
                    base,
                    f"/api/v1/applications/{pk}/submit/",
                    token,
                    method="POST",
                    body={},
                )
                if status == 200:
                    ledger.book(pk, "submit")
        stop.wait(0.2)


def officer_loop(
    ledger: Ledger,
    base: str,
    token: str,
    words: list[str],
    codes: list[str],
    stop: threading.Event,
    seed: int,
) -> None:
    rng = random.Random(seed)
    while not stop.is_set():
        query = f"q={quote(rng.choice(words))}"
        if codes and rng.random() < 0.3:
            query += f"&classification_code={rng.choice(codes)}"
        if rng.random() < 0.3:
            query += f"&page={rng.randint(1, 3)}"
        ledger.call("officer-search", base, f"/api/v1/search/?{query}", token)
        stop.wait(0.1)


def export_loop(ledger: Ledger, base: str, token: str, every: float, stop: threading.Event) -> None:
    while not stop.is_set():
        started = time.monotonic()
        status, body = ledger.call(
            "export-start", base, "/api/v1/exports/", token, method="POST", body={"format": "csv"}
        )
        if status in (200, 201, 202):
            pk = json.loads(body)["id"]
            state = "queued"
            while state in ("queued", "running") and time.monotonic() - started < 600:
                time.sleep(2)
                status, body = ledger.call("export-poll", base, f"/api/v1/exports/{pk}/", token)
                if status == 200:
                    state = json.loads(body)["status"]
            with ledger.lock:
                ledger.exports.append(
                    {"id": pk, "status": state, "seconds": round(time.monotonic() - started, 1)}
                )
        stop.wait(max(1.0, every - (time.monotonic() - started)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_service_arguments(parser)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--suppliers", type=int, default=8)
    parser.add_argument("--reviewers", type=int, default=2)
    parser.add_argument("--officers", type=int, default=3)
    parser.add_argument(
        "--applications", type=int, default=40, help="submitted applications filed for the reviewers first"
    )
    parser.add_argument("--export-every", type=float, default=60)
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--drain-seconds", type=float, default=180)
    parser.add_argument(
        "--database", default="drill_soak", help="the drill's database on the private PostgreSQL"
    )
    parser.add_argument("--reuse", action="store_true", help="keep the soak database if it is there")
    args = parser.parse_args(argv)
    private = Private.from_args(args)
    private.services("start")
    env = private.app_env(
        args.database, media=Path(args.services_dir) / "soak-media", index_prefix="drill_soak"
    )
    if not (args.reuse and private.psql(f"SELECT 1 FROM pg_database WHERE datname = '{args.database}'")):
        private.recreate_database(args.database)
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "load_demo_data", capture=True)
    ensure_index(env)
    cast = django_snippet(env, CAST.format(suppliers=args.suppliers))
    # a queue of fresh submitted applications, filed before the start mark: the reviewers' work
    names = [s["name"] for s in cast["suppliers"]]
    queue = django_snippet(env, PREPARE.format(names=names, count=args.applications))
    for name, pk in queue["filed"]:
        next(s for s in cast["suppliers"] if s["name"] == name)["applications"].append(pk)
    print(f"soak: {len(queue['filed'])} applications filed, {queue['refused_count']} refused", flush=True)
    evaluators = django_snippet(env, EVALUATORS)
    applications = [pk for s in cast["suppliers"] for pk in s["applications"]]
    # a seed of this run's own: a rerun with --reuse replaying the last run's prices onto the same listings
    # would make edits that change nothing, which rightly leave no audit event (catalog.audit.record)
    seed = random.SystemRandom().randrange(2**31)
    since = django_snippet(env, MARK)
    ledger = Ledger()
    stop = threading.Event()
    processes = [worker(env), index_sync(env)]
    try:
        with web(env, workers=args.web_workers) as server:
            base = server.base_url
            threads = [
                threading.Thread(target=supplier_loop, args=(ledger, base, s, stop, seed + n))
                for n, s in enumerate(cast["suppliers"])
            ]
            if applications:
                threads += [
                    threading.Thread(
                        target=reviewer_loop,
                        args=(ledger, base, cast["reviewer"], applications, stop, 100 + n),
                    )
                    for n in range(args.reviewers)
                ]
            threads += [
                threading.Thread(target=evaluator_loop, args=(ledger, base, key, stop, 300 + n))
                for n, key in enumerate(evaluators.values())
            ]
            threads += [
                threading.Thread(
                    target=officer_loop,
                    args=(ledger, base, cast["officer"], cast["words"], cast["codes"], stop, 200 + n),
                )
                for n in range(args.officers)
            ]
            threads.append(
                threading.Thread(
                    target=export_loop, args=(ledger, base, cast["admin"], args.export_every, stop)
                )
            )
            print(f"soak: {len(threads)} clients for {args.minutes} min on {base}", flush=True)
            started = time.monotonic()
            for thread in threads:
                thread.start()
            time.sleep(args.minutes * 60)
            stop.set()
            for thread in threads:
                thread.join(timeout=700)
            elapsed = time.monotonic() - started

            def settled() -> bool:
                status = json.loads(manage(env, "search_index", "status", "--json", capture=True))
                mail = django_snippet(env, CHECK.format(since=since))["mail_not_sent"]
                return bool(status.get("in_step")) and mail == 0

            try:
                drained_in = round(wait_for(settled, args.drain_seconds, "the outboxes to drain", 5), 1)
            except SystemExit as timeout:
                drained_in = str(timeout)
    finally:
        for process in processes:
            process.stop()
    index = json.loads(manage(env, "search_index", "status", "--json", capture=True))
    check = django_snippet(env, CHECK.format(since=since))
    expected_events = {key: count for key, count in ledger.transitions.items()}
    listing_changes = {int(k): v for k, v in check["listing_changes"].items()}
    problems = []
    if ledger.server_errors:
        problems.append(f"{len(ledger.server_errors)} server errors, e.g. {ledger.server_errors[:3]}")
    if listing_changes != dict(ledger.listing_edits):
        lost = sum((ledger.listing_edits - Counter(listing_changes)).values())
        extra = sum((Counter(listing_changes) - ledger.listing_edits).values())
        problems.append(f"listing audit: {lost} edits without an event, {extra} events without an edit")
    if check["audit_events"] != expected_events:
        lost = sum((Counter(expected_events) - Counter(check["audit_events"])).values())
        extra = sum((Counter(check["audit_events"]) - Counter(expected_events)).values())
        problems.append(f"transition audit: {lost} transitions without an event, {extra} events without one")
    if check["other_audit_events"]:
        problems.append(f"{check['other_audit_events']} audit events of no application (none expected)")
    if check["mail_not_sent"]:
        problems.append(f"{check['mail_not_sent']} e-mails still pending or sending")
    if not index.get("in_step") or index.get("outbox_pending"):
        problems.append(f"index not equal to the database: {index}")
    if any(export["status"] != "succeeded" for export in ledger.exports) or not ledger.exports:
        problems.append(f"exports: {ledger.exports}")
    by_kind: dict[str, dict] = {}
    for (kind, status), count in sorted(ledger.answers.items()):
        by_kind.setdefault(kind, {"statuses": {}})["statuses"][status] = count
    for kind, seconds in ledger.seconds.items():
        by_kind[kind]["p50_ms"] = round(percentile(seconds, 50) * 1000)
        by_kind[kind]["p95_ms"] = round(percentile(seconds, 95) * 1000)
    payload = {
        "minutes": round(elapsed / 60, 2),
        "clients": {
            "suppliers": len(cast["suppliers"]),
            "reviewers": args.reviewers if applications else 0,
            "evaluators": len(evaluators),
            "officers": args.officers,
            "exporters": 1,
        },
        "seed": seed,
        "requests": sum(ledger.answers.values()),
        "by_kind": by_kind,
        "listing_edits": sum(ledger.listing_edits.values()),
        "applications_filed": len(queue["filed"]),
        "decisions": dict(ledger.decisions),
        "transitions": sum(ledger.transitions.values()),
        "audit_events": sum(check["audit_events"].values()),
        "listing_changes": sum(listing_changes.values()),
        "mail": check["mail"],
        "exports": ledger.exports,
        "drained_in_s": drained_in,
        "index": index,
        "problems": problems,
    }
    print(json.dumps(payload, ensure_ascii=False, indent=2))
    write_results("soak", payload)
    print("PASS" if not problems else "FAIL:\n- " + "\n- ".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
