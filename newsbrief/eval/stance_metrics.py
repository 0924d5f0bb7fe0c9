"""Stance scores over aligned gold and predicted labels: accuracy, macro-F1, SemEval F."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from newsbrief.eval.scoring import PRF
from newsbrief.models import ABSTAINED

# SemEval-2016 Task 6 scores the mean F1 of FAVOR and AGAINST, leaving NONE out;
# supportive and opposed are this project's names for them.
SEMEVAL_LABELS: tuple[str, str] = ("supportive", "opposed")
#: Predictions that are no label: an abstention (``Stance.label is None``) and, in the
#: ``brief`` task, a gold speaker the brief did not find. Both count as wrong answers;
#: neither is a class of its own in macro-F1.
MISSED = "missed"
NO_ANSWER = frozenset({ABSTAINED, MISSED})


@dataclass(frozen=True)
class StanceScores:
    """Stance classification scores."""

    accuracy: float
    macro_f1: float
    """Mean F1 over the labels that occur in gold or predictions (no-answers excepted)."""
    per_label: Mapping[str, PRF]
    """P/R/F1 of each label that occurs in gold or predictions, sorted by label."""
    semeval_f1: float
    """Mean F1 of the two ``SEMEVAL_LABELS`` (a label that never occurs scores 0)."""
    n: int
    coverage: float
    """Share of items answered with a label (not abstained, not missed)."""
    answered_accuracy: float | None
    """Accuracy over the answered items; ``None`` when none was answered."""


def score_stance_labels(
    gold: Sequence[str],
    predicted: Sequence[str],
    *,
    semeval_labels: tuple[str, str] = SEMEVAL_LABELS,
    no_answer: frozenset[str] = NO_ANSWER,
) -> StanceScores:
    """Score predicted stance labels against gold labels, item by item.

    Args:
        gold: gold labels.
        predicted: predicted labels, aligned with ``gold`` (same item at the same index).
        semeval_labels: the two labels averaged for the SemEval-2016 score.
        no_answer: predictions that are no label (wrong everywhere, no class of their own).

    Returns:
        Accuracy, macro-F1, per-label P/R/F1 and the SemEval-2016 F.

    Raises:
        ValueError: the sequences differ in length or are empty.
    """
    if len(gold) != len(predicted):
        raise ValueError(
            f"gold has {len(gold)} labels but predicted has {len(predicted)}: align them first"
        )
    if not gold:
        raise ValueError("no stance labels to score")
    per_label = {
        label: label_prf(gold, predicted, label)
        for label in sorted((set(gold) | set(predicted)) - no_answer)
    }
    correct = sum(g == p for g, p in zip(gold, predicted, strict=True))
    answered = [(g, p) for g, p in zip(gold, predicted, strict=True) if p not in no_answer]
    return StanceScores(
        accuracy=correct / len(gold),
        macro_f1=(
            sum(score.f1 for score in per_label.values()) / len(per_label) if per_label else 0.0
        ),
        per_label=MappingProxyType(per_label),
        semeval_f1=sum(label_prf(gold, predicted, label).f1 for label in semeval_labels) / 2,
        n=len(gold),
        coverage=len(answered) / len(gold),
        answered_accuracy=(sum(g == p for g, p in answered) / len(answered) if answered else None),
    )


def label_prf(gold: Sequence[str], predicted: Sequence[str], label: str) -> PRF:
    """Precision, recall and F1 of one label, treating it as the positive class."""
    hits = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
    return PRF.from_counts(hits, sum(p == label for p in predicted), sum(g == label for g in gold))
