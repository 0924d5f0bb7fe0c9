"""Cold start of the embedded model: first conversion and cached load, each in a new process.

Run: ``.venv/bin/python benchmarks/bench_load.py [RUNS]`` (default 3). Each run uses a fresh
``NEWSBRIEF_CACHE``: one process converts the GGUF, a second loads the cached copy and
generates 64 greedy tokens. Prints per-run figures and medians (seconds, tokens/s, MB).

``bench_load.py --check [RUNS]`` times only the cache checks on the existing cache: the
sampled check every load runs, and the full check a failed load runs.
"""

from __future__ import annotations

import statistics
import sys

from _common import fresh_cache_env, run_python

CHILD = """
import json, resource, time
t = time.perf_counter()
from newsbrief.backends import GenerationConfig
from newsbrief.backends.loading import load_backend
backend = load_backend("embedded")
load = time.perf_counter() - t
lead = ("The European Central Bank raised interest rates on Thursday for the third time this "
        "year, saying inflation remained too high. The bank said")
t = time.perf_counter()
(gen,) = backend.generate([lead], GenerationConfig(max_new_tokens=64))
seconds = time.perf_counter() - t
print(json.dumps({"load_s": load, "tokens": gen.completion_tokens, "gen_s": seconds,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def check_costs(runs: int) -> None:
    """Median seconds of the per-load sampled check and of the full check, on the cache."""
    import time

    from newsbrief.backends import embedded

    target = embedded.embedded_cache_path()
    if not embedded.check_cache_files(target):
        sys.exit(f"{target} records no checksums yet: load the embedded model once")
    for name, check in (
        ("sampled check (every load)", lambda: embedded.check_cache_files(target)),
        ("full check (after a failed load)", lambda: embedded.damaged_files(target)),
    ):
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            check()
            times.append(time.perf_counter() - start)
        print(f"{name}: median {statistics.median(times) * 1000:.1f} ms over {runs}")


def main() -> None:
    if sys.argv[1:2] == ["--check"]:
        check_costs(int(sys.argv[2]) if len(sys.argv) > 2 else 5)
        return
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    first, cached = [], []
    for i in range(runs):
        with fresh_cache_env() as env:
            first.append(run_python(["-c", CHILD], env).seconds)
            run = run_python(["-c", CHILD], env)
            cached.append((run.seconds, run.result))
        print(
            f"run {i}: first process {first[-1]:.1f} s, cached process {cached[-1][0]:.1f} s, "
            f"{cached[-1][1]}",
            flush=True,
        )
    print(f"first conversion, whole process: median {statistics.median(first):.1f} s")
    print(
        f"cached, whole process: median {statistics.median(c[0] for c in cached):.1f} s; "
        f"load_backend median {statistics.median(c[1]['load_s'] for c in cached):.1f} s"
    )
    rates = [c[1]["tokens"] / c[1]["gen_s"] for c in cached]
    print(f"greedy generation: median {statistics.median(rates):.1f} tokens/s")
    print(f"peak RSS: median {statistics.median(c[1]['peak_rss_mb'] for c in cached):.0f} MB")


if __name__ == "__main__":
    main()
