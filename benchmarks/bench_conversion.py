"""First conversion of the embedded model on two checkouts of newsbrief, alternately (issue 26).

Each round runs, for each checkout in turn (the order alternates between rounds, so that a
change in the machine's load hits both), in a fresh, empty ``NEWSBRIEF_CACHE``: the first
``import newsbrief; Briefer()`` (``bench_brief.py``'s cold-start child: it converts the GGUF),
then a second, cached one. Seconds are counted from just before each process is started to a
ready ``Briefer()`` (interpreter start-up and imports included), as ``bench_brief.py`` counts
them; peak RSS is the child's ``ru_maxrss``. After the first round the two checkouts' caches
are compared file by file: every tensor of the two safetensors files (dtype, shape, values;
the largest absolute difference of any that differ), the JSON files as parsed, tokenizer.json
byte for byte. Prints one JSON object at the end (``--json`` writes it too)::

    mkdir /tmp/before && git archive <commit> newsbrief | tar -x -C /tmp/before
    python benchmarks/bench_conversion.py --before /tmp/before --after . --rounds 2

``--nice`` runs the children under ``nice -n 19`` (a shared machine). ``--cached DIR``
times only the cached start of both checkouts, alternately, on the existing cache ``DIR``
(``NEWSBRIEF_CACHE``; both must read its format): no conversion, no comparison::

    python benchmarks/bench_conversion.py --before /tmp/before --after . --rounds 5 \
        --cached ~/.cache/newsbrief
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine_info, run_python, stats
from bench_brief import COLD_NEWSBRIEF

_WEIGHT_FILES = ("model.safetensors", "embedding-q8_0.safetensors")
_JSON_FILES = ("config.json", "generation_config.json", "tokenizer_config.json")


def ready(checkout: Path, cache: str, nice: bool) -> dict[str, Any]:
    """One cold-start child of ``checkout`` with ``cache`` as its NEWSBRIEF_CACHE."""
    code = f"import sys; sys.path.insert(0, {str(checkout.resolve())!r})\n" + COLD_NEWSBRIEF
    env = {**os.environ, "NEWSBRIEF_CACHE": cache, "HF_HUB_OFFLINE": "1"}
    args = ["-c", code]
    if nice:  # run_python starts sys.executable; nice starts it in turn
        args = ["-c", _NICE, *args]
    run = run_python(args, env)
    result = run.result
    return {
        "ready_s": round(result["ready_epoch"] - run.spawn_epoch, 2),
        "import_s": round(result["import_s"], 2),
        "load_s": round(result["load_s"], 2),
        "peak_rss_mb": round(result["peak_rss_mb"]),
        "model_dir": result["model_dir"],
        "load_average": round(os.getloadavg()[0], 2),
    }


# Runs the rest of its arguments as ``nice -n 19 python ...`` and passes its output through.
_NICE = (
    "import subprocess, sys; "
    "sys.exit(subprocess.run(['nice', '-n', '19', sys.executable, *sys.argv[1:]]).returncode)"
)


def compare_caches(a: Path, b: Path) -> dict[str, Any]:
    """Two converted copies compared file by file (see the module's docstring)."""
    import torch
    from safetensors import safe_open

    out: dict[str, Any] = {}
    for name in _WEIGHT_FILES:
        with safe_open(str(a / name), "pt") as x, safe_open(str(b / name), "pt") as y:
            keys = sorted(x.keys())
            differ: dict[str, float | str] = {}
            for key in keys:
                s, t = x.get_tensor(key), y.get_tensor(key)
                if s.dtype != t.dtype or s.shape != t.shape:
                    differ[key] = f"{s.dtype}{tuple(s.shape)} vs {t.dtype}{tuple(t.shape)}"
                elif not torch.equal(s, t):
                    differ[key] = float((s.float() - t.float()).abs().max())
            out[name] = {
                "tensors": len(keys),
                "same_names": keys == sorted(y.keys()),
                "same_metadata": x.metadata() == y.metadata(),
                "bit_equal": len(keys) - len(differ),
                "differ": differ,
            }
    for name in _JSON_FILES:
        out[name] = json.loads((a / name).read_text()) == json.loads((b / name).read_text())
    tokenizer = "tokenizer.json"
    out[tokenizer] = (a / tokenizer).read_bytes() == (b / tokenizer).read_bytes()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="checkout of the baseline")
    parser.add_argument("--after", type=Path, required=True, help="checkout of the change")
    parser.add_argument("--rounds", type=int, default=2, help="rounds (default 2)")
    parser.add_argument("--nice", action="store_true", help="children under nice -n 19")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--cached", default=None, help="only the cached start, on this cache")
    args = parser.parse_args()
    sides = {"before": args.before, "after": args.after}
    if args.cached:
        cached_only(sides, args)
        return
    runs: dict[str, list[dict[str, Any]]] = {"before": [], "after": []}
    kept: dict[str, str] = {}
    comparison: dict[str, Any] = {}
    try:
        for i in range(args.rounds):
            for side in ("before", "after") if i % 2 == 0 else ("after", "before"):
                cache = tempfile.mkdtemp(prefix=f"newsbrief-conversion-{side}-")
                first = ready(sides[side], cache, args.nice)
                cached = ready(sides[side], cache, args.nice)
                runs[side].append({"first": first, "cached": cached})
                print(
                    f"[round {i + 1}] {side}: first conversion {first['ready_s']:.1f} s "
                    f"(load average {first['load_average']}), cached {cached['ready_s']:.2f} s",
                    file=sys.stderr,
                    flush=True,
                )
                if side in kept:
                    shutil.rmtree(cache, ignore_errors=True)
                else:
                    kept[side] = cache
                    kept[f"{side}_model"] = str(first["model_dir"])
            if i == 0:
                comparison = compare_caches(Path(kept["before_model"]), Path(kept["after_model"]))
    finally:
        for side in ("before", "after"):
            if side in kept:
                shutil.rmtree(kept[side], ignore_errors=True)
    summary = {
        side: {
            "first_conversion_s": stats([r["first"]["ready_s"] for r in runs[side]]),
            "cached_start_s": stats([r["cached"]["ready_s"] for r in runs[side]]),
            "first_peak_rss_mb": stats([r["first"]["peak_rss_mb"] for r in runs[side]]),
        }
        for side in runs
    }
    result = {
        "machine": machine_info(),
        "nice": args.nice,
        "runs": runs,
        "summary": summary,
        "same_cache": comparison,
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")


def cached_only(sides: dict[str, Path], args: argparse.Namespace) -> None:
    """``--cached``: each round one cached start per checkout on the same cache."""
    runs: dict[str, list[dict[str, Any]]] = {"before": [], "after": []}
    for i in range(args.rounds):
        for side in ("before", "after") if i % 2 == 0 else ("after", "before"):
            runs[side].append(ready(sides[side], args.cached, args.nice))
            print(
                f"[round {i + 1}] {side}: cached {runs[side][-1]['ready_s']:.2f} s "
                f"(load average {runs[side][-1]['load_average']})",
                file=sys.stderr,
                flush=True,
            )
    result = {
        "machine": machine_info(),
        "nice": args.nice,
        "runs": runs,
        "summary": {
            side: {
                "cached_start_s": stats([r["ready_s"] for r in rows]),
                "import_s": stats([r["import_s"] for r in rows]),
                "load_s": stats([r["load_s"] for r in rows]),
                "peak_rss_mb": stats([r["peak_rss_mb"] for r in rows]),
            }
            for side, rows in runs.items()
        },
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
