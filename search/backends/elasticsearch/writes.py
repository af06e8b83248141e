"""Writes of the outbox worker: complete documents indexed, and listings deleted, through the alias."""

from collections.abc import Iterable
from typing import Any

from elasticsearch import Elasticsearch
from elasticsearch.helpers import streaming_bulk

from search.backends.base import ApplyStats, SearchUnavailable
from search.backends.elasticsearch.errors import NOT_BUILT, unavailable_on_error

BULK_CHUNK = 500


def index_actions(documents: Iterable[dict[str, Any]], index: str) -> list[dict[str, Any]]:
    return [
        {"_op_type": "index", "_index": index, "_id": str(document["id"]), "_source": document}
        for document in documents
    ]


def delete_actions(listing_ids: Iterable[int], index: str) -> list[dict[str, Any]]:
    return [{"_op_type": "delete", "_index": index, "_id": str(pk)} for pk in listing_ids]


def apply(client: Elasticsearch, actions: list[dict[str, Any]]) -> ApplyStats:
    """Sends the actions in bulk; per listing, what was indexed, deleted (absent counts as deleted) or
    failed, for the outbox to retry."""
    stats = ApplyStats()
    if not actions:
        return stats
    with unavailable_on_error():
        # require_alias: writing to a missing alias must fail, not auto-create a stray index by that name
        for ok, item in streaming_bulk(
            client,
            actions,
            chunk_size=BULK_CHUNK,
            raise_on_error=False,
            max_retries=2,
            initial_backoff=1,
            require_alias=True,
        ):
            op_type, result = next(iter(item.items()))
            listing_id = int(result.get("_id", 0))
            error = result.get("error")
            error_type = error.get("type", "") if isinstance(error, dict) else ""
            if error_type in {"index_not_found_exception", "aliases_not_found_exception"} or (
                "require_alias" in str(error)
            ):
                raise SearchUnavailable(NOT_BUILT)
            if ok and op_type == "index":
                stats.indexed += 1
            elif ok or (op_type == "delete" and result.get("status") == 404):
                stats.deleted += 1 if ok else 0
            else:
                stats.failed[listing_id] = str(error)[:500]
    return stats
