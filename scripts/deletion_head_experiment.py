"""Experiment (issue 18): does a ridge head on the model's hidden states choose deletions better?

For each gold article of the dev half (``evals/splits.json``; held-out is never read) this
builds the summary step's own material: the planned sentences, their deletion candidates
(:mod:`newsbrief.steps.shorten`) after the faithfulness checks, and the model's fluency and
relevance scores (``Summarizer._score``). Each candidate is labelled by its ROUGE-L gain
against the human summaries: the ROUGE-L F1 of the planned sentences with this candidate in
place of its whole sentence, minus that of the planned sentences all whole.

Features of a candidate (all as a difference from its whole sentence): the embedded model's
pooled hidden states (``backend.embed``, layers 9 and 18, mean and last token, as the stance
head reads them), the fluency and relevance score losses, the share of words kept, the
number of deletions and one count per deletion kind. A ridge regression predicts the gain;
leave-one-article-out cross-validation over the dev articles puts the prediction for each
held-back article in place of the relevance term of
:func:`newsbrief.steps.summarize.choose_versions` (weight ``W``; the fluency margin and the
length target unchanged) and scores the summaries it chooses, beside the current choice,
the model-free pipeline (every sentence whole) and an oracle (the true gains).

    OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 .venv/bin/python scripts/deletion_head_experiment.py \
        --title --cache /tmp/deletion_features.pkl

The extraction (model scores and hidden states) is cached in ``--cache``; the ridge fits
are closed forms (nothing random), so a rerun from the cache prints the same figures.
``--weak N`` adds N Wikinews articles that are in no gold file (either half) to training
only, labelled against their own title; ``--nested`` also picks alpha and W by an inner
leave-one-article-out CV, so no choice sees the article it is scored on.

Result (2026-12-01, embedded Gemma 3 270M, dev half: 31 articles, 329 candidates, 242 of
them shortened): a NEGATIVE result; the head is not wired in.

- With titles (as ``brief(title=)``): current choice 0.3528, model-free 0.3421, oracle on
  these labels 0.3682 (W=30). Over the whole alpha/W grid the head's best is +0.0007
  (hidden states + cheap, alpha 1, W 100: 8 articles better, 14 worse), hidden states alone
  +0.0003 (7+/14-), cheap features alone -0.0065; added to the current relevance term
  instead of replacing it, at best +0.0000. CV correlation of predicted and true gain:
  -0.13 to +0.06. With the
  choice nested: hidden states 0.3487 (-0.0041, 8+/13-), hidden states + cheap 0.3491
  (-0.0036), cheap 0.3402 (-0.0126).
- Weak supervision (60 non-gold Wikinews articles, 585 candidates, labelled against the
  title) makes it worse: CV r -0.12 to -0.07 for hidden states, best -0.0037 (hidden
  states + cheap, alpha 10, W 10); nested: hidden states + cheap 0.3476 (-0.0052, 5+/16-),
  hidden states 0.3443 (-0.0084), cheap 0.3418 (-0.0109). Against a
  short title most deletions gain (334 of 422): the labels reward shortness, not content.
- Without titles Wikinews articles have no headline, so the current choice ranks by length
  alone (0.3429, model-free 0.3421); there the nested head reaches 0.3489 (+0.0060, 16+/5-)
  but cheap features alone do as well (0.3486), and both stay below the current choice with
  a title (0.3528). The hidden states add nothing measurable over the fluency/relevance
  scores, length ratio and deletion kinds.
"""

from __future__ import annotations

import argparse
import json
import logging
import pickle
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from newsbrief.eval.rouge import score_rouge
from newsbrief.quotes import find_quotes
from newsbrief.steps import summarize
from newsbrief.steps.shorten import Candidate, candidates
from newsbrief.steps.summarize import (
    Summarizer,
    SummaryResult,
    _faithfulness_problem,
    choose_versions,
    length_target,
    plan_sentences,
    voices_of,
)
from newsbrief.text.article import headline_of
from newsbrief.text.document import as_document

logger = logging.getLogger("deletion_head_experiment")
ROOT = Path(__file__).resolve().parents[1]
GOLD = ["example.jsonl", "wikinews_politics.jsonl", "gum_news.jsonl"]
LAYERS = (9, 18)
POOLING = ("mean", "last")
KINDS = ("parenthetical", "time", "place", "insertion", "trailing clause", "leading clause")


