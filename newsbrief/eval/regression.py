"""Check a run against a committed baseline (``evals/baseline.json``) and write new baselines.

A baseline holds newsbrief's metrics on a fixed gold subset, each with a tolerance: a run
regresses when a metric falls below its baseline value by more than the tolerance (or, for
the failure count, rises above it). Raising the baseline is an explicit command
(``newsbrief eval ... --update-baseline FILE``) whose result is reviewed in a commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field

from newsbrief.eval.gold import PathLike
from newsbrief.eval.schema import MODEL_SYSTEM, EvalReport, read_json_model
from newsbrief.models import FrozenModel

#: Default tolerance of an F1, ROUGE or accuracy metric (absolute).
DEFAULT_TOLERANCE = 0.05
#: Key of the failed-articles count, which must not grow.
FAILURES_KEY = "run/failed_articles"


class BaselineMetric(FrozenModel):
    """A metric's committed value and how far a run may fall short of it."""

    value: float
    tolerance: float = Field(ge=0.0)
    direction: Literal["higher", "lower"] = "higher"
    """``higher``: bigger is better (scores); ``lower``: smaller is better (failures)."""


class Baseline(FrozenModel):
    """The content of ``evals/baseline.json``."""

    schema_version: Literal[1] = 1
    gold_ids: list[str]
    """The articles the baseline was measured on; a check needs the same ones."""
    model_id: str
    git_commit: str | None = None
    prompts: list[str] = Field(default_factory=list)
    """Prompt ``id@sha256`` the baseline was measured with (for the reviewer)."""
    metrics: dict[str, BaselineMetric]
    """``task/system/metric`` (and ``run/failed_articles``) to value and tolerance."""


@dataclass(frozen=True)
class MetricCheck:
    """One metric of a run against its baseline."""

    key: str
    baseline: float
    tolerance: float
    direction: str
    current: float | None
    """``None``: the run does not have the metric (a regression)."""

    @property
    def ok(self) -> bool:
        """Whether the run is within tolerance of the baseline."""
        if self.current is None:
            return False
        if self.direction == "lower":
            return self.current <= self.baseline + self.tolerance + 1e-12
        return self.current >= self.baseline - self.tolerance - 1e-12


@dataclass(frozen=True)
class RegressionResult:
    """Every check of a run against a baseline."""

    checks: list[MetricCheck]
    problems: list[str]
    """Why the run cannot be compared at all (another gold subset)."""

    @property
    def ok(self) -> bool:
        """No regression and nothing that prevents the comparison."""
        return not self.problems and all(check.ok for check in self.checks)

    def render(self) -> str:
        """A plain-text table of the checks, regressions marked."""
        lines = [f"baseline check: {'ok' if self.ok else 'REGRESSION'}"]
        lines += [f"  problem: {p}" for p in self.problems]
        for c in self.checks:
            current = "missing" if c.current is None else f"{c.current:.4f}"
            bound = "min" if c.direction == "higher" else "max"
            limit = (
                c.baseline - c.tolerance if c.direction == "higher" else c.baseline + c.tolerance
            )
            mark = "ok " if c.ok else "BAD"
            lines.append(
                f"  {mark} {c.key}: {current} (baseline {c.baseline:.4f}, "
                f"tolerance {c.tolerance:g}, {bound} {limit:.4f})"
            )
        return "\n".join(lines) + "\n"


def report_metrics(report: EvalReport) -> dict[str, float | None]:
    """newsbrief's metrics in a report, keyed ``task/newsbrief/metric``, plus failures."""
    metrics: dict[str, float | None] = {}
    for task in report.tasks:
        system = task.system(MODEL_SYSTEM)
        if system is None:
            continue
        for name, summary in system.metrics.items():
            metrics[f"{task.task}/{MODEL_SYSTEM}/{name}"] = summary.value
    metrics[FAILURES_KEY] = float(len({f.article_id for f in report.failures}))
    return metrics


def check_baseline(report: EvalReport, baseline: Baseline) -> RegressionResult:
    """Check every metric of the baseline against the report.

    A metric the report lacks (task not run, or undefined) counts as a regression; a run
    on other articles than the baseline's cannot be checked at all.
    """
    problems = []
    if list(report.gold.ids) != list(baseline.gold_ids):
        missing = sorted(set(baseline.gold_ids) - set(report.gold.ids))
        extra = sorted(set(report.gold.ids) - set(baseline.gold_ids))
        problems.append(
            "the run's articles differ from the baseline's "
            f"(missing: {', '.join(missing) or '-'}; extra: {', '.join(extra) or '-'})"
        )
    current = report_metrics(report)
    checks = [
        MetricCheck(
            key=key,
            baseline=entry.value,
            tolerance=entry.tolerance,
            direction=entry.direction,
            current=current.get(key),
        )
        for key, entry in baseline.metrics.items()
    ]
    return RegressionResult(checks=checks, problems=problems)


def make_baseline(
    report: EvalReport,
    *,
    previous: Baseline | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> Baseline:
    """A baseline from a report: newsbrief's defined metrics and the failure count.

    Tolerances of metrics already in ``previous`` are kept (a reviewer may have tuned
    them); new metrics get ``tolerance``, the failure count 0.
    """
    metrics: dict[str, BaselineMetric] = {}
    for key, value in report_metrics(report).items():
        if value is None:
            continue
        old = previous.metrics.get(key) if previous is not None else None
        if key == FAILURES_KEY:
            metrics[key] = BaselineMetric(
                value=value, tolerance=old.tolerance if old else 0.0, direction="lower"
            )
        else:
            metrics[key] = BaselineMetric(
                value=round(value, 6), tolerance=old.tolerance if old else tolerance
            )
    prov = report.provenance
    return Baseline(
        gold_ids=list(report.gold.ids),
        model_id=prov.model_id,
        git_commit=prov.git_commit,
        prompts=[f"{p.id}@{p.sha256}" for p in prov.prompts],
        metrics=metrics,
    )


def load_baseline(path: PathLike) -> Baseline:
    """Read a baseline file.

    Raises:
        InputError: missing, not JSON or not a baseline; the message says how to make one.
    """
    file = Path(path)
    return read_json_model(
        file,
        Baseline,
        what="a baseline",
        missing=f"{file}: no baseline file; write one with "
        f"`newsbrief eval ... --update-baseline {file}`",
    )


def write_baseline(baseline: Baseline, path: PathLike) -> Path:
    """Write a baseline as indented JSON (stable key order, for reviewable diffs)."""
    file = Path(path)
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(baseline.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return file
