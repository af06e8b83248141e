"""The evaluation's metrics on known inputs (search.evaluation.metrics)."""

import math

import pytest

from search.evaluation import metrics


def test_dcg_discounts_by_log2_of_the_rank_plus_one():
    # (2^2-1)/log2(2) + (2^0-1)/log2(3) + (2^1-1)/log2(4) = 3 + 0 + 0.5
    assert metrics.dcg([2, 0, 1]) == pytest.approx(3.5)


def test_ndcg_against_the_ideal_order_of_every_relevant_product():
    ranked = [1, 2, 0]
    relevant = [2, 1, 1]  # the catalog has one 2 and two 1s, whether retrieved or not
    ideal = 3 + 1 / math.log2(3) + 1 / math.log2(4)
    assert metrics.ndcg(ranked, relevant) == pytest.approx((1 + 3 / math.log2(3)) / ideal)
    assert metrics.ndcg([2, 1, 1], relevant) == pytest.approx(1.0)
    assert metrics.ndcg([0, 0, 0], relevant) == 0.0


def test_ndcg_cuts_at_k():
    assert metrics.ndcg([0, 2], [2], k=1) == 0.0
    assert metrics.ndcg([0, 2], [2], k=2) == pytest.approx(1 / math.log2(3))


def test_a_query_without_relevant_products_scores_one_only_when_it_finds_nothing():
    assert metrics.ndcg([], []) == 1.0
    assert metrics.ndcg([0], []) == 0.0
    assert metrics.reciprocal_rank([], []) == 1.0
    assert metrics.reciprocal_rank([0, 0], []) == 0.0
    assert metrics.recall([0], []) is None


def test_reciprocal_rank_looks_for_the_best_grade_the_catalog_has():
    assert metrics.reciprocal_rank([1, 0, 2], [2, 1]) == pytest.approx(1 / 3)
    assert metrics.reciprocal_rank([0, 1], [1, 1]) == pytest.approx(1 / 2)
    assert metrics.reciprocal_rank([1, 1], [2]) == 0.0


def test_recall_counts_the_best_grade_up_to_k():
    # three 2s in the catalog, two of them found; the related 1 neither helps nor hurts
    assert metrics.recall([2, 1, 0, 2], [2, 2, 2, 1]) == pytest.approx(2 / 3)
    # more relevant products than k: finding k of them is full recall
    assert metrics.recall([2, 2], [2] * 10, k=2) == 1.0
    # only related products exist: they are what recall counts
    assert metrics.recall([1, 0], [1, 1]) == 0.5


def test_mean_skips_what_does_not_apply():
    assert metrics.mean([1.0, None, 0.5]) == 0.75
    assert metrics.mean([None]) is None
