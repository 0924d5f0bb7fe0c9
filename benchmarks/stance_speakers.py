"""Who ``brief()`` gives a stance for, against the gold stance speakers (issue 22, item 6).

Run from the repository root (not collected by pytest)::

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/stance_speakers.py [--heldout] [--misses]

``brief()`` lists the speakers of :func:`newsbrief.steps.stance.stance_speakers` (quoted
speakers, then people and bodies reported taking a position); that list needs no model,
so this measures it in seconds where ``newsbrief eval ... --tasks brief`` runs the whole
brief (the same figures: speakers matched one-to-one by the scorer's
:func:`~newsbrief.eval.brief_metrics.match_speakers`, name variants allowed). Sets: the
extra and more Wikinews stance gold (``evals/stance_news``, articles outside the gold: the
set to develop speaker rules on), the gold's dev half, and with ``--heldout`` its held-out
half (look once, after the rules are chosen). Recall is over gold stance speakers,
precision over the speakers found; the interval is a 95% bootstrap over articles.
``--misses`` prints each gold speaker not found, with the names found in its article.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsbrief.eval.brief_metrics import match_speakers
from newsbrief.quotes import find_quotes
from newsbrief.steps.stance import stance_speakers
from newsbrief.text.document import as_document

GOLD = (
    "evals/gold/wikinews_politics.jsonl",
    "evals/gold/gum_news.jsonl",
    "evals/gold/example.jsonl",
)
EXTRA = ("evals/stance_news/wikinews_stance_extra.jsonl",)
MORE = (
    "evals/stance_news/wikinews_stance_more_a.jsonl",
    "evals/stance_news/wikinews_stance_more_b.jsonl",
)
#: Bootstrap resamples of articles for the recall interval.
RESAMPLES = 2000


def _records(files: tuple[str, ...], ids: set[str] | None) -> Iterator[dict[str, Any]]:
    for name in files:
        with Path(name).open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    record = json.loads(line)
                    if ids is None or record["id"] in ids:
                        yield record


def article_counts(record: dict[str, Any]) -> tuple[int, int, int, list[str], list[str]] | None:
    """Matched, gold and found speaker counts of one article, its missed gold speakers and
    the names found; None when its gold has no stance speaker."""
    gold = list(
        dict.fromkeys(s["speaker"] for s in record.get("stances") or [] if s.get("speaker"))
    )
    if not gold:
        return None
    document = as_document(record["text"])
    found = stance_speakers(document, find_quotes(document))
    match = match_speakers(gold, found)
    matched = {i for i, _ in match.pairs}
    missed = [name for i, name in enumerate(gold) if i not in matched]
    return len(match.pairs), len(gold), len(found), missed, found


def recall_interval(rows: list[tuple[int, int]], seed: int = 0) -> tuple[float, float]:
    """95% bootstrap interval of pooled recall over articles (matched, gold) ``rows``."""
    rng = random.Random(seed)
    values = []
    for _ in range(RESAMPLES):
        sample = [rows[rng.randrange(len(rows))] for _ in rows]
        gold = sum(g for _, g in sample)
        values.append(sum(m for m, _ in sample) / gold if gold else 0.0)
    values.sort()
    return values[int(0.025 * RESAMPLES)], values[int(0.975 * RESAMPLES) - 1]


def measure(name: str, records: Iterator[dict[str, Any]], misses: bool) -> None:
    """Print recall (with its interval), precision and counts for one set of articles."""
    rows: list[tuple[int, int]] = []
    found_total = 0
    for record in records:
        counts = article_counts(record)
        if counts is None:
            continue
        matched, gold, found, missed, names = counts
        rows.append((matched, gold))
        found_total += found
        if misses:
            for speaker in missed:
                print(f"  missed {record['id']}: {speaker!r} (found {names})")
    matched = sum(m for m, _ in rows)
    gold = sum(g for _, g in rows)
    low, high = recall_interval(rows)
    print(
        f"{name}: recall {matched / gold:.3f} [{low:.3f}, {high:.3f}] ({matched}/{gold}), "
        f"precision {matched / max(found_total, 1):.3f} ({found_total} found), "
        f"{len(rows)} articles"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--heldout", action="store_true", help="also the gold's held-out half")
    parser.add_argument("--misses", action="store_true", help="print the speakers missed")
    args = parser.parse_args()
    splits = json.loads(Path("evals/splits.json").read_text(encoding="utf-8"))
    measure("extra Wikinews stance gold", _records(EXTRA, None), args.misses)
    measure("more Wikinews stance gold", _records(MORE, None), args.misses)
    measure("gold dev", _records(GOLD, set(splits["dev"])), args.misses)
    if args.heldout:
        measure("gold held-out", _records(GOLD, set(splits["heldout"])), args.misses)


if __name__ == "__main__":
    main()
