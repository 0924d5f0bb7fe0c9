"""Training the stance head from scratch: data, features, fitting, choice on dev, card.

``python scripts/stance_probe_training.py stance --semeval DIR --gold evals/gold --out FILE``
runs it (deterministic with ``--seed``). Training data: the SemEval-2016 train tweets (favor /
against / none as supportive / opposed / neutral), the gold *dev* half and the extra news
stance gold (``evals/stance_news``). The held-out half is only scored, after every choice
is made; SemEval val is only scored. Choices (regularisation, weight of news against
tweets, class balance of the hedging axis, temperature, abstention threshold) are made on
out-of-fold predictions over the news training articles (5 folds by article, tweets
always in training).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import logging
import random
import sys
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for entry in (ROOT, ROOT / "scripts"):
    if str(entry) not in sys.path:
        sys.path.insert(0, str(entry))

from train_stance_head import SOURCE_READERS, DataError, load_news, source_items  # noqa: E402

from newsbrief.steps.heads.base import FINGERPRINT_TEXT, LABELS  # noqa: E402
from newsbrief.steps.heads.stance import (  # noqa: E402
    FORMAT,
    HEDGED,
    POLARITY,
    cue_features,
    head_input,
    label_distributions,
    write_head,
)

logger = logging.getLogger(__name__)

SEMEVAL_LABELS = {"favor": "supportive", "against": "opposed", "none": "neutral"}
#: Hidden states the head reads (indices into the model's hidden states).
DEFAULT_LAYERS = (9, 18)
DEFAULT_POOLING = ("mean", "last")
#: Hidden states extracted (and cached) while training; the head reads a subset.
EXTRACT_LAYERS = (6, 9, 12, 15, 18)
FOLDS = 5
#: Fold splits (seeds ``seed``, ``seed + 1``, ...) whose out-of-fold scores are averaged
#: to compare settings: with one split, settings within 0.001 of each other swapped
#: places between two extractions of the same states (differences of 1e-4 from batching).
FOLD_SEEDS = 3
#: Sources of news stance gold: the only examples scored out of fold (the others, tweets
#: and the public corpora of ``stance_news``, always train).
NEWS = ("dev", "extra")
#: The public corpora of ``stance_news`` the head may add (``train_stance_head`` reads them).
STANCE_NEWS = tuple(SOURCE_READERS)


@dataclass(frozen=True)
class Example:
    """One speaker's stance on a target with the evidence the pipeline would show."""

    speaker: str | None
    target: str
    evidence: tuple[str, ...]
    label: str
    #: "semeval-train", "semeval-val", "dev", "extra", "heldout", or a corpus of
    #: :data:`STANCE_NEWS`
    source: str
    group: str  # article, tweet, body or claim id (folds never split a group)

    @property
    def text(self) -> str:
        return head_input(self.speaker, self.target, self.evidence)


