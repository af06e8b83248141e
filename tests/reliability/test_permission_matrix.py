"""Every API endpoint x every role x every method, with the status each must get.

The table is the specification: who may do what, and that another company's record is a 404 (the API
never confirms it exists). ``test_the_table_covers_every_endpoint`` compares the table with the OpenAPI
schema, so an endpoint added without a row here fails the suite.

Each request runs in a savepoint that is rolled back, so every role meets the same state.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from certification import services as registry
from certification.panels import EvaluationCriterion
from notifications.models import Notification
from tests.factories import (
    PDF_BYTES,
    application_fields,
    listing_fields,
    make_evaluators,
    make_listing,
    open_call,
    pass_all_stages,
    valid_business_number,
)

ROLES = ("anonymous", "supplier_a", "supplier_b", "reviewer", "officer", "admin")
V1 = "/api/v1"


@dataclass
class Row:
    path: str  # as in the schema, with {id}
    method: str
    expected: tuple[int, int, int, int, int, int]  # in ROLES order
    target: Callable[[Any], int] | None = None  # the {id}
    body: Callable[[Any], dict] | None = None
    setup: Callable[[Any], None] | None = None  # puts the target into the state the action needs
    multipart: bool = False
    note: str = field(default="")

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}{' ' + self.note if self.note else ''}"


# who: anonymous, supplier A (owner), supplier B (another company), reviewer, officer, admin
READ_ALL = (403, 200, 200, 200, 200, 200)
OWNER_AND_STAFF = (403, 200, 404, 200, 403, 200)  # A's registry record: B cannot see it, officers no access
REVIEW_ACTION = (403, 403, 404, 200, 403, 200)
OWNER_ACTION = (403, 200, 404, 403, 403, 200)
ADMIN_ONLY = (403, 403, 403, 403, 403, 200)
# the partner's view of A's records: only members of the partner company find them, not even admins
# (whose consent is not the partner's)
NOT_THE_PARTNER = (403, 404, 404, 404, 404, 404)
# A's listed product is public, so B reads it but may not edit
LISTING_OWNER_WRITE = (403, 200, 403, 403, 403, 200)
HIDDEN_LISTING = (403, 200, 404, 404, 404, 200)
OWN_NOTIFICATION = (403, 200, 404, 404, 404, 404)  # supplier A's: no one else's, an admin's neither
# an officer's own shortlists and saved searches: officers (and admins, for their own) use them; the
# world officer's record is a 404 for everyone else, an administrator too
OFFICER_TOOL = (403, 403, 403, 403, 200, 200)
OFFICER_TOOL_CREATED = (403, 403, 403, 403, 201, 201)
OWN_OFFICER_RECORD = (403, 403, 403, 403, 200, 404)
PUBLIC = (
    200,
) * 6  # the public catalog's API: anyone  # an unpublished listing exists only for its owner and admins


def _company_body(world) -> dict:
    return {
        "name": "가나조명 주식회사",
        "business_number": world.company_a.business_number,
        "size": "sme",
        "region": "11",
        "representative": "김대표",
        "contact_email": "ceo@example.kr",
        "contact_phone": "02-000-0000",
        "address": "서울",
    }


def _application_body(world) -> dict:
    return {**application_fields(), "partner": world.partner.pk, "call": open_call().pk}


def _listing_body(world) -> dict:
    return {**listing_fields("goods"), "delivery_regions": ["11"]}


def _submit(world) -> None:
    registry.submit_application(world.supplier_a, application_id=world.draft_a.pk)


def _under_review(world) -> None:
    _submit(world)
    registry.start_review(world.reviewer, application_id=world.draft_a.pk)


def _reviewed(world) -> None:
    _under_review(world)
    pass_all_stages(world.reviewer, world.draft_a)


def _panel_formed(world) -> None:
    _under_review(world)
    registry.form_panel(
        world.reviewer,
        application_id=world.draft_a.pk,
        stage="presentation",
        evaluators=[e.pk for e in world.evaluators],
    )


def _panel_scored(world) -> None:
    _panel_formed(world)
    for evaluator in world.evaluators:
        registry.score_stage(
            evaluator, application_id=world.draft_a.pk, stage="presentation", **_sheet(world)
        )


def _sheet(world) -> dict:
    criteria = EvaluationCriterion.objects.filter(call_id=world.draft_a.call_id, stage="presentation")
    return {"scores": {c.pk: Decimal(c.weight) for c in criteria}}


def _sheet_body(world) -> dict:
    rows = [{"criterion": pk, "points": str(points)} for pk, points in _sheet(world)["scores"].items()]
    return {"stage": "presentation", "scores": rows}


def _terms_changed(world) -> None:
    """Supplier A renames its product: the partner's confirmation of the old terms is void."""
    registry.update_application(world.supplier_a, application_id=world.draft_a.pk, product_name="새 제품명")


