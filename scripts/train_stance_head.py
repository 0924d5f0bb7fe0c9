"""Train the adapted stance head (newsbrief-stance-head/2) from scratch, on the CPU.

    OMP_NUM_THREADS=2 python scripts/train_stance_head.py --cache runs/stance_cache.pt \
        --out newsbrief/steps/heads/stance_gemma3_270m.safetensors

Two stages, both deterministic with ``--seed``:

1. *Cache*: every example (news gold, extra news gold, SemEval-2016 train tweets, the
   public stance corpora of ``../shared/data/stance_news`` subsampled per source and
   class, contrast copies) is written as one prompt (:func:`adapted.prompt`), tokenised,
   and run once through the frozen lower layers; the state at the split layer is kept in
   ``--cache`` (reruns reuse it).
2. *Train*: low-rank adapters on the upper layers and a label layer, trained on the
   cached states (class-weighted cross-entropy); then on the validation set (the gold
   *dev* half, never trained on, and its contrast pairs): the epoch, the temperature, the
   per-class biases (dev macro-F1) and the abstention threshold. The held-out half is
   never read here.

Data files are named with the line on error. Sources with a non-commercial licence are
refused (``LICENCES``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import logging
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from newsbrief.steps.heads import adapted  # noqa: E402
from newsbrief.steps.heads.base import FINGERPRINT_TEXT, LABELS  # noqa: E402

logger = logging.getLogger("train_stance_head")

SEMEVAL_LABELS = {"favor": "supportive", "against": "opposed", "none": "neutral"}
#: Every source the head may train on, with its licence (the card lists them). A source
#: with a non-commercial licence must not appear here.
LICENCES = {
    "news_extra": "CC BY 2.5 (Wikinews contributors; annotations newsbrief contributors)",
    "news_more": "CC BY 2.5 (Wikinews contributors; annotations newsbrief contributors)",
    "contrast_extra": "CC BY 2.5 (Wikinews contributors; annotations newsbrief contributors)",
    "semeval": "SemEval-2016 Task 6 via TweetEval (research data; tweets not redistributed)",
    "perspectrum": "CC BY-SA 4.0 (Chen et al. 2019)",
    "ibm": "no licence stated in the copy used (IBM Debater Claim Stance, Bar-Haim et al. 2017)",
    "fnc1": "no licence stated (FNC-1); 9:1 split Apache 2.0 repository (Hanselowski et al. 2018)",
    "arc": "Apache 2.0 repository, no separate data terms (Hanselowski et al. 2018)",
    "basil": "no licence stated (BASIL, Fan et al. 2019)",
}
#: Examples per source and label kept for training (a seeded sample).
PER_LABEL = {
    "semeval": 60,
    "perspectrum": 80,
    "ibm": 50,
    "fnc1": 60,
    "arc": 40,
    "basil": 60,
}
#: SemEval-2016 targets with an opposite written by reading (for contrast copies).
SEMEVAL_OPPOSITE = {
    "legalization of abortion": "banning abortion",
    "atheism": "religious faith",
    "climate change is a real concern": "the claim that climate change is not a real concern",
    "feminist movement": "opposition to the feminist movement",
    "hillary clinton": "opposition to Hillary Clinton",
}
FLIP = {"supportive": "opposed", "opposed": "supportive"}
FNC_TEST_SAMPLE = 400


class DataError(ValueError):
    """A training file that is missing or malformed (named, with the line)."""


@dataclass(frozen=True)
class Example:
    """One prompt with its label and where it comes from."""

    source: str
    group: str  # article / claim / tweet id: never split across train and validation
    speaker: str | None
    target: str
    evidence: tuple[str, ...]
    label: str
    role: str  # "train", "dev", "contrast", "semeval_val", "fnc_test"
    pair: str = ""  # contrast pair id (both sides share it)

    @property
    def text(self) -> str:
        return adapted.prompt(self.speaker, self.target, self.evidence)


def read_jsonl(
    path: Path, required: Sequence[str] = (), labels: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """Rows of a JSONL file; a missing file, a bad line, a missing field or (with
    ``labels``) a ``label`` not among them is a :class:`DataError` naming the file and
    line."""
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"{path}:{number}: not JSON ({exc.msg})") from exc
        if not isinstance(row, dict):
            raise DataError(f"{path}:{number}: not a JSON object")
        missing = [k for k in required if k not in row]
        if missing:
            raise DataError(f"{path}:{number}: missing field(s) {missing}")
        if labels is not None and row.get("label") not in labels:
            raise DataError(f"{path}:{number}: unknown label {row.get('label')!r}")
        rows.append(row)
    return rows


def _sample(rows: list[dict[str, Any]], per_label: int, rng: random.Random) -> list[dict[str, Any]]:
    by_label: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_label.setdefault(row["label"], []).append(row)
    out = []
    for label in sorted(by_label):
        group = by_label[label]
        rng.shuffle(group)
        out += group[:per_label]
    return out


_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) > 3}


def body_evidence(target: str, body: str, items: int = 3) -> tuple[str, ...]:
    """The body's sentences that share the most words with ``target`` (at most
    ``items``, in body order): what the head reads of a long article or post."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", body) if len(s.strip()) > 20]
    if not sentences:
        return (body.strip()[:400],)
    words = _words(target)
    ranked = sorted(range(len(sentences)), key=lambda i: (-len(words & _words(sentences[i])), i))
    keep = sorted(ranked[:items])
    return tuple(sentences[i][:400] for i in keep)


