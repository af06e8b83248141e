import pytest

from search.backends import get_backend
from tests.worlds import ActiveWorld, page_client


class WebWorld(ActiveWorld):
    """The active world seen through the pages: its clients sign in, and the search index is filled."""

    client = staticmethod(page_client)

    def __init__(self) -> None:
        super().__init__()
        self.reindex()

    @staticmethod
    def reindex() -> None:
        # page tests run inside one transaction, so the after-commit index sync never fires: rebuild
        get_backend().rebuild()


@pytest.fixture
def world(db, media_in_tmp, settings) -> WebWorld:
    settings.SEARCH_BACKEND = "database"
    return WebWorld()
