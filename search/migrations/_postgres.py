"""Statements that only PostgreSQL runs, for the search migrations (SQLite and any other database skip
them: the model does not know what they add). Django's migration loader ignores this module (its name
starts with ``_``)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import migrations


def _run(statements: list[str]) -> Callable:
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


def postgres_only(forward: list[str], backward: list[str]) -> migrations.RunPython:
    """The statements forward and back on PostgreSQL, nothing elsewhere."""
    return migrations.RunPython(_run(forward), _run(backward), elidable=False)