#: Phrases that turn a target into its opposite (``{}`` is the target), for the negated
#: copies of news training stances: the head must read the target's words, not only
#: the evidence, to get both sides right.
NEGATIONS = (
    "rejecting {}",
    "opposition to {}",
    "blocking {}",
    "an end to {}",
    "scrapping {}",
)


def negated_copies(examples: Sequence[Example], rng: random.Random) -> list[Example]:
    """For each supportive or opposed example, a copy with a negated target (a seeded
    choice of :data:`NEGATIONS`) and the opposite label; same evidence, same group."""
    out = []
    for k, e in enumerate(examples):
        if e.label not in FLIP:
            continue
        target = e.target[:1].lower() + e.target[1:] if not e.target[:2].isupper() else e.target
        phrase = NEGATIONS[rng.randrange(len(NEGATIONS))].format(target)
        out.append(
            Example(
                e.source,
                e.group,
                e.speaker,
                phrase,
                e.evidence,
                FLIP[e.label],
                e.role,
                f"{e.group}#negated{k}",
            )
        )
    return out


def claim_target(claim: str) -> str:
    claim = claim.strip().rstrip(".")
    claim = re.sub(r"^This house (believes that|would)\s+", "", claim, flags=re.IGNORECASE)
    return "the claim that " + claim[:1].lower() + claim[1:]


def news_examples(records: Iterable[Any], source: str, role: str) -> list[Example]:
    """Gold stances with the evidence the pipeline finds for the speaker."""
    from newsbrief.quotes import find_quotes
    from newsbrief.steps.stance import evidence_texts, stance_requests

    out = []
    for record in records:
        stances = [s for s in record.stances if s.label in LABELS]
        if not stances:
            continue
        quotes = find_quotes(record.text)
        requests = stance_requests(record.text, quotes, [s.speaker for s in stances])
        for gold, request in zip(stances, requests, strict=True):
            out.append(
                Example(
                    source,
                    record.id,
                    gold.speaker,
                    gold.target,
                    tuple(evidence_texts(request)),
                    gold.label,
                    role,
                )
            )
    return out


@dataclass(frozen=True)
class _Stance:
    speaker: str | None
    target: str
    label: str


@dataclass(frozen=True)
class _Record:
    id: str
    text: str
    stances: tuple[_Stance, ...]


def load_news(paths: Sequence[Path]) -> list[_Record]:
    """Extra news stance gold records (``{id, text, stances: [{speaker, target, label}]}``)
    from JSONL files, or directories of them (their ``*.jsonl``, sorted); a missing file
    or a malformed line is a :class:`DataError` naming it."""
    files: list[Path] = []
    for path in paths:
        files += sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    out = []
    for path in files:
        for row in read_jsonl(path, ("id", "text", "stances")):
            stances = tuple(
                _Stance(s.get("speaker"), s["target"], s["label"]) for s in row["stances"]
            )
            out.append(_Record(row["id"], row["text"], stances))
    return out


