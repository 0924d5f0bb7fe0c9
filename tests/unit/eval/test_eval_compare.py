"""Tests for comparing two runs: paired differences over shared articles, with bootstrap CIs."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbrief.eval.cli import EXIT_INPUT, EXIT_OK
from newsbrief.eval.compare import compare_reports, render_comparison
from newsbrief.eval.schema import (
    ArticleTask,
    EvalReport,
    Failure,
    GoldInfo,
    QuoteCountsRecord,
    RunProvenance,
    SystemOutput,
)
from newsbrief.models import PromptRecord


def provenance(model_id: str, prompt_hash: str) -> RunProvenance:
    return RunProvenance(
        package_version="0.1.0",
        git_commit=None,
        git_dirty=None,
        model_id=model_id,
        style="base",
        prompts=[PromptRecord(id="summary.base@v1", sha256=prompt_hash)],
        seed=0,
        briefer_seed=0,
        n_bootstrap=100,
        command=[],
        date="2026-01-01T00:00:00+00:00",
        python="3.11",
        timings={},
    )


def summary_row(article_id: str, rouge_l: float | None) -> ArticleTask:
    systems = {}
    failures = []
    if rouge_l is None:
        failures.append(
            Failure(article_id=article_id, task="summary", error_type="OutputError", message="x")
        )
    else:
        systems["newsbrief"] = SystemOutput(
            prediction="s",
            metrics={"rouge1_f1": rouge_l, "rouge2_f1": rouge_l, "rougeL_f1": rouge_l},
        )
    return ArticleTask(
        article_id=article_id, task="summary", excerpt="", systems=systems, failures=failures
    )


def quote_row(article_id: str, exact: int, n_gold: int = 4, n_predicted: int = 4) -> ArticleTask:
    counts = QuoteCountsRecord(
        n_gold=n_gold, n_predicted=n_predicted, exact=exact, overlap=exact, speaker_correct=exact
    )
    return ArticleTask(
        article_id=article_id,
        task="quotes",
        excerpt="",
        systems={"newsbrief": SystemOutput(metrics={}, counts=counts)},
    )


def report(rows: list[ArticleTask], model_id: str = "m", prompt_hash: str = "a" * 64) -> EvalReport:
    ids = list(dict.fromkeys(r.article_id for r in rows))
    return EvalReport(
        provenance=provenance(model_id, prompt_hash),
        gold=GoldInfo(paths=[], n_records=len(ids), ids=ids),
        tasks=[],
        articles=rows,
        failures=[f for r in rows for f in r.failures],
    )


def test_difference_is_over_shared_articles_with_a_paired_interval() -> None:
    a = report([summary_row("x1", 0.2), summary_row("x2", 0.4), summary_row("x3", 0.3)])
    b = report(
        [
            summary_row("x1", 0.3),
            summary_row("x2", 0.5),
            summary_row("x3", None),  # failed in B: left out of both sides
            summary_row("x4", 0.9),  # only in B: left out
        ]
    )
    a, b = with_tasks(a, ["summary"]), with_tasks(b, ["summary"])
    comparison = compare_reports(a, b, n_bootstrap=200, seed=1)
    diff = next(d for d in comparison.diffs if d.metric == "rougeL_f1")
    assert diff.n_shared == 2
    assert diff.a == pytest.approx(0.3) and diff.b == pytest.approx(0.4)
    assert diff.diff == pytest.approx(0.1)
    # Every article improved by exactly 0.1: every resample's difference is 0.1.
    assert diff.low == pytest.approx(0.1) and diff.high == pytest.approx(0.1)
    assert diff.verdict == "better"


def test_mixed_changes_give_an_interval_around_zero() -> None:
    a = with_tasks(report([summary_row(f"x{i}", 0.5) for i in range(6)]), ["summary"])
    b_values = [0.7, 0.3, 0.6, 0.4, 0.55, 0.45]
    b = with_tasks(report([summary_row(f"x{i}", v) for i, v in enumerate(b_values)]), ["summary"])
    diff = next(d for d in compare_reports(a, b, n_bootstrap=300).diffs if d.metric == "rougeL_f1")
    assert diff.diff == pytest.approx(0.0)
    assert diff.low is not None and diff.high is not None
    assert diff.low < 0 < diff.high
    assert diff.verdict == "no clear change"


def test_quote_metrics_are_recomputed_from_counts_micro_averaged() -> None:
    a = with_tasks(report([quote_row("q1", 1), quote_row("q2", 1)]), ["quotes"])
    b = with_tasks(
        report([quote_row("q1", 3, n_gold=4, n_predicted=4), quote_row("q2", 0)]), ["quotes"]
    )
    diff = next(d for d in compare_reports(a, b, n_bootstrap=0).diffs if d.metric == "exact_f1")
    assert diff.a == pytest.approx(2 / 8)
    assert diff.b == pytest.approx(3 / 8)
    assert diff.low is None  # no bootstrap asked for


def test_rendered_comparison_names_what_changed() -> None:
    a = with_tasks(report([summary_row("x1", 0.2)], model_id="old"), ["summary"])
    b = with_tasks(
        report([summary_row("x1", 0.1)], model_id="new", prompt_hash="b" * 64), ["summary"]
    )
    text = render_comparison(compare_reports(a, b, n_bootstrap=10), a_name="r1", b_name="r2")
    assert "# newsbrief eval: r1 -> r2" in text
    assert "- model: old -> new" in text
    assert "- prompts:" in text
    assert (
        "| summary | newsbrief | rougeL_f1 | 1 | 0.200 | 0.100 | -0.100 [-0.100, -0.100] | worse |"
        in text
    )


def test_cli_compare(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from newsbrief.surfaces.cli import main

    a = with_tasks(report([summary_row("x1", 0.2)]), ["summary"])
    b = with_tasks(report([summary_row("x1", 0.6)]), ["summary"])
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "report.json").write_text(a.model_dump_json(), encoding="utf-8")
    (tmp_path / "b.json").write_text(b.model_dump_json(), encoding="utf-8")
    status = main(
        [
            "eval",
            "--compare",
            str(tmp_path / "a"),
            str(tmp_path / "b.json"),
            "--out",
            str(tmp_path / "c"),
        ]
    )
    assert status == EXIT_OK
    out = capsys.readouterr().out
    assert "+0.400" in out
    assert (
        (tmp_path / "c" / "compare.md").read_text(encoding="utf-8").startswith("# newsbrief eval")
    )
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    assert (
        main(["eval", "--compare", str(tmp_path / "a"), str(tmp_path / "broken.json")])
        == EXIT_INPUT
    )
    assert "broken.json: broken JSON" in capsys.readouterr().err


def with_tasks(base: EvalReport, tasks: list[str]) -> EvalReport:
    """A report whose task list names ``tasks`` (compare only reads which tasks ran)."""
    from newsbrief.eval.schema import TaskSummary

    summaries = [
        TaskSummary(
            task=t,  # type: ignore[arg-type]
            main_metric="-",
            n_articles=0,
            n_failed_articles=0,
            n_failures=0,
            seconds=0.0,
            systems=[],
        )
        for t in tasks
    ]
    return base.model_copy(update={"tasks": summaries})