def semeval_examples(path: Path, source: str) -> list[Example]:
    """SemEval-2016 tweets as examples (the author's stance; tweet text is the evidence)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        out.append(
            Example(
                None,
                row["target"],
                (row["text"].strip(),),
                SEMEVAL_LABELS[row["label"]],
                source,
                row["id"],
            )
        )
    return out


def news_examples(records: Iterable[Any], source: str) -> list[Example]:
    """Gold stances with the evidence the brief would give (the speaker's quotes found by
    the rules; sentences naming a speaker never quoted; the author's prose)."""
    from newsbrief.quotes import find_quotes
    from newsbrief.steps.stance import evidence_texts, stance_requests

    out = []
    for record in records:
        stances = list(record.stances)
        if not stances:
            continue
        quotes = find_quotes(record.text)
        requests = stance_requests(record.text, quotes, [s.speaker for s in stances])
        for gold, request in zip(stances, requests, strict=True):
            if gold.label not in LABELS:
                continue
            out.append(
                Example(
                    gold.speaker,
                    gold.target,
                    tuple(evidence_texts(request)),
                    gold.label,
                    source,
                    record.id,
                )
            )
    return out


def stance_news_examples(
    folder: Path, sources: Sequence[str], per_label: int, seed: int
) -> list[Example]:
    """A seeded sample of at most ``per_label`` train stances per label of each corpus of
    ``sources`` (:data:`STANCE_NEWS`) in the ``stance_news`` ``folder``: BASIL's speaker,
    target and quote; FNC-1 and ARC's headline (claim) and the body sentences most about
    it; Perspectrum and IBM's claim and perspective. A malformed line is named."""
    out = []
    for source in sources:
        rng = random.Random(f"{source}:{seed}")
        for item in source_items(folder, source, per_label, rng):
            out.append(
                Example(item.speaker, item.target, item.evidence, item.label, source, item.group)
            )
    return out


@dataclass
class FeatureCache:
    """Pooled states by text, kept in a safetensors file between runs (never committed)."""

    path: Path | None
    model_id: str
    layers: tuple[int, ...]
    pooling: tuple[str, ...] = ("mean",)
    states: dict[str, Any] = field(default_factory=dict)

    def key(self, text: str) -> str:
        raw = f"{self.model_id}\0{self.layers}\0{self.pooling}\0{text}".encode()
        return hashlib.sha256(raw).hexdigest()[:32]

    def load(self) -> None:
        from safetensors.torch import load_file

        if self.path is not None and self.path.is_file():
            self.states = dict(load_file(str(self.path)))

    def save(self) -> None:
        from safetensors.torch import save_file

        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            save_file({k: v.contiguous() for k, v in self.states.items()}, str(self.path))

    def get(self, backend: Any, texts: Sequence[str], batch: int = 64) -> list[Any]:
        import torch

        todo = sorted({t for t in texts if self.key(t) not in self.states})
        for start in range(0, len(todo), batch):
            part = todo[start : start + batch]
            found = backend.embed(part, layers=self.layers, pooling=self.pooling)
            for text, state in zip(part, found, strict=True):
                self.states[self.key(text)] = torch.tensor(state, dtype=torch.float32)
            logger.info("embedded %d/%d texts", min(start + batch, len(todo)), len(todo))
            if (start // batch) % 10 == 9:
                self.save()
        if todo:
            self.save()
        return [self.states[self.key(t)] for t in texts]


# -- fitting -----------------------------------------------------------------------------


def fit_linear(
    x: Any, y: Any, weights: Any, classes: int, l2: float, iterations: int = 200
) -> tuple[Any, Any]:
    """Weighted multinomial (``classes`` > 1) or binary (``classes`` == 1) logistic
    regression, full batch L-BFGS from zeros: deterministic."""
    import torch

    width = x.shape[1]
    w = torch.zeros(classes, width, requires_grad=True)
    b = torch.zeros(classes, requires_grad=True)
    total = float(weights.sum())
    optimizer = torch.optim.LBFGS(
        [w, b], lr=1.0, max_iter=iterations, line_search_fn="strong_wolfe"
    )

    def closure() -> Any:
        optimizer.zero_grad()
        logits = x @ w.T + b
        if classes == 1:
            losses = torch.nn.functional.binary_cross_entropy_with_logits(
                logits.squeeze(-1), y.float(), reduction="none"
            )
        else:
            losses = torch.nn.functional.cross_entropy(logits, y, reduction="none")
        loss = (losses * weights).sum() / total + 0.5 * l2 * (w * w).sum()
        loss.backward()
        return loss

    optimizer.step(closure)  # type: ignore[no-untyped-call]
    return w.detach(), b.detach()


@dataclass(frozen=True)
class Settings:
    """What is chosen on dev."""

    l2: float
    news_weight: float
    hedge_l2: float
    #: Weight of a cautious example against the others: (negatives/positives) ** this
    #: (1: classes balanced; 0: as they come).
    hedge_balance: float = 1.0
    #: Weight of an example of each corpus of :data:`STANCE_NEWS` (1 where not named,
    #: as a tweet's).
    source_weights: tuple[tuple[str, float], ...] = ()

    def weight(self, source: str) -> float:
        """The weight of one example of ``source`` in the fit."""
        if source in NEWS:
            return self.news_weight
        return dict(self.source_weights).get(source, 1.0)


@dataclass
class Fitted:
    """Standardisation and the two linear parts."""

    mean: Any
    scale: Any
    polarity_w: Any
    polarity_b: Any
    hedge_w: Any
    hedge_b: Any

    def distributions(self, x: Any, temperature: float = 1.0) -> list[dict[str, float]]:
        import torch

        z = (x - self.mean) / self.scale
        polarity = torch.softmax((z @ self.polarity_w.T + self.polarity_b) / temperature, -1)
        hedge = torch.sigmoid((z @ self.hedge_w.T + self.hedge_b).squeeze(-1) / temperature)
        return label_distributions(polarity.tolist(), hedge.tolist())


def default_grid() -> list[Settings]:
    """The settings compared on dev out of fold: regularisation, weight of news against
    tweets, and how far cautious examples are weighted up on the hedging axis.

    Full balance (``hedge_balance`` 1, the only value tried before) over-weights the 25
    cautious stances of 298: dev out-of-fold accuracy 0.474 at 1, 0.493 at 0.5, 0.502 at
    0.25 (layers 9 and 18, l2 1, news weight 3; mean of 3 fold seeds; 2026-12-01).
    """
    return [
        Settings(l2, w, 1.0, balance)
        for l2 in (1.0, 3.0)
        for w in (3.0, 10.0)
        for balance in (0.25, 0.5, 1.0)
    ]


def fit(x: Any, examples: Sequence[Example], settings: Settings) -> Fitted:
    """Fit both parts on ``x`` (raw feature rows of ``examples``)."""
    import torch

    mean = x.mean(0)
    scale = x.std(0).clamp(min=1e-4)
    z = (x - mean) / scale
    news = torch.tensor([e.source in NEWS for e in examples])
    weights = torch.tensor([settings.weight(e.source) for e in examples]).float()
    polar = torch.tensor([e.label != HEDGED for e in examples])
    y = torch.tensor([POLARITY.index(e.label) if e.label != HEDGED else 0 for e in examples])
    pw, pb = fit_linear(z[polar], y[polar], weights[polar], len(POLARITY), settings.l2)
    # Hedging: learned on news only, classes balanced (cautious is rare).
    hedged = torch.tensor([e.label == HEDGED for e in examples])
    if bool(news.any()) and bool((hedged & news).any()):
        positives = float((hedged & news).sum())
        negatives = float((~hedged & news).sum())
        boost = (negatives / positives) ** settings.hedge_balance
        hw_rows = torch.where(hedged, boost, 1.0).float()
        hw, hb = fit_linear(z[news], hedged[news], hw_rows[news], 1, settings.hedge_l2)
    else:
        hw, hb = torch.zeros(1, x.shape[1]), torch.full((1,), -10.0)
    return Fitted(mean, scale, pw, pb, hw, hb)


# -- metrics -----------------------------------------------------------------------------


def metrics(
    gold: Sequence[str], probabilities: Sequence[dict[str, float]], threshold: float = 0.0
) -> dict[str, float]:
    """Accuracy (top label, every item), macro-F1 over the gold's labels, coverage and
    accuracy on the answered items at ``threshold``, expected calibration error (10 bins)."""
    predicted = [max(p, key=lambda k: p[k]) for p in probabilities]
    confidence = [max(p.values()) for p in probabilities]
    n = len(gold)
    if n == 0:
        return {}
    correct = [g == p for g, p in zip(gold, predicted, strict=True)]
    labels = sorted(set(gold))
    f1s = []
    for label in labels:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == label)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if p == label != g)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label != p)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    answered = [c for c, conf in zip(correct, confidence, strict=True) if conf >= threshold]
    majority = Counter(gold).most_common(1)[0][1] / n
    return {
        "n": n,
        "accuracy": sum(correct) / n,
        "majority": majority,
        "macro_f1": sum(f1s) / len(f1s),
        "coverage": len(answered) / n,
        "answered_accuracy": sum(answered) / len(answered) if answered else 0.0,
        "ece": ece(correct, confidence),
    }


