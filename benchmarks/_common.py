"""Helpers shared by the benchmark scripts (not a benchmark itself).

Child processes that print one JSON object on their last line of output, fresh model
caches, summary statistics and a description of the machine.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ChildRun:
    """One child process: its wall time, when it was started, and the JSON it printed.

    ``spawn_epoch`` is ``time.time()`` just before the start, so a child that reports its
    own ``time.time()`` at some moment gives the time from process start to that moment,
    interpreter start-up included.
    """

    seconds: float
    spawn_epoch: float
    result: dict[str, Any]


def run_python(
    args: Sequence[str],
    env: Mapping[str, str] | None = None,
    *,
    show_stderr: bool = False,
) -> ChildRun:
    """Run ``python ARGS`` in a new process and parse the JSON object it prints last.

    Args:
        args: arguments after the interpreter (``["-c", CODE]`` or a script and its flags).
        env: the child's environment (``None``: this process's).
        show_stderr: let the child's stderr (progress, warnings) through to ours;
            otherwise it is captured and shown only when the child fails.

    Raises:
        RuntimeError: the child failed or printed no JSON object.
    """
    spawn_epoch = time.time()
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, *args],
        env=dict(env) if env is not None else None,
        stdout=subprocess.PIPE,
        stderr=None if show_stderr else subprocess.PIPE,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    lines = out.stdout.strip().splitlines()
    if out.returncode != 0 or not lines:
        tail = "(see its stderr above)" if show_stderr else (out.stderr or "")[-3000:]
        raise RuntimeError(f"child {list(args)[:2]} exited with {out.returncode}:\n{tail}")
    return ChildRun(seconds, spawn_epoch, json.loads(lines[-1]))


@contextmanager
def fresh_cache_env(**extra: str) -> Iterator[dict[str, str]]:
    """An environment with an empty ``NEWSBRIEF_CACHE`` (removed afterwards), offline."""
    cache = tempfile.mkdtemp(prefix="newsbrief-bench-")
    try:
        yield {**os.environ, "NEWSBRIEF_CACHE": cache, "HF_HUB_OFFLINE": "1", **extra}
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def stats(values: Sequence[float]) -> dict[str, float | int | None]:
    """Median, p90, min, max and count of ``values`` (``None`` figures when empty)."""
    if not values:
        return {"n": 0, "median": None, "p90": None, "min": None, "max": None}
    ordered = sorted(values)
    p90 = (
        statistics.quantiles(ordered, n=10, method="inclusive")[8]
        if len(ordered) > 1
        else ordered[0]
    )
    return {
        "n": len(ordered),
        "median": statistics.median(ordered),
        "p90": p90,
        "min": ordered[0],
        "max": ordered[-1],
    }


def cpu_model() -> str:
    """The CPU model name from ``/proc/cpuinfo`` (``platform.processor()`` elsewhere)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_info() -> dict[str, Any]:
    """What the figures were measured on (torch details come from the children)."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count() or 0
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "load_average": [round(x, 2) for x in load],
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
