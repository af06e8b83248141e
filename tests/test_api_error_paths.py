"""Every answer under /api/ is the JSON error shape, including the ones Django gives before or around a
view: a path no route matches, a body over the limit, too many form fields. Pages keep HTML."""

import json

import pytest

from tests.worlds import ListedWorld, api_client, page_client


@pytest.fixture
def world(db):
    return ListedWorld()


def assert_json_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) >= {"detail", "code", "errors"}
    if code:
        assert body["code"] == code
    return body


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/listings/abc/",
        "/api/v1/listings/-1/",
        "/api/v1/listings/\u0661\u0662/",  # Arabic-Indic digits: not an id, even though int() reads them
        "/api/v1/applications/abc/",
        "/api/v1/applications/-5/",
        "/api/v1/certificates/99999999999999999999999/",
        "/api/v1/exports/x/",
        "/api/v1/no-such-collection/",
    ],
)
def test_a_path_that_names_no_record_is_a_json_404(world, path):
    client = api_client(world.admin)
    assert_json_error(client.get(path), 404, "not_found")


def test_a_look_alike_digit_id_does_not_reach_the_record(world):
    client = api_client(world.officer)
    ascii_id = str(world.listing_a.pk)
    arabic = "".join(chr(0x0660 + int(ch)) for ch in ascii_id)
    assert client.get(f"/api/v1/listings/{ascii_id}/").status_code == 200
    assert_json_error(client.get(f"/api/v1/listings/{arabic}/"), 404)


def test_a_page_path_that_matches_nothing_keeps_the_html_404(world):
    response = api_client(world.admin).get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_json_body_over_the_limit_is_a_json_413(world, settings):
    client = api_client(world.supplier_a)
    client.raise_request_exception = False
    body = json.dumps({"name": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)})
    response = client.post("/api/v1/listings/", body, content_type="application/json")
    assert_json_error(response, 413, "request_too_large")


def test_a_form_body_over_the_limit_is_a_json_413(world, settings):
    client = api_client(world.supplier_a)
    client.raise_request_exception = False
    response = client.post(
        f"/api/v1/listings/{world.listing_a.pk}/identification-number/",
        "goods_identification_number=" + "1" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10),
        content_type="application/x-www-form-urlencoded",
    )
    assert_json_error(response, 413, "request_too_large")


def test_too_many_form_fields_is_a_json_400(world, settings):
    client = api_client(world.supplier_a)
    client.raise_request_exception = False
    body = "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 500))
    response = client.post("/api/v1/applications/", body, content_type="application/x-www-form-urlencoded")
    assert_json_error(response, 400, "too_many_fields")


def test_too_many_form_fields_on_a_page_stays_html(world, settings):
    client = page_client()
    client.raise_request_exception = False
    body = "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 500))
    response = client.post("/accounts/login/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert not response["Content-Type"].startswith("application/json")