def ece(correct: Sequence[bool], confidence: Sequence[float], bins: int = 10) -> float:
    """Expected calibration error: bin-weighted |accuracy - mean confidence|."""
    total = 0.0
    for k in range(bins):
        lo, hi = k / bins, (k + 1) / bins
        inside = [
            (c, p)
            for c, p in zip(correct, confidence, strict=True)
            if lo <= p < hi or (k == bins - 1 and p == 1.0)
        ]
        if inside:
            accuracy = sum(c for c, _ in inside) / len(inside)
            mean = sum(p for _, p in inside) / len(inside)
            total += len(inside) / len(correct) * abs(accuracy - mean)
    return total


def f_avg(gold: Sequence[str], probabilities: Sequence[dict[str, float]]) -> float:
    """SemEval-2016's F_avg: mean F1 of favor (supportive) and against (opposed), the
    prediction restricted to the three SemEval labels."""
    from newsbrief.steps.heads.stance import restrict

    predicted = []
    for p in probabilities:
        q = restrict(p, POLARITY)
        predicted.append(max(q, key=lambda k: q[k]))
    return favor_against_f1(gold, predicted)


def favor_against_f1(gold: Sequence[str], predicted: Sequence[str | None]) -> float:
    """Mean F1 of ``supportive`` (favor) and ``opposed`` (against) over predicted labels;
    any other prediction (an abstention, ``neutral``, ``cautious``) counts as ``none``."""
    scores = []
    for label in ("supportive", "opposed"):
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == label)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if p == label != g)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label != p)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / 2


def folds(groups: Sequence[str], k: int, seed: int) -> list[set[str]]:
    """``k`` sets of groups, shuffled with ``seed``."""
    unique = sorted(set(groups))
    random.Random(seed).shuffle(unique)
    return [set(unique[i::k]) for i in range(k)]


def out_of_fold(
    x: Any,
    examples: Sequence[Example],
    settings: Settings,
    seed: int,
    left_out: Collection[str] = (),
) -> tuple[list[int], list[dict[str, float]]]:
    """Predictions for every news example (:data:`NEWS`) from models that never saw its
    article, trained on the other folds' news and every other example; examples of a
    source in ``left_out`` are scored (news) but never trained on."""
    import torch

    news = [i for i, e in enumerate(examples) if e.source in NEWS]
    always = [
        i for i, e in enumerate(examples) if e.source not in NEWS and e.source not in left_out
    ]
    order: list[int] = []
    rows: list[dict[str, float]] = []
    for held in folds([examples[i].group for i in news], FOLDS, seed):
        test = [i for i in news if examples[i].group in held]
        train = always + [
            i for i in news if examples[i].group not in held and examples[i].source not in left_out
        ]
        if not test:
            continue
        model = fit(x[torch.tensor(train)], [examples[i] for i in train], settings)
        order += test
        rows += model.distributions(x[torch.tensor(test)])
    return order, rows


def choose_settings(
    x: Any,
    examples: Sequence[Example],
    grid: Sequence[Settings],
    *,
    seed: int,
    fold_seeds: int = FOLD_SEEDS,
    log: Callable[[str], None] = logger.info,
) -> tuple[Settings, list[str], list[dict[str, float]]]:
    """The settings of ``grid`` with the best dev out-of-fold accuracy + macro-F1, averaged
    over ``fold_seeds`` fold splits; returns them with the gold labels and out-of-fold
    rows of the split ``seed`` (what temperature and threshold are chosen on)."""
    if not grid or fold_seeds < 1:
        raise ValueError("need at least one setting and one fold split")
    best: tuple[float, Settings, list[str], list[dict[str, float]]] | None = None
    for settings in grid:
        scores: list[tuple[float, float]] = []
        first: tuple[list[str], list[dict[str, float]]] | None = None
        for k in range(fold_seeds):
            order, rows = out_of_fold(x, examples, settings, seed + k)
            gold_labels = [examples[i].label for i in order]
            m = metrics(gold_labels, rows)
            scores.append((m["accuracy"], m["macro_f1"]))
            first = first or (gold_labels, rows)
        assert first is not None
        accuracy = sum(a for a, _ in scores) / len(scores)
        f1 = sum(f for _, f in scores) / len(scores)
        log(f"  {settings}: dev out-of-fold acc. {accuracy:.3f} F1 {f1:.3f} ({fold_seeds} splits)")
        if best is None or accuracy + f1 > best[0] + 1e-9:
            best = (accuracy + f1, settings, first[0], first[1])
    assert best is not None
    return best[1], best[2], best[3]


