"""Tests for stance accuracy, macro-F1, per-label F1 and the SemEval-2016 score."""

from __future__ import annotations

import pytest

from newsbrief.eval.scoring import PRF
from newsbrief.eval.stance_metrics import label_prf, score_stance_labels


def test_hand_computed_scores() -> None:
    gold = ["supportive", "supportive", "opposed", "neutral"]
    predicted = ["supportive", "opposed", "opposed", "supportive"]
    scores = score_stance_labels(gold, predicted)
    # Right at items 0 and 2: 2/4.
    assert scores.accuracy == 1 / 2
    # supportive: 1 hit, 2 predicted, 2 gold -> P=R=F=1/2.
    # opposed: 1 hit, 2 predicted, 1 gold -> P=1/2, R=1, F=2/3.
    # neutral: 0 hits, 0 predicted, 1 gold -> 0. cautious occurs nowhere: not averaged.
    assert scores.per_label == {
        "neutral": PRF(0.0, 0.0, 0.0),
        "opposed": PRF(1 / 2, 1.0, 2 / 3),
        "supportive": PRF(1 / 2, 1 / 2, 1 / 2),
    }
    assert scores.macro_f1 == pytest.approx((1 / 2 + 2 / 3 + 0) / 3)  # 7/18
    assert scores.semeval_f1 == pytest.approx((1 / 2 + 2 / 3) / 2)  # 7/12
    assert scores.n == 4


def test_label_only_predicted_counts_in_macro_f1() -> None:
    scores = score_stance_labels(["supportive", "supportive"], ["supportive", "cautious"])
    # supportive: P=1, R=1/2, F=2/3; cautious: F=0 -> macro 1/3.
    assert scores.macro_f1 == pytest.approx(1 / 3)
    assert set(scores.per_label) == {"supportive", "cautious"}


def test_semeval_counts_an_absent_label_as_zero() -> None:
    scores = score_stance_labels(["opposed", "opposed"], ["opposed", "opposed"])
    assert scores.accuracy == 1.0
    assert scores.macro_f1 == 1.0
    assert scores.semeval_f1 == 1 / 2  # F(opposed)=1, F(supportive)=0


def test_semeval_labels_are_configurable() -> None:
    scores = score_stance_labels(
        ["favor", "against"], ["favor", "favor"], semeval_labels=("favor", "against")
    )
    # favor: P=1/2, R=1, F=2/3; against: 0 -> 1/3.
    assert scores.semeval_f1 == pytest.approx(1 / 3)


def test_label_prf() -> None:
    assert label_prf(["a", "b", "a"], ["a", "a", "b"], "a") == PRF(1 / 2, 1 / 2, 1 / 2)


def test_per_label_is_read_only() -> None:
    scores = score_stance_labels(["a"], ["a"])
    with pytest.raises(TypeError):
        scores.per_label["b"] = PRF(0.0, 0.0, 0.0)  # type: ignore[index]


@pytest.mark.parametrize(("gold", "predicted"), [(["a"], []), ([], [])])
def test_bad_lengths(gold: list[str], predicted: list[str]) -> None:
    with pytest.raises(ValueError, match="labels"):
        score_stance_labels(gold, predicted)
