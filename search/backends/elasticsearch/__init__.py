"""Elasticsearch backend, composed by role as Wagtail composes its backends: ``mapping`` (the document
mapping and index names), ``index`` (index lifecycle: create, rebuild, alias swap, cleanup, status),
``bulk`` (the rebuild's bulk sender), ``writes`` (outbox writes and deletes), ``query`` (filters, text
query, aggregations, sorts), ``results`` (hits, facets, cursor), ``errors`` (client errors as search
errors) and ``backend`` (the :class:`~search.backends.base.SearchBackend` composing them).

Only server-core features are used (see DESIGN.md §4): the ``standard`` analyser on fields that already
hold Kiwi's morpheme text, ``index_prefixes`` for autocomplete, keyword fields and terms/range/filter
aggregations for facets, fuzzy multi_match for Latin words, ``search_after`` for deep paging, and one
atomic ``update_aliases`` call to switch a rebuilt index live.
"""
