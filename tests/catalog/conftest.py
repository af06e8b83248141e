import pytest

from tests.worlds import ListedWorld


@pytest.fixture
def world(db) -> ListedWorld:
    return ListedWorld()
