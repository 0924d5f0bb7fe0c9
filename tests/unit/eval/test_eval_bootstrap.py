"""Tests for seeded bootstrap confidence intervals."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from newsbrief.eval.bootstrap import ConfidenceInterval, bootstrap_ci
from newsbrief.eval.quote_metrics import QuoteCounts, QuoteScores

VALUES = [0.1, 0.9, 0.4, 0.7, 0.2, 0.8, 0.3, 0.6]


def test_same_seed_same_interval() -> None:
    assert bootstrap_ci(VALUES, seed=7) == bootstrap_ci(VALUES, seed=7)


def test_different_seed_different_interval() -> None:
    assert bootstrap_ci(VALUES, seed=1) != bootstrap_ci(VALUES, seed=2)


def test_global_random_state_is_untouched() -> None:
    np.random.seed(123)
    random.seed(123)
    expected_np, expected_py = np.random.random(), random.random()
    np.random.seed(123)
    random.seed(123)
    bootstrap_ci(VALUES)
    assert (np.random.random(), random.random()) == (expected_np, expected_py)


def test_two_values_hand_computed() -> None:
    # Resamples of [0, 1] have mean 0, 1/2 or 1 with probability 1/4, 1/2, 1/4. So the
    # 0.2 and 0.8 quantiles (alpha=0.4) are 0 and 1, the 0.3 and 0.7 quantiles are 1/2.
    assert bootstrap_ci([0.0, 1.0], n=2000) == (0.0, 1.0)
    assert bootstrap_ci([0.0, 1.0], n=2000, alpha=0.4) == (0.0, 1.0)
    assert bootstrap_ci([0.0, 1.0], n=2000, alpha=0.6) == (0.5, 0.5)


def test_constant_values() -> None:
    assert bootstrap_ci([0.25] * 5) == ConfidenceInterval(0.25, 0.25)


def test_interval_lies_within_the_data_and_around_the_mean() -> None:
    low, high = bootstrap_ci(VALUES)
    assert min(VALUES) <= low < sum(VALUES) / len(VALUES) < high <= max(VALUES)


def test_metric_gets_resampled_articles() -> None:
    articles = [QuoteCounts(2, 2, 2, 2, 2), QuoteCounts(2, 2, 0, 0, 0), QuoteCounts(4, 0, 0, 0, 0)]
    seen: list[int] = []

    def overlap_f1(sample: Sequence[QuoteCounts]) -> float:
        seen.append(len(sample))
        total = sum(sample, QuoteCounts())
        return QuoteScores.from_counts(total).overlap.f1

    low, high = bootstrap_ci(articles, overlap_f1, n=200)
    assert seen == [3] * 200
    assert 0.0 <= low <= high <= 1.0


def test_undefined_resamples_are_left_out() -> None:
    # The metric is NaN unless the resample holds item 1; those resamples all give 1.0.
    def metric(sample: Sequence[int]) -> float:
        return 1.0 if 1 in sample else math.nan

    assert bootstrap_ci([0, 1], metric, n=100) == (1.0, 1.0)
    with pytest.raises(ValueError, match="undefined"):
        bootstrap_ci([0], metric, n=10)


@pytest.mark.parametrize(
    ("items", "kwargs", "message"),
    [
        ([], {}, "no items"),
        ([1.0], {"n": 0}, "n must be"),
        ([1.0], {"alpha": 0.0}, "alpha"),
        ([1.0], {"alpha": 1.0}, "alpha"),
    ],
)
def test_bad_arguments(items: list[float], kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        bootstrap_ci(items, **kwargs)
