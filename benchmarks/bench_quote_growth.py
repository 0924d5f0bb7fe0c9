"""Growth of the quote step's time with its input (issue 23): 12 patterns, 1x to 64x.

Run from the repository root (not collected by pytest)::

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_quote_growth.py [--max-factor 64]
    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_quote_growth.py \\
        --articles evals/gold/*.jsonl

For each pattern of ``tests/growth_patterns.py`` the quote step (``Document.parse`` and
``find_quotes``, as ``Briefer.quotes`` runs them after its input checks) is timed at
factors 1, 2, 4, ... 64 (CPU time, best of ``--repeats`` runs each), and the growth
exponent is the least-squares slope of log(time) over log(characters): 1 is linear, 2
quadratic. Every quote span is checked verbatim on the way. Exit status 1 when an exponent
is above ``--limit`` (1.2). With ``--articles`` it times the quote step per article instead.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from growth_patterns import PATTERNS, best_quote_step_seconds  # noqa: E402


def _milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:6.0f}ms" if seconds >= 0.01 else f"{seconds * 1000:6.1f}ms"


def growth_exponent(sizes: list[int], seconds: list[float]) -> float:
    """Least-squares slope of log(seconds) over log(sizes)."""
    xs = [math.log(s) for s in sizes]
    ys = [math.log(max(t, 1e-6)) for t in seconds]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def per_article(paths: list[Path], repeats: int) -> None:
    """Print the quote step's CPU time per article (median, p90, max) over gold files."""
    texts = [
        json.loads(line)["text"]
        for path in paths
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    seconds = sorted(best_quote_step_seconds(text, repeats) for text in texts)
    median, p90 = seconds[len(seconds) // 2], seconds[int(len(seconds) * 0.9)]
    print(
        f"{len(texts)} articles: median {median * 1000:.1f} ms, p90 {p90 * 1000:.1f} ms, "
        f"max {seconds[-1] * 1000:.1f} ms per article (limit 50 ms)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--max-factor", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--limit", type=float, default=1.2)
    parser.add_argument(
        "--articles",
        type=Path,
        nargs="*",
        help="instead of the growth patterns, time the quote step per article of these "
        "JSONL files (evals/gold/*.jsonl, PolNeAR)",
    )
    args = parser.parse_args()
    if args.articles:
        per_article(args.articles, args.repeats)
        return 0
    factors = [1]
    while factors[-1] * 2 <= args.max_factor:
        factors.append(factors[-1] * 2)
    print(f"{'pattern':26} {'chars 1x':>9} " + " ".join(f"{f:>6}x" for f in factors) + "  exponent")
    worst = 0.0
    for name, make in PATTERNS.items():
        sizes, seconds = [], []
        for factor in factors:
            text = make(factor)
            sizes.append(len(text))
            seconds.append(best_quote_step_seconds(text, args.repeats))
        exponent = growth_exponent(sizes, seconds)
        worst = max(worst, exponent)
        times = " ".join(_milliseconds(t) for t in seconds)
        print(f"{name:26} {sizes[0]:>9} {times}  {exponent:.2f}", flush=True)
    print(f"largest exponent {worst:.2f} (limit {args.limit})")
    return 0 if worst <= args.limit else 1


if __name__ == "__main__":
    sys.exit(main())
