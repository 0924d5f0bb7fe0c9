"""Tests for the margin gate: tolerances from the interval, exact rule tasks, model and
prompt changes, failures, other subsets, refusing to lower a baseline."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsbrief.errors import InputError
from newsbrief.eval.regression import (
    Baseline,
    LowerBaselineError,
    MarginEntry,
    check_baseline,
    load_baseline,
    make_baseline,
    report_margins,
    write_baseline,
)
from newsbrief.eval.schema import (
    EvalReport,
    Failure,
    GoldInfo,
    Margin,
    RunProvenance,
    TaskSummary,
)
from newsbrief.models import PromptRecord

IDS = ["a", "b"]


def make_report(
    margin: float | None,
    *,
    ids: list[str] = IDS,
    failed: int = 0,
    model_id: str = "m",
    prompt_hash: str = "f" * 64,
    quotes_margin: float = 0.1,
) -> EvalReport:
    provenance = RunProvenance(
        package_version="0.1.0",
        git_commit="c" * 40,
        git_dirty=False,
        model_id=model_id,
        style="base",
        prompts=[PromptRecord(id="summary.base@v1", sha256=prompt_hash)],
        seed=0,
        briefer_seed=0,
        n_bootstrap=0,
        command=[],
        date="2026-01-01T00:00:00+00:00",
        python="3.11",
        timings={},
    )
    summary_margins = []
    if margin is not None:
        summary_margins.append(
            Margin(
                metric="rougeL_f1",
                over="lead-3",
                value=margin,
                newsbrief=0.3 + margin,
                baseline=0.3,
                low=margin - 0.0392,
                high=margin + 0.0392,  # half-width 1.96 * 0.02: one standard error 0.02
                n_articles=2,
            )
        )
    tasks = [
        TaskSummary(
            task="summary",
            main_metric="rougeL_f1",
            n_articles=2,
            n_failed_articles=failed,
            n_failures=failed,
            seconds=0.0,
            systems=[],
            margins=summary_margins,
        ),
        TaskSummary(
            task="quotes",
            main_metric="overlap_f1",
            n_articles=2,
            n_failed_articles=0,
            n_failures=0,
            seconds=0.0,
            systems=[],
            margins=[
                Margin(
                    metric="overlap_f1",
                    over="quote-marks+nearest-name",
                    value=quotes_margin,
                    newsbrief=0.8,
                    baseline=0.8 - quotes_margin,
                    low=quotes_margin - 0.2,
                    high=quotes_margin + 0.2,
                    n_articles=2,
                    deterministic=True,
                )
            ],
        ),
    ]
    failures = [
        Failure(article_id=ids[i], task="summary", error_type="E", message="m")
        for i in range(failed)
    ]
    return EvalReport(
        provenance=provenance,
        gold=GoldInfo(paths=[], n_records=2, ids=ids),
        tasks=tasks,
        articles=[],
        failures=failures,
    )


def test_margins_are_exact_and_carry_one_standard_error_of_noise() -> None:
    margins = report_margins(make_report(0.05))
    assert margins["summary/rougeL_f1"].tolerance == 0.0
    assert margins["summary/rougeL_f1"].noise == pytest.approx(0.02)
    assert margins["summary/rougeL_f1"].over == "lead-3"
    assert margins["quotes/overlap_f1"].noise == 0.0  # rules: no sampling noise


@pytest.mark.parametrize(
    ("current", "ok"),
    [(0.05, True), (0.0499999, True), (0.0499, False), (-0.01, False), (0.2, True)],
)
def test_a_margin_may_not_fall(current: float, ok: bool) -> None:
    baseline = make_baseline(make_report(0.05))
    result = check_baseline(make_report(current), baseline)
    assert result.ok is ok
    assert ("BAD margin summary/rougeL_f1" in result.render()) is not ok


@pytest.mark.parametrize(("current", "ok"), [(0.031, True), (0.030, True), (0.0299, False)])
def test_a_reviewed_tolerance_is_kept_and_used(current: float, ok: bool) -> None:
    first = make_baseline(make_report(0.05))
    entry = first.margins["summary/rougeL_f1"]
    reviewed = first.model_copy(
        update={
            "margins": {
                **first.margins,
                "summary/rougeL_f1": entry.model_copy(update={"tolerance": entry.noise}),
            }
        }
    )
    assert make_baseline(make_report(0.05), previous=reviewed) == reviewed
    assert check_baseline(make_report(current), reviewed).ok is ok


def test_an_exact_margin_may_not_fall_at_all() -> None:
    baseline = make_baseline(make_report(0.05, quotes_margin=0.1))
    assert check_baseline(make_report(0.05, quotes_margin=0.1), baseline).ok
    assert not check_baseline(make_report(0.05, quotes_margin=0.0999), baseline).ok


def test_more_failed_articles_than_the_baseline_is_a_regression() -> None:
    baseline = make_baseline(make_report(0.05))
    assert baseline.failed_articles == 0
    result = check_baseline(make_report(0.05, failed=1), baseline)
    assert not result.ok and "1 articles failed" in result.problems[0]
    tolerant = make_baseline(make_report(0.05, failed=1))
    assert check_baseline(make_report(0.05, failed=1), tolerant).ok


def test_a_missing_margin_is_a_regression() -> None:
    baseline = make_baseline(make_report(0.05))
    result = check_baseline(make_report(None), baseline)
    assert not result.ok
    assert "margin summary/rougeL_f1: missing" in result.render()


def test_another_subset_model_or_prompt_fails_the_check() -> None:
    baseline = make_baseline(make_report(0.05))
    result = check_baseline(make_report(0.05, ids=["a", "z"]), baseline)
    assert result.problems == [
        "the run's articles differ from the baseline's (missing: b; extra: z)"
    ]
    other_model = check_baseline(make_report(0.05, model_id="m2"), baseline)
    assert not other_model.ok
    assert "model 'm2' is not the baseline's 'm'" in other_model.problems[0]
    other_prompt = check_baseline(make_report(0.05, prompt_hash="0" * 64), baseline)
    assert not other_prompt.ok
    assert "prompts differ from the baseline's (summary.base@v1)" in other_prompt.problems[0]


def test_update_refuses_a_lower_margin_without_a_reason() -> None:
    previous = make_baseline(make_report(0.05))
    with pytest.raises(LowerBaselineError, match=re.escape("summary/rougeL_f1 +0.0500 -> +0.0400")):
        make_baseline(make_report(0.04), previous=previous)
    with pytest.raises(LowerBaselineError, match="failed_articles"):
        make_baseline(make_report(0.05, failed=1), previous=previous)
    with pytest.raises(LowerBaselineError, match="missing"):
        make_baseline(make_report(None), previous=previous)
    # Higher or equal figures need no reason.
    assert make_baseline(make_report(0.06), previous=previous).lowerings == []


def test_update_with_a_reason_stores_it(tmp_path: Path) -> None:
    previous = make_baseline(make_report(0.05))
    lowered = make_baseline(make_report(0.04), previous=previous, allow_lower="new data")
    (entry,) = lowered.lowerings
    assert entry.reason == "new data"
    assert entry.lowered == {"summary/rougeL_f1": (0.05, 0.04)}
    assert lowered.margins["summary/rougeL_f1"].value == 0.04
    # Later updates keep the record.
    again = make_baseline(make_report(0.04), previous=lowered)
    assert again.lowerings == lowered.lowerings
    path = write_baseline(again, tmp_path / "evals" / "baseline.json")
    assert load_baseline(path) == again
    with pytest.raises(ValueError, match="reason"):
        make_baseline(make_report(0.04), previous=previous, allow_lower=" ")


def test_baseline_records_model_and_prompts() -> None:
    baseline = make_baseline(make_report(0.05))
    assert baseline.model_id == "m"
    assert baseline.prompts == ["summary.base@v1@" + "f" * 64]
    assert baseline.margins["summary/rougeL_f1"] == MarginEntry(
        value=0.05, over="lead-3", low=0.0108, high=0.0892, noise=0.02, tolerance=0.0
    )


def test_load_baseline_errors_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--update-baseline"):
        load_baseline(tmp_path / "none.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"gold_ids": []}', encoding="utf-8")
    with pytest.raises(InputError, match="not a baseline"):
        load_baseline(bad)
    assert Baseline.model_fields["schema_version"].default == 2
