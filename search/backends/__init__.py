"""Search backends behind one contract; ``SEARCH_BACKEND`` picks one."""

from django.conf import settings

from search.backends.base import SearchBackend


def get_backend(name: str | None = None) -> SearchBackend:
    name = name or settings.SEARCH_BACKEND
    if name == "elasticsearch":
        from search.backends.elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend()
    from search.backends.database import DatabaseBackend

    return DatabaseBackend()