def contrast_examples(path: Path, records: dict[str, Any], role: str, source: str) -> list[Example]:
    """Both sides of each contrast pair (same speaker and evidence, opposite target and
    label), with the evidence the pipeline finds in the pair's article."""
    from newsbrief.quotes import find_quotes
    from newsbrief.steps.stance import evidence_texts, stance_requests

    rows = read_jsonl(
        path, ("id", "speaker", "target", "label", "opposite_target", "opposite_label")
    )
    out = []
    quotes_of: dict[str, Any] = {}
    for n, row in enumerate(rows):
        record = records.get(row["id"])
        if record is None:
            raise DataError(f"{path}:{n + 1}: article {row['id']} is not in the gold")
        if record.id not in quotes_of:
            quotes_of[record.id] = find_quotes(record.text)
        (request,) = stance_requests(record.text, quotes_of[record.id], [row["speaker"]])
        evidence = tuple(evidence_texts(request))
        pair = f"{row['id']}#{n}"
        for target, label in (
            (row["target"], row["label"]),
            (row["opposite_target"], row["opposite_label"]),
        ):
            if label not in LABELS:
                raise DataError(f"{path}:{n + 1}: unknown label {label!r}")
            out.append(
                Example(source, row["id"], row["speaker"], target, evidence, label, role, pair)
            )
    return out


@dataclass(frozen=True)
class SourceItem:
    """One stance of a public corpus of ``stance_news``: who takes it (``None``: the
    text's own stance), on what, read from which evidence, with which label."""

    source: str
    id: str
    group: str  # body / claim / article: folds and validation never split it
    speaker: str | None
    target: str
    evidence: tuple[str, ...]
    label: str


def claim_items(news: Path, source: str, per_label: int, rng: random.Random) -> list[SourceItem]:
    """Perspectrum or IBM Claim Stance train pairs, sampled per label: the claim (the
    motion) as the target ("the claim that ..."), the perspective (the claim) read."""
    name = {"perspectrum": "perspectrum.jsonl", "ibm": "ibm_claim_stance.jsonl"}[source]
    rows = [
        r
        for r in read_jsonl(news / name, ("id", "target", "text", "label", "split"), LABELS)
        if r["split"] == "train"
    ]
    return [
        SourceItem(
            source,
            row["id"],
            f"{source}:{row['target']}",
            None,
            claim_target(row["target"]),
            (row["text"].strip(),),
            row["label"],
        )
        for row in _sample(rows, per_label, rng)
    ]


def body_items(news: Path, source: str, per_label: int, rng: random.Random) -> list[SourceItem]:
    """FNC-1 or ARC train pairs (related only), sampled per label: the headline (claim)
    as the target, the body's sentences most about it (:func:`body_evidence`) read."""
    stances, bodies = {
        "fnc1": ("fnc1_train.jsonl", "fnc1_train_bodies.jsonl"),
        "arc": ("arc_train.jsonl", "arc_bodies.jsonl"),
    }[source]
    text_of = {b["body_id"]: b["text"] for b in read_jsonl(news / bodies, ("body_id", "text"))}
    rows = [
        r
        for r in read_jsonl(news / stances, ("id", "target", "body_id", "label"), LABELS)
        if r.get("split", "train") == "train"
    ]
    out = []
    for row in _sample(rows, per_label, rng):
        body = text_of.get(row["body_id"])
        if body is None:
            raise DataError(f"{news / stances}: {row['id']}: body {row['body_id']} not in {bodies}")
        evidence = body_evidence(row["target"], body)
        group = f"{source}:{row['body_id']}"
        out.append(
            SourceItem(source, row["id"], group, None, row["target"], evidence, row["label"])
        )
    return out


def basil_items(news: Path, source: str, per_label: int, rng: random.Random) -> list[SourceItem]:
    """BASIL quotes, sampled per label: the named speaker (``None`` where BASIL gives only
    a group), the target entity, the sentence holding the quote."""
    rows = read_jsonl(news / "basil_quotes.jsonl", ("id", "target", "text", "label"), LABELS)
    return [
        SourceItem(
            source,
            row["id"],
            f"basil:{row.get('article_id', row['id'])}",
            row.get("speaker"),
            row["target"],
            (row["text"].strip(),),
            row["label"],
        )
        for row in _sample(rows, per_label, rng)
    ]


#: The readers of the public corpora of ``stance_news``, by source name.
SOURCE_READERS = {
    "fnc1": body_items,
    "arc": body_items,
    "perspectrum": claim_items,
    "ibm": claim_items,
    "basil": basil_items,
}


def source_items(news: Path, source: str, per_label: int, rng: random.Random) -> list[SourceItem]:
    """A seeded sample of at most ``per_label`` train stances per label of ``source``
    (one of :data:`SOURCE_READERS`) from the ``stance_news`` folder ``news``."""
    if source not in SOURCE_READERS:
        raise DataError(f"unknown stance source {source!r} (known: {sorted(SOURCE_READERS)})")
    return SOURCE_READERS[source](news, source, per_label, rng)


