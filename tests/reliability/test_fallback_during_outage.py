"""During an Elasticsearch outage the worker still feeds the database fallback table, so searches that
fall back never show a product whose certificate was revoked meanwhile. Runs without Elasticsearch: the
client points at a port where nothing listens (the real stop/start is test_es_outage.py)."""

import pytest

from catalog import services as catalog_services
from certification import services as registry
from search import sync
from search.backends import get_backend
from search.backends.base import SearchQuery
from search.documents import listed_ids
from search.models import IndexOutbox
from tests.conftest import dead_url

pytestmark = pytest.mark.django_db


def test_the_fallback_table_follows_the_catalog_while_elasticsearch_is_down(rworld, settings):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.SEARCH_FALLBACK_TO_DATABASE = True
    settings.SEARCH_SYNC_ON_COMMIT = False
    settings.ELASTICSEARCH_URL = dead_url()
    database = get_backend("database")
    database.rebuild()
    assert rworld.listing_b.pk in set(database.iter_ids())

    registry.revoke_certificate(rworld.reviewer, certificate_id=rworld.cert_b.pk, reason="장애 중 취소")
    catalog_services.update_listing(
        rworld.supplier_a, listing_id=rworld.listing_a.pk, name="장애 중 바꾼 이름"
    )
    pending = IndexOutbox.objects.count()
    assert pending >= 2

    stats = sync.drain(retries=0)
    assert not stats.ok and "unavailable" in stats.error
    assert IndexOutbox.objects.count() == pending  # Elasticsearch still needs every row
    assert set(IndexOutbox.objects.values_list("attempts", flat=True)) == {0}
    assert sorted(database.iter_ids()) == sorted(listed_ids())  # but the fallback is current
    result = database.search(SearchQuery(text="장애 중 바꾼 이름"))
    assert [hit.id for hit in result.hits] == [rworld.listing_a.pk]