def rouge_l(text: str, references: Sequence[str]) -> float:
    return score_rouge(text, references).rouge_l.f1


def extract(record: dict[str, Any], summarizer: Summarizer, title: bool) -> dict[str, Any] | None:
    """The candidates, model scores, hidden states and gain labels of one article."""
    document = as_document(record["text"])
    quotes = find_quotes(document.text)
    voices = voices_of(document, quotes)
    head = headline_of(document, record["title"] if title else None)
    titles = {head, document.headline}
    captions = [c for c in document.caption_lines if " ".join(c.split()) not in titles]
    planned = plan_sentences(document, voices, summarizer.max_sentences)
    pools: list[list[Candidate]] = []
    for sentence in planned:
        versions = candidates(
            document.text, sentence.start, sentence.end, protected=sentence.protected
        )
        pool = [v for v in versions if _faithfulness_problem(v, document, captions) is None]
        if pool and not pool[0].shortened:
            pools.append(pool)
    if not pools:
        return None
    fluency, relevance = summarizer._score(pools, head, SummaryResult(text=""))
    refs = record["summaries"]
    wholes = [p[0].text for p in pools]
    base = rouge_l(" ".join(wholes), refs)
    gains = [
        [rouge_l(" ".join([*wholes[:i], c.text, *wholes[i + 1 :]]), refs) - base for c in pool]
        for i, pool in enumerate(pools)
    ]
    texts = [c.text for pool in pools for c in pool]
    states = np.asarray(
        summarizer.backend.embed(texts, layers=LAYERS, pooling=POOLING),  # type: ignore[union-attr]
        dtype=np.float32,
    )
    return {
        "id": record["id"],
        "pools": pools,
        "fluency": fluency,
        "relevance": relevance,
        "gains": gains,
        "states": states,
        "target": length_target(len(document.text.split()), summarizer.max_sentences),
        "refs": refs,
    }


def features(article: dict[str, Any], use_states: bool, use_cheap: bool) -> np.ndarray:
    """One row per candidate: differences from its whole sentence."""
    rows = []
    k = 0
    for i, pool in enumerate(article["pools"]):
        whole_state = article["states"][k]
        for j, c in enumerate(pool):
            parts: list[np.ndarray] = []
            if use_states:
                parts.append(article["states"][k + j] - whole_state)
            if use_cheap:
                kinds = [sum(d.kind == kind for d in c.deleted) for kind in KINDS]
                parts.append(
                    np.asarray(
                        [
                            article["fluency"][i][j] - article["fluency"][i][0],
                            article["relevance"][i][j] - article["relevance"][i][0],
                            c.words / pool[0].words,
                            len(c.deleted),
                            *kinds,
                        ],
                        dtype=np.float32,
                    )
                )
            rows.append(np.concatenate(parts))
        k += len(pool)
    return np.stack(rows)


def labels(article: dict[str, Any]) -> np.ndarray:
    return np.asarray([g for row in article["gains"] for g in row], dtype=np.float64)


def ridge_predict(
    train_x: np.ndarray, train_y: np.ndarray, test_x: np.ndarray, alpha: float
) -> np.ndarray:
    """Ridge on standardised features (dual form: fewer rows than hidden-state columns)."""
    mean, std = train_x.mean(0), train_x.std(0) + 1e-6
    a, b = (train_x - mean) / std, (test_x - mean) / std
    offset = train_y.mean()
    gram = a @ a.T
    dual = np.linalg.solve(gram + alpha * a.shape[1] * np.eye(len(a)), train_y - offset)
    return np.asarray(b @ (a.T @ dual) + offset)


def summary_rouge(
    article: dict[str, Any], relevance: list[list[float]], weight: float, whole_only: bool = False
) -> float:
    pools = [p[:1] for p in article["pools"]] if whole_only else article["pools"]
    fluency = [row[: len(p)] for row, p in zip(article["fluency"], pools, strict=True)]
    relevance = [row[: len(p)] for row, p in zip(relevance, pools, strict=True)]
    saved = summarize.RELEVANCE_WEIGHT
    summarize.RELEVANCE_WEIGHT = weight
    try:
        chosen = choose_versions(pools, fluency, article["target"], relevance)
    finally:
        summarize.RELEVANCE_WEIGHT = saved
    return rouge_l(" ".join(c.text for c in chosen), article["refs"])