def corpus_examples(data: Path, rng: random.Random) -> list[Example]:
    """The public corpora, sampled per source and label, with contrast copies for the
    claim-style sources (target "rejecting ..." / the written SemEval opposites)."""
    out: list[Example] = []
    semeval = read_jsonl(
        data / "stance" / "semeval2016_train.jsonl", ("id", "target", "text", "label")
    )
    for row in semeval:
        row["label"] = SEMEVAL_LABELS[row["label"]]
    for row in _sample(semeval, PER_LABEL["semeval"], rng):
        ex = Example(
            "semeval", row["id"], None, row["target"], (row["text"].strip(),), row["label"], "train"
        )
        out.append(ex)
        opposite = SEMEVAL_OPPOSITE.get(row["target"].lower())
        if opposite and row["label"] in FLIP and rng.random() < 0.5:
            out.append(
                Example(
                    "semeval",
                    row["id"],
                    None,
                    opposite,
                    ex.evidence,
                    FLIP[row["label"]],
                    "train",
                    row["id"],
                )
            )
    news = data / "stance_news"
    for source in ("perspectrum", "ibm", "fnc1", "arc", "basil"):
        for item in source_items(news, source, PER_LABEL[source], rng):
            ex = Example(
                source, item.group, item.speaker, item.target, item.evidence, item.label, "train"
            )
            out.append(ex)
            if source in ("perspectrum", "ibm") and item.label in FLIP and rng.random() < 0.5:
                flipped = "rejecting " + item.target
                out.append(
                    Example(
                        source,
                        item.group,
                        None,
                        flipped,
                        ex.evidence,
                        FLIP[item.label],
                        "train",
                        item.id,
                    )
                )
    return out


def fnc_test_examples(data: Path, rng: random.Random) -> list[Example]:
    """A seeded sample of FNC-1 test related pairs (never trained on)."""
    news = data / "stance_news"
    text_of = {
        b["body_id"]: b["text"]
        for b in read_jsonl(news / "fnc1_test_bodies.jsonl", ("body_id", "text"))
    }
    rows = read_jsonl(news / "fnc1_test.jsonl", ("target", "body_id", "label"))
    rng.shuffle(rows)
    return [
        Example(
            "fnc1_test",
            f"fnc1t:{r['body_id']}",
            None,
            r["target"],
            body_evidence(r["target"], text_of[r["body_id"]]),
            r["label"],
            "fnc_test",
        )
        for r in rows[:FNC_TEST_SAMPLE]
    ]


def build_examples(args: argparse.Namespace) -> list[Example]:
    """Every example of one run, in a fixed order (seeded sampling)."""
    from newsbrief.eval.gold import load_gold

    rng = random.Random(args.seed)
    split = json.loads(args.splits.read_text())
    dev_ids, heldout_ids = set(split["dev"]), set(split["heldout"])
    gold = load_gold(args.gold)
    gold_texts = {" ".join(r.text.split())[:300] for r in gold}
    dev = [r for r in gold if r.id in dev_ids]
    examples = news_examples(dev, "gold_dev", "dev")

    def unseen(records: list[_Record]) -> list[_Record]:
        return [
            r
            for r in records
            if r.id not in dev_ids | heldout_ids
            and " ".join(r.text.split())[:300] not in gold_texts
        ]

    extra = unseen(load_news(args.extra))
    more = unseen(load_news(args.more))
    news_train = news_examples(extra, "news_extra", "train")
    news_train += news_examples(more, "news_more", "train")
    examples += news_train
    if args.negations:
        examples += negated_copies(news_train, random.Random(f"negations{args.seed}"))
    articles: list[Any] = [*dev, *extra, *more]
    records = {r.id: r for r in articles}
    if args.contrast_dev is not None:
        examples += contrast_examples(args.contrast_dev, records, "contrast", "contrast_dev")
    if args.contrast_extra is not None:
        examples += contrast_examples(args.contrast_extra, records, "train", "contrast_extra")
    examples += corpus_examples(args.data, rng)
    semeval_val = read_jsonl(
        args.data / "stance" / "semeval2016_val.jsonl", ("id", "target", "text", "label")
    )
    if not args.with_tests:
        return examples
    examples += [
        Example(
            "semeval_val",
            r["id"],
            None,
            r["target"],
            (r["text"].strip(),),
            SEMEVAL_LABELS[r["label"]],
            "semeval_val",
        )
        for r in semeval_val
    ]
    examples += fnc_test_examples(args.data, rng)
    return examples


