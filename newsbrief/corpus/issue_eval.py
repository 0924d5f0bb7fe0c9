"""Measure the issue grouping on hand-labelled stories (``evals/corpus/issue_stories.tsv``).

    python -m newsbrief.corpus.issue_eval evals/corpus/issue_stories.tsv --briefs briefs.jsonl

Each article of the Wikinews set is labelled with its story (articles on one ongoing news
story share a label; the others are their own). Scores are pairwise precision, recall and
F1 of "same group" over the pairs of articles of one half (dev: the 2019 articles; held-out:
2020), for the TF-IDF grouping at several thresholds and for the baseline that groups equal
issue strings (case and spacing ignored). ``--embedded`` also scores the embedded model's
hidden states (last layer, mean-pooled, centred, cosine, the same single link) in place of
TF-IDF (loads the model; about a minute).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Mapping, Sequence

from newsbrief.corpus.clustering import pair_scores, single_link
from newsbrief.corpus.issues import group_issues
from newsbrief.corpus.loading import LoadReport, read_batch
from newsbrief.models import Brief

THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)


def embedded_scores(
    briefs: Mapping[str, Brief], gold: Mapping[str, str], with_title: bool
) -> dict[str, tuple[float, float, float]]:
    """Scores of the grouping by the embedded model's pooled hidden states."""
    import numpy as np

    from newsbrief import Briefer

    keys = sorted(gold)
    texts = [
        briefs[k].issue + (f" {briefs[k].title}" if with_title and briefs[k].title else "")
        for k in keys
    ]
    embed = getattr(Briefer().backend, "embed")  # noqa: B009 - HF backends only
    vectors = np.array(embed(texts, layers=(-1,), pooling=("mean",)))
    vectors = vectors - vectors.mean(axis=0)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    similarity = vectors @ vectors.T
    at = {k: i for i, k in enumerate(keys)}
    name = "hidden states" + (" (+title)" if with_title else "")
    scores = {}
    for threshold in THRESHOLDS:

        def linked(a: str, b: str, threshold: float = threshold) -> bool:
            return bool(similarity[at[a], at[b]] >= threshold)

        scores[f"{name} cosine >= {threshold}"] = pair_scores(single_link(keys, linked), gold)
    return scores


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("stories")
    parser.add_argument("--briefs", required=True, help="a batch output of the articles")
    parser.add_argument("--embedded", action="store_true", help="also the hidden states")
    args = parser.parse_args(argv)
    briefs = read_batch(args.briefs, LoadReport())
    with open(args.stories, encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t") if r["article_id"] in briefs]
    print(f"{'split':8} {'method':36} {'n':>4} {'P':>6} {'R':>6} {'F1':>6}")
    for split in ("dev", "heldout"):
        gold = {r["article_id"]: r["story"] for r in rows if r["split"] == split}
        issues = {k: briefs[k].issue for k in gold}
        exact = {k: " ".join(v.casefold().split()) or k for k, v in issues.items()}
        scores = {"exact issue string": pair_scores(exact, gold)}
        titled = {k: briefs[k].title or "" for k in issues}
        for name, texts in (("issue", issues), ("issue+title", titled)):
            for threshold in THRESHOLDS:
                groups = group_issues(issues, threshold, texts if texts is titled else None)
                of = {a: g.id for g in groups for a in g.article_ids}
                predicted = {k: of.get(k, k) for k in gold}
                scores[f"{name} cosine >= {threshold}"] = pair_scores(predicted, gold)
        if args.embedded:
            for with_title in (False, True):
                scores.update(embedded_scores(briefs, gold, with_title))
        for method, (p, r, f) in scores.items():
            print(f"{split:8} {method:36} {len(gold):>4} {p:6.3f} {r:6.3f} {f:6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
