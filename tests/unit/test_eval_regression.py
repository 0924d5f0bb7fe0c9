"""Tests for the baseline check: tolerances, missing metrics, other subsets, baseline files."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbrief.errors import InputError
from newsbrief.eval.regression import (
    FAILURES_KEY,
    Baseline,
    BaselineMetric,
    check_baseline,
    load_baseline,
    make_baseline,
    report_metrics,
    write_baseline,
)
from newsbrief.eval.schema import (
    EvalReport,
    Failure,
    GoldInfo,
    MetricSummary,
    RunProvenance,
    SystemSummary,
    TaskSummary,
)
from newsbrief.models import PromptRecord

IDS = ["a", "b"]


def make_report(rouge_l: float | None, *, ids: list[str] = IDS, failed: int = 0) -> EvalReport:
    provenance = RunProvenance(
        package_version="0.1.0",
        git_commit="c" * 40,
        git_dirty=False,
        model_id="m",
        style="base",
        prompts=[PromptRecord(id="summary.base@v1", sha256="f" * 64)],
        seed=0,
        briefer_seed=0,
        n_bootstrap=0,
        command=[],
        date="2026-01-01T00:00:00+00:00",
        python="3.11",
        timings={},
    )
    systems = [
        SystemSummary(
            system="newsbrief",
            kind="model",
            n_articles=2,
            metrics={
                "rougeL_f1": MetricSummary(value=rouge_l),
                "rouge1_f1": MetricSummary(value=0.5),
            },
        ),
        SystemSummary(
            system="lead-1",
            kind="baseline",
            n_articles=2,
            metrics={"rougeL_f1": MetricSummary(value=0.9)},
        ),
    ]
    task = TaskSummary(
        task="summary",
        main_metric="rougeL_f1",
        n_articles=2,
        n_failed_articles=failed,
        n_failures=failed,
        seconds=0.0,
        systems=systems,
    )
    failures = [
        Failure(article_id=ids[i], task="summary", error_type="E", message="m")
        for i in range(failed)
    ]
    return EvalReport(
        provenance=provenance,
        gold=GoldInfo(paths=[], n_records=2, ids=ids),
        tasks=[task],
        articles=[],
        failures=failures,
    )


def test_report_metrics_keeps_newsbrief_only_and_counts_failed_articles() -> None:
    metrics = report_metrics(make_report(0.3, failed=1))
    assert metrics == {
        "summary/newsbrief/rougeL_f1": 0.3,
        "summary/newsbrief/rouge1_f1": 0.5,
        FAILURES_KEY: 1.0,
    }


@pytest.mark.parametrize(
    ("current", "ok"),
    [(0.30, True), (0.26, True), (0.25, True), (0.2499, False), (0.10, False), (0.50, True)],
)
def test_a_metric_may_fall_by_its_tolerance_and_no_more(current: float, ok: bool) -> None:
    baseline = make_baseline(make_report(0.30))
    assert baseline.metrics["summary/newsbrief/rougeL_f1"] == BaselineMetric(
        value=0.3, tolerance=0.05
    )
    result = check_baseline(make_report(current), baseline)
    assert result.ok is ok
    assert ("BAD summary/newsbrief/rougeL_f1" in result.render()) is not ok


def test_more_failed_articles_than_the_baseline_is_a_regression() -> None:
    baseline = make_baseline(make_report(0.3))
    assert baseline.metrics[FAILURES_KEY] == BaselineMetric(value=0, tolerance=0, direction="lower")
    assert not check_baseline(make_report(0.3, failed=1), baseline).ok
    tolerant = make_baseline(make_report(0.3, failed=1))
    assert check_baseline(make_report(0.3, failed=1), tolerant).ok
    assert not check_baseline(make_report(0.3, failed=2), tolerant).ok


def test_a_missing_metric_is_a_regression() -> None:
    baseline = make_baseline(make_report(0.3))
    result = check_baseline(make_report(None), baseline)
    assert not result.ok
    assert "summary/newsbrief/rougeL_f1: missing" in result.render()


def test_another_subset_cannot_be_checked() -> None:
    baseline = make_baseline(make_report(0.3))
    result = check_baseline(make_report(0.3, ids=["a", "z"]), baseline)
    assert not result.ok
    assert result.problems == [
        "the run's articles differ from the baseline's (missing: b; extra: z)"
    ]


def test_updating_keeps_reviewed_tolerances(tmp_path: Path) -> None:
    previous = Baseline(
        gold_ids=IDS,
        model_id="m",
        metrics={"summary/newsbrief/rougeL_f1": BaselineMetric(value=0.2, tolerance=0.01)},
    )
    updated = make_baseline(make_report(0.4), previous=previous)
    assert updated.metrics["summary/newsbrief/rougeL_f1"] == BaselineMetric(
        value=0.4, tolerance=0.01
    )
    assert updated.metrics["summary/newsbrief/rouge1_f1"].tolerance == 0.05
    assert updated.prompts == ["summary.base@v1@" + "f" * 64]
    path = write_baseline(updated, tmp_path / "evals" / "baseline.json")
    assert load_baseline(path) == updated


def test_load_baseline_errors_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--update-baseline"):
        load_baseline(tmp_path / "none.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"gold_ids": []}', encoding="utf-8")
    with pytest.raises(InputError, match="not a baseline"):
        load_baseline(bad)
