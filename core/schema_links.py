"""OpenAPI links, derived once for the whole schema (a drf-spectacular post-processing hook).

An operation that creates a record (``POST /api/v1/<things>/`` answering 201, or 202 for a queued job)
links to every operation on that record (``/api/v1/<things>/{id}/…``: read, update, delete and each
transition route), passing the new record's ``id`` from the response body. Clients and a stateful fuzzer
(schemathesis, ``bench/fuzz_api.py``) follow them: create → read → update → transition, instead of
guessing ids. Operations whose path has parameters besides ``id`` are not linked (the link would have to
invent the others).
"""

import re
from typing import Any

# /api/v1/<collection>/{id}/<rest>: the collection part is everything up to the record's id
DETAIL = re.compile(r"^(?P<collection>/api/v1/.+/)\{id\}/(?P<rest>.*)$")
PARAMETER = re.compile(r"\{([^}]+)\}")
METHODS = ("get", "put", "patch", "delete", "post")
CREATED = ("201", "202")


def _link_name(operation_id: str) -> str:
    return operation_id.replace("_", " ").title().replace(" ", "")


def add_links(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = result.get("paths", {})
    on_record: dict[str, list[str]] = {}
    for path, operations in paths.items():
        match = DETAIL.match(path)
        if not match or set(PARAMETER.findall(path)) != {"id"}:
            continue
        for method in METHODS:
            operation_id = (operations.get(method) or {}).get("operationId")
            if operation_id:
                on_record.setdefault(match["collection"], []).append(operation_id)
    for collection, operation_ids in on_record.items():
        create = paths.get(collection, {}).get("post")
        if not create:
            continue
        for status in CREATED:
            response = create.get("responses", {}).get(status)
            if response is None:
                continue
            links = response.setdefault("links", {})
            for operation_id in operation_ids:
                links[_link_name(operation_id)] = {
                    "operationId": operation_id,
                    "parameters": {"id": "$response.body#/id"},
                    "description": "the record this request created",
                }
    return result
