"""Briefing on Ray with the embedded model: an actor writes what batch mode writes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsbrief.briefer import Briefer
from newsbrief.surfaces.batch import plan_batch, read_inputs, run_batch
from newsbrief.surfaces.distributed import brief_files

pytestmark = pytest.mark.embedded

GOLD = Path(__file__).parents[2] / "evals" / "gold" / "wikinews_politics.jsonl"
#: The two shortest gold articles (about 1,100 characters each).
IDS = ("wikinews-2020-049", "wikinews-2020-090")


def jsonl_records(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return sorted((json.loads(line) for line in lines), key=lambda r: str(r["id"]))


def test_one_actor_writes_the_records_of_batch_mode(
    ray_local: Any, embedded_backend: Any, tmp_path: Path
) -> None:
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    source = tmp_path / "articles.jsonl"
    source.write_text(
        "".join(
            json.dumps({"id": g["id"], "title": g["title"], "text": g["text"]}) + "\n"
            for g in gold
            if g["id"] in IDS
        ),
        encoding="utf-8",
    )
    single = tmp_path / "single.jsonl"
    briefer = Briefer(backend=embedded_backend)
    plan = plan_batch(read_inputs(str(source)), single)
    run_batch(plan, briefer, single, progress=False)

    distributed = tmp_path / "ray.jsonl"
    # One actor with both CPUs: the same thread count as this process, so the same sums
    # in the same order and, with greedy decoding, the same text and scores.
    summary = brief_files(str(source), distributed, actors=1, cpus_per_actor=2, progress=False)
    assert (summary.done, summary.failed) == (2, 0)
    records = jsonl_records(distributed)
    assert [r["id"] for r in records] == sorted(IDS)
    assert records == jsonl_records(single)
    assert all(
        r["brief"]["provenance"]["model_id"].startswith("newsbrief/embedded") for r in records
    )