def scaled(rows: Sequence[dict[str, float]], temperature: float) -> list[dict[str, float]]:
    """Probabilities sharpened or flattened by ``temperature`` (power then renormalised)."""
    out = []
    for row in rows:
        powered = {k: max(v, 1e-12) ** (1.0 / temperature) for k, v in row.items()}
        total = sum(powered.values())
        out.append({k: v / total for k, v in powered.items()})
    return out


def choose_threshold(gold: Sequence[str], rows: Sequence[dict[str, float]], floor: float) -> float:
    """The lowest confidence threshold whose answered accuracy is the best reachable while
    at least ``floor`` of the items stay answered."""
    confidences = sorted({max(r.values()) for r in rows})
    best, best_accuracy = 0.0, -1.0
    for t in [0.0, *confidences]:
        m = metrics(gold, rows, t)
        if m["coverage"] >= floor and m["answered_accuracy"] > best_accuracy + 1e-9:
            best, best_accuracy = t, m["answered_accuracy"]
    return best


def author_scores(
    gold: Sequence[str], rows: Sequence[dict[str, float]], threshold: float
) -> dict[str, float]:
    """What the author path of ``Briefer.stance`` gives at ``threshold`` (the top of the
    four labels, answered when it reaches the threshold): SemEval's F_avg (an abstention,
    ``cautious`` or ``neutral`` counting as ``none``), coverage, answered accuracy."""
    answers: list[str | None] = []
    for row in rows:
        best = max(row, key=lambda k: row[k])
        answers.append(best if row[best] >= threshold else None)
    answered = [(g, a) for g, a in zip(gold, answers, strict=True) if a is not None]
    return {
        "threshold": threshold,
        "f_avg": favor_against_f1(gold, answers),
        "coverage": len(answered) / len(gold) if gold else 0.0,
        "answered_accuracy": sum(g == a for g, a in answered) / max(1, len(answered)),
    }


def choose_author_threshold(
    gold: Sequence[str], rows: Sequence[dict[str, float]]
) -> tuple[float, dict[str, float]]:
    """The author threshold: the highest threshold with the best F_avg over ``rows``
    (:func:`author_scores`); candidates 0 and every top probability in ``rows`` (above
    them all: nothing answered). Returns it with its scores."""
    if not rows:
        raise ValueError("no rows to choose an author threshold on")
    # One sweep from the highest threshold down (each top probability answers its items),
    # keeping the true-positive, predicted and gold counts of favor and against.
    polar = ("supportive", "opposed")
    tops = sorted(
        ((max(r.values()), max(r, key=lambda k: r[k]), g) for r, g in zip(rows, gold, strict=True)),
        key=lambda item: -item[0],
    )
    tp = dict.fromkeys(polar, 0)
    said = dict.fromkeys(polar, 0)
    real = {x: sum(1 for g in gold if g == x) for x in polar}

    def f_avg() -> float:
        return sum(2 * tp[x] / (said[x] + real[x]) if tp[x] else 0.0 for x in polar) / 2

    best_f, best_t = f_avg(), 1.0 + 1e-9  # nothing answered
    k = 0
    for t in [*dict.fromkeys(c for c, _, _ in tops), 0.0]:
        while k < len(tops) and tops[k][0] >= t:
            _, label, g = tops[k]
            if label in polar:
                said[label] += 1
                tp[label] += label == g
            k += 1
        found = f_avg()
        if found > best_f + 1e-12:
            best_f, best_t = found, t
    return best_t, author_scores(gold, rows, best_t)


#: Log-probability offsets tried for the author of a short text (supportive, neutral;
#: opposed is the reference): the head, fitted with news weighted up, calls most tweets
#: opposed (out of fold on the train tweets: 1,880 of 2,620 against 1,254 in the gold).
AUTHOR_BIAS_GRID = tuple(
    {"supportive": s / 4, "neutral": n / 4} for s in range(-2, 5) for n in range(-2, 3)
)


def choose_author_setting(
    gold: Sequence[str],
    rows: Sequence[dict[str, float]],
    grid: Sequence[dict[str, float]] = AUTHOR_BIAS_GRID,
) -> tuple[dict[str, float], float, dict[str, float]]:
    """The author offsets (one of ``grid``) and threshold (:func:`choose_author_threshold`)
    with the best F_avg over ``rows``; among equal F_avg the smaller offsets. Returns the
    offsets (zeros left out), the threshold and its scores."""
    from newsbrief.steps.heads.base import shifted

    best: tuple[float, dict[str, float], float, dict[str, float]] | None = None
    for bias in sorted(grid, key=lambda b: sum(abs(v) for v in b.values())):
        threshold, found = choose_author_threshold(gold, [shifted(r, bias) for r in rows])
        if best is None or found["f_avg"] > best[0] + 1e-12:
            kept = {k: v for k, v in bias.items() if v}
            best = (found["f_avg"], kept, threshold, found)
    if best is None:
        raise ValueError("no author offsets to choose from")
    return best[1], best[2], best[3]


