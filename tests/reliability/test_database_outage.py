"""A database that goes away mid-traffic (restart, fail-over): every request in flight fails cleanly, a 503
with ``Retry-After`` (the JSON error shape under /api/, a plain page elsewhere), never a 500; and the next
request after the database is back answers normally, without restarting the process.

The full drill restarts a private PostgreSQL under gunicorn (``bench/drill_restarts.py``, figures in
docs/operations.md). Here: a connection the database server really terminated (PostgreSQL), and a
database that refuses every statement through Django's own execution hook (both engines).
"""

import pytest
from django.db import OperationalError, close_old_connections, connection, connections
from django.test import RequestFactory

from core import handlers
from tests.worlds import ListedWorld, page_client

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def world(media_in_tmp, settings) -> ListedWorld:
    settings.SEARCH_BACKEND = "database"
    return ListedWorld()


def refuse_every_statement(execute, sql, params, many, context):
    # what psycopg raises for every statement while the server is down or restarting
    raise OperationalError("server closed the connection unexpectedly")


def assert_database_unavailable(response, api: bool) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    if api:
        assert response["Content-Type"] == "application/json"
        assert response.json()["code"] == "database_unavailable"
        assert "(the database is briefly unavailable; try again shortly)" in response.json()["detail"]
    else:
        assert response["Content-Type"].startswith("text/html")
        assert "try again shortly" in response.content.decode()


def test_while_the_database_refuses_the_api_and_pages_answer_503_then_recover(world):
    client = page_client(raise_request_exception=False)
    signed_in = page_client(world.supplier_a, raise_request_exception=False)
    listing = f"/api/v1/public/listings/{world.listing_a.pk}/"
    with connection.execute_wrapper(refuse_every_statement):
        assert_database_unavailable(client.get(listing), api=True)
        assert_database_unavailable(client.get("/api/v1/public/listings/"), api=True)
        # the session middleware is the first to touch the database for a signed-in page
        assert_database_unavailable(signed_in.get("/supplier/applications/new/"), api=False)
        assert_database_unavailable(client.get(f"/products/{world.listing_a.pk}/"), api=False)
    assert client.get(listing).status_code == 200
    assert signed_in.get("/supplier/applications/new/").status_code == 200


def test_other_server_errors_stay_500(world):
    # only the database's own failures are "unavailable": a bug is still a 500 for the logs
    try:
        raise ValueError("a bug")
    except ValueError:
        response = handlers.server_error(RequestFactory().get("/api/v1/listings/"))
    assert response.status_code == 500
    assert not response.has_header("Retry-After")


def test_a_connection_the_server_terminated_answers_503_and_the_next_request_reconnects(world):
    if connection.vendor != "postgresql":
        pytest.skip(f"terminates a server backend: needs PostgreSQL; this run uses {connection.vendor}")
    client = page_client(raise_request_exception=False)
    listing = f"/api/v1/public/listings/{world.listing_a.pk}/"
    assert client.get(listing).status_code == 200
    victim = connection.cursor().connection.info.backend_pid
    # a second connection plays the restarting server: it ends the first one's backend
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [victim])
            assert cursor.fetchone() == (True,)
    finally:
        other.close()
    assert_database_unavailable(client.get(listing), api=True)
    # the end of every real request closes a connection that failed (the test client skips that signal)
    close_old_connections()
    assert client.get(listing).status_code == 200


def test_the_schema_documents_the_503_on_every_operation():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    operations = [
        op
        for item in paths.values()
        for method, op in item.items()
        if method in {"get", "post", "patch", "put", "delete"}
    ]
    assert operations
    assert all("503" in operation["responses"] for operation in operations)
