"""Summary quality and cost beside the model-free systems, on one half of the gold.

For each gold article of the chosen half (``evals/splits.json``) this runs, in one process:
the summary step on the embedded model, the same pipeline without the model
(:func:`newsbrief.steps.summarize.model_free_summary`), lead-1 and lead-3, and prints ROUGE-L
against the human summaries (Wikinews and GUM apart), mean length against the references',
the share of sentences the model changed, the mean compression of changed sentences, the
checks' rejection counts and the summary step's seconds per article. ``--grid`` also
re-scores the model's choice for other choice weights (``CompressionWeights``, passed to the
Summarizer) from the same model scores (tuning on the dev half only).

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_summary.py --half dev --grid
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import pickle
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsbrief.eval.baselines import lead_k
from newsbrief.eval.bootstrap import bootstrap_ci
from newsbrief.eval.rouge import score_rouge
from newsbrief.quotes import find_quotes
from newsbrief.steps.checks import unknown_names
from newsbrief.steps.compress import WEIGHTS
from newsbrief.steps.summarize import Summarizer, model_free_summary, voices_of

ROOT = Path(__file__).resolve().parents[1]
GOLD = ["example.jsonl", "wikinews_politics.jsonl", "gum_news.jsonl"]


class MemoBackend:
    """The backend with ``score`` answers remembered, so other choice weights can be tried
    on the same model scores."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self.memo: dict[tuple[Any, ...], list[list[float]]] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self.backend, name)

    def score(self, prompts: Sequence[str], options: Any, *, normalize: bool = False) -> Any:
        key = (
            tuple(prompts),
            tuple(o if isinstance(o, str) else tuple(o) for o in options),
            normalize,
        )
        if key not in self.memo:
            self.memo[key] = self.backend.score(prompts, options, normalize=normalize)
        return self.memo[key]


def rouge_l(text: str, references: Sequence[str]) -> float:
    return score_rouge(text, references).rouge_l.f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=("dev", "heldout"), default="dev")
    parser.add_argument("--grid", action="store_true", help="try other choice weights")
    parser.add_argument("--out", type=Path, help="write per-article rows as JSON here")
    parser.add_argument(
        "--title", action="store_true", help="pass each article's title (as brief(title=) does)"
    )
    parser.add_argument(
        "--memo", type=Path, help="keep the model's scores in this file (reused when present)"
    )
    args = parser.parse_args()

    from newsbrief.backends.loading import load_backend

    split = json.loads((ROOT / "evals" / "splits.json").read_text())[args.half]
    records = [
        json.loads(line)
        for name in GOLD
        for line in (ROOT / "evals" / "gold" / name).read_text().splitlines()
    ]
    records = [r for r in records if r["id"] in split and r["summaries"]]
    backend = MemoBackend(load_backend("embedded"))
    if args.memo and args.memo.exists():
        backend.memo = pickle.loads(args.memo.read_bytes())
    summarizer = Summarizer(backend, "base")
    rows: list[dict[str, Any]] = []
    outputs: dict[str, tuple[str, list[Any]]] = {}
    for record in records:
        text, refs = record["text"], record["summaries"]
        quotes = find_quotes(text)
        began, began_cpu = time.perf_counter(), time.process_time()
        title = record["title"] if args.title else None
        result = summarizer.summarize(text, voices_of(text, quotes), title=title)
        seconds = time.perf_counter() - began
        cpu_seconds = time.process_time() - began_cpu
        free = " ".join(s.text for s in model_free_summary(text, quotes, title=title))
        changed = [s for s in result.sentences if s.method == "shortened"]
        compression = [
            len(s.text.split()) / len(text[s.sources[0].start : s.sources[0].end].split())
            for s in result.sentences
        ]
        outputs[record["id"]] = (text, quotes)
        rows.append(
            {
                "id": record["id"],
                "set": "gum" if record["id"].startswith("GUM") else "wikinews",
                "model": rouge_l(result.text, refs),
                "model_free": rouge_l(free, refs),
                "lead1": rouge_l(lead_k(text, 1, title=record["title"]), refs),
                "lead3": rouge_l(lead_k(text, 3, title=record["title"]), refs),
                "words": len(result.text.split()),
                "words_model_free": len(free.split()),
                "words_reference": statistics.mean(len(r.split()) for r in refs),
                "sentences": len(result.sentences),
                "changed": len(changed),
                "compression": statistics.mean(compression),
                "candidates": result.candidates,
                "rejected": dict(result.rejected),
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "summary": result.text,
                "absent_names": unknown_names(result.text, text),
            }
        )
        print(f"{record['id']}: {rows[-1]['model']:.3f} ({seconds:.1f} s) {result.text}")
    if args.memo:
        args.memo.write_bytes(pickle.dumps(backend.memo))
    report(rows, args.half)
    if args.grid:
        grid(backend, records, outputs)
    if args.out:
        args.out.write_text(json.dumps(rows, indent=1))


