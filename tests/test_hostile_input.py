"""Malformed and oversized request bodies get a clear 4xx JSON answer, never a 500."""

import pytest

from tests.worlds import World

URL = "/api/v1/listings/"


@pytest.fixture
def supplier_client(db):
    world = World()
    client = world.client(world.supplier_a)
    client.raise_request_exception = False
    return client


def test_deeply_nested_json_is_400(supplier_client):
    body = "[" * 100_000 + "]" * 100_000
    response = supplier_client.post(URL, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_invalid_utf8_is_400(supplier_client):
    response = supplier_client.post(URL, b'{"name": "\xff\xfe"}', content_type="application/json")
    assert response.status_code == 400


def test_malformed_json_is_400(supplier_client):
    response = supplier_client.post(URL, '{"name": ', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_body_over_the_request_limit_is_413_or_400(supplier_client, settings):
    body = '{"name": "' + "가" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2) + '"}'
    response = supplier_client.post(URL, body, content_type="application/json")
    assert response.status_code in (400, 413)


def test_json_array_instead_of_object_is_400(supplier_client):
    response = supplier_client.post(URL, "[1, 2, 3]", content_type="application/json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()["errors"]