def tweets_out_of_fold(
    x: Any,
    examples: Sequence[Example],
    settings: Settings,
    temperature: float,
    seed: int,
    k: int = FOLDS,
) -> tuple[list[str], list[dict[str, float]]]:
    """Gold labels and probabilities (as the head gives them, at ``temperature``) for
    every SemEval train tweet of ``examples``, each from a fit on the other folds' tweets
    and all the other examples (what the author threshold is chosen on)."""
    import torch

    tweets = [i for i, e in enumerate(examples) if e.source == "semeval-train"]
    others = [i for i, e in enumerate(examples) if e.source != "semeval-train"]
    gold: list[str] = []
    rows: list[dict[str, float]] = []
    for held in folds([examples[i].group for i in tweets], k, seed):
        test = [i for i in tweets if examples[i].group in held]
        train = [i for i in tweets if examples[i].group not in held] + others
        if not test:
            continue
        model = fit(x[torch.tensor(train)], [examples[i] for i in train], settings)
        gold += [examples[i].label for i in test]
        rows += model.distributions(x[torch.tensor(test)], temperature)
    return gold, rows


def author_threshold_note(scores: dict[str, float], n: int, k: int, seed: int) -> str:
    """How the author threshold was chosen, for the card's ``author_threshold_chosen``."""
    return (
        "offsets and threshold with the best out-of-fold F_avg on SemEval-2016 train tweets "
        f"({k} folds by tweet, seed {seed}; the head refitted with its settings on the other "
        "tweets and all the news; an abstention counts as none): "
        f"F_avg {scores['f_avg']:.3f}, coverage "
        f"{scores['coverage']:.3f}, answered accuracy {scores['answered_accuracy']:.3f}, n {n}; "
        "SemEval val never read. `OMP_NUM_THREADS=1 python scripts/stance_author_threshold.py "
        "--semeval ../shared/data/stance --write` (or a retrain)"
    )


def news_gold_examples(
    gold: Iterable[Any], split: dict[str, Any], extra: Sequence[Path]
) -> tuple[list[Example], list[Example]]:
    """The gold dev half's stances and the extra news gold's (its articles that are in
    the gold, by id or by their first 300 characters, left out). Held-out records are
    only compared against, never made into examples."""
    dev_ids, heldout_ids = set(split["dev"]), set(split["heldout"])
    records = list(gold)
    dev = news_examples([r for r in records if r.id in dev_ids], "dev")
    gold_texts = {" ".join(r.text.split())[:300] for r in records}
    extra_records = [
        r
        for r in load_news(extra)
        if r.id not in dev_ids | heldout_ids and " ".join(r.text.split())[:300] not in gold_texts
    ]
    return dev, news_examples(extra_records, "extra")


def features(
    backend: Any,
    examples: Sequence[Example],
    cache: Path | None,
    layers: Sequence[int],
    pooling: tuple[str, ...],
    extract_layers: Sequence[int],
) -> Any:
    """One row per example: its pooled states at ``layers`` (``extract_layers`` are
    extracted and cached too) and its cue features."""
    import torch

    extracted = tuple(sorted(set(extract_layers) | set(layers)))
    store = FeatureCache(cache, backend.model_id, extracted, pooling)
    store.load()
    states = torch.stack(store.get(backend, [e.text for e in examples]))
    width = states.shape[1] // (len(pooling) * len(extracted))
    states = states.view(len(examples), len(pooling), len(extracted), width)
    states = states[:, :, [extracted.index(k) for k in layers]].reshape(len(examples), -1)
    cues = [cue_features(e.evidence) for e in examples]
    return torch.cat([states, torch.tensor(cues)], dim=1).float()


def dev_choice(
    gold: Sequence[str], rows: Sequence[dict[str, float]], coverage_floor: float
) -> tuple[float, float, dict[str, float]]:
    """The temperature (least calibration error) and abstention threshold
    (:func:`choose_threshold`) chosen on out-of-fold ``rows``, and their metrics there."""
    temperatures = [0.5, 0.7, 0.85, 1.0, 1.2, 1.5, 2.0]

    def calibration_error(t: float) -> float:
        found = scaled(rows, t)
        top = [max(r, key=lambda k: r[k]) for r in found]
        return ece(
            [g == p for g, p in zip(gold, top, strict=True)], [max(r.values()) for r in found]
        )

    temperature = min(temperatures, key=calibration_error)
    found = scaled(rows, temperature)
    threshold = choose_threshold(gold, found, coverage_floor)
    return temperature, threshold, metrics(gold, found, threshold)


