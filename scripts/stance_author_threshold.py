"""The stance head's threshold and label offsets for the author of a short text, chosen on
SemEval-2016 *train*.

    OMP_NUM_THREADS=1 python scripts/stance_author_threshold.py --semeval ../shared/data/stance \
        [--cache runs/stance_author_cache.safetensors] [--write] [--out runs/author.json]

``Briefer.stance(text, target)`` with no speaker is the stance of the text's author; for a
short text (a tweet, a statement) the head reads the whole text. The head's threshold was
chosen on news speakers (out-of-fold gold dev stances), where evidence is several quotes;
on a tweet the head's top probability is lower, so that threshold leaves most tweets
unanswered. This script chooses the threshold of the author path on its own:

1. the head's training set (SemEval train tweets, gold dev stances, extra news gold: as
   ``scripts/stance_probe_training.py``) is rebuilt and embedded as the head reads it;
2. the train tweets are split into ``--folds`` folds; for each, the head is refitted with the
   shipped head's settings on the other tweets and all the news, and the held-out tweets
   are scored with the shipped temperature, as the author path reads them (top of the four
   labels, an answer when it reaches the threshold);
3. label offsets (log-probability, supportive and neutral against opposed, from
   ``AUTHOR_BIAS_GRID``) and the threshold are the pair with the best out-of-fold F_avg
   (mean F1 of favor and against, an abstention or a ``cautious``/``neutral`` answer
   counting as ``none``); among equal F_avg the smaller offsets and the higher threshold.
   The offsets are there because the head, fitted with news weighted up, calls most tweets
   opposed.

SemEval val is never read. ``--write`` stores them, with how they were chosen, in the head
file's card (``author_threshold``, ``author_bias``, ``author_threshold_chosen``); the
tensors and the rest of the card are unchanged, so named speakers (and the author of a
longer text) keep the head as chosen on news.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for entry in (ROOT, ROOT / "scripts"):
    if str(entry) not in sys.path:
        sys.path.insert(0, str(entry))

from stance_probe_training import (  # noqa: E402
    FOLDS,
    FeatureCache,
    Settings,
    author_scores,
    author_threshold_note,
    choose_author_setting,
    fit,
    news_examples,
    semeval_examples,
    tweets_out_of_fold,
)
from train_stance_head import load_news  # noqa: E402

from newsbrief.steps.heads.stance import (  # noqa: E402
    StanceHead,
    cue_features,
    undeny,
)

logger = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/stance_author_threshold.py")
    parser.add_argument("--semeval", type=Path, default=Path("../shared/data/stance"))
    parser.add_argument("--gold", type=Path, default=ROOT / "evals" / "gold")
    parser.add_argument("--splits", type=Path, default=ROOT / "evals" / "splits.json")
    parser.add_argument(
        "--extra",
        type=Path,
        nargs="*",
        default=[ROOT / "evals" / "stance_news" / "wikinews_stance_extra.jsonl"],
    )
    parser.add_argument("--head", type=Path, default=None, help="head file (default: shipped)")
    parser.add_argument("--cache", type=Path, default=None, help="feature cache (safetensors)")
    parser.add_argument("--folds", type=int, default=FOLDS)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--write", action="store_true", help="store it in the head's card")
    parser.add_argument("--out", type=Path, default=None, help="the curve, as JSON")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    import torch

    from newsbrief.backends.loading import load_backend
    from newsbrief.eval.gold import load_gold
    from newsbrief.steps.heads import stance as stance_module

    torch.manual_seed(args.seed)
    head = StanceHead.load(args.head)
    if not isinstance(head, StanceHead):
        raise SystemExit("only the probe head (format 1) is handled here")
    backend = load_backend("embedded")
    problem = head.check_backend(backend)
    if problem is not None:
        raise SystemExit(f"the head cannot run on this model: {problem}")
    card = head.card
    settings = Settings(**card["settings"])
    split = json.loads(args.splits.read_text())
    gold = load_gold(args.gold)
    dev_ids, heldout_ids = set(split["dev"]), set(split["heldout"])
    tweets = semeval_examples(args.semeval / "semeval2016_train.jsonl", "semeval-train")
    dev = news_examples([r for r in gold if r.id in dev_ids], "dev")
    gold_texts = {" ".join(r.text.split())[:300] for r in gold}
    extra_records = [
        r
        for r in load_news([p for p in args.extra if p.exists()])
        if r.id not in dev_ids | heldout_ids and " ".join(r.text.split())[:300] not in gold_texts
    ]
    extra = news_examples(extra_records, "extra")
    logger.info("examples: %d tweets, %d dev, %d extra", len(tweets), len(dev), len(extra))
    everything = tweets + dev + extra
    store = FeatureCache(args.cache, backend.model_id, head.layers, head.pooling)
    store.load()
    states = torch.stack(store.get(backend, [e.text for e in everything]))
    cues = torch.tensor([cue_features(e.evidence) for e in everything])
    x = torch.cat([states, cues], dim=1).float()
    n_tweets = len(tweets)
    denied = sum(1 for e in tweets if all(undeny(t) is not None for t in e.evidence))
    logger.info("tweets with a denial frame (read as written here): %d", denied)

    # The refit on everything should give the shipped head back (a check of this rebuild).
    whole = fit(x, everything, settings)
    shipped = head.distributions(head.features(states[:n_tweets], cues[:n_tweets]))
    rebuilt = whole.distributions(x[:n_tweets], head.temperature)
    drift = max(abs(a[k] - b[k]) for a, b in zip(shipped, rebuilt, strict=True) for k in a)
    logger.info("refit on everything vs shipped head, train tweets: max |dp| %.4f", drift)

    labels, rows = tweets_out_of_fold(
        x, everything, settings, head.temperature, args.seed, args.folds
    )
    bias, threshold, chosen = choose_author_setting(labels, rows)
    news_threshold = author_scores(labels, rows, head.threshold)
    always = author_scores(labels, rows, 0.0)
    curve = [author_scores(labels, rows, t / 100) for t in range(25, 80, 5)]
    report = {
        "n": len(labels),
        "labels": dict(Counter(labels)),
        "predicted_top": dict(Counter(max(r, key=lambda k: r[k]) for r in rows)),
        "refit_drift": drift,
        "chosen": {**chosen, "bias": bias},
        "at_news_threshold": news_threshold,
        "always_answer": always,
        "curve": curve,
    }
    print(json.dumps(report, indent=1))
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=1))
    if args.write:
        path = args.head or ROOT / "newsbrief" / "steps" / "heads" / stance_module.SHIPPED
        from safetensors.torch import load_file

        tensors = load_file(str(path))
        new_card = {key: value for key, value in card.items() if key != "format"}
        new_card["author_threshold"] = round(threshold, 6)
        new_card["author_bias"] = bias
        new_card["author_threshold_chosen"] = author_threshold_note(
            chosen, len(labels), args.folds, args.seed
        )
        stance_module.write_head(path, tensors, new_card)
        logger.info("wrote author_threshold %.6f, author_bias %s into %s", threshold, bias, path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
