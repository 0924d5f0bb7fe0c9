"""``python -m newsbrief.steps.heads stance``: retrain the stance head from scratch."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and train; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m newsbrief.steps.heads")
    sub = parser.add_subparsers(dest="head", required=True)
    stance = sub.add_parser("stance", help="train the stance head")
    stance.add_argument("--model", default=None, help="model to train for (default: embedded)")
    stance.add_argument("--semeval", type=Path, default=Path("../shared/data/stance"))
    stance.add_argument("--gold", type=Path, default=Path("evals/gold"))
    stance.add_argument("--splits", type=Path, default=Path("evals/splits.json"))
    stance.add_argument(
        "--extra",
        type=Path,
        nargs="*",
        default=[Path("evals/stance_news")],
        help="extra news stance gold (JSONL files or directories)",
    )
    stance.add_argument("--out", type=Path, default=None, help="head file (.safetensors)")
    stance.add_argument("--cache", type=Path, default=None, help="feature cache file (JSON)")
    stance.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    import torch

    from newsbrief.backends.loading import load_backend
    from newsbrief.steps.heads import training
    from newsbrief.steps.heads.stance import SHIPPED

    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)
    backend = load_backend(args.model or "embedded")
    out = args.out or Path(__file__).with_name(SHIPPED)
    training.run(
        backend,
        semeval_dir=args.semeval,
        gold_dir=args.gold,
        splits=args.splits,
        extra=[p for p in args.extra if p.exists()],
        out=out,
        cache=args.cache,
        seed=args.seed,
        log=lambda line: print(line, file=sys.stderr),
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
