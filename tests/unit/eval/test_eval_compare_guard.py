"""``--compare`` refuses runs with nothing in common and reads prompts as a set."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbrief.errors import InputError
from newsbrief.eval.cli import EXIT_INPUT
from newsbrief.eval.compare import compare_reports, render_comparison
from newsbrief.models import PromptRecord
from tests.unit.eval.test_eval_compare import report, summary_row, with_tasks


def test_runs_without_a_shared_article_are_refused() -> None:
    a = with_tasks(report([summary_row("x1", 0.2), summary_row("x2", 0.3)]), ["summary"])
    b = with_tasks(report([summary_row("y1", 0.6)]), ["summary"])
    with pytest.raises(InputError, match=r"share no article \(2 in A, 1 in B"):
        compare_reports(a, b, n_bootstrap=0)


def test_runs_without_a_shared_task_are_refused() -> None:
    a = with_tasks(report([summary_row("x1", 0.2)]), ["summary"])
    b = with_tasks(report([summary_row("x1", 0.2)]), ["stance"])
    with pytest.raises(InputError, match="share no task"):
        compare_reports(a, b, n_bootstrap=0)


def test_cli_exits_3_for_runs_with_nothing_in_common(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsbrief.surfaces.cli import main

    a = with_tasks(report([summary_row("x1", 0.2)]), ["summary"])
    b = with_tasks(report([summary_row("y1", 0.6)]), ["summary"])
    (tmp_path / "a.json").write_text(a.model_dump_json(), encoding="utf-8")
    (tmp_path / "b.json").write_text(b.model_dump_json(), encoding="utf-8")
    status = main(["eval", "--compare", str(tmp_path / "a.json"), str(tmp_path / "b.json")])
    captured = capsys.readouterr()
    assert status == EXIT_INPUT
    assert "share no article" in captured.err and "no clear change" not in captured.out


def test_a_reordered_prompt_list_is_no_prompt_change() -> None:
    one, two = PromptRecord(id="a@v1", sha256="1" * 64), PromptRecord(id="b@v1", sha256="2" * 64)
    a = with_tasks(report([summary_row("x1", 0.2)]), ["summary"])
    a = a.model_copy(update={"provenance": a.provenance.model_copy(update={"prompts": [one, two]})})
    b = a.model_copy(update={"provenance": a.provenance.model_copy(update={"prompts": [two, one]})})
    text = render_comparison(compare_reports(a, b, n_bootstrap=0))
    assert "- prompts" not in text and "same commit, model and prompts" in text
    three = PromptRecord(id="b@v1", sha256="3" * 64)
    c = a.model_copy(
        update={"provenance": a.provenance.model_copy(update={"prompts": [three, one]})}
    )
    text = render_comparison(compare_reports(a, c, n_bootstrap=0))
    assert f"- prompts: - b@v1 ({'2' * 12}), + b@v1 ({'3' * 12})" in text