def run(
    backend: Any,
    *,
    semeval_dir: Path,
    gold_dir: Path,
    splits: Path,
    extra: Sequence[Path],
    out: Path,
    cache: Path | None,
    seed: int = 0,
    layers: Sequence[int] = DEFAULT_LAYERS,
    pooling: Sequence[str] = DEFAULT_POOLING,
    extract_layers: Sequence[int] = EXTRACT_LAYERS,
    grid: Sequence[Settings] | None = None,
    coverage_floor: float = 0.65,
    fold_seeds: int = FOLD_SEEDS,
    corpora: Sequence[Example] = (),
    log: Callable[[str], None] = logger.info,
) -> dict[str, Any]:
    """Train, choose on dev, score held-out and SemEval val, write the head and its card.

    Returns the card (also written into the file's metadata and next to it as Markdown).
    """
    import torch

    from newsbrief.eval.gold import load_gold

    torch.manual_seed(seed)
    layers = tuple(layers)
    split = json.loads(splits.read_text())
    gold = load_gold(gold_dir)
    train = semeval_examples(semeval_dir / "semeval2016_train.jsonl", "semeval-train")
    val = semeval_examples(semeval_dir / "semeval2016_val.jsonl", "semeval-val")
    dev, extra_examples = news_gold_examples(gold, split, extra)
    heldout = news_examples([r for r in gold if r.id in set(split["heldout"])], "heldout")
    corpora = list(corpora)
    log(
        f"examples: {len(train)} tweets, {len(dev)} dev, {len(extra_examples)} extra, "
        f"{len(corpora)} stance_news, {len(heldout)} held-out (scored only), "
        f"{len(val)} SemEval val (scored only)"
    )
    everything = train + dev + extra_examples + corpora + heldout + val
    x_all = features(backend, everything, cache, layers, tuple(pooling), extract_layers)
    index = {id(e): i for i, e in enumerate(everything)}

    def rows_of(items: Sequence[Example]) -> Any:
        return x_all[torch.tensor([index[id(e)] for e in items])]

    fitting = train + dev + extra_examples + corpora
    x_fit = rows_of(fitting)
    grid = grid or default_grid()
    settings, dev_gold, dev_rows = choose_settings(
        x_fit, fitting, grid, seed=seed, fold_seeds=fold_seeds, log=log
    )
    temperature, threshold, dev_metrics = dev_choice(dev_gold, dev_rows, coverage_floor)
    model = fit(x_fit, fitting, settings)
    # The author of a short text (a tweet read whole) gets its own threshold, chosen on the
    # train tweets out of fold: the news one leaves most tweets unanswered.
    author_gold, author_rows = tweets_out_of_fold(x_fit, fitting, settings, temperature, seed)
    author_b, author_t, author_m = choose_author_setting(author_gold, author_rows)
    held_rows = scaled(model.distributions(rows_of(heldout)), temperature) if heldout else []
    held_metrics = metrics([e.label for e in heldout], held_rows, threshold) if heldout else {}
    val_rows = model.distributions(rows_of(val))
    val_f = f_avg([e.label for e in val], val_rows)
    (fingerprint,) = backend.embed([FINGERPRINT_TEXT], layers=layers, pooling=pooling)
    card = {
        "format": FORMAT,
        "model_id": backend.model_id,
        "layers": list(layers),
        "pooling": list(pooling),
        "labels": list(LABELS),
        "threshold": round(threshold, 6),
        "temperature": temperature,
        "author_threshold": round(author_t, 6),
        "author_bias": author_b,
        "author_threshold_chosen": author_threshold_note(author_m, len(author_gold), FOLDS, seed),
        "settings": {
            "l2": settings.l2,
            "news_weight": settings.news_weight,
            "hedge_l2": settings.hedge_l2,
            "hedge_balance": settings.hedge_balance,
            **(
                {"source_weights": dict(settings.source_weights)} if settings.source_weights else {}
            ),
        },
        "seed": seed,
        "date": dt.date.today().isoformat(),
        "data": {
            "semeval2016_train_tweets": len(train),
            "gold_dev_stances": len(dev),
            "extra_news_stances": len(extra_examples),
            "extra_news_articles": len({e.group for e in extra_examples}),
            **{
                f"stance_news_{k}": n for k, n in sorted(Counter(e.source for e in corpora).items())
            },
        },
        # Which news articles it learnt from: an evaluation marks them (their scores overstate).
        "trained_on": sorted({e.group for e in dev + extra_examples}),
        "metrics": {
            "dev_out_of_fold": _rounded(dev_metrics),
            "heldout": _rounded(held_metrics),
            "semeval_val_f_avg": round(val_f, 4),
        },
    }
    tensors = {
        "mean": model.mean.contiguous(),
        "scale": model.scale.contiguous(),
        "polarity.weight": model.polarity_w.contiguous(),
        "polarity.bias": model.polarity_b.contiguous(),
        "hedge.weight": model.hedge_w.contiguous(),
        "hedge.bias": model.hedge_b.contiguous(),
        "fingerprint": torch.tensor(fingerprint, dtype=torch.float32),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    write_head(out, tensors, card)
    out.with_suffix(".md").write_text(card_markdown(card), encoding="utf-8")
    log(json.dumps(card["metrics"], indent=1))
    return card


# -- leave one source out -----------------------------------------------------------------

#: What a source is called in the leave-one-source-out table, in the table's order.
SOURCE_NAMES = {
    "semeval-train": "SemEval-2016 train tweets",
    "fnc1": "FNC-1",
    "arc": "ARC",
    "perspectrum": "Perspectrum",
    "ibm": "IBM Claim Stance",
    "basil": "BASIL",
    "extra": "extra news gold",
    "dev": "gold dev half",
}


def loso_configs(sources: Sequence[str]) -> list[tuple[str, frozenset[str]]]:
    """The rows of the leave-one-source-out table, as (name, sources left out of
    training): every source; every source but one, for each source but the gold dev
    half; the shipped data (no ``stance_news`` corpus); the news gold alone."""
    corpora = frozenset(s for s in sources if s in STANCE_NEWS)
    out = [("all", frozenset[str]())]
    out += [(f"all - {SOURCE_NAMES.get(s, s)}", frozenset({s})) for s in sources if s != "dev"]
    if corpora:
        out.append(("SemEval + news gold (the shipped data)", corpora))
    out.append(("news gold only", frozenset(s for s in sources if s not in NEWS)))
    return out


def loso_row(
    x: Any,
    examples: Sequence[Example],
    settings: Settings,
    left_out: frozenset[str],
    *,
    seed: int,
    fold_seeds: int = FOLD_SEEDS,
    coverage_floor: float = 0.65,
) -> dict[str, Any]:
    """News dev out of fold with the sources ``left_out`` never trained on: on the split
    of ``seed`` as the card's ``dev_out_of_fold`` (temperature and threshold chosen on
    those rows; coverage and answered accuracy at that threshold), and accuracy and
    macro-F1 averaged over ``fold_seeds`` splits."""
    if fold_seeds < 1:
        raise ValueError("need at least one fold split")
    scores: list[dict[str, float]] = []
    first: dict[str, float] = {}
    for k in range(fold_seeds):
        order, rows = out_of_fold(x, examples, settings, seed + k, left_out)
        gold = [examples[i].label for i in order]
        if k == 0:
            _, _, first = dev_choice(gold, rows, coverage_floor)
        scores.append(metrics(gold, rows))
    trained = Counter(e.source for e in examples if e.source not in left_out)
    return {
        **_rounded(first),
        "mean_accuracy": round(sum(m["accuracy"] for m in scores) / len(scores), 4),
        "mean_macro_f1": round(sum(m["macro_f1"] for m in scores) / len(scores), 4),
        "fold_seeds": fold_seeds,
        "left_out": sorted(left_out),
        "trained_on": dict(sorted(trained.items())),
    }


def loso_table(
    x: Any,
    examples: Sequence[Example],
    settings: Settings,
    *,
    seed: int,
    fold_seeds: int = FOLD_SEEDS,
    coverage_floor: float = 0.65,
    log: Callable[[str], None] = logger.info,
) -> list[dict[str, Any]]:
    """One :func:`loso_row` per row of :func:`loso_configs` over the sources of
    ``examples`` (in the order of :data:`SOURCE_NAMES`), each with its name."""
    order = list(SOURCE_NAMES)
    sources = sorted(
        {e.source for e in examples},
        key=lambda s: (order.index(s) if s in order else len(order), s),
    )
    out = []
    for name, left_out in loso_configs(sources):
        row = {"name": name}
        row.update(
            loso_row(
                x,
                examples,
                settings,
                left_out,
                seed=seed,
                fold_seeds=fold_seeds,
                coverage_floor=coverage_floor,
            )
        )
        log(f"  {name}: acc. {row['accuracy']:.3f} F1 {row['macro_f1']:.3f}")
        out.append(row)
    return out


def loso_markdown(rows: Sequence[dict[str, Any]]) -> str:
    """The leave-one-source-out table in Markdown (one line per row of :func:`loso_table`)."""
    lines = [
        "| training data | trained on | n | accuracy | majority | macro-F1 | coverage "
        "| answered acc. | accuracy, macro-F1 (mean of splits) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        trained = sum(r["trained_on"].values())
        lines.append(
            f"| {r['name']} | {trained} | {r['n']} | {r['accuracy']:.3f} | {r['majority']:.3f} "
            f"| {r['macro_f1']:.3f} | {r['coverage']:.3f} | {r['answered_accuracy']:.3f} "
            f"| {r['mean_accuracy']:.3f}, {r['mean_macro_f1']:.3f} ({r['fold_seeds']}) |"
        )
    return "\n".join(lines) + "\n"


def loso(
    backend: Any,
    *,
    semeval_dir: Path,
    gold_dir: Path,
    splits: Path,
    extra: Sequence[Path],
    corpora: Sequence[Example],
    settings: Settings,
    cache: Path | None,
    out: Path,
    seed: int = 0,
    layers: Sequence[int] = DEFAULT_LAYERS,
    pooling: Sequence[str] = DEFAULT_POOLING,
    fold_seeds: int = FOLD_SEEDS,
    log: Callable[[str], None] = logger.info,
) -> list[dict[str, Any]]:
    """The leave-one-source-out table on news dev out of fold, written to ``out`` as JSON
    and next to it as Markdown. Reads the SemEval train tweets, the gold dev half, the
    extra news gold and ``corpora``; never the held-out half, never SemEval val."""
    import time

    import torch

    from newsbrief.eval.gold import load_gold

    torch.manual_seed(seed)
    train = semeval_examples(semeval_dir / "semeval2016_train.jsonl", "semeval-train")
    split = json.loads(splits.read_text())
    dev, extra_examples = news_gold_examples(load_gold(gold_dir), split, extra)
    examples = train + list(corpora) + extra_examples + dev
    log(f"examples: {dict(Counter(e.source for e in examples))}")
    started = time.monotonic()
    x = features(backend, examples, cache, tuple(layers), tuple(pooling), tuple(layers))
    extraction_s = time.monotonic() - started
    log(f"features: {extraction_s:.0f} s")
    rows = loso_table(x, examples, settings, seed=seed, fold_seeds=fold_seeds, log=log)
    report = {
        "settings": {**vars(settings), "source_weights": dict(settings.source_weights)},
        "seed": seed,
        "layers": list(layers),
        "pooling": list(pooling),
        "features_seconds": round(extraction_s),
        "fits_seconds": round(time.monotonic() - started - extraction_s),
        "rows": rows,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1), encoding="utf-8")
    out.with_suffix(".md").write_text(loso_markdown(rows), encoding="utf-8")
    log(loso_markdown(rows))
    return rows


def _rounded(m: dict[str, float]) -> dict[str, float]:
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in m.items()}


