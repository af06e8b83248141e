"""The registry endpoints and their actions are documented in the OpenAPI schema."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_registry_endpoints_are_in_the_schema(client):
    schema = client.get(reverse("schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    for path, methods in {
        "/api/v1/companies/": {"get", "post"},
        "/api/v1/companies/{id}/": {"get", "put", "patch"},
        "/api/v1/applications/": {"get", "post"},
        "/api/v1/applications/{id}/": {"get", "put", "patch"},
        "/api/v1/applications/{id}/submit/": {"post"},
        "/api/v1/applications/{id}/withdraw/": {"post"},
        "/api/v1/applications/{id}/start-review/": {"post"},
        "/api/v1/applications/{id}/request-supplement/": {"post"},
        "/api/v1/applications/{id}/record-stage/": {"post"},
        "/api/v1/applications/{id}/approve/": {"post"},
        "/api/v1/applications/{id}/reject/": {"post"},
        "/api/v1/certificates/": {"get"},
        "/api/v1/certificates/{id}/suspend/": {"post"},
        "/api/v1/certificates/{id}/reinstate/": {"post"},
        "/api/v1/certificates/{id}/revoke/": {"post"},
        "/api/v1/certificates/{id}/renew/": {"post"},
        "/api/v1/documents/": {"get", "post"},
        "/api/v1/documents/{id}/": {"get", "delete"},
        "/api/v1/documents/{id}/download/": {"get"},
        "/api/v1/audit-events/": {"get"},
        "/api/v1/audit-events/{id}/": {"get"},
    }.items():
        assert path in paths, path
        documented = set(paths[path]) & {"get", "post", "put", "patch", "delete"}
        assert documented == methods, (path, documented)
    approve = paths["/api/v1/applications/{id}/approve/"]["post"]
    assert "ApplicationDetail" in str(approve["responses"]["200"])
    params = {p["name"] for p in paths["/api/v1/applications/"]["get"]["parameters"]}
    assert {
        "status",
        "sector",
        "partner",
        "supplier",
        "created_after",
        "submitted_before",
        "ordering",
    } <= params
