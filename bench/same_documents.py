"""Checks that the ``ded`` contender of ``bench.reindex`` indexes what ours does: after
``python -m bench.reindex --contenders ours-cold,ded --keep``, the same ``_source`` for every listing and
the same mapping (field types, analysers, prefixes), so both rebuilds give Elasticsearch the same work.

    .venv/bin/python -m bench.same_documents
"""

from __future__ import annotations

import sys

from bench.common import setup

SETTINGS = "bench.settings"


def _sources(client, index: str) -> dict[str, dict]:
    from elasticsearch.helpers import scan

    return {hit["_id"]: hit["_source"] for hit in scan(client, index=index, size=5000)}


def _properties(client, index: str) -> dict:
    (mapping,) = client.indices.get_mapping(index=index).values()
    return mapping["mappings"]["properties"]


def main() -> None:
    setup(SETTINGS)
    from bench.documents import DedProductDocument
    from search.backends import get_backend
    from search.es_client import get_client

    client = get_client()
    (ours,) = get_backend("elasticsearch").indices.alias_targets()
    theirs = DedProductDocument._index._name
    ours_mapping, their_mapping = _properties(client, ours), _properties(client, theirs)
    # fields the application keeps unindexed in _source only are declared index=False there
    indexed = {name: value for name, value in their_mapping.items() if value.get("index") is not False}
    ours_sources, their_sources = _sources(client, ours), _sources(client, theirs)
    different = [key for key in ours_sources if ours_sources[key] != their_sources.get(key)]
    print(f"{len(ours_sources)} documents ({ours}) against {len(their_sources)} ({theirs})")
    print(f"different documents: {len(different)}" + (f", e.g. {different[:3]}" if different else ""))
    print(f"same mapping of indexed fields: {indexed == ours_mapping}")
    if different or len(ours_sources) != len(their_sources) or indexed != ours_mapping:
        for name in sorted(set(indexed) ^ set(ours_mapping)):
            print(f"  only in one mapping: {name}")
        for name in sorted(set(indexed) & set(ours_mapping)):
            if indexed[name] != ours_mapping[name]:
                print(f"  {name}: ours {ours_mapping[name]} theirs {indexed[name]}")
        sys.exit(1)


if __name__ == "__main__":
    main()