# -- cache --------------------------------------------------------------------------------


def cache_key(model_id: str, split: int, text: str) -> str:
    return hashlib.sha256(f"{model_id}\0{split}\0{text}".encode()).hexdigest()[:24]


def fill_cache(
    backend: Any, examples: Sequence[Example], split: int, path: Path | None
) -> dict[str, Any]:
    """Frozen states at ``split`` for every example's prompt (bfloat16), from ``path``
    when it has them; saved back every few minutes."""
    import torch

    inner = adapted.decoder(backend.model)
    store: dict[str, Any] = {}
    if path is not None and path.is_file():
        store = torch.load(path, weights_only=True)
    texts = {cache_key(backend.model_id, split, e.text): e.text for e in examples}
    todo = [(k, adapted.encode(backend.tokenizer, t)) for k, t in texts.items() if k not in store]
    todo.sort(key=lambda kv: len(kv[1]))
    logger.info("cache: %d prompts, %d to run", len(texts), len(todo))
    start, saved, done = time.time(), time.time(), 0
    budget = 3000  # tokens per batch
    k = 0
    while k < len(todo):
        n = max(1, min(32, budget // len(todo[k][1])))
        part = todo[k : k + n]
        states = adapted.lower_states(inner, [ids for _, ids in part], split)
        for (key, _), state in zip(part, states, strict=True):
            store[key] = state.to(torch.bfloat16)
        k += n
        done += n
        if time.time() - saved > 180 and path is not None:
            torch.save(store, path)
            saved = time.time()
            logger.info("cache: %d/%d (%.0f s)", done, len(todo), time.time() - start)
    if todo and path is not None:
        torch.save(store, path)
    logger.info("cache: done in %.0f s", time.time() - start)
    return store


# -- fitting ------------------------------------------------------------------------------


def _batches(
    items: Sequence[int], lengths: Sequence[int], size: int, rng: random.Random | None
) -> list[list[int]]:
    order = sorted(items, key=lambda i: lengths[i])
    batches = [order[k : k + size] for k in range(0, len(order), size)]
    if rng is not None:
        rng.shuffle(batches)
    return batches


def tops_of(
    inner: Any,
    states: Sequence[Any],
    split: int,
    adapters: Any,
    scale: float,
    size: int = 16,
) -> Any:
    """The final-norm last-token state of each cached state through the (adapted) upper
    layers (no gradient), in order: what the label layer reads."""
    import torch

    lengths = [int(s.shape[0]) for s in states]
    out = torch.zeros(len(states), inner.config.hidden_size)
    with torch.no_grad():
        for batch in _batches(range(len(states)), lengths, size, None):
            x, last = adapted.stack_states([states[i].float() for i in batch])
            out[batch] = adapted.upper_top(inner, x, last, split, adapters, scale).float()
    return out


def macro_f1(
    gold: Sequence[str], pred: Sequence[str | None], labels: Sequence[str] = LABELS
) -> float:
    scores = []
    for label in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p != label)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def choose_biases(logits: Any, gold: Sequence[str], temperature: float) -> list[float]:
    """Per-class biases added to the logits, chosen by coordinate search on macro-F1
    (two rounds over a small grid; ties keep the smaller bias)."""
    import torch

    bias = [0.0] * len(LABELS)
    grid = [x / 4 for x in range(-8, 9)]

    def score(b: Sequence[float]) -> float:
        probs = torch.softmax(logits / temperature + torch.tensor(b), -1)
        return macro_f1(gold, [LABELS[int(i)] for i in probs.argmax(-1)])

    for _ in range(2):
        for c in range(len(LABELS)):
            best = max(
                grid, key=lambda v: (round(score([*bias[:c], v, *bias[c + 1 :]]), 6), -abs(v))
            )
            bias[c] = best
    return bias


def choose_temperature(logits: Any, gold: Sequence[str]) -> float:
    import torch

    target = torch.tensor([LABELS.index(g) for g in gold])
    grid = [0.5 + 0.1 * k for k in range(46)]
    return min(grid, key=lambda t: float(torch.nn.functional.cross_entropy(logits / t, target)))


def choose_threshold(
    confidence: Sequence[float], right: Sequence[bool], min_coverage: float = 0.7
) -> float:
    """The confidence threshold with the best answered-only accuracy among those that
    keep at least ``min_coverage`` of the stances answered (the lowest such on ties)."""
    best, best_acc = 0.0, -1.0
    for t in sorted(set(round(c, 4) for c in confidence)):
        kept = [r for c, r in zip(confidence, right, strict=True) if c >= t]
        if len(kept) < min_coverage * len(right):
            break
        acc = sum(kept) / len(kept)
        if acc > best_acc + 1e-9:
            best, best_acc = t, acc
    return best


def measure(gold: Sequence[str], probs: Any, threshold: float) -> dict[str, float]:
    conf, idx = probs.max(-1)
    pred = [
        LABELS[int(i)] if float(c) >= threshold else None for c, i in zip(conf, idx, strict=True)
    ]
    answered = [(g, p) for g, p in zip(gold, pred, strict=True) if p is not None]
    majority = Counter(gold).most_common(1)[0][1] / len(gold)
    return {
        "n": len(gold),
        "accuracy": sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold),
        "accuracy_argmax": sum(g == LABELS[int(i)] for g, i in zip(gold, idx, strict=True))
        / len(gold),
        "majority": majority,
        "macro_f1": macro_f1(gold, pred),
        "coverage": len(answered) / len(gold),
        "answered_accuracy": sum(g == p for g, p in answered) / max(1, len(answered)),
    }


