"""What every stance head shares: the labels, a prediction, the fingerprint probe text,
and how one evidence item is cut to the length a head (or the zero-shot prompt) reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from newsbrief.models import PromptRecord

#: The default stance labels, in the order heads give them.
LABELS = ("supportive", "opposed", "cautious", "neutral")
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
