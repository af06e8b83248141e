"""The rebuild's bulk sender against a real Elasticsearch: rejections are reported per document,
documents pushed back for load are retried, and a rejected document aborts a rebuild cleanly."""

import json

import pytest
from elasticsearch import ConnectionError

from search import sync
from search.backends.base import SearchError
from search.backends.elasticsearch import bulk
from search.backends.elasticsearch.index import IndexLifecycle
from search.models import StoredDocument
from tests.search.conftest import ids, run

es_only = pytest.mark.parametrize("backend", ["elasticsearch"], indirect=True)


@pytest.fixture
def index(es_client, es_index_name):
    es_client.indices.create(index=es_index_name, mappings={"properties": {"unit_price": {"type": "long"}}})
    yield es_index_name
    es_client.indices.delete(index=es_index_name, ignore_unavailable=True)


def documents_in(es_client, index: str) -> dict[int, dict]:
    es_client.indices.refresh(index=index)
    hits = es_client.search(index=index, size=100)["hits"]["hits"]
    return {int(hit["_id"]): hit["_source"] for hit in hits}


def test_a_chunk_is_indexed_and_each_rejected_document_reported(es_client, index):
    chunk = [
        (1, json.dumps({"name": "LED 평판조명", "unit_price": 125000}, ensure_ascii=False)),
        (2, json.dumps({"name": "가격 오류", "unit_price": "비쌈"}, ensure_ascii=False)),
        (3, json.dumps({"name": "가로등", "unit_price": 850000}, ensure_ascii=False)),
    ]
    rejected = bulk.index_chunk(es_client, index, chunk)
    assert [listing_id for listing_id, _error in rejected] == [2]
    assert rejected[0][1]["type"] == "document_parsing_exception"
    assert documents_in(es_client, index) == {
        1: {"name": "LED 평판조명", "unit_price": 125000},
        3: {"name": "가로등", "unit_price": 850000},
    }


class PushedBackOnce:
    """The real client, except that Elasticsearch's answer to the first bulk request says its write
    queue was full for the first document (status 429), as a loaded node does."""

    def __init__(self, client):
        self.client = client
        self.bodies: list[str] = []

    def bulk(self, **kwargs):
        self.bodies.append(kwargs["operations"])
        response = self.client.bulk(**kwargs)
        if len(self.bodies) == 1:
            response = {"errors": True, "items": [dict(item) for item in response["items"]]}
            response["items"][0] = {"index": {"status": 429, "error": {"type": "es_rejected_execution"}}}
        return response


def test_documents_pushed_back_for_load_are_retried_alone_after_a_pause(es_client, index):
    client = PushedBackOnce(es_client)
    pauses: list[float] = []
    chunk = [(1, '{"unit_price":1}'), (2, '{"unit_price":2}')]
    assert bulk.index_chunk(client, index, chunk, sleep=pauses.append) == []
    assert pauses == [1]
    assert client.bodies[1] == '{"index":{"_id":"1"}}\n{"unit_price":1}\n'
    assert set(documents_in(es_client, index)) == {1, 2}


@es_only
@pytest.mark.django_db
def test_a_rejected_document_aborts_the_rebuild_and_the_old_index_keeps_serving(backend, indexed, es_client):
    live = backend.alias_targets()
    entry = StoredDocument.objects.get(listing_id=indexed.street.pk)
    entry.body = entry.body.replace(f'"unit_price":{indexed.street.unit_price}', '"unit_price":"비쌈"')
    entry.save(update_fields=["body"])
    with pytest.raises(SearchError, match="1 documents failed to index"):
        sync.rebuild(backend)
    assert backend.alias_targets() == live
    assert es_client.indices.get(index=f"{backend.alias}-v*").keys() == set(live)
    assert ids(run(backend, "가로등")) == [indexed.street.pk]


@es_only
@pytest.mark.django_db
def test_an_index_loads_without_refreshes_or_translog_syncs_and_goes_live_with_the_defaults(
    backend, indexed, es_client, monkeypatch
):
    seen: list[dict] = []
    real_index_all = bulk.index_all

    def loading(client, index, documents, ready):
        ready.result()  # created on a thread of its own while the first documents are built
        seen.append(es_client.indices.get_settings(index=index)[index]["settings"]["index"])
        yield from real_index_all(client, index, documents, ready)

    monkeypatch.setattr(bulk, "index_all", loading)
    sync.rebuild(backend)
    assert (seen[0]["refresh_interval"], seen[0]["translog"]["durability"]) == ("-1", "async")
    (live,) = backend.alias_targets()
    settings = es_client.indices.get_settings(index=live)[live]["settings"]["index"]
    assert "refresh_interval" not in settings and "translog" not in settings  # the defaults: 1s, request
    assert ids(run(backend, "가로등")) == [indexed.street.pk]


@es_only
@pytest.mark.django_db
def test_a_failed_index_creation_fails_the_rebuild_and_leaves_the_old_index_serving(
    backend, indexed, es_client, monkeypatch
):
    live = backend.alias_targets()

    def refused(self, name, loading):
        raise ConnectionError("refused")  # the node went away as the rebuild began

    monkeypatch.setattr(IndexLifecycle, "create", refused)
    with pytest.raises(SearchError):
        sync.rebuild(backend)
    assert backend.alias_targets() == live
    assert es_client.indices.get(index=f"{backend.alias}-v*").keys() == set(live)
    assert ids(run(backend, "가로등")) == [indexed.street.pk]
