"""Measure the stance head through the public call, ``Briefer.stance`` (issue 22).

    OMP_NUM_THREADS=2 python scripts/stance_measure.py --data ../shared/data \
        --what semeval,contrast,fnc,example [--head FILE] [--out runs/stance_measure.json]

- ``semeval``: SemEval-2016 val tweets, the author's stance (no speaker):
  F_avg = mean F1 of favor (supportive) and against (opposed); abstentions count as
  ``none``.
- ``contrast``: the contrast pairs of the gold dev half (``evals/stance_news/
  contrast_dev.jsonl``; the shipped head never trains on the gold dev half, so every pair
  is out of fold): share of pairs with both labels right (an abstention is wrong).
- ``fnc``: a seeded sample of FNC-1 test related pairs (never trained on): the body's own
  stance on its headline (``Briefer.stance(body, headline)``), accuracy and macro-F1 over
  supportive / opposed / neutral beside the majority label.
- ``example``: the Belarus example, Coale and Tsikhanouskaya on the README's target.
- ``dev``: the gold dev stances, gold speaker and target (per task): accuracy, macro-F1,
  answered-only accuracy and coverage beside the majority label. ``heldout`` likewise (look
  once, at the end).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LABELS = ("supportive", "opposed", "cautious", "neutral")
SEMEVAL = {"favor": "supportive", "against": "opposed", "none": "neutral"}


def f1(gold: list[str], pred: list[str | None], label: str) -> float:
    tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p == label)
    fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != label and p == label)
    fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p != label)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def scores(gold: list[str], pred: list[str | None], labels: tuple[str, ...]) -> dict[str, Any]:
    answered = [(g, p) for g, p in zip(gold, pred, strict=True) if p is not None]
    top, top_n = Counter(gold).most_common(1)[0]
    return {
        "n": len(gold),
        "accuracy": sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold),
        "majority_label": top,
        "majority": top_n / len(gold),
        "macro_f1": sum(f1(gold, pred, x) for x in labels) / len(labels),
        "majority_macro_f1": sum(f1(gold, [top] * len(gold), x) for x in labels) / len(labels),
        "coverage": len(answered) / len(gold),
        "answered_accuracy": sum(g == p for g, p in answered) / max(1, len(answered)),
        "predicted": dict(Counter(str(p) for p in pred)),
    }


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/stance_measure.py")
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--what", default="semeval,contrast,fnc,example,dev")
    parser.add_argument("--head", default=None, help="stance head file (default: shipped)")
    parser.add_argument("--fnc-sample", type=int, default=300)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--gold-issue",
        action="store_true",
        help="brief_*: give brief() the gold target instead of letting it infer the issue",
    )
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(2)
    from newsbrief import Briefer
    from newsbrief.eval.gold import load_gold

    briefer = Briefer(stance_head=args.head) if args.head else Briefer()
    what = set(args.what.split(","))
    out: dict[str, Any] = {}
    split = json.loads((ROOT / "evals" / "splits.json").read_text())
    gold = {r.id: r for r in load_gold(ROOT / "evals" / "gold")}
    started = time.time()
    for half in ("dev", "heldout"):
        if half not in what:
            continue
        g, p = [], []
        for rid in split[half]:
            record = gold.get(rid)
            if record is None:
                continue
            for stance in record.stances:
                if stance.label not in LABELS:
                    continue
                found = briefer.stance(record.text, stance.target, speaker=stance.speaker)
                g.append(stance.label)
                p.append(found.label)
        out[half] = scores(g, p, LABELS)
        print(half, json.dumps(out[half]), flush=True)
    for half in ("brief_dev", "brief_heldout"):
        if half not in what:
            continue
        from newsbrief.eval.brief_metrics import match_speakers

        g, p = [], []
        n_gold = n_found = 0
        spent = []
        for rid in split[half.removeprefix("brief_")]:
            record = gold.get(rid)
            if record is None or not record.stances:
                continue
            t0 = time.perf_counter()
            issue = record.stances[0].target if args.gold_issue else None
            brief = briefer.brief(record.text, target=issue, summary=False)
            spent.append(time.perf_counter() - t0)
            named = [s for s in record.stances if s.label in LABELS and s.speaker]
            found = [s for s in brief.stances if s.speaker]
            match = match_speakers(
                [s.speaker or "" for s in named], [s.speaker or "" for s in found]
            )
            n_gold += len(named)
            n_found += len(match.pairs)
            paired = dict(match.pairs)
            for i, stance in enumerate(named):
                g.append(stance.label)
                p.append(found[paired[i]].label if i in paired else None)
        out[half] = {
            **scores(g, p, LABELS),
            "speaker_recall": n_found / max(1, n_gold),
            "median_brief_seconds": sorted(spent)[len(spent) // 2] if spent else None,
        }
        print(half, json.dumps(out[half]), flush=True)
    if "contrast" in what:
        rows = read_jsonl(ROOT / "evals" / "stance_news" / "contrast_dev.jsonl")
        both = 0
        sides: list[bool] = []
        for row in rows:
            text = gold[row["id"]].text
            a = briefer.stance(text, row["target"], speaker=row["speaker"]).label
            b = briefer.stance(text, row["opposite_target"], speaker=row["speaker"]).label
            right = (a == row["label"], b == row["opposite_label"])
            sides += right
            both += all(right)
        out["contrast"] = {
            "pairs": len(rows),
            "both_right": both / len(rows),
            "sides_right": sum(sides) / len(sides),
        }
        print("contrast", json.dumps(out["contrast"]), flush=True)
    if "semeval" in what:
        rows = read_jsonl(args.data / "stance" / "semeval2016_val.jsonl")
        g = [SEMEVAL[r["label"]] for r in rows]
        p = [briefer.stance(r["text"], r["target"]).label for r in rows]
        p_none = [x if x in ("supportive", "opposed") else "neutral" for x in p]
        out["semeval_val"] = {
            **scores(g, p, ("supportive", "opposed", "neutral")),
            "f_avg": (f1(g, p_none, "supportive") + f1(g, p_none, "opposed")) / 2,
        }
        print("semeval_val", json.dumps(out["semeval_val"]), flush=True)
    if "fnc" in what:
        news = args.data / "stance_news"
        bodies = {b["body_id"]: b["text"] for b in read_jsonl(news / "fnc1_test_bodies.jsonl")}
        rows = read_jsonl(news / "fnc1_test.jsonl")
        random.Random(0).shuffle(rows)
        rows = rows[: args.fnc_sample]
        g = [r["label"] for r in rows]
        p = [briefer.stance(bodies[r["body_id"]], r["target"]).label for r in rows]
        out["fnc1_test"] = scores(g, p, ("supportive", "opposed", "neutral"))
        print("fnc1_test", json.dumps(out["fnc1_test"]), flush=True)
    if "example" in what:
        text = (args.data / "examples" / "belarus_potash.txt").read_text(encoding="utf-8")
        found = {}
        for target in (
            "lifting US sanctions on Belarus",
            "keeping US sanctions on Belarus",
            "the sanctions",
        ):
            for speaker in ("John Coale", "Sviatlana Tsikhanouskaya"):
                s = briefer.stance(text, target, speaker=speaker)
                found[f"{speaker} / {target}"] = [s.label, s.confidence]
        brief = briefer.brief(text, summary=False)
        found["brief"] = [[s.speaker, s.label, s.confidence] for s in brief.stances]
        found["brief_issue"] = brief.issue
        out["example"] = found
        print("example", json.dumps(found, indent=1), flush=True)
    out["seconds"] = time.time() - started
    if args.out is not None:
        args.out.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
