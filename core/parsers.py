"""Request parsing that turns every malformed body into a 400, never a 500."""

import math
from typing import Any

from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import JSONParser

from core.identifiers import MAX_ID

NUMBER_OUT_OF_RANGE = "숫자가 허용 범위를 벗어났습니다 (number out of range: at most 19 digits, finite)."


def out_of_range_paths(value: Any, path: str = "") -> list[str]:
    """The fields (``a``, ``a.0.b``) of a parsed JSON document holding a number no column can store:
    an integer beyond 64 bits or a float that is not finite (``1e400`` parses as infinity, and Python's
    parser also reads ``NaN`` and ``Infinity``). Either would reach the database as an overflow (a 500)."""
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [] if -MAX_ID - 1 <= value <= MAX_ID else [path or "non_field_errors"]
    if isinstance(value, float):
        return [] if math.isfinite(value) else [path or "non_field_errors"]
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return []
    found: list[str] = []
    for key, child in items:
        found += out_of_range_paths(child, f"{path}.{key}" if path else str(key))
    return found


class SafeJSONParser(JSONParser):
    """DRF's parser turns ValueError into 400 but lets RecursionError (deeply nested JSON) escape, and
    passes on numbers no database column can hold; both are a 400 here (numbers: on their field)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
            paths = out_of_range_paths(data)
        except RecursionError as exc:
            raise ParseError("JSON nested too deeply.") from exc
        if paths:
            raise ValidationError({path: [NUMBER_OUT_OF_RANGE] for path in paths})
        return data
