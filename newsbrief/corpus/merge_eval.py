"""Measure the speaker merge on the hand-labelled Wikinews mentions (``evals/corpus``).

    python -m newsbrief.corpus.merge_eval evals/corpus/speaker_merge.tsv \\
        --articles ../shared/data/wikinews/wikinews_2019_2020.jsonl      # rules only, ~1 min
    python -m newsbrief.corpus.merge_eval evals/corpus/speaker_merge.tsv --briefs briefs.jsonl

The merge runs on the whole corpus (every mention of every article: merges depend on the
other articles); the labelled mentions are then scored. Scores are B-cubed precision and
recall (per mention: the share of its predicted speaker's mentions that are its gold entity,
and the share of its gold entity's mentions that it shares a speaker with; averaged) and
pairwise precision and recall (over pairs of mentions), each for the dev and held-out
halves, beside the baseline that merges exactly equal names.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from newsbrief.corpus.clustering import bcubed, pair_scores
from newsbrief.corpus.speakers import Mention, MergeOptions, merge_speakers


@dataclass(frozen=True)
class GoldMention:
    """A labelled mention: its id (``article/quote``), the name given and its entity."""

    id: str
    name: str
    entity: str
    split: str


def read_gold(path: str | Path) -> list[GoldMention]:
    """The labelled mentions (rows whose entity is ``-``, a name of nothing, left out)."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [
        GoldMention(f"{r['article_id']}/{r['quote_id']}", r["speaker"], r["entity"], r["split"])
        for r in rows
        if r["entity"] != "-"
    ]


def rule_mentions(articles: str | Path) -> list[Mention]:
    """Every attributed quote of the articles, found by the rules (the brief's quote step)."""
    from newsbrief.quotes import find_quotes

    mentions = []
    with open(articles, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                article = json.loads(line)
                key = str(article["id"])
                for quote in find_quotes(article["text"]):
                    if quote.speaker:
                        mentions.append(Mention(f"{key}/{quote.id}", key, quote.speaker))
    return mentions


def score(
    mentions: Sequence[Mention], gold: Sequence[GoldMention], options: MergeOptions | None = None
) -> dict[str, dict[str, float | int]]:
    """Scores per split (``dev``, ``heldout``, ``all``; a split without rows is left out)
    for the merge and the baseline."""
    index = merge_speakers(mentions, options=options)
    known = {m.id: m for m in mentions}
    missing = [g.id for g in gold if g.id not in known]
    if missing:
        raise ValueError(
            f"{len(missing)} labelled mentions are not in the corpus, e.g. {missing[0]}"
        )
    out: dict[str, dict[str, float | int]] = {}
    for split in ("dev", "heldout", "all"):
        chosen = [g for g in gold if split in ("all", g.split)]
        if not chosen:
            continue
        truth = {g.id: g.entity for g in chosen}
        merged = {g.id: index.of_mention[g.id] for g in chosen}
        exact = {g.id: known[g.id].name for g in chosen}
        bp, br = bcubed(merged, truth)
        xp, xr = bcubed(exact, truth)
        pp, pr, _ = pair_scores(merged, truth)
        ep, er, _ = pair_scores(exact, truth)
        out[split] = {
            "n": len(chosen),
            "bcubed_p": bp,
            "bcubed_r": br,
            "baseline_bcubed_p": xp,
            "baseline_bcubed_r": xr,
            "pair_p": pp,
            "pair_r": pr,
            "baseline_pair_p": ep,
            "baseline_pair_r": er,
        }
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--articles", help="the articles (JSONL): quotes found by the rules")
    source.add_argument("--briefs", help="a batch output of the same articles")
    parser.add_argument("--dominance", type=float, default=MergeOptions().dominance)
    args = parser.parse_args(argv)
    if args.briefs:
        from newsbrief.corpus.core import speaker_mentions
        from newsbrief.corpus.loading import LoadReport, read_batch

        mentions = speaker_mentions(read_batch(args.briefs, LoadReport()))
    else:
        mentions = rule_mentions(args.articles)
    results = score(mentions, read_gold(args.gold), MergeOptions(dominance=args.dominance))
    print(
        f"{'split':8} {'n':>4}  {'B3 P':>6} {'B3 R':>6}  {'base P':>6} {'base R':>6}  "
        f"{'pair P':>6} {'pair R':>6}  {'base P':>6} {'base R':>6}"
    )
    for split, r in results.items():
        print(
            f"{split:8} {r['n']:>4}  {r['bcubed_p']:6.3f} {r['bcubed_r']:6.3f}  "
            f"{r['baseline_bcubed_p']:6.3f} {r['baseline_bcubed_r']:6.3f}  {r['pair_p']:6.3f} "
            f"{r['pair_r']:6.3f}  {r['baseline_pair_p']:6.3f} {r['baseline_pair_r']:6.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
