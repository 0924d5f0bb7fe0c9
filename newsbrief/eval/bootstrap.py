"""Percentile bootstrap confidence intervals that resample articles, with a seeded RNG."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, TypeVar, overload

import numpy as np

T = TypeVar("T")


class ConfidenceInterval(NamedTuple):
    """Lower and upper bound of a confidence interval."""

    low: float
    high: float


@overload
def bootstrap_ci(
    items: Sequence[float],
    metric: None = None,
    *,
    n: int = ...,
    seed: int = ...,
    alpha: float = ...,
) -> ConfidenceInterval: ...


@overload
def bootstrap_ci(
    items: Sequence[T],
    metric: Callable[[Sequence[T]], float],
    *,
    n: int = ...,
    seed: int = ...,
    alpha: float = ...,
) -> ConfidenceInterval: ...


def bootstrap_ci(
    items: Sequence[Any],
    metric: Callable[[Sequence[Any]], float] | None = None,
    *,
    n: int = 1000,
    seed: int = 0,
    alpha: float = 0.05,
) -> ConfidenceInterval:
    """Percentile bootstrap interval of a metric over items (articles).

    Draws ``n`` resamples of ``len(items)`` items with replacement, computes the metric
    on each and returns the ``alpha/2`` and ``1 - alpha/2`` quantiles. Resampling whole
    articles keeps the quotes of one article together, so per-article correlation is
    respected. Uses its own ``numpy.random.default_rng(seed)``: the same seed gives the
    same interval, and the global RNG is never touched.

    Args:
        items: per-item values (floats, averaged when ``metric`` is ``None``) or per-item
            data passed to ``metric`` (e.g. ``QuoteCounts`` per article).
        metric: computes the statistic from a resample; default the mean of the items,
            which must then be numbers.
        n: number of resamples.
        seed: seed of the random generator.
        alpha: 1 minus the confidence level (0.05 for a 95% interval).

    Returns:
        ``(low, high)``. Resamples where the metric is NaN (undefined, e.g. no matched
        quote to take speaker accuracy over) are left out.

    Raises:
        ValueError: no items, ``n < 1``, ``alpha`` outside (0, 1), or the metric is
            undefined on every resample.
    """
    if not items:
        raise ValueError("no items to resample")
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie in (0, 1), got {alpha}")
    statistic = metric if metric is not None else _mean
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(items), size=(n, len(items)))
    values = [statistic([items[int(i)] for i in draw]) for draw in draws]
    defined = [value for value in values if not math.isnan(value)]
    if not defined:
        raise ValueError("the metric is undefined (NaN) on every resample")
    low, high = np.quantile(defined, [alpha / 2, 1 - alpha / 2])
    return ConfidenceInterval(float(low), float(high))


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)
