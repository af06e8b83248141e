"""Property-based fuzzing of the whole JSON API against its own OpenAPI schema (schemathesis).

Every operation of ``/api/schema/`` gets a bounded number of generated requests, valid and invalid, as an
admin and as a supplier. Each answer must not be a 5xx, its status must be one the operation documents
(errors included: ``core.schema``), and it must match the schema for its status and content type. Path ids are steered towards real records half the time, so detail, transition and
download operations run their real code paths instead of stopping at a 404.
"""

import re

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# small and bounded: ~50 operations x 2 roles must stay well under two minutes on two cores
MAX_EXAMPLES = 10
# as an outside client runs it (issue 22): no 5xx, and every status, content type and body is documented
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ROLES = ["admin", "supplier_a"]


@pytest.fixture(params=ROLES)
def fuzz_user(request, rworld):
    # the schemathesis WSGI transport is not Django's test client: without this, Django's end-of-request
    # handler closes the connection and the test's transaction (and its world) goes with it
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    cache.clear()  # the search throttle counts per user in the cache; start every role from zero
    yield getattr(rworld, request.param)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    cache.clear()


# Loaded at collection: schemathesis's lazy (fixture) loader touches a pytest-internal attribute pytest 9
# no longer has. Serving the schema needs no database, so loading it here is safe.
schema = schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler())

_RESOURCE = re.compile(r"^/api/v1/(?P<resource>[a-z-]+)/\{id\}")


def _real_ids(world) -> dict[str, list[int]]:
    from certification.models import AuditEvent

    return {
        "applications": [world.draft_a.pk, world.draft_b.pk, world.cert_a.application_id],
        "certificates": [world.cert_a.pk, world.cert_b.pk],
        "companies": [world.company_a.pk, world.company_b.pk, world.partner.pk],
        "documents": [world.document_a.pk, world.document_b.pk],
        "exports": [world.export.pk],
        "listings": [world.listing_a.pk, world.listing_b.pk],
        "audit-events": list(AuditEvent.objects.values_list("pk", flat=True)[:3]),
    }


def _steer_id(case, real_ids: dict[str, list[int]]) -> None:
    """Maps an even generated id onto a real record (of the user's own company or another one)."""
    match = _RESOURCE.match(case.path)
    value = (case.path_parameters or {}).get("id")
    if not match or not isinstance(value, int) or value % 2:
        return
    candidates = real_ids.get(match["resource"])
    if candidates:
        case.path_parameters["id"] = candidates[(value // 2) % len(candidates)]


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    # generated examples only: schemathesis's "coverage" phase (run with the explicit phase) sends
    # hundreds of boundary cases per operation regardless of max_examples, minutes on this suite
    phases=[Phase.generate],
    database=None,  # no .hypothesis/ folder in the checkout; CI reruns from scratch
    suppress_health_check=list(HealthCheck),
)
def test_api_matches_its_schema_and_never_fails(case, fuzz_user, rworld):
    _steer_id(case, _real_ids(rworld))
    token = rworld.token(fuzz_user)
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)


def test_the_fuzzer_really_reaches_the_application(rworld):
    """Guards the guard: even generated ids land on records that exist, odd ones stay random (404s)."""
    from types import SimpleNamespace

    ids = _real_ids(rworld)
    assert all(ids.values()), ids
    for resource, candidates in ids.items():
        for generated in (0, 2, 4, 7):
            case = SimpleNamespace(path=f"/api/v1/{resource}/{{id}}/", path_parameters={"id": generated})
            _steer_id(case, ids)
            steered = case.path_parameters["id"]
            assert (steered in candidates) if generated % 2 == 0 else steered == generated, (
                resource,
                generated,
            )
    token = rworld.token(rworld.supplier_a)
    download = rworld.client().get(
        f"/api/v1/documents/{ids['documents'][0]}/download/", HTTP_AUTHORIZATION=f"Token {token}"
    )
    assert download.status_code == 200  # the token the fuzzer sends is accepted
