"""Shared fixtures of the reliability suite: one world with every kind of record, owned by two suppliers."""

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token

from catalog.feeds import services as feed_services
from tests.catalog.conftest import World
from tests.factories import make_application


class ReliabilityWorld(World):
    """The catalog world plus an editable application and an evidence document per supplier, and one
    finished export, so every endpoint has at least one real record to act on."""

    def __init__(self):
        super().__init__()
        self.draft_a = make_application(self.supplier_a, self.partner, product_name="A사 신청")
        self.draft_b = make_application(self.supplier_b, self.partner, product_name="B사 신청")
        self.document_a = self.draft_a.documents.get()
        self.document_b = self.draft_b.documents.get()
        self.export = feed_services.run_export(self.admin, export_format="csv")
        assert self.export.status == "succeeded", self.export.error_message

    def token(self, user) -> str:
        return Token.objects.get_or_create(user=user)[0].key


@pytest.fixture
def rworld(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEARCH_BACKEND = "database"
    settings.SEARCH_FALLBACK_TO_DATABASE = False
    return ReliabilityWorld()


def requires_postgresql(why: str = "row locks and parallel writers; SQLite serialises writers") -> None:
    """Skips on another database vendor: a vendor choice, not a missing service, so never a failure."""
    if connection.vendor != "postgresql":
        pytest.skip(f"needs PostgreSQL ({why}); this run uses {connection.vendor}")
