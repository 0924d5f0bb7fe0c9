"""Revision benchmark: ``Briefer().brief`` timed on two checkouts of newsbrief, alternately.

A refactor that must not slow the product down (the layout issue) is checked here: each
round runs one child process per checkout (that checkout's package first on its
``sys.path``), loads the embedded model once, briefs one warm-up article, then times ``brief()``
on the first N gold articles. The checkouts alternate so that a change in the machine's
load hits both; CPU time (``time.process_time``) is printed beside wall time because on a
shared machine the wall time counts the waits.

    git worktree add --detach /tmp/before <commit>
    OMP_NUM_THREADS=1 python benchmarks/bench_revisions.py --before /tmp/before --after . \\
        --articles 12 --rounds 2
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine_info, run_python

_GOLD_FILES = ("example.jsonl", "wikinews_politics.jsonl", "gum_news.jsonl")

# The child: briefs the articles with the checkout on its PYTHONPATH, prints one JSON line.
_CHILD = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
import newsbrief
n, gold = int(sys.argv[1]), Path(sys.argv[2])
records = []
for name in {files!r}:
    records += [json.loads(x) for x in (gold / name).read_text().splitlines() if x.strip()]
records = records[:n]
briefer = newsbrief.Briefer()
briefer.brief(records[0]["text"], records[0].get("title"))
walls, cpus = [], []
for r in records:
    w, c = time.perf_counter(), time.process_time()
    briefer.brief(r["text"], r.get("title"))
    walls.append(time.perf_counter() - w)
    cpus.append(time.process_time() - c)
print(json.dumps({{"package": newsbrief.__file__, "walls": walls, "cpus": cpus}}))
"""


def _run(checkout: Path, articles: int, gold: Path) -> dict[str, Any]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    code = _CHILD.format(files=_GOLD_FILES)
    args = ["-c", code, str(articles), str(gold), str(checkout.resolve())]
    result = run_python(args, env).result
    expected = checkout.resolve() / "newsbrief" / "__init__.py"
    if Path(result["package"]).resolve() != expected:
        raise RuntimeError(f"the child imported {result['package']}, not {expected}")
    return result


def main() -> None:
    """Parse the arguments, run the rounds, print the table (and the JSON if asked)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="checkout before")
    parser.add_argument("--after", type=Path, default=Path("."), help="checkout after")
    parser.add_argument("--articles", type=int, default=12, help="gold articles (default 12)")
    parser.add_argument("--rounds", type=int, default=2, help="alternations (default 2)")
    parser.add_argument("--gold", type=Path, default=Path("evals/gold"), help="gold folder")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if args.articles < 1 or args.rounds < 1:
        parser.error("--articles and --rounds must be at least 1")
    for checkout in (args.before, args.after):
        if not (checkout / "newsbrief" / "__init__.py").is_file():
            parser.error(f"{checkout} is not a newsbrief checkout")
    rows: list[dict[str, Any]] = []
    for round_number in range(1, args.rounds + 1):
        for label, checkout in (("before", args.before), ("after", args.after)):
            result = _run(checkout, args.articles, args.gold)
            rows.append(
                {
                    "round": round_number,
                    "checkout": label,
                    "median_wall_s": statistics.median(result["walls"]),
                    "median_cpu_s": statistics.median(result["cpus"]),
                    "total_cpu_s": sum(result["cpus"]),
                }
            )
            last = rows[-1]
            print(
                f"round {round_number} {label:6s} brief median wall {last['median_wall_s']:.2f} s"
                f"  median CPU {last['median_cpu_s']:.2f} s  total CPU {last['total_cpu_s']:.1f} s",
                flush=True,
            )
    for label in ("before", "after"):
        totals = [r["total_cpu_s"] for r in rows if r["checkout"] == label]
        print(f"{label:6s} total CPU per round: {', '.join(f'{t:.1f}' for t in totals)} s")
    before = sum(r["total_cpu_s"] for r in rows if r["checkout"] == "before")
    after = sum(r["total_cpu_s"] for r in rows if r["checkout"] == "after")
    print(f"after / before CPU time: {after / before:.3f}")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine_info(), "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
