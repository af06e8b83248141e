from django.db import connection

from search.backends.base import SearchBackend


class DatabaseBackend(SearchBackend):
    """Searches the catalog tables directly: the embedded default, no server needed."""

    name = "database"

    def health(self) -> dict:
        return {"ok": True, "backend": self.name, "vendor": connection.vendor}