def card_markdown(card: dict[str, Any]) -> str:
    """The human-readable card written next to the head file."""
    m = card["metrics"]
    lines = [
        "# Stance head card",
        "",
        f"- Base model: `{card['model_id']}` (hidden states {card['layers']}, pooled "
        f"{' and '.join(card.get('pooling', ['mean']))}; the file holds a fingerprint "
        "state checked at load)",
        f"- Labels: {', '.join(card['labels'])} (cautious from a hedging axis next to polarity)",
        f"- Abstention threshold (chosen on dev): {card['threshold']}; "
        f"temperature {card['temperature']}",
        f"- Trained {card['date']}, seed {card['seed']}, settings {card['settings']}",
        *(
            [
                f"- The author of a short text (a tweet, read whole): threshold "
                f"{card['author_threshold']}, label offsets {card.get('author_bias', {})}; "
                f"{card['author_threshold_chosen']}"
            ]
            if "author_threshold" in card
            else []
        ),
        f"- Data: {card['data']} (SemEval-2016 Task 6 train tweets via TweetEval; gold dev "
        "half; extra Wikinews stance gold, CC BY 2.5, Wikinews contributors). Never the "
        "held-out half, never SemEval val.",
        f"- News articles trained on: {len(card.get('trained_on', []))} (their ids are the "
        "card's `trained_on`; evaluation reports mark them)",
        "",
        "| split | n | accuracy | majority | macro-F1 | coverage | answered acc. | ECE |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name in ("dev_out_of_fold", "heldout"):
        r = m.get(name) or {}
        if r:
            lines.append(
                f"| {name} | {r['n']} | {r['accuracy']:.3f} | {r['majority']:.3f} | "
                f"{r['macro_f1']:.3f} | {r['coverage']:.3f} | {r['answered_accuracy']:.3f} | "
                f"{r['ece']:.3f} |"
            )
    lines += ["", f"SemEval-2016 val F_avg(favor, against): {m['semeval_val_f_avg']:.3f}", ""]
    lines += [
        "Retrain (deterministic): `OMP_NUM_THREADS=1 python "
        "scripts/stance_probe_training.py stance --semeval ../shared/data/stance` (see "
        "`--help`; `--cache FILE` keeps the extracted states between runs).",
        "",
    ]
    return "\n".join(lines)


def parser() -> argparse.ArgumentParser:
    """The command line of this script."""
    top = argparse.ArgumentParser(prog="scripts/stance_probe_training.py")
    sub = top.add_subparsers(dest="head", required=True)
    stance = sub.add_parser("stance", help="train the stance head")
    stance.add_argument("--model", default=None, help="model to train for (default: embedded)")
    stance.add_argument("--semeval", type=Path, default=Path("../shared/data/stance"))
    stance.add_argument("--gold", type=Path, default=Path("evals/gold"))
    stance.add_argument("--splits", type=Path, default=Path("evals/splits.json"))
    stance.add_argument(
        "--extra",
        type=Path,
        nargs="*",
        default=[Path("evals/stance_news/wikinews_stance_extra.jsonl")],
        help="extra news stance gold (JSONL files or directories)",
    )
    stance.add_argument("--out", type=Path, default=None, help="head file (.safetensors)")
    stance.add_argument("--cache", type=Path, default=None, help="feature cache (safetensors)")
    stance.add_argument("--seed", type=int, default=0)
    stance.add_argument("--stance-news", type=Path, default=Path("../shared/data/stance_news"))
    stance.add_argument(
        "--sources",
        nargs="*",
        choices=STANCE_NEWS,
        default=None,
        help="stance_news corpora to train on too (default: none; with --loso: all)",
    )
    stance.add_argument(
        "--per-label", type=int, default=100, help="stance_news examples per source and label"
    )
    stance.add_argument(
        "--source-weight", type=float, default=1.0, help="weight of a stance_news example"
    )
    stance.add_argument(
        "--loso",
        type=Path,
        default=None,
        metavar="JSON",
        help="write the leave-one-source-out table on news dev out of fold (JSON, and "
        "Markdown next to it) with the shipped head's settings; no head is trained",
    )
    return top


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and train (or measure, with ``--loso``); the exit status."""
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    import dataclasses

    import torch

    from newsbrief.backends.loading import load_backend
    from newsbrief.steps.heads.stance import SHIPPED, StanceHead

    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)
    sources = args.sources if args.sources is not None else (STANCE_NEWS if args.loso else ())
    try:
        corpora = stance_news_examples(args.stance_news, sources, args.per_label, args.seed)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    weights = tuple((source, args.source_weight) for source in sources)
    backend = load_backend(args.model or "embedded")
    common: dict[str, Any] = {
        "semeval_dir": args.semeval,
        "gold_dir": args.gold,
        "splits": args.splits,
        "extra": [p for p in args.extra if p.exists()],
        "corpora": corpora,
        "cache": args.cache,
        "seed": args.seed,
        "log": lambda line: print(line, file=sys.stderr),
    }
    if args.loso is not None:
        shipped = Settings(**StanceHead.load().card["settings"])
        settings = dataclasses.replace(shipped, source_weights=weights)
        loso(backend, settings=settings, out=args.loso, **common)
        return 0
    grid = [dataclasses.replace(s, source_weights=weights) for s in default_grid()]
    out = args.out or ROOT / "newsbrief" / "steps" / "heads" / SHIPPED
    run(backend, out=out, grid=grid, **common)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
