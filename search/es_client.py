"""The one place that builds the Elasticsearch client, so timeouts and retries are set once."""

from functools import lru_cache

from django.conf import settings
from elasticsearch import Elasticsearch


@lru_cache(maxsize=4)
def _client_for(url: str, timeout: int) -> Elasticsearch:
    return Elasticsearch(url, request_timeout=timeout, max_retries=1, retry_on_timeout=False)


def get_client() -> Elasticsearch:
    return _client_for(settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_TIMEOUT)