ALPHAS = (0.1, 1.0, 10.0)
WEIGHTS = (1.0, 3.0, 10.0, 30.0, 100.0)


def nested(
    articles: list[dict[str, Any]],
    xs: list[np.ndarray],
    ys: list[np.ndarray],
    weak_x: list[np.ndarray],
    weak_y: list[np.ndarray],
) -> list[float]:
    """Each article's summary ROUGE-L with the head's alpha and W chosen by
    leave-one-article-out CV on the other articles only (no choice sees the article)."""
    n = len(articles)
    out = []
    for held in range(n):
        inner = [k for k in range(n) if k != held]
        totals = {(a, w): 0.0 for a in ALPHAS for w in WEIGHTS}
        for alpha in ALPHAS:
            for k in inner:
                rest = [m for m in inner if m != k]
                train_x = np.concatenate([*(xs[m] for m in rest), *weak_x])
                train_y = np.concatenate([*(ys[m] for m in rest), *weak_y])
                rows = split_rows(articles[k], ridge_predict(train_x, train_y, xs[k], alpha))
                for weight in WEIGHTS:
                    totals[(alpha, weight)] += summary_rouge(articles[k], rows, weight)
        alpha, weight = max(totals, key=lambda key: totals[key])
        train_x = np.concatenate([*(xs[m] for m in inner), *weak_x])
        train_y = np.concatenate([*(ys[m] for m in inner), *weak_y])
        rows = split_rows(articles[held], ridge_predict(train_x, train_y, xs[held], alpha))
        out.append(summary_rouge(articles[held], rows, weight))
        logger.info("  outer fold %s: alpha=%g W=%g", articles[held]["id"], alpha, weight)
    return out


def combined(
    article: dict[str, Any], predicted: list[list[float]], weight: float
) -> list[list[float]]:
    """The current relevance term (its weight folded in) plus ``weight`` times the head's."""
    return [
        [summarize.RELEVANCE_WEIGHT * r + weight * p for r, p in zip(rel, pred, strict=True)]
        for rel, pred in zip(article["relevance"], predicted, strict=True)
    ]


def split_rows(article: dict[str, Any], flat: np.ndarray) -> list[list[float]]:
    out, k = [], 0
    for pool in article["pools"]:
        out.append([float(v) for v in flat[k : k + len(pool)]])
        k += len(pool)
    return out


