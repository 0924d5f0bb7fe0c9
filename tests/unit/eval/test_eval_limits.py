"""``--limit`` takes articles with gold for the tasks asked; a task on few articles warns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsbrief.eval.gold import load_gold
from newsbrief.eval.html import render_html
from newsbrief.eval.markdown import render_markdown
from newsbrief.eval.runner import has_gold, select_records
from newsbrief.surfaces.cli import main
from tests.unit.eval import test_eval_cli as cli_tests
from tests.unit.eval.test_eval_cli import TEXT_1, gold_line, write
from tests.unit.eval.test_eval_report import make_report

fake = cli_tests.fake
BRIEF = ("brief-issue", "brief-speakers", "brief-stance", "brief-summary")


def _summary_only(record_id: str) -> str:
    line = json.loads(
        gold_line(record_id, TEXT_1, "The new park is a great idea.", "Ann Lee", "supportive")
    )
    line["quotes"], line["stances"] = [], []
    return json.dumps(line)


def _gold(tmp_path: Path) -> Path:
    lines = [_summary_only(f"s{i}") for i in range(5)]
    lines.insert(
        2, gold_line("full", TEXT_1, "The new park is a great idea.", "Ann Lee", "supportive")
    )
    lines.append(
        gold_line("full2", TEXT_1, "The new park is a great idea.", "Ann Lee", "supportive")
    )
    return write(tmp_path / "gold.jsonl", lines)


def test_limit_prefers_articles_with_gold_for_every_task_asked(tmp_path: Path) -> None:
    gold = load_gold([_gold(tmp_path)])
    # The first three in gold order would score stances on one article.
    assert [r.id for r in select_records(gold, limit=3)] == ["s0", "s1", "full"]
    chosen = select_records(gold, limit=3, tasks=BRIEF)
    assert [r.id for r in chosen] == ["s0", "full", "full2"]  # gold order kept
    assert sum(has_gold("brief-stance", r) for r in chosen) == 2
    # A task only the summary-only articles cannot serve: they are not taken at all.
    assert [r.id for r in select_records(gold, limit=5, tasks=["stance"])] == ["full", "full2"]


def test_the_readme_limit_example_scores_stances_on_as_many_articles_as_it_can() -> None:
    gold = load_gold([Path(__file__).resolve().parents[3] / "evals" / "gold"])
    chosen = select_records(gold, limit=10, tasks=BRIEF)
    assert all(has_gold("brief-stance", r) for r in chosen) and len(chosen) == 10


def test_a_task_on_few_articles_warns_in_every_report(
    tmp_path: Path, fake: list[str | None], capsys: pytest.CaptureFixture[str]
) -> None:
    report = make_report()
    assert "**Warning:** summary: scored on" in render_markdown(report)
    assert '<p class="warning"><b>Warning:</b> summary: scored on' in render_html(report)
    status = main(["eval", str(_gold(tmp_path)), "--tasks", "stance", "--no-progress"])
    assert status == 0
    err = capsys.readouterr().err
    assert "warning: stance: scored on 2 articles (under 20)" in err
