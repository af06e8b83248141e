"""Ranking metrics over graded judgments (2 = exactly what was asked, 1 = related, 0 = not relevant).

Pure functions of lists of grades, so they are tested on known inputs (``tests/search/test_metrics.py``).

- nDCG@k: DCG = Σ (2^grade − 1) / log2(rank + 1) over the first k results, divided by the DCG of the
  ideal ranking of every relevant product of the catalog (not only those retrieved). A query with no
  relevant product scores 1 when it returns nothing and 0 otherwise.
- reciprocal rank: 1 / the rank of the first result of the best grade the catalog has for the query (the
  first 2 when any product is a 2, else the first 1); 0 when none is within the results looked at.
- recall@k: the products of the best grade the catalog has for the query (the 2s, or the 1s when there
  is no 2) found in the first k results / min(k, how many there are). Related products (1) beside exact
  ones are acceptable, not required, so they do not count against recall.
"""

import math
from collections.abc import Sequence


def dcg(grades: Sequence[int]) -> float:
    return sum((2**grade - 1) / math.log2(rank + 1) for rank, grade in enumerate(grades, start=1))


def ndcg(ranked: Sequence[int], relevant: Sequence[int], k: int = 10) -> float:
    """``ranked``: the grades of the results in order; ``relevant``: the grades of every relevant product."""
    ideal = dcg(sorted((g for g in relevant if g > 0), reverse=True)[:k])
    if ideal == 0:
        return 0.0 if ranked else 1.0
    return dcg(list(ranked)[:k]) / ideal


def reciprocal_rank(ranked: Sequence[int], relevant: Sequence[int]) -> float:
    best = max((g for g in relevant if g > 0), default=0)
    if best == 0:
        return 0.0 if ranked else 1.0
    for rank, grade in enumerate(ranked, start=1):
        if grade >= best:
            return 1 / rank
    return 0.0


def recall(ranked: Sequence[int], relevant: Sequence[int], k: int = 50) -> float | None:
    """None when the query has no relevant product (recall means nothing there)."""
    best = max((g for g in relevant if g > 0), default=0)
    if best == 0:
        return None
    wanted = sum(1 for g in relevant if g >= best)
    return sum(1 for g in list(ranked)[:k] if g >= best) / min(k, wanted)


def mean(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None