def weak_articles(count: int, title: bool, cache: Path | None) -> list[dict[str, Any]]:
    """The first ``count`` articles of the Wikinews dump that are in no gold file (neither
    half), each labelled by ROUGE-L gain against its own title (weak supervision)."""
    if cache and cache.exists():
        found: list[dict[str, Any]] = pickle.loads(cache.read_bytes())
        return found[:count]
    from newsbrief.backends.loading import load_backend

    gold = {
        json.loads(line)["id"]
        for name in GOLD
        for line in (ROOT / "evals" / "gold" / name).read_text().splitlines()
    }
    dump = Path("/work/shared/data/wikinews/wikinews_2019_2020.jsonl")
    summarizer = Summarizer(load_backend("embedded"), "base")
    found = []
    for line in dump.read_text().splitlines():
        record = json.loads(line)
        if record["id"] in gold or not record.get("title"):
            continue
        record = {**record, "summaries": [record["title"]]}
        article = extract(record, summarizer, title)
        if article is not None and len(labels(article)) > len(article["pools"]):
            found.append(article)
            logger.info("weak %s: %d candidates", record["id"], len(labels(article)))
        if len(found) >= count:
            break
    if cache:
        cache.write_bytes(pickle.dumps(found))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--title", action="store_true", help="pass each article's title")
    parser.add_argument("--cache", type=Path, help="keep the extraction here (reused)")
    parser.add_argument(
        "--weak",
        type=int,
        default=0,
        help="add this many non-gold Wikinews articles to training, labelled against the title",
    )
    parser.add_argument(
        "--nested", action="store_true", help="also pick alpha and W by inner CV (slow)"
    )
    parser.add_argument("--weak-cache", type=Path, help="keep the weak extraction here (reused)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    if args.cache and args.cache.exists():
        articles = pickle.loads(args.cache.read_bytes())
    else:
        from newsbrief.backends.loading import load_backend

        split = set(json.loads((ROOT / "evals" / "splits.json").read_text())["dev"])
        records = [
            json.loads(line)
            for name in GOLD
            for line in (ROOT / "evals" / "gold" / name).read_text().splitlines()
        ]
        records = [r for r in records if r["id"] in split and r["summaries"]]
        summarizer = Summarizer(load_backend("embedded"), "base")
        articles = []
        for record in records:
            found = extract(record, summarizer, args.title)
            if found is not None:
                articles.append(found)
                logger.info("%s: %d candidates", record["id"], len(labels(found)))
        if args.cache:
            args.cache.write_bytes(pickle.dumps(articles))

    weak: list[dict[str, Any]] = []
    if args.weak:
        weak = weak_articles(args.weak, args.title, args.weak_cache)
        logger.info("weak supervision: %d non-gold Wikinews articles", len(weak))
    n = len(articles)
    current = [summary_rouge(a, a["relevance"], summarize.RELEVANCE_WEIGHT) for a in articles]
    free = [summary_rouge(a, a["relevance"], 0.0, whole_only=True) for a in articles]
    logger.info(
        "dev n=%d candidates=%d: current %.4f | model-free %.4f",
        n,
        sum(len(labels(a)) for a in articles),
        statistics.mean(current),
        statistics.mean(free),
    )
    for weight in (1.0, 3.0, 10.0, 30.0, 100.0, 300.0):
        oracle = [summary_rouge(a, a["gains"], weight) for a in articles]
        logger.info("oracle gains (W=%g): %.4f", weight, statistics.mean(oracle))

    ys = [labels(a) for a in articles]
    for name, use_states, use_cheap in (
        ("cheap features", False, True),
        ("hidden states", True, False),
        ("hidden states + cheap", True, True),
    ):
        xs = [features(a, use_states, use_cheap) for a in articles]
        weak_x = [features(a, use_states, use_cheap) for a in weak]
        weak_y = [labels(a) for a in weak]
        for alpha in (0.1, 1.0, 10.0):
            predictions = []
            for held in range(n):
                train_x = np.concatenate([*(x for k, x in enumerate(xs) if k != held), *weak_x])
                train_y = np.concatenate([*(y for k, y in enumerate(ys) if k != held), *weak_y])
                predictions.append(ridge_predict(train_x, train_y, xs[held], alpha))
            flat_y, flat_p = np.concatenate(ys), np.concatenate(predictions)
            corr = float(np.corrcoef(flat_y, flat_p)[0, 1])
            line = []
            for weight in (1.0, 3.0, 10.0, 30.0, 100.0):
                scores = [
                    summary_rouge(a, split_rows(a, p), weight)
                    for a, p in zip(articles, predictions, strict=True)
                ]
                diffs = [s - c for s, c in zip(scores, current, strict=True)]
                wins = sum(d > 1e-9 for d in diffs)
                losses = sum(d < -1e-9 for d in diffs)
                line.append(
                    f"W={weight:g}: {statistics.mean(scores):.4f} "
                    f"({statistics.mean(diffs):+.4f} vs current, {wins}+/{losses}-)"
                )
            logger.info("%s alpha=%g (CV r=%.3f): %s", name, alpha, corr, "; ".join(line))
            # The head beside the current relevance term, not in its place.
            line = []
            for weight in (1.0, 3.0, 10.0, 30.0):
                scores = [
                    summary_rouge(a, combined(a, split_rows(a, p), weight), 1.0)
                    for a, p in zip(articles, predictions, strict=True)
                ]
                diffs = [s - c for s, c in zip(scores, current, strict=True)]
                line.append(
                    f"W={weight:g}: {statistics.mean(scores):.4f} "
                    f"({statistics.mean(diffs):+.4f}, {sum(d > 1e-9 for d in diffs)}+/"
                    f"{sum(d < -1e-9 for d in diffs)}-)"
                )
            logger.info("  current relevance + W x head: %s", "; ".join(line))
        if args.nested:
            scores = nested(articles, xs, ys, weak_x, weak_y)
            diffs = [s - c for s, c in zip(scores, current, strict=True)]
            logger.info(
                "%s, alpha and W picked by inner leave-one-article-out CV: %.4f "
                "(%+.4f vs current, %d+/%d-)",
                name,
                statistics.mean(scores),
                statistics.mean(diffs),
                sum(d > 1e-9 for d in diffs),
                sum(d < -1e-9 for d in diffs),
            )


if __name__ == "__main__":
    main()