def _partner_asked(world) -> None:
    """A's application waits for the partner's answer to a fresh request."""
    _terms_changed(world)
    registry.request_partner_confirmation(world.supplier_a, application_id=world.draft_a.pk)


def _suspend(world) -> None:
    registry.suspend_certificate(world.reviewer, certificate_id=world.cert_a.pk, reason="점검")


def _a_event(world) -> int:
    return world.draft_a.audit_events.order_by("id").first().pk


def _a_notification(world) -> int:
    # supplier A's certificate was approved in the world: A has notifications of it
    return Notification.objects.filter(recipient=world.supplier_a).order_by("id").first().pk


def _upload(world) -> dict:
    return {
        "application": world.draft_a.pk,
        "kind": "agreement",
        "file": SimpleUploadedFile("협약서.pdf", PDF_BYTES, "application/pdf"),
    }


def _call_body(world) -> dict:
    now = timezone.localtime()
    return {
        "title": "2026년 3차 모집공고",
        "year": 2026,
        "round": 3,
        "opens_at": now.isoformat(),
        "closes_at": (now + timedelta(days=30)).isoformat(),
        "sectors": ["goods"],
        "task_types": [{"task_type": "materials_parts", "any_item": True}],
    }


def _bulk_file(world) -> dict:
    """A one-row bulk-upload CSV under supplier A's certificate (catalog.uploads)."""
    from catalog.uploads.template import template_csv

    row = {
        **listing_fields("goods"),
        "supplier_product_code": "M-1",
        "certificate_number": world.cert_a.number,
    }
    content = template_csv([[row.get(key, "") for key in _upload_keys()]])
    return {"file": SimpleUploadedFile("products.csv", content, "text/csv")}


def _upload_keys():
    from catalog.uploads.columns import KEYS

    return KEYS


def _upload_a(world) -> int:
    """A's checked upload, made inside the role's rolled-back savepoint (so every role meets a fresh one)."""
    from catalog.uploads.tasks import start_upload

    return start_upload(world.supplier_a, upload=_bulk_file(world)["file"]).pk


def _officer_list(world) -> int:
    """The world officer's shortlist with listing A on it, made in the role's rolled-back savepoint."""
    from officers import shortlists

    shortlist = shortlists.create_shortlist(world.officer, name="검토 목록")
    shortlists.add_item(world.officer, shortlist_id=shortlist.pk, listing_id=world.listing_a.pk)
    return shortlist.pk


def _officer_item(world) -> int:
    from officers.models import ShortlistItem

    return ShortlistItem.objects.get(shortlist_id=_officer_list(world)).pk


def _officer_search(world) -> int:
    from officers import saved_searches
    from search.backends.base import SearchQuery

    return saved_searches.save_search(world.officer, name="LED", query=SearchQuery(text="LED")).pk


def pk_of(record: str) -> Callable[[Any], int]:
    """A row's {id}: the primary key of one of the world's records."""
    return lambda world: getattr(world, record).pk


def _target(world) -> int:
    """A program target (made inside the row's rolled-back transaction)."""
    from program.models import Target

    return Target.objects.get_or_create(year=2030, sector="goods", defaults={"products": 250})[0].pk


