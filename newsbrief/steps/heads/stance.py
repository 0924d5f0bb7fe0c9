"""The trained stance head: a linear probe on the model's mean-pooled hidden states.

The head reads one text per speaker (the evidence, with the target in view) through
``backend.embed`` and gives two things: a *polarity* (supportive / opposed / neutral,
softmax) and a *hedging* probability (cautious: accepts with reservations, warns, urges
care, conditions support). The four default labels are ``cautious`` with the hedging
probability and the polarity labels with the rest, shared by polarity. A few cue counts
(hedging and negation words, per evidence item) sit next to the hidden states as
features: they are learned weights like the others, not rules.

Negation around the evidence counts: a sentence that *denies* an attribution ("it was not
true that X supports ...", "X denied that ...") is read without its negation frame, and
the supportive and opposed probabilities of what remains are swapped (what the speaker is
said *not* to hold), at half the confidence.

The head is a safetensors file with its card (JSON metadata in the file and a Markdown
card next to it). It loads only for the model it was trained on: the card names the
model id, and the file holds the pooled state of a fixed probe text, compared with what
the running model gives (a fingerprint).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from newsbrief.errors import ModelLoadError
from newsbrief.steps.heads.adapted import FORMAT as ADAPTED_FORMAT
from newsbrief.steps.heads.adapted import AdaptedStanceHead
from newsbrief.steps.heads.base import (
    FINGERPRINT_MIN_COSINE,
    FINGERPRINT_TEXT,
    LABELS,
    HeadFile,
    HeadPrediction,
    author_bias,
    author_threshold,
    trim_evidence,
)
from newsbrief.text.lexicon import NEGATION_WORDS, alternation

logger = logging.getLogger(__name__)

POLARITY = ("supportive", "opposed", "neutral")
HEDGED = "cautious"
FORMAT = "newsbrief-stance-head/1"
#: Characters of one evidence item the head reads; items the head reads per speaker.
MAX_ITEM_CHARS = 400
MAX_ITEMS = 6
#: The shipped head (for the embedded model), next to this module.
SHIPPED = "stance_gemma3_270m.safetensors"

_HEDGE = re.compile(
    r"\b(careful(ly)?|caution(s|ed|ing)?|cautious(ly)?|warn(s|ed|ing)?|wary|concern(s|ed)?|"
    r"only if|unless|as long as|provided that|on condition|conditions?|naive|premature|"
    r"not yet|too early|too soon|reservations?|risk(s|y)?|step by step|gradual(ly)?|"
    r"should not|must not|shouldn't|mustn't|but|however|although|depends?)\b",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"\b(" + alternation(NEGATION_WORDS) + r"|den(y|ies|ied))\b|n't\b",
    re.IGNORECASE,
)
#: A frame that denies the attribution that follows it.
_DENIAL = re.compile(
    r"\b(?:it\s+(?:is|was|'s)\s+(?:not|n't|never)\s+(?:true|the case|correct|right)\s+that"
    r"|(?:it\s+is|it\s+was|it's)\s+(?:false|untrue|a lie)\s+that"
    r"|(?:nobody|no one|none)\s+(?:believes|said|says|claims?)\s+that"
    r"|there\s+(?:is|was)\s+no\s+(?:evidence|sign|indication)\s+that"
    r"|(?:denied|denies|deny|rejected claims|rejects claims)\s+that)\s+",
    re.IGNORECASE,
)


def label_distributions(
    polarity: Sequence[Sequence[float]], hedge: Sequence[float]
) -> list[dict[str, float]]:
    """The four labels from the two axes: ``cautious`` is the hedging probability, and the
    polarity probabilities share the rest (``(1 - hedge) * p``), in :data:`LABELS` order."""
    out = []
    for p, h in zip(polarity, hedge, strict=True):
        row = {label: (1.0 - h) * v for label, v in zip(POLARITY, p, strict=True)}
        row[HEDGED] = h
        out.append({label: row[label] for label in LABELS})
    return out


@runtime_checkable
class Embedder(Protocol):
    """What the head needs from a backend: ``model_id`` and mean-pooled hidden states."""

    model_id: str

    def embed(
        self,
        prompts: Sequence[str],
        *,
        layers: Sequence[int] = ...,
        pooling: Sequence[str] = ...,
    ) -> list[list[float]]: ...


def head_input(speaker: str | None, target: str, evidence: Sequence[str]) -> str:
    """The text the head reads for one speaker: the evidence items, then a question on
    the target left open (the last token's state is read where the answer would start)."""
    who = speaker or "the article's author"
    items = [trim_evidence(e) for e in evidence if e.strip()][:MAX_ITEMS]
    lines = "\n".join(f'- "{e}"' for e in items)
    target = " ".join(target.split())[:MAX_ITEM_CHARS]
    return (
        f"Statements by {who}:\n{lines}\n"
        f"Question: is {who} for or against {target}, or cautious?\nAnswer: {who} is"
    )


def cue_features(evidence: Sequence[str]) -> list[float]:
    """Share of evidence items with a hedging cue, with a negation cue, and the mean
    number of each per item (the cue part of the head's features)."""
    items = [e for e in evidence if e.strip()][:MAX_ITEMS] or [""]
    hedges = [len(_HEDGE.findall(e)) for e in items]
    negations = [len(_NEGATION.findall(e)) for e in items]
    n = len(items)
    return [
        sum(1 for h in hedges if h) / n,
        sum(1 for h in negations if h) / n,
        math.log1p(sum(hedges) / n),
        math.log1p(sum(negations) / n),
    ]


def undeny(sentence: str) -> str | None:
    """``sentence`` without a frame that denies what follows ("it was not true that X
    supports ..." -> "X supports ..."), or ``None`` when it has no such frame."""
    match = _DENIAL.search(sentence)
    if match is None:
        return None
    rest = sentence[match.end() :]
    return rest[:1].upper() + rest[1:] if rest else None


class StanceHead(HeadFile):
    """A loaded stance head: standardisation, polarity and hedging weights, card.

    Build it with :meth:`load`; ``predict`` needs a backend whose ``embed`` gives the
    states the head was trained on (checked once per backend by :meth:`check_backend`).
    """

    def __init__(
        self, tensors: dict[str, Any], card: dict[str, Any], path: str, sha256: str = ""
    ) -> None:
        super().__init__(card, path, sha256)
        self.layers: tuple[int, ...] = tuple(int(x) for x in card["layers"])
        pooling = card.get("pooling", ["mean"])
        if not isinstance(pooling, list) or not set(pooling) <= {"mean", "last"}:
            raise ValueError(f"pooling must be a list of 'mean'/'last', got {pooling!r}")
        self.pooling: tuple[str, ...] = tuple(str(x) for x in pooling)
        self.threshold = float(card["threshold"])
        self.author_threshold = author_threshold(card, self.threshold)
        self.author_bias = author_bias(card)
        self.mean = tensors["mean"]
        self.scale = tensors["scale"]
        self.polarity_w = tensors["polarity.weight"]
        self.polarity_b = tensors["polarity.bias"]
        self.hedge_w = tensors["hedge.weight"]
        self.hedge_b = tensors["hedge.bias"]
        self.fingerprint = tensors["fingerprint"]
        self.temperature = float(card.get("temperature", 1.0))
        if self.mean.ndim != 1:
            raise ModelLoadError(f"stance head {path}: tensor shapes do not fit together")
        width = self.mean.shape[0]
        shapes_ok = (
            self.scale.shape == (width,)
            and self.polarity_w.shape == (len(POLARITY), width)
            and self.polarity_b.shape == (len(POLARITY),)
            and self.hedge_w.shape == (1, width)
            and self.hedge_b.shape == (1,)
            and self.fingerprint.ndim == 1
        )
        if not shapes_ok:
            raise ModelLoadError(f"stance head {path}: tensor shapes do not fit together")

    @classmethod
    def load(cls, path: str | Path | None = None) -> StanceHead | AdaptedStanceHead:
        """Read a head file (safetensors only; default: the shipped head).

        Raises:
            ModelLoadError: missing, truncated or malformed file, or a card that is not a
                stance head of this format.
        """
        from safetensors import SafetensorError
        from safetensors.torch import load_file

        if path is None:
            path = Path(str(resources.files("newsbrief.steps.heads").joinpath(SHIPPED)))
        path = Path(path)
        if not path.is_file():
            raise ModelLoadError(f"stance head {path} not found; retrain it (see its card)")
        try:
            sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
            tensors = load_file(str(path))
            from safetensors import safe_open

            with safe_open(str(path), framework="pt") as handle:
                metadata = handle.metadata() or {}
            card = json.loads(metadata.get("card", "null"))
        except (SafetensorError, OSError, ValueError) as exc:
            raise ModelLoadError(
                f"stance head {path} is unreadable ({exc}); it may be truncated: retrain it"
            ) from exc
        if isinstance(card, dict) and card.get("format") == ADAPTED_FORMAT:
            try:
                return AdaptedStanceHead(
                    {k: v.float() for k, v in tensors.items()}, card, str(path), sha256
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise ModelLoadError(f"stance head {path}: bad card ({exc})") from exc
        if not isinstance(card, dict) or card.get("format") != FORMAT:
            raise ModelLoadError(f"stance head {path}: no {FORMAT} card in its metadata")
        missing = {
            "mean",
            "scale",
            "polarity.weight",
            "polarity.bias",
            "hedge.weight",
            "hedge.bias",
            "fingerprint",
        } - set(tensors)
        if missing:
            raise ModelLoadError(f"stance head {path}: tensors missing: {sorted(missing)}")
        try:
            return cls({k: v.float() for k, v in tensors.items()}, card, str(path), sha256)
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelLoadError(f"stance head {path}: bad card ({exc})") from exc

    def check_backend(self, backend: object) -> str | None:
        """Why this head cannot run on ``backend`` (``None``: it can): no ``embed``, another
        model id, or pooled states that differ from the fingerprint."""
        import torch

        if not isinstance(backend, Embedder):
            return "the backend gives no hidden states (no embed method)"
        if backend.model_id != self.model_id:
            return f"the head belongs to {self.model_id}, not {backend.model_id}"
        (state,) = backend.embed([FINGERPRINT_TEXT], layers=self.layers, pooling=self.pooling)
        vector = torch.tensor(state, dtype=torch.float32)
        if vector.shape != self.fingerprint.shape:
            return "the model's hidden states have another size than the head's"
        cosine = float(torch.nn.functional.cosine_similarity(vector, self.fingerprint, dim=0))
        if not cosine >= FINGERPRINT_MIN_COSINE:
            return f"the model's hidden states differ from the head's (cosine {cosine:.4f})"
        return None

    def features(self, states: Sequence[Sequence[float]], cues: Sequence[Sequence[float]]) -> Any:
        """Standardised feature rows: pooled states, then cue features."""
        import torch

        x = torch.cat(
            [torch.tensor(states, dtype=torch.float32), torch.tensor(cues, dtype=torch.float32)],
            dim=1,
        )
        return (x - self.mean) / self.scale

    def distributions(self, x: Any) -> list[dict[str, float]]:
        """Probabilities over the four default labels for each standardised row."""
        import torch

        with torch.no_grad():
            polarity = torch.softmax(
                (x @ self.polarity_w.T + self.polarity_b) / self.temperature, -1
            )
            hedge = torch.sigmoid(
                (x @ self.hedge_w.T + self.hedge_b).squeeze(-1) / self.temperature
            )
        return label_distributions(polarity.tolist(), hedge.tolist())

    def predict(
        self,
        backend: Embedder,
        items: Sequence[tuple[str | None, str, Sequence[str]]],
    ) -> list[HeadPrediction]:
        """Probabilities over the default labels for each ``(speaker, target, evidence)``;
        evidence that denies an attribution is read without its frame and its polarity
        swapped (see the module docstring)."""
        texts, cues, denied = [], [], []
        for speaker, target, evidence in items:
            undone = [undeny(e) for e in evidence]
            flip = bool(evidence) and all(u is not None for u in undone)
            shown = [u for u in undone if u is not None] if flip else list(evidence)
            texts.append(head_input(speaker, target, shown))
            cues.append(cue_features(shown))
            denied.append(flip)
        if not texts:
            return []
        states = backend.embed(texts, layers=self.layers, pooling=self.pooling)
        rows = self.distributions(self.features(states, cues))
        out = []
        for row, flip in zip(rows, denied, strict=True):
            if flip:
                row = {**row, "supportive": row["opposed"], "opposed": row["supportive"]}
            out.append(HeadPrediction(row, flip))
        return out


def restrict(probabilities: dict[str, float], labels: Sequence[str]) -> dict[str, float]:
    """``probabilities`` restricted to ``labels`` (a subset of the defaults), renormalised."""
    kept = {label: probabilities[label] for label in labels}
    total = sum(kept.values()) or 1.0
    return {label: v / total for label, v in kept.items()}


def head_for(
    backend: object, head: str | Path | bool | None = None
) -> StanceHead | AdaptedStanceHead | None:
    """The stance head to use with ``backend``, or ``None`` for zero-shot scoring.

    ``head=None``: the shipped head when ``backend`` is the model it was trained on (the
    embedded model), else ``None``; ``False``: ``None``; a path: that head file, which
    must belong to ``backend``'s model.

    Raises:
        ModelLoadError: the head file is missing, truncated or malformed, or belongs to
            another model (id or fingerprint), when it was asked for or is the shipped
            head of this model.
    """
    from newsbrief.backends.embedded import EMBEDDED_MODEL_ID

    if head is False:
        return None
    model_id = getattr(backend, "model_id", None)
    if head is None or head is True:
        if model_id != EMBEDDED_MODEL_ID:
            return None
        head = None
    loaded = StanceHead.load(head)
    problem = loaded.check_backend(backend)
    if problem is not None:
        raise ModelLoadError(f"stance head {loaded.path} cannot run here: {problem}")
    return loaded


def write_head(
    path: str | Path, tensors: dict[str, Any], card: dict[str, Any], fmt: str = FORMAT
) -> None:
    """Write a head file: ``tensors`` (see :class:`StanceHead`) with ``card`` (``format``
    is set to ``fmt``) as JSON in the safetensors metadata."""
    from safetensors.torch import save_file

    card = {**card, "format": fmt}
    tensors = {k: v.float().contiguous() for k, v in tensors.items()}
    save_file(tensors, str(path), metadata={"card": json.dumps(card, sort_keys=True)})


class HeadSlot:
    """The stance head a :class:`~newsbrief.briefer.Briefer` uses: the choice it was given
    (see :func:`head_for`), loaded at first use and then kept (copies of a Briefer on the
    same backend share the slot, so the head is loaded and checked once)."""

    def __init__(self, choice: str | Path | bool | None) -> None:
        self.choice = choice
        self._resolved = False
        self._head: StanceHead | AdaptedStanceHead | None = None

    def get(self, backend: object) -> StanceHead | AdaptedStanceHead | None:
        """The head for ``backend`` (``None``: zero-shot scoring), loaded once.

        Raises:
            ModelLoadError: as :func:`head_for`.
        """
        if not self._resolved:
            self._head = head_for(backend, self.choice)
            self._resolved = True
        return self._head
