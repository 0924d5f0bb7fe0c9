"""``newsbrief eval`` end to end on the embedded model: one gold article, every task."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsbrief.surfaces.cli import main

pytestmark = pytest.mark.embedded

GOLD = Path(__file__).resolve().parents[2] / "evals" / "gold" / "example.jsonl"


def test_eval_cli_on_the_example_article(tmp_path: Path) -> None:
    out = tmp_path / "report"
    status = main(["eval", str(GOLD), "--out", str(out), "--no-progress", "--bootstrap", "100"])
    assert status == 0
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["gold"]["ids"] == ["example-belarus-potash"]
    assert "gemma" in report["provenance"]["model_id"].lower()
    assert {p["id"].split(".")[0] for p in report["provenance"]["prompts"]} == {
        "compress",
        "headline",
        "summary",
        "voice",
        "stance",
        "issue",
    }
    tasks = {t["task"]: t for t in report["tasks"]}
    assert set(tasks) == {
        "summary",
        "quotes",
        "stance",
        "brief-issue",
        "brief-speakers",
        "brief-stance",
        "brief-summary",
    }
    for task in tasks.values():
        newsbrief = next(s for s in task["systems"] if s["system"] == "newsbrief")
        # Each task either scored newsbrief's output or recorded why it failed.
        assert newsbrief["n_articles"] + task["n_failed_articles"] == 1
        assert task["seconds"] > 0
    quotes = next(s for s in tasks["quotes"]["systems"] if s["system"] == "newsbrief")
    assert quotes["metrics"]["overlap_f1"]["value"] > 0.5  # rule-based quotes find most spans
    assert '<h2 id="headline">' in (out / "report.html").read_text(encoding="utf-8")
    # Every model-dependent output is measured against a model-free system.
    margins = {(t["task"], m["metric"]): m for t in report["tasks"] for m in t["margins"]}
    assert margins[("summary", "rougeL_f1")]["over"] in {"rules-no-model", "lead-1", "lead-3"}
    assert margins[("stance", "accuracy")]["over"] in {"majority", "label-prior", "lexicon"}
    assert margins[("brief-issue", "issue_f1")]["over"] == "headline"
    # The brief found speakers and answered the stance items it could.
    speakers = next(s for s in tasks["brief-speakers"]["systems"] if s["system"] == "newsbrief")
    assert speakers["metrics"]["recall"]["value"] > 0