TABLE: list[Row] = [
    Row(
        "/auth/token/",
        "POST",
        (200,) * 6,
        body=lambda w: {"username": "supplier-a", "password": "pw-for-tests-123"},
    ),
    # calls for applications: everyone signed in reads; admins write
    Row("/calls/", "GET", READ_ALL),
    Row("/calls/", "POST", (403, 403, 403, 403, 403, 201), body=_call_body),
    Row("/calls/{id}/", "GET", READ_ALL, target=lambda w: open_call().pk),
    Row("/calls/{id}/", "PUT", (403, 403, 403, 403, 403, 200), lambda w: open_call().pk, _call_body),
    Row(
        "/calls/{id}/",
        "PATCH",
        (403, 403, 403, 403, 403, 200),
        lambda w: open_call().pk,
        lambda w: {"title": "정정 공고"},
    ),
    # companies: public registry facts; admins register; a company's own users or admins edit
    Row("/companies/", "GET", READ_ALL),
    Row(
        "/companies/",
        "POST",
        (403, 403, 403, 403, 403, 201),
        body=lambda w: {**_company_body(w), "business_number": valid_business_number(99_001)},
    ),
    Row("/companies/{id}/", "GET", READ_ALL, target=pk_of("company_a")),
    Row("/companies/{id}/", "PUT", (403, 200, 403, 403, 403, 200), pk_of("company_a"), _company_body),
    Row(
        "/companies/{id}/",
        "PATCH",
        (403, 200, 403, 403, 403, 200),
        pk_of("company_a"),
        lambda w: {"name": "새 이름"},
    ),
    # applications: suppliers their own company's; reviewers and admins all; officers none
    Row("/applications/", "GET", (403, 200, 200, 200, 403, 200)),
    # an admin belongs to no company, and the API takes no supplier field: applications are the SMEs' own
    Row("/applications/", "POST", (403, 201, 201, 403, 403, 403), body=_application_body),
    Row("/applications/{id}/", "GET", OWNER_AND_STAFF, pk_of("draft_a")),
    Row("/applications/{id}/", "PUT", OWNER_ACTION, pk_of("draft_a"), _application_body),
    Row("/applications/{id}/", "PATCH", OWNER_ACTION, pk_of("draft_a"), lambda w: {"product_name": "수정"}),
    Row("/applications/{id}/submit/", "POST", OWNER_ACTION, pk_of("draft_a"), lambda w: {}),
    Row("/applications/{id}/withdraw/", "POST", OWNER_ACTION, pk_of("draft_a"), lambda w: {}),
    Row(
        "/applications/{id}/request-partner-confirmation/",
        "POST",
        OWNER_ACTION,
        pk_of("draft_a"),
        lambda w: {},
        _terms_changed,
    ),
    Row("/applications/{id}/start-review/", "POST", REVIEW_ACTION, pk_of("draft_a"), lambda w: {}, _submit),
    Row(
        "/applications/{id}/request-supplement/",
        "POST",
        REVIEW_ACTION,
        pk_of("draft_a"),
        lambda w: {"comment": "보완"},
        _under_review,
    ),
    Row(
        "/applications/{id}/form-panel/",
        "POST",
        REVIEW_ACTION,
        pk_of("draft_a"),
        lambda w: {"stage": "presentation", "evaluators": [e.pk for e in w.evaluators]},
        _under_review,
    ),
    # only an evaluator seated on the panel scores (tests/reliability/test_evaluator_matrix.py); admins
    # do not score for them
    Row(
        "/applications/{id}/score-stage/",
        "POST",
        (403, 403, 404, 403, 403, 403),
        pk_of("draft_a"),
        _sheet_body,
        _panel_formed,
    ),
    Row(
        "/applications/{id}/record-stage/",
        "POST",
        REVIEW_ACTION,
        pk_of("draft_a"),
        lambda w: {"stage": "presentation"},
        _panel_scored,
    ),
    Row("/applications/{id}/approve/", "POST", REVIEW_ACTION, pk_of("draft_a"), lambda w: {}, _reviewed),
    Row(
        "/applications/{id}/reject/",
        "POST",
        REVIEW_ACTION,
        pk_of("draft_a"),
        lambda w: {"comment": "부적합"},
        _under_review,
    ),
    # the partner's view: what names the user's company (none of these users' companies is A's partner;
    # its member's column is tests/reliability/test_partner_matrix.py); reviewers read /applications/
    Row("/partner-requests/", "GET", READ_ALL),
    Row("/partner-requests/{id}/", "GET", NOT_THE_PARTNER, pk_of("draft_a")),
    Row(
        "/partner-requests/{id}/confirm-partnership/",
        "POST",
        NOT_THE_PARTNER,
        pk_of("draft_a"),
        lambda w: {},
        _partner_asked,
    ),
    Row(
        "/partner-requests/{id}/decline-partnership/",
        "POST",
        NOT_THE_PARTNER,
        pk_of("draft_a"),
        lambda w: {"reason": "협의되지 않은 내용"},
        _partner_asked,
    ),
    Row("/partner-certificates/", "GET", READ_ALL),
    Row("/partner-certificates/{id}/", "GET", NOT_THE_PARTNER, pk_of("cert_a")),
    # audit trail: read-only, scoped like applications
    Row("/audit-events/", "GET", (403, 200, 200, 200, 403, 200)),
    Row("/audit-events/{id}/", "GET", OWNER_AND_STAFF, _a_event),
    # certificates: officers read all; reviewers and admins change status; the owner renews
    Row("/certificates/", "GET", READ_ALL),
    Row("/certificates/{id}/", "GET", (403, 200, 404, 200, 200, 200), pk_of("cert_a")),
    Row("/certificates/{id}/suspend/", "POST", REVIEW_ACTION, pk_of("cert_a"), lambda w: {"reason": "점검"}),
    Row("/certificates/{id}/revoke/", "POST", REVIEW_ACTION, pk_of("cert_a"), lambda w: {"reason": "위반"}),
    Row(
        "/certificates/{id}/reinstate/",
        "POST",
        REVIEW_ACTION,
        pk_of("cert_a"),
        lambda w: {"reason": "해제"},
        _suspend,
    ),
    Row("/certificates/{id}/renew/", "POST", (403, 201, 404, 403, 403, 201), pk_of("cert_a"), lambda w: {}),
    # the certificate document is the holder's; certificates are public facts, so others get 403, not 404
    Row("/certificates/{id}/document/", "GET", (403, 200, 403, 200, 403, 200), pk_of("cert_a")),
    # evidence documents: the supplier uploads and deletes on its editable application; reviewers read
    Row("/documents/", "GET", (403, 200, 200, 200, 403, 200)),
    # B names A's application in the body: a field error (no such application for B), not a 404
    Row("/documents/", "POST", (403, 201, 400, 403, 403, 201), body=_upload, multipart=True),
    Row("/documents/{id}/", "GET", OWNER_AND_STAFF, pk_of("document_a")),
    Row("/documents/{id}/", "DELETE", (403, 204, 404, 403, 403, 204), pk_of("document_a")),
    Row("/documents/{id}/download/", "GET", OWNER_AND_STAFF, pk_of("document_a")),
    # evaluation panels: an evaluator's own assignments; the appointed evaluators, for reviewers
    Row("/evaluations/", "GET", ADMIN_ONLY),
    Row("/evaluators/", "GET", (403, 403, 403, 200, 403, 200)),
    # exports: administrators only
    Row("/exports/", "GET", ADMIN_ONLY),
    Row("/exports/", "POST", (403, 403, 403, 403, 403, 202), body=lambda w: {"format": "jsonl"}),
    Row("/exports/{id}/", "GET", ADMIN_ONLY, pk_of("export")),
    # the world's export has finished: an administrator may ask, and is told it is too late
    Row("/exports/{id}/cancel/", "POST", (403, 403, 403, 403, 403, 409), pk_of("export"), lambda w: {}),
    Row("/exports/{id}/download/", "GET", ADMIN_ONLY, pk_of("export")),
    Row("/exports/{id}/report/", "GET", ADMIN_ONLY, pk_of("export")),
    # search rebuilds: administrators only; the world's rebuild has finished
    Row("/search/rebuilds/", "GET", ADMIN_ONLY),
    Row("/search/rebuilds/", "POST", (403, 403, 403, 403, 403, 202), body=lambda w: {"backend": "database"}),
    Row("/search/rebuilds/{id}/", "GET", ADMIN_ONLY, pk_of("rebuild")),
    Row(
        "/search/rebuilds/{id}/cancel/",
        "POST",
        (403, 403, 403, 403, 403, 409),
        pk_of("rebuild"),
        lambda w: {},
    ),
    # notifications: everyone signed in has their own inbox; another user's notification is a 404, even
    # for an administrator
    Row("/notifications/", "GET", READ_ALL),
    Row("/notifications/{id}/", "GET", OWN_NOTIFICATION, _a_notification),
    Row("/notifications/{id}/read/", "POST", OWN_NOTIFICATION, _a_notification, lambda w: {}),
    Row("/notifications/read-all/", "POST", READ_ALL, body=lambda w: {}),
    Row("/notifications/preferences/", "GET", READ_ALL),
    Row(
        "/notifications/preferences/",
        "PUT",
        READ_ALL,
        body=lambda w: {"language": "en", "muted_kinds": ["stage_result"]},
    ),
    # listings: the listed catalog is public to everyone signed in; only the owner (or an admin) edits
    Row("/listings/", "GET", READ_ALL),
    Row(
        "/listings/",
        "POST",
        (403, 201, 403, 403, 403, 201),
        body=lambda w: {**_listing_body(w), "certificate": w.cert_a.pk},
    ),
    Row("/listings/{id}/", "GET", READ_ALL, pk_of("listing_a")),
    Row("/listings/{id}/", "GET", HIDDEN_LISTING, pk_of("hidden_a"), note="unpublished"),
    Row("/listings/{id}/", "PUT", LISTING_OWNER_WRITE, pk_of("listing_a"), _listing_body),
    Row("/listings/{id}/", "PATCH", LISTING_OWNER_WRITE, pk_of("listing_a"), lambda w: {"unit_price": 1000}),
    Row(
        "/listings/{id}/",
        "PATCH",
        HIDDEN_LISTING,
        pk_of("hidden_a"),
        lambda w: {"unit_price": 1000},
        note="unpublished",
    ),
    Row("/listings/{id}/", "DELETE", (403, 204, 403, 403, 403, 204), pk_of("listing_a")),
    Row("/listings/{id}/", "DELETE", (403, 204, 404, 404, 404, 204), pk_of("hidden_a"), note="unpublished"),
    Row("/listings/{id}/price-history/", "GET", READ_ALL, pk_of("listing_a")),
    Row("/listings/{id}/price-history/", "GET", HIDDEN_LISTING, pk_of("hidden_a"), note="unpublished"),
    Row(
        "/listings/{id}/identification-number/",
        "POST",
        ADMIN_ONLY,
        pk_of("listing_a"),
        lambda w: {"goods_identification_number": "24123456"},
    ),
    # public certificate verification and status events: anyone, signed in or not
    Row(
        "/public/certificates/",
        "GET",
        (200,) * 6,
        body=lambda w: {"business_number": w.company_a.business_number},
    ),
    Row("/public/certificates/{number}/", "GET", (200,) * 6, target=lambda w: w.cert_a.number),
    Row("/public/certificate-events/", "GET", (200,) * 6),
    # the classification reference table (pickers): public reference data
    Row("/reference/classifications/", "GET", (200,) * 6, body=lambda w: {"q": "3911"}),
    # search: everyone signed in
    Row("/search/", "GET", READ_ALL, body=lambda w: {"q": "LED"}),
    Row("/search/suggest/", "GET", READ_ALL, body=lambda w: {"q": "LE"}),
    # the public catalog: everyone, signed in or not; an unpublished listing is not public, even for its
    # owner (who reads it through /listings/)
    Row("/public/listings/", "GET", PUBLIC),
    Row("/public/listings/{id}/", "GET", PUBLIC, pk_of("listing_a")),
    Row("/public/listings/{id}/", "GET", (404,) * 6, pk_of("hidden_a"), note="unpublished"),
    # bulk upload: suppliers for their own company (another company's upload is a 404); admins read
    Row("/listing-uploads/", "GET", (403, 200, 200, 403, 403, 200)),
    Row("/listing-uploads/", "POST", (403, 202, 202, 403, 403, 403), body=_bulk_file, multipart=True),
    Row("/listing-uploads/template/", "GET", (403, 200, 200, 403, 403, 403)),
    Row("/listing-uploads/{id}/", "GET", (403, 200, 404, 403, 403, 200), _upload_a),
    Row("/listing-uploads/{id}/commit/", "POST", (403, 202, 404, 403, 403, 403), _upload_a, lambda w: {}),
    Row("/listing-uploads/{id}/report/", "GET", (403, 200, 404, 403, 403, 200), _upload_a),
    # officers' shortlists and saved searches (officers/): an officer's own; another's is a 404
    Row("/shortlists/", "GET", OFFICER_TOOL),
    Row("/shortlists/", "POST", OFFICER_TOOL_CREATED, body=lambda w: {"name": "새 목록"}),
    Row("/shortlists/{id}/", "GET", OWN_OFFICER_RECORD, _officer_list),
    Row("/shortlists/{id}/", "PATCH", OWN_OFFICER_RECORD, _officer_list, lambda w: {"name": "바꾼 이름"}),
    Row("/shortlists/{id}/", "DELETE", (403, 403, 403, 403, 204, 404), _officer_list),
    Row(
        "/shortlists/{id}/items/",
        "POST",
        (403, 403, 403, 403, 201, 404),
        _officer_list,
        lambda w: {"listing": w.listing_b.pk, "note": "후보"},
    ),
    Row("/shortlists/{id}/share/", "POST", OWN_OFFICER_RECORD, _officer_list, lambda w: {}),
    Row("/shortlists/{id}/revoke-share/", "POST", OWN_OFFICER_RECORD, _officer_list, lambda w: {}),
    Row("/shortlist-items/{id}/", "GET", OWN_OFFICER_RECORD, _officer_item),
    Row("/shortlist-items/{id}/", "PATCH", OWN_OFFICER_RECORD, _officer_item, lambda w: {"note": "메모"}),
    Row("/shortlist-items/{id}/", "DELETE", (403, 403, 403, 403, 204, 404), _officer_item),
    Row("/saved-searches/", "GET", OFFICER_TOOL),
    Row(
        "/saved-searches/",
        "POST",
        OFFICER_TOOL_CREATED,
        body=lambda w: {"name": "서울 LED", "alert": True, "query": {"q": "LED", "region": "11"}},
    ),
    Row("/saved-searches/{id}/", "GET", OWN_OFFICER_RECORD, _officer_search),
    Row("/saved-searches/{id}/", "PATCH", OWN_OFFICER_RECORD, _officer_search, lambda w: {"alert": True}),
    Row("/saved-searches/{id}/", "DELETE", (403, 403, 403, 403, 204, 404), _officer_search),
    Row("/public/search/", "GET", PUBLIC, body=lambda w: {"q": "LED"}),
    Row("/public/search/suggest/", "GET", PUBLIC, body=lambda w: {"q": "LE"}),
    # the program dashboard (issue 23): admins and program staff read (tests/program/test_api.py has the
    # program staff column), admins set targets; public statistics are open data
    Row("/program/figures/", "GET", ADMIN_ONLY),
    Row("/program/targets/", "GET", ADMIN_ONLY),
    Row(
        "/program/targets/",
        "POST",
        (403, 403, 403, 403, 403, 201),
        body=lambda w: {"year": 2030, "sector": "goods", "products": 250},
    ),
    Row("/program/targets/{id}/", "GET", ADMIN_ONLY, _target),
    Row(
        "/program/targets/{id}/",
        "PUT",
        ADMIN_ONLY,
        _target,
        lambda w: {"year": 2031, "sector": "services", "products": 40},
    ),
    Row("/program/targets/{id}/", "PATCH", ADMIN_ONLY, _target, lambda w: {"products": 300}),
    Row("/program/targets/{id}/", "DELETE", (403, 403, 403, 403, 403, 204), _target),
    Row("/public/statistics/", "GET", PUBLIC),
    Row("/public/statistics.csv", "GET", PUBLIC),
]


