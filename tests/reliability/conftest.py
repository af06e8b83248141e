"""Shared fixtures of the reliability suite: one world with every kind of record, owned by two suppliers."""

import pytest
from django.db import connection

from catalog.feeds import services as feed_services
from search import rebuilds
from tests.worlds import ActiveWorld


class ReliabilityWorld(ActiveWorld):
    """The active world plus one finished export and one finished search rebuild, so every endpoint has a
    real record to act on."""

    def __init__(self) -> None:
        super().__init__()
        self.export = feed_services.run_export(self.admin, export_format="csv")
        assert self.export.status == "succeeded", self.export.error_message
        self.rebuild = rebuilds.execute_rebuild(rebuilds.request_rebuild(self.admin, backend="database").pk)
        assert self.rebuild.status == "succeeded", self.rebuild.error_message


@pytest.fixture
def rworld(db, media_in_tmp, settings) -> ReliabilityWorld:
    settings.SEARCH_BACKEND = "database"
    settings.SEARCH_FALLBACK_TO_DATABASE = False
    return ReliabilityWorld()


def requires_postgresql(why: str = "row locks and parallel writers; SQLite serialises writers") -> None:
    """Skips on another database vendor: a vendor choice, not a missing service, so never a failure."""
    if connection.vendor != "postgresql":
        pytest.skip(f"needs PostgreSQL ({why}); this run uses {connection.vendor}")
