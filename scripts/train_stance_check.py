"""Stance of the trained head against the gold: per task (gold target and speaker) and
end to end (``brief()`` with the inferred issue), on the dev or held-out half.

    OMP_NUM_THREADS=1 python scripts/train_stance_check.py --split heldout [--e2e]

Per task: accuracy of the top label (abstentions scored by their top label), macro-F1,
coverage and accuracy on the answered stances, expected calibration error, the majority
label of the other half as baseline. End to end: each gold stance is matched with the
brief's stance of the same speaker; a gold speaker the brief has no stance for, or an
article whose brief fails, counts as unanswered and wrong.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", choices=("dev", "heldout"), default="heldout")
    parser.add_argument("--e2e", action="store_true", help="also brief() with the inferred issue")
    parser.add_argument("--zero-shot", action="store_true", help="the zero-shot path instead")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    import torch

    torch.set_num_threads(1)
    from newsbrief import Briefer
    from newsbrief.briefer import _same_speaker
    from newsbrief.errors import NewsbriefError
    from newsbrief.eval.gold import load_gold

    sys.path.insert(0, str(ROOT / "scripts"))
    from stance_probe_training import ece, metrics

    split = json.loads((ROOT / "evals" / "splits.json").read_text())
    gold = load_gold(ROOT / "evals" / "gold")
    ids = set(split[args.split])
    other = set(split["dev" if args.split == "heldout" else "heldout"])
    majority = Counter(s.label for r in gold if r.id in other for s in r.stances).most_common(1)
    baseline = majority[0][0]
    briefer = Briefer(stance_head=False if args.zero_shot else None)
    records = [r for r in gold if r.id in ids and r.stances]
    labels, rows, answered = [], [], []
    start = time.perf_counter()
    for record in records:
        for item in record.stances:
            stance = briefer.stance(record.text, item.target, speaker=item.speaker)
            labels.append(item.label)
            rows.append(stance.scores)
            answered.append(stance.label)
    seconds = time.perf_counter() - start
    m = metrics(labels, rows)
    done = [(g, a) for g, a in zip(labels, answered, strict=True) if a is not None]
    m["coverage"] = len(done) / len(labels)
    m["answered_accuracy"] = sum(g == a for g, a in done) / max(len(done), 1)
    m["baseline_label"] = baseline
    m["baseline_accuracy"] = sum(g == baseline for g in labels) / len(labels)
    m["seconds_per_stance"] = seconds / len(labels)
    print(json.dumps({"split": args.split, "per_task": m}, indent=1), flush=True)
    if not args.e2e:
        return
    correct, got, total, conf, hits = 0, 0, 0, [], []
    failed = 0
    for record in records:
        try:
            brief = briefer.brief(record.text, summary=False)
        except NewsbriefError as exc:  # e.g. the issue step: its stances count as wrong
            failed += 1
            total += len(record.stances)
            hits += [False] * len(record.stances)
            conf += [1.0] * len(record.stances)
            print(record.id, "failed:", type(exc).__name__)
            continue
        for item in record.stances:
            total += 1
            found = [
                s for s in brief.stances if item.speaker and _same_speaker(s.speaker, item.speaker)
            ]
            if found and found[0].label is not None:
                got += 1
                correct += found[0].label == item.label
            if found:
                top = max(found[0].scores, key=lambda k: found[0].scores[k])
                conf.append(found[0].scores[top])
                hits.append(top == item.label)
        print(record.id, repr(brief.issue), [(s.speaker, s.label) for s in brief.stances])
    e2e = {
        "gold_stances": total,
        "failed_articles": failed,
        "accuracy_answered_labels_over_all": correct / total,
        "coverage": got / total,
        "answered_accuracy": correct / max(got, 1),
        "top_label_accuracy_over_all": sum(hits) / total,
        "baseline_accuracy": m["baseline_accuracy"],
        "ece_matched": ece(hits, conf),
    }
    print(json.dumps({"split": args.split, "end_to_end": e2e}, indent=1))


if __name__ == "__main__":
    main()