@pytest.fixture
def world(rworld):
    rworld.hidden_a = make_listing(rworld.supplier_a, rworld.cert_a, name="비공개 조명", published=False)
    rworld.evaluators = make_evaluators()
    cache.clear()  # throttles count in the cache
    yield rworld
    cache.clear()


def _call(world, role: str, row: Row):
    client = world.client(world.user(role))
    target = str(row.target(world)) if row.target else ""
    path = V1 + row.path.replace("{id}", target).replace("{number}", target)
    body = row.body(world) if row.body else None
    method = getattr(client, row.method.lower())
    if row.method == "GET":
        return method(path, body)
    return method(path, body, format="multipart" if row.multipart else "json")


@pytest.mark.parametrize("row", TABLE, ids=lambda row: row.id)
def test_role_gets_the_expected_status(world, row):
    actual = {}
    for role in ROLES:
        with transaction.atomic():
            if row.setup:
                row.setup(world)
            response = _call(world, role, row)
            transaction.set_rollback(True)  # the next role meets the same state
        actual[role] = response.status_code
    assert actual == dict(zip(ROLES, row.expected, strict=True))


def _schema_operations() -> set[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (path.removeprefix(V1), method.upper())
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    }


def test_the_table_covers_every_endpoint():
    covered = {(row.path, row.method) for row in TABLE}
    operations = _schema_operations()
    assert operations, "the schema lists no operations"
    assert operations - covered == set(), "endpoints without a row in the permission matrix"
    assert covered - operations == set(), "rows for endpoints that no longer exist"
