"""Attribution on PolNeAR dev with pronoun sources resolved (issue 25), beside the scorer of
``newsbrief eval ... --tasks quotes``.

Run from the repository root (not collected by pytest; PolNeAR is read where it lies,
never copied)::

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/polnear_speakers.py \\
        [/work/shared/data/polnear/polnear_dev.jsonl] [--errors N] [--gold evals/gold]

For newsbrief's rules (``find_quotes``) and the quote-marks baseline it prints content
overlap P/R/F1, recall on attributions whose cue is a verb of saying and speaker accuracy
on overlap-matched attributions, all as the eval runner computes them
(``eval.quote_metrics``, ``eval.runner``), and speaker accuracy with pronouns resolved:
a gold source that is a bare pronoun ("he", "she", "they", "it", "we") counts as the
nearest earlier gold source of the same article that is not a pronoun (the annotators'
own chain), so "he" answered by the name it refers to is right; and "source named": the
predicted speaker's last word is a word of the (resolved) gold source, which PolNeAR
writes with its titles and appositions ("Dean, a medical doctor," for "Howard Dean").
``--errors N`` prints N wrong speakers (by that last measure) per kind of error.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from newsbrief.eval.brief_metrics import same_person
from newsbrief.eval.gold import load_gold
from newsbrief.eval.quote_marks import quote_mark_baseline
from newsbrief.eval.quote_metrics import count_quote_matches, match_by_overlap, same_speaker
from newsbrief.eval.runner import _is_saying
from newsbrief.quotes import find_quotes
from newsbrief.quotes.clusters import fold
from newsbrief.text.document import Document

DEFAULT = Path("/work/shared/data/polnear/polnear_dev.jsonl")
_PRONOUN = re.compile(r"(?i)(?:he|she|they|it|we|i|you)")


def _right(gold: str | None, predicted: str | None) -> bool:
    if gold is None or predicted is None:
        return same_speaker(gold, predicted)
    return same_person(gold, predicted)


def _resolved_sources(quotes: list[Any]) -> list[str | None]:
    """Each gold quote's source, a bare pronoun replaced by the nearest earlier named one."""
    resolved: list[str | None] = []
    for quote in quotes:
        speaker = quote.speaker
        if speaker and _PRONOUN.fullmatch(speaker.strip()):
            earlier = [
                q.speaker
                for q in quotes
                if q.start < quote.start and q.speaker and not _PRONOUN.fullmatch(q.speaker.strip())
            ]
            speaker = earlier[-1] if earlier else speaker
        resolved.append(speaker)
    return resolved


def _names_source(gold: str | None, predicted: str | None) -> bool:
    """Whether the predicted speaker names the gold source: its last word is a word of the
    gold source text ("Howard Dean" in "Dean, a medical doctor,"; "Marc Kasowitz" in
    "Trump lawyer Marc Kasowitz"), accents and case folded."""
    if gold is None or predicted is None:
        return gold is None and predicted is None
    words = {fold(w) for w in re.findall(r"[\w’'\-]+", gold)}
    last = re.findall(r"[\w’'\-]+", predicted)
    return bool(last) and fold(last[-1]) in words


def _error_kind(gold: str | None, predicted: str | None) -> str:
    if predicted is None:
        return "no speaker given"
    if gold is None:
        return "gold has no source"
    if not gold[:1].isupper() or gold.lower().startswith(("the ", "a ", "an ")):
        return "gold source is a description"
    if _PRONOUN.fullmatch(gold.strip()):
        return "gold pronoun unresolved"
    if not predicted[:1].isupper() or predicted.lower().startswith(("the ", "a ")):
        return "predicted a description for a name"
    return "another name"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--errors", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    records = [r for r in load_gold(args.path) if r.quotes]
    systems = {
        "newsbrief": lambda text: find_quotes(Document.parse(text)),
        "quote-marks+nearest-name": quote_mark_baseline,
    }
    errors: dict[str, list[str]] = defaultdict(list)
    print(f"{args.path} ({len(records)} articles)")
    print(
        "system | overlap P / R / F1 | saying recall | speaker acc | pronouns resolved "
        "| source named"
    )
    for name, finder in systems.items():
        n_gold = n_pred = overlap = saying = saying_found = 0
        right = right_resolved = named = 0
        for record in records:
            predicted = finder(record.text)
            gold = list(record.quotes)
            counts = count_quote_matches(gold, predicted)
            n_gold += counts.n_gold
            n_pred += counts.n_predicted
            pairs = match_by_overlap(gold, predicted)
            overlap += len(pairs)
            resolved = _resolved_sources(gold)
            for i, j in pairs:
                right += _right(gold[i].speaker, predicted[j].speaker)
                ok = _right(resolved[i], predicted[j].speaker) or _right(
                    gold[i].speaker, predicted[j].speaker
                )
                right_resolved += ok
                ok = ok or _names_source(resolved[i], predicted[j].speaker)
                named += ok
                if not ok and name == "newsbrief":
                    kind = _error_kind(resolved[i], predicted[j].speaker)
                    errors[kind].append(
                        f"{record.id}: gold {gold[i].speaker!r}"
                        + (f" (= {resolved[i]!r})" if resolved[i] != gold[i].speaker else "")
                        + f", got {predicted[j].speaker!r} | {predicted[j].text[:90]!r}"
                    )
            said = [q for q in gold if _is_saying(getattr(q, "cue", None))]
            saying += len(said)
            saying_found += len(match_by_overlap(said, predicted)) if said else 0
        p, r = overlap / max(n_pred, 1), overlap / max(n_gold, 1)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(
            f"{name} | {p:.3f} / {r:.3f} / {f1:.3f} | {saying_found / max(saying, 1):.3f} "
            f"| {right / max(overlap, 1):.3f} | {right_resolved / max(overlap, 1):.3f} "
            f"| {named / max(overlap, 1):.3f} "
            f"(n gold {n_gold}, predicted {n_pred}, matched {overlap}, saying {saying})"
        )
    if args.errors:
        rng = random.Random(args.seed)
        for kind, items in sorted(errors.items(), key=lambda kv: -len(kv[1])):
            print(f"\n## {kind}: {len(items)}")
            for line in rng.sample(items, min(args.errors, len(items))):
                print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
