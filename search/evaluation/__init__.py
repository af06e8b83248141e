"""The relevance evaluation: a judged query set over the generated catalog (``catalog.generator``), the
metrics (nDCG@10, MRR, recall@50, zero-result rate) and a runner per backend.

- ``metrics``: pure-Python metric functions;
- ``judgments``: predicates over a generated product's ground truth (family, kind, attributes, code,
  company), and the judged query type;
- ``queries``: the judged query set, by category;
- ``runner``: loads nothing itself; runs the set on a backend against a loaded catalog and reports.

``manage.py search_evaluate`` runs it in a throwaway database; ``tests/search/test_relevance_floor.py``
keeps the scores above their floors.
"""
