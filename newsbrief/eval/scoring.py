"""Small immutable score types shared by every metric: precision, recall and F1."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PRF:
    """Precision, recall and their harmonic mean (F1), each in [0, 1]."""

    precision: float
    recall: float
    f1: float

    @classmethod
    def from_pr(cls, precision: float, recall: float) -> PRF:
        """Build from precision and recall; F1 is 0 when both are 0."""
        return cls(precision, recall, f1_score(precision, recall))

    @classmethod
    def from_counts(cls, matched: int, n_predicted: int, n_gold: int) -> PRF:
        """Build from counts of matched, predicted and gold items.

        A ratio with a zero denominator is 0 (nothing predicted: precision 0; nothing to
        find: recall 0), as in scikit-learn's ``zero_division=0``.
        """
        if matched < 0 or matched > min(n_predicted, n_gold):
            raise ValueError(
                f"matched={matched} must lie in [0, min(n_predicted={n_predicted}, "
                f"n_gold={n_gold})]"
            )
        precision = matched / n_predicted if n_predicted else 0.0
        recall = matched / n_gold if n_gold else 0.0
        return cls.from_pr(precision, recall)


def f1_score(precision: float, recall: float) -> float:
    """Harmonic mean of precision and recall, 0 when both are 0."""
    if precision + recall == 0:
        return 0.0
    return 2 * precision * recall / (precision + recall)
