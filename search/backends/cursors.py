"""Opaque ``search_after`` cursors: a backend's sort values of the last hit, tied to that backend and sort
order so a cursor cannot be continued elsewhere."""

import base64
import binascii
import json
from typing import Any

from search.backends.base import InvalidQuery


def encode_cursor(backend: str, sort: str, values: list[Any]) -> str:
    raw = json.dumps({"b": backend, "s": sort, "v": values}, separators=(",", ":"), default=str)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, backend: str, sort: str, types: tuple[type, ...]) -> list[Any]:
    """The sort values a cursor carries, checked: a forged or foreign cursor is a 400, never a 500."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        values = data["v"]
        if data["b"] != backend or data["s"] != sort:
            raise InvalidQuery("the cursor belongs to a different backend or sort order")
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeError) as exc:
        raise InvalidQuery("malformed cursor") from exc
    if not isinstance(values, list) or len(values) != len(types):
        raise InvalidQuery("malformed cursor")
    checked: list[Any] = []
    for value, kind in zip(values, types, strict=True):
        if kind is float and isinstance(value, int | float) and not isinstance(value, bool):
            checked.append(float(value))
        elif (kind is int and isinstance(value, int) and not isinstance(value, bool)) or (
            kind is str and isinstance(value, str) and len(value) <= 64
        ):
            checked.append(value)
        else:
            raise InvalidQuery("malformed cursor")
    return checked
