"""What a build worker process runs (``search.builders``). It imports no models at module level: a
spawned worker unpickles references to these functions before Django is set up in it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    from search.builders import Built
    from search.documents import SourceRow


def start() -> None:
    """Django's app registry (documents import the catalog's models) and one Kiwi, built once,
    single-threaded: the parent runs one worker per core."""
    import django

    django.setup()
    from search import analysis

    analysis.set_kiwi_threads(1)
    analysis.get_kiwi()


def build(rows: list[SourceRow], stored: Mapping[int, tuple[str, str]]) -> list[Built]:
    from search.builders import build_chunk

    return build_chunk(rows, stored)
