"""The officers' tools' cast: the listed world seen by two procurement officers (each with an e-mail
address), the search index filled by the database backend."""

import pytest

from certification.roles import Role
from search.backends import get_backend
from tests.factories import make_user
from tests.worlds import ActiveWorld, api_client, page_client


class OfficerWorld(ActiveWorld):
    def __init__(self) -> None:
        super().__init__()
        self.other_officer = make_user(Role.OFFICER, username="officer-2")
        for user in (self.officer, self.other_officer, self.admin, self.supplier_a):
            user.email = f"{user.username}@example.kr"
            user.save(update_fields=["email"])
        self.reindex()

    @staticmethod
    def reindex() -> None:
        # tests run inside one transaction, so the after-commit index sync never fires: rebuild
        get_backend().rebuild()

    api = staticmethod(api_client)
    pages = staticmethod(page_client)


@pytest.fixture
def world(db, media_in_tmp, settings) -> OfficerWorld:
    settings.SEARCH_BACKEND = "database"
    settings.SEARCH_FALLBACK_TO_DATABASE = False
    settings.SITE_BASE_URL = "https://sangsaeng.example.kr"
    return OfficerWorld()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs the block's on-commit callbacks (the e-mail hand-off) at its end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
