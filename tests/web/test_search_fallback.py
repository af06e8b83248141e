"""The search page, like the API, answers from the database while Elasticsearch is down if configured."""

from tests.conftest import dead_url


def test_search_page_is_503_when_elasticsearch_is_down(world, settings):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = dead_url()
    response = world.client(world.officer).get("/search/", {"q": "조명"})
    assert response.status_code == 503


def test_search_page_falls_back_to_the_database(world, settings):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = dead_url()
    settings.SEARCH_FALLBACK_TO_DATABASE = True
    response = world.client(world.officer).get("/search/", {"q": "평판조명"})
    assert response.status_code == 200
    assert "고효율" in response.content.decode()
