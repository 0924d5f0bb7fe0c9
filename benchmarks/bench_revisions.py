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

Each child also reports the seconds from its process start (interpreter start-up and
imports included) to a ready ``Briefer()``, and its peak RSS (``ru_maxrss``: model load and
every brief). ``--dev`` takes the articles from the gold's dev split (``evals/splits.json``,
file order: the example, the politics articles with many speakers, GUM news) instead of the
first N records; ``--before-cache`` / ``--after-cache`` give each checkout its own
``NEWSBRIEF_CACHE`` (a checkout that changes the cache format must not rewrite the other's).
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
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
import newsbrief
n, gold, ids = int(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[4])
records = []
for name in {files!r}:
    records += [json.loads(x) for x in (gold / name).read_text().splitlines() if x.strip()]
if ids:
    records = [r for r in records if r.get("id") in set(ids)]
records = records[:n]
briefer = newsbrief.Briefer()
ready = time.time()
briefer.brief(records[0]["text"], records[0].get("title"))
walls, cpus = [], []
for r in records:
    w, c = time.perf_counter(), time.process_time()
    briefer.brief(r["text"], r.get("title"))
    walls.append(time.perf_counter() - w)
    cpus.append(time.process_time() - c)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"package": newsbrief.__file__, "walls": walls, "cpus": cpus,
                  "ready_epoch": ready, "peak_rss_mb": peak,
                  "ids": [r.get("id") for r in records]}}))
"""


def _run(
    checkout: Path, articles: int, gold: Path, ids: list[str], cache: Path | None
) -> dict[str, Any]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    if cache is not None:
        env["NEWSBRIEF_CACHE"] = str(cache)
    code = _CHILD.format(files=_GOLD_FILES)
    args = ["-c", code, str(articles), str(gold), str(checkout.resolve()), json.dumps(ids)]
    child = run_python(args, env)
    result = child.result
    result["ready_s"] = result["ready_epoch"] - child.spawn_epoch
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
    parser.add_argument("--dev", action="store_true", help="articles of the dev split only")
    parser.add_argument("--before-cache", type=Path, help="NEWSBRIEF_CACHE of --before")
    parser.add_argument("--after-cache", type=Path, help="NEWSBRIEF_CACHE of --after")
    args = parser.parse_args()
    if args.articles < 1 or args.rounds < 1:
        parser.error("--articles and --rounds must be at least 1")
    for checkout in (args.before, args.after):
        if not (checkout / "newsbrief" / "__init__.py").is_file():
            parser.error(f"{checkout} is not a newsbrief checkout")
    ids: list[str] = []
    if args.dev:
        splits = json.loads((args.gold.parent / "splits.json").read_text())
        ids = list(splits["dev"])
    caches = {"before": args.before_cache, "after": args.after_cache}
    rows: list[dict[str, Any]] = []
    for round_number in range(1, args.rounds + 1):
        for label, checkout in (("before", args.before), ("after", args.after)):
            result = _run(checkout, args.articles, args.gold, ids, caches[label])
            walls = sorted(result["walls"])
            rows.append(
                {
                    "round": round_number,
                    "checkout": label,
                    "median_wall_s": statistics.median(result["walls"]),
                    "median_cpu_s": statistics.median(result["cpus"]),
                    "total_cpu_s": sum(result["cpus"]),
                    "p90_wall_s": walls[min(len(walls) - 1, round(0.9 * (len(walls) - 1)))],
                    "ready_s": result["ready_s"],
                    "peak_rss_mb": result["peak_rss_mb"],
                    "articles": len(walls),
                    "walls": result["walls"],
                    "cpus": result["cpus"],
                    "ids": result["ids"],
                }
            )
            last = rows[-1]
            print(
                f"round {round_number} {label:6s} brief median wall {last['median_wall_s']:.2f} s"
                f" p90 {last['p90_wall_s']:.2f} s  median CPU {last['median_cpu_s']:.2f} s"
                f"  total CPU {last['total_cpu_s']:.1f} s  ready {last['ready_s']:.2f} s"
                f"  peak RSS {last['peak_rss_mb']:.0f} MB  ({last['articles']} articles)",
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
