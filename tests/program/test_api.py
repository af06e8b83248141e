"""The program API as program staff see it (the permission matrix has the other roles), and bad input."""

import pytest

from program.models import Target
from tests.worlds import api_client

pytestmark = pytest.mark.django_db


def test_program_staff_read_targets_and_figures_but_change_nothing(world):
    client = api_client(world.program_staff)
    assert client.get("/api/v1/program/targets/").json()["results"][0]["products"] == 5
    assert client.get(f"/api/v1/program/targets/{world.target.pk}/").status_code == 200
    figures = client.get("/api/v1/program/figures/").json()
    assert {figure["key"] for figure in figures} >= {"active", "funnel", "expiring", "listings", "export"}
    assert (
        client.post("/api/v1/program/targets/", {"year": 2030, "sector": "goods", "products": 1}).status_code
        == 403
    )
    assert client.patch(f"/api/v1/program/targets/{world.target.pk}/", {"products": 1}).status_code == 403
    assert client.delete(f"/api/v1/program/targets/{world.target.pk}/").status_code == 403
    assert Target.objects.get().products == 5


@pytest.mark.parametrize(
    "body",
    [
        {"year": 1999, "sector": "goods", "products": 10},
        {"year": 2030, "sector": "nuclear", "products": 10},
        {"year": 2030, "sector": "goods", "products": -1},
        {"year": "２０３０", "sector": "goods", "products": "many"},
    ],
)
def test_bad_targets_are_refused_with_the_error_shape(world, body):
    response = api_client(world.admin).post("/api/v1/program/targets/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_one_target_per_year_and_sector(world):
    body = {"year": world.target.year, "sector": "goods", "products": 9}
    response = api_client(world.admin).post("/api/v1/program/targets/", body, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_an_id_outside_the_path_pattern_is_not_found(world):
    assert api_client(world.admin).get("/api/v1/program/targets/１/").status_code == 404
