"""Tests for the PRF score type."""

from __future__ import annotations

import pytest

from newsbrief.eval.scoring import PRF, f1_score


def test_from_counts() -> None:
    # 1 match, 2 predicted, 4 gold: P=1/2, R=1/4, F=2*(1/8)/(3/4)=1/3.
    score = PRF.from_counts(1, 2, 4)
    assert (score.precision, score.recall) == (1 / 2, 1 / 4)
    assert score.f1 == pytest.approx(1 / 3)


def test_zero_denominators_give_zero() -> None:
    assert PRF.from_counts(0, 0, 3) == PRF(0.0, 0.0, 0.0)
    assert PRF.from_counts(0, 3, 0) == PRF(0.0, 0.0, 0.0)
    assert f1_score(0.0, 0.0) == 0.0


@pytest.mark.parametrize(("matched", "n_predicted", "n_gold"), [(3, 2, 5), (3, 5, 2), (-1, 1, 1)])
def test_impossible_counts(matched: int, n_predicted: int, n_gold: int) -> None:
    with pytest.raises(ValueError, match="matched"):
        PRF.from_counts(matched, n_predicted, n_gold)


def test_is_frozen() -> None:
    score = PRF(1.0, 1.0, 1.0)
    with pytest.raises(AttributeError):
        score.f1 = 0.0  # type: ignore[misc]