def report(rows: list[dict[str, Any]], half: str) -> None:
    for name in ("wikinews", "gum", "all"):
        part = [r for r in rows if name in ("all", r["set"])]
        if not part:
            continue
        mean = {
            k: statistics.mean(r[k] for r in part)
            for k in ("model", "model_free", "lead1", "lead3")
        }
        best_free = max(("model_free", "lead1", "lead3"), key=lambda k: mean[k])
        low, high = bootstrap_ci([r["model"] - r[best_free] for r in part])
        absent = [r["id"] for r in part if r["absent_names"]]
        sentences = sum(r["sentences"] for r in part)
        rejected: Counter[str] = Counter()
        for r in part:
            rejected.update(r["rejected"])
        print(
            f"[{half}/{name}] n={len(part)} ROUGE-L model {mean['model']:.3f} | model-free "
            f"{mean['model_free']:.3f} lead-1 {mean['lead1']:.3f} lead-3 {mean['lead3']:.3f} | "
            f"margin over best model-free ({best_free}) {mean['model'] - mean[best_free]:+.3f} "
            f"[{low:+.3f}, {high:+.3f}]\n"
            f"    words: model {statistics.mean(r['words'] for r in part):.1f}, model-free "
            f"{statistics.mean(r['words_model_free'] for r in part):.1f}, references "
            f"{statistics.mean(r['words_reference'] for r in part):.1f}; sentences changed "
            f"{sum(r['changed'] for r in part)}/{sentences}; mean compression "
            f"{statistics.mean(r['compression'] for r in part):.2f}; versions scored "
            f"{sum(r['candidates'] for r in part)}; rejected {dict(rejected)}; summary step "
            f"median {statistics.median(r['seconds'] for r in part):.2f} s, mean "
            f"{statistics.mean(r['seconds'] for r in part):.2f} s (CPU time median "
            f"{statistics.median(r['cpu_seconds'] for r in part):.2f} s: on a shared machine "
            "wall time counts the waits); summaries naming an entity "
            f"absent from the article: {len(absent)} {absent}"
        )


def grid(backend: Any, records: list[dict[str, Any]], outputs: dict[str, Any]) -> None:
    """ROUGE-L of the model and of the model-free pipeline for other choice weights (each
    a :class:`~newsbrief.steps.compress.CompressionWeights` passed in)."""
    names = ("fluency_margin", "length_weight", "length_cap")
    for values in itertools.product((0.5, 1.0, 3.0), (0.5, 1.0, 2.0), (50, 55, 60)):
        chosen: dict[str, Any] = dict(zip(names, values, strict=True))
        weights = dataclasses.replace(WEIGHTS, **chosen)
        summarizer = Summarizer(backend, "base", weights=weights)
        by_set: dict[str, list[tuple[float, float, int]]] = {}
        for record in records:
            text, quotes = outputs[record["id"]]
            written = summarizer.summarize(text, voices_of(text, quotes))
            free = " ".join(s.text for s in model_free_summary(text, quotes, weights=weights))
            group = "gum" if record["id"].startswith("GUM") else "wikinews"
            by_set.setdefault(group, []).append(
                (
                    rouge_l(written.text, record["summaries"]),
                    rouge_l(free, record["summaries"]),
                    len(written.text.split()),
                )
            )
        means = {
            k: tuple(round(statistics.mean(x[i] for x in v), 3) for i in range(3))
            for k, v in by_set.items()
        }
        print(f"grid {chosen}: (model, model-free, words) {means}")


if __name__ == "__main__":
    main()