def contrast_pairs(examples: Sequence[Example], probs: Any, threshold: float) -> dict[str, float]:
    """Share of contrast pairs with both labels right (argmax, and with abstention)."""
    sides: dict[str, list[tuple[bool, bool]]] = {}
    for e, p in zip(examples, probs, strict=True):
        conf, i = float(p.max()), int(p.argmax())
        right = LABELS[i] == e.label
        sides.setdefault(e.pair, []).append((right, right and conf >= threshold))
    pairs = [v for v in sides.values() if len(v) == 2]
    return {
        "pairs": len(pairs),
        "both_right_argmax": sum(a[0] and b[0] for a, b in pairs) / max(1, len(pairs)),
        "both_right_answered": sum(a[1] and b[1] for a, b in pairs) / max(1, len(pairs)),
    }


def folded_label_layer(weight: Any, bias: Any, center: Any, spread: Any) -> tuple[Any, Any]:
    """The label layer on raw states that equals ``weight``/``bias`` on states standardised
    by ``center``/``spread``: ``((x - c) / s) W^T + b = x (W / s)^T + (b - c (W / s)^T)``."""
    folded = weight / spread
    return folded, bias - center @ folded.T


def standardiser(inner: Any, states: Sequence[Any], split: int) -> tuple[Any, Any]:
    """Per-dimension centre and spread of the frozen model's final-norm states (last
    token) over ``states``."""
    top = tops_of(inner, states, split, None, 1.0)
    return top.mean(0), top.std(0).clamp_min(1e-3)


