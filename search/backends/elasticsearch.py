from django.conf import settings
from elasticsearch import ApiError, TransportError

from search.backends.base import SearchBackend
from search.es_client import get_client


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def health(self) -> dict:
        try:
            cluster = get_client().cluster.health(timeout="2s")
        except (TransportError, ApiError) as exc:
            return {
                "ok": False,
                "backend": self.name,
                "url": settings.ELASTICSEARCH_URL,
                "error": str(exc)[:200],
            }
        return {
            "ok": cluster["status"] in {"green", "yellow"},
            "backend": self.name,
            "cluster_status": cluster["status"],
        }
