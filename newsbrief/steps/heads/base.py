"""What every stance head shares: the labels, a prediction, the fingerprint probe text,
and how one evidence item is cut to the length a head (or the zero-shot prompt) reads."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from newsbrief.models import DEFAULT_LABELS, PromptRecord

#: The default stance labels, in the order heads give them: the library's own
#: (``models.DEFAULT_LABELS``), one list.
LABELS = DEFAULT_LABELS
#: The probe text whose state fingerprints the base model a head was trained on.
FINGERPRINT_TEXT = "Fingerprint: the quick brown fox said that sanctions should be lifted."
#: Cosine similarity the running model's fingerprint state must reach.
FINGERPRINT_MIN_COSINE = 0.999
#: Characters of one evidence item shown to a model.
MAX_EVIDENCE_CHARS = 400


@dataclass(frozen=True)
class HeadPrediction:
    """A head's probabilities over the labels asked for, and whether a denial frame
    was undone (the confidence is halved then)."""

    probabilities: dict[str, float]
    denied: bool = False


def author_threshold(card: dict[str, Any], threshold: float) -> float:
    """The abstention threshold for the author of a short text (a tweet, a statement read
    whole): the card's ``author_threshold``, chosen on SemEval-2016 train tweets by
    ``scripts/stance_author_threshold.py`` (the card's ``author_threshold_chosen`` says
    how); a card without one gives ``threshold``, the one chosen on news speakers.

    Raises:
        ValueError: an ``author_threshold`` that is not a number in [0, 1].
    """
    value = card.get("author_threshold")
    if value is None:
        return threshold
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ValueError(f"author_threshold must be a number in [0, 1], got {value!r}")
    return float(value)


def author_bias(card: dict[str, Any]) -> dict[str, float]:
    """Log-probability offsets for the author of a short text (the card's ``author_bias``,
    chosen with ``author_threshold`` on SemEval-2016 train tweets: the head, fitted with
    news weighted up, under-calls ``supportive`` on tweets); ``{}`` when the card has none.

    Raises:
        ValueError: not a mapping of default labels to finite numbers.
    """
    value = card.get("author_bias")
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        k in LABELS and isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
        for k, v in value.items()
    ):
        raise ValueError(f"author_bias must map labels {LABELS} to numbers, got {value!r}")
    return {str(k): float(v) for k, v in value.items()}


def shifted(probabilities: dict[str, float], bias: dict[str, float]) -> dict[str, float]:
    """``probabilities`` with each label's log-probability moved by ``bias`` (absent: 0),
    renormalised."""
    if not bias:
        return dict(probabilities)
    moved = {k: v * math.exp(bias.get(k, 0.0)) for k, v in probabilities.items()}
    total = sum(moved.values()) or 1.0
    return {k: v / total for k, v in moved.items()}


class HeadFile:
    """What every loaded head file gives: its card and path, the provenance record of the
    stances it gave, the model it was trained on and the gold articles it learnt from
    (the card's ``trained_on``: ``Briefer.trained_on`` marks them)."""

    def __init__(self, card: dict[str, Any], path: str, sha256: str = "") -> None:
        self.card = card
        self.path = path
        self.record = PromptRecord(id=f"stance.head@{card.get('date', '?')}", sha256=sha256)
        self.model_id = str(card["model_id"])
        self.training_ids: frozenset[str] = frozenset(str(i) for i in card.get("trained_on", []))


def trim_evidence(text: str) -> str:
    """One evidence item as a model reads it: whitespace runs made one space, cut at a
    word boundary to ``MAX_EVIDENCE_CHARS`` (with " ..." when cut)."""
    text = " ".join(text.split())
    if len(text) <= MAX_EVIDENCE_CHARS:
        return text
    return text[:MAX_EVIDENCE_CHARS].rsplit(" ", 1)[0] + " ..."