def fit_and_write(
    backend: Any, examples: Sequence[Example], store: dict[str, Any], args: argparse.Namespace
) -> None:
    """Train adapters and the label layer; choose epoch, temperature, biases and threshold
    on the gold dev half; write the head and its card."""
    import torch

    torch.set_num_threads(max(1, torch.get_num_threads()))
    inner = adapted.decoder(backend.model)
    for p in backend.model.parameters():
        p.requires_grad_(False)
    key = {e: cache_key(backend.model_id, args.split, e.text) for e in examples}
    if args.limit:
        cached = [e for e in examples if key[e] in store]
        examples = [
            e
            for role in ("train", "dev", "contrast")
            for e in [c for c in cached if c.role == role][: args.limit]
        ]
    train = [e for e in examples if e.role == "train"]
    dev = [e for e in examples if e.role == "dev"]
    contrast = [e for e in examples if e.role == "contrast"]
    train_pairs = [e for e in train if e.source == "contrast_extra"]
    states = [store[key[e]] for e in train]
    lengths = [int(s.shape[0]) for s in states]
    labels = torch.tensor([LABELS.index(e.label) for e in train])
    counts = Counter(e.label for e in train)
    class_w = torch.tensor([(len(train) / (len(LABELS) * counts[x])) ** 0.5 for x in LABELS])
    sample_w = torch.tensor(
        [
            args.contrast_weight
            if e.source.startswith("contrast")
            else args.news_weight
            if e.source.startswith("news")
            else 1.0
            for e in train
        ]
    )
    adapters = {
        k: v.requires_grad_(True)
        for k, v in adapted.init_adapters(inner, args.split, args.rank, args.seed).items()
    }
    width = inner.config.hidden_size
    label_w = torch.zeros(len(LABELS), width, requires_grad=True)
    label_b = torch.zeros(len(LABELS), requires_grad=True)
    # The label layer reads the final-norm state standardised per dimension (centre and
    # spread of the frozen model's states on the training prompts): raw, that state is
    # ~100 long and mostly one shared direction, and the label layer's first steps
    # overshot (loss above chance after 30 steps). Folded into the written weights.
    center, spread = standardiser(inner, states, args.split)

    def label_layer() -> tuple[Any, Any]:
        return folded_label_layer(label_w, label_b, center, spread)

    scale = 2.0
    optimizer = torch.optim.AdamW(
        [
            {"params": list(adapters.values()), "lr": args.lr},
            {"params": [label_w, label_b], "lr": args.lr},
        ],
        weight_decay=0.0,
    )
    steps_total = args.epochs * ((len(train) + 15) // 16)
    warmup = max(1, steps_total // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda k: min((k + 1) / warmup, max(0.1, (steps_total - k) / max(1, steps_total - warmup))),
    )
    rng = random.Random(args.seed)
    dev_gold = [e.label for e in dev]
    best: dict[str, Any] = {"score": -1.0}
    started = time.time()
    for epoch in range(args.epochs):
        batches = _batches(range(len(train)), lengths, 16, rng)
        total = 0.0
        checks = {
            len(batches) * (k + 1) // args.evals_per_epoch - 1 for k in range(args.evals_per_epoch)
        }
        for step, batch in enumerate(batches):
            x, last = adapted.stack_states([states[i].float() for i in batch])
            logits = adapted.upper_logits(
                inner, x, last, args.split, adapters, scale, *label_layer()
            )
            loss = torch.nn.functional.cross_entropy(
                logits, labels[batch], weight=class_w, reduction="none"
            )
            loss = (loss * sample_w[batch]).sum() / sample_w[batch].sum()
            optimizer.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            optimizer.step()
            schedule.step()
            total += float(loss.detach())
            if step % 10 == 9:
                logger.info(
                    "epoch %d step %d/%d loss %.3f (%.0f s)",
                    epoch,
                    step + 1,
                    len(batches),
                    total / (step + 1),
                    time.time() - started,
                )
            if step not in checks:
                continue
            point = epoch + (step + 1) / len(batches)
            with torch.no_grad():
                weight, bias = label_layer()
                dev_logits, con_logits, fit_logits = (
                    tops_of(inner, [store[key[e]] for e in chosen], args.split, adapters, scale)
                    @ weight.T
                    + bias
                    for chosen in (dev, contrast, train_pairs)
                )
            probs = torch.softmax(dev_logits, -1)
            found = measure(dev_gold, probs, 0.0)
            pairs = contrast_pairs(contrast, torch.softmax(con_logits, -1), 0.0)
            fitted = contrast_pairs(train_pairs, torch.softmax(fit_logits, -1), 0.0)
            logger.info("training contrast pairs fitted: %s", fitted)
            score = found["macro_f1"] + found["accuracy"] + pairs["both_right_argmax"]
            logger.info("epoch %.2f: dev %s contrast %s", point, found, pairs)
            if score > best["score"]:
                best = {
                    "score": score,
                    "epoch": round(point, 2),
                    "adapters": {k: v.detach().clone() for k, v in adapters.items()},
                    "label_w": weight.detach().clone(),
                    "label_b": bias.detach().clone(),
                    "dev_logits": dev_logits,
                    "con_logits": con_logits,
                }
                _choose_and_write(backend, inner, best, dev, contrast, train, scale, args, started)
            if args.stop_at is not None and point >= args.stop_at - 1e-9:
                logger.info("stopped at epoch %.2f (--stop-at)", point)
                return


def _choose_and_write(
    backend: Any,
    inner: Any,
    best: dict[str, Any],
    dev: Sequence[Example],
    contrast: Sequence[Example],
    train: Sequence[Example],
    scale: float,
    args: argparse.Namespace,
    started: float,
) -> None:
    """Temperature, class biases and threshold chosen on dev; the head file and card."""
    import torch

    dev_gold = [e.label for e in dev]
    temperature = choose_temperature(best["dev_logits"], dev_gold)
    bias = choose_biases(best["dev_logits"], dev_gold, temperature)
    dev_probs = torch.softmax(best["dev_logits"] / temperature + torch.tensor(bias), -1)
    conf, idx = dev_probs.max(-1)
    threshold = choose_threshold(
        [float(c) for c in conf], [LABELS[int(i)] == g for i, g in zip(idx, dev_gold, strict=True)]
    )
    con_probs = torch.softmax(best["con_logits"] / temperature + torch.tensor(bias), -1)
    report = {
        "epoch": best["epoch"],
        "temperature": temperature,
        "class_bias": bias,
        "threshold": threshold,
        "dev": measure(dev_gold, dev_probs, threshold),
        "contrast": contrast_pairs(contrast, con_probs, threshold),
        "train_minutes": (time.time() - started) / 60,
    }
    logger.info("chosen: %s", json.dumps(report))
    if args.report is not None:
        args.report.write_text(json.dumps(report, indent=1))
    if args.out is None:
        return
    fingerprint = adapted.lower_states(
        inner, [adapted.encode(backend.tokenizer, FINGERPRINT_TEXT)], args.split
    )[0][-1]
    sources = Counter(e.source for e in train)
    card = {
        "model_id": backend.model_id,
        "split": args.split,
        "rank": args.rank,
        "scale": scale,
        "temperature": temperature,
        "threshold": threshold,
        "labels": list(LABELS),
        "date": dt.date.today().isoformat(),
        "seed": args.seed,
        "epochs": args.epochs,
        "chosen_epoch": best["epoch"],
        "sources": {s: {"count": n, "licence": LICENCES[s]} for s, n in sorted(sources.items())},
        "dev": report["dev"],
        "contrast_dev": report["contrast"],
    }
    tensors = {f"adapter.{k}": v for k, v in best["adapters"].items()}
    tensors["label.weight"] = best["label_w"]
    tensors["label.bias"] = best["label_b"] + torch.tensor(bias) * temperature
    tensors["fingerprint"] = fingerprint.float()
    from newsbrief.steps.heads.stance import write_head

    write_head(args.out, tensors, card, fmt=adapted.FORMAT)
    logger.info("wrote %s", args.out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/train_stance_head.py", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--gold", type=Path, default=ROOT / "evals" / "gold")
    parser.add_argument("--splits", type=Path, default=ROOT / "evals" / "splits.json")
    stance_news = ROOT / "evals" / "stance_news"
    parser.add_argument(
        "--extra", type=Path, nargs="*", default=[stance_news / "wikinews_stance_extra.jsonl"]
    )
    parser.add_argument(
        "--more",
        type=Path,
        nargs="*",
        default=sorted(stance_news.glob("wikinews_stance_more_*.jsonl")),
    )
    parser.add_argument("--contrast-dev", type=Path, default=stance_news / "contrast_dev.jsonl")
    parser.add_argument("--contrast-extra", type=Path, default=stance_news / "contrast_extra.jsonl")
    parser.add_argument("--cache", type=Path, default=ROOT / "runs" / "stance_cache.pt")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--split", type=int, default=14)
    parser.add_argument("--rank", type=int, default=8)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--evals-per-epoch", type=int, default=2)
    parser.add_argument(
        "--stop-at",
        type=float,
        default=None,
        help="stop after the evaluation at this epoch (the schedule still spans --epochs)",
    )
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument(
        "--negations",
        action="store_true",
        help="add a negated-target copy of each supportive/opposed news training stance",
    )
    parser.add_argument(
        "--news-weight", type=float, default=2.0, help="weight of a news gold example"
    )
    parser.add_argument(
        "--contrast-weight", type=float, default=2.0, help="weight of a contrast example"
    )
    parser.add_argument("--limit", type=int, default=0, help="smoke test: examples per role")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache-only", action="store_true")
    parser.add_argument(
        "--with-tests", action="store_true", help="cache SemEval val and FNC-1 test too"
    )
    parser.add_argument("--report", type=Path, default=None, help="JSON of the measurements")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    import torch

    torch.manual_seed(args.seed)
    from newsbrief.backends.loading import load_backend

    try:
        examples = build_examples(args)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    counts = Counter((e.role, e.source) for e in examples)
    for (role, source), n in sorted(counts.items()):
        logger.info("%-12s %-16s %d", role, source, n)
    backend = load_backend("embedded")
    store = fill_cache(backend, [] if args.limit else examples, args.split, args.cache)
    if args.cache_only:
        return 0
    fit_and_write(backend, examples, store, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
