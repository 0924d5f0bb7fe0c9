"""Compare two runs: per-metric differences with paired bootstrap CIs over shared articles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsbrief.errors import InputError
from newsbrief.eval.bootstrap import bootstrap_ci
from newsbrief.eval.report_tables import provenance_rows
from newsbrief.eval.schema import MODEL_SYSTEM, EvalReport, SystemOutput, Task
from newsbrief.eval.task_metrics import METRICS, aggregate, as_float


@dataclass(frozen=True)
class MetricDiff:
    """One metric of one system on one task in run A and run B, over their shared articles."""

    task: Task
    system: str
    metric: str
    n_shared: int
    """Articles where the system has output in both runs (the pairs resampled)."""
    a: float | None
    b: float | None
    diff: float | None
    """``b - a``; ``None`` when either is undefined."""
    low: float | None = None
    high: float | None = None

    @property
    def verdict(self) -> str:
        """``better`` / ``worse`` when the interval excludes 0, else ``no clear change``;
        ``not compared`` when no article has output in both runs."""
        if self.n_shared == 0:
            return "not compared (no shared articles)"
        if self.low is not None and self.low > 0:
            return "better"
        if self.high is not None and self.high < 0:
            return "worse"
        return "no clear change"


@dataclass(frozen=True)
class Comparison:
    """Every metric difference between two runs and what differs in how they were made."""

    a: EvalReport
    b: EvalReport
    diffs: list[MetricDiff]


def compare_reports(
    a: EvalReport,
    b: EvalReport,
    *,
    systems: Sequence[str] = (MODEL_SYSTEM,),
    seed: int = 0,
    n_bootstrap: int = 1000,
) -> Comparison:
    """Differences ``b - a`` of each metric, with paired bootstrap 95% intervals.

    Only articles where the system produced output in both runs are compared (an article
    that failed in either run is left out), so both values are over the same articles. The
    bootstrap resamples those articles and recomputes the metric on both runs' outputs of
    the same resample, which keeps the pairing (the difference is usually much tighter
    than the two runs' own intervals).

    Args:
        a: the earlier (reference) run.
        b: the later run.
        systems: which systems to compare (by default newsbrief only: the baselines only
            change when the gold does).
        seed: seed of the bootstrap.
        n_bootstrap: resamples; 0 skips the intervals.

    Returns:
        One ``MetricDiff`` per task, system and metric found in both runs.

    Raises:
        InputError: the runs share no task, or no article scored in both on any shared
            task (nothing can be compared: e.g. two different gold sets).
    """
    shared_tasks = [t.task for t in a.tasks if b.task(t.task) is not None]
    if not shared_tasks:
        raise InputError(
            f"the runs share no task (A: {', '.join(t.task for t in a.tasks) or 'none'}; "
            f"B: {', '.join(t.task for t in b.tasks) or 'none'}): nothing to compare"
        )
    shared_ids = {r.article_id for t in shared_tasks for r in a.articles_of(t)} & {
        r.article_id for t in shared_tasks for r in b.articles_of(t)
    }
    if not shared_ids:
        raise InputError(
            f"the runs share no article ({len(a.gold.ids)} in A, {len(b.gold.ids)} in B, "
            "none in both): compare runs on the same gold articles"
        )
    diffs: list[MetricDiff] = []
    for summary in a.tasks:
        task = summary.task
        if b.task(task) is None:
            continue
        rows_b = {row.article_id: row for row in b.articles_of(task)}
        for system in systems:
            pairs: list[tuple[SystemOutput, SystemOutput]] = []
            for row in a.articles_of(task):
                other = rows_b.get(row.article_id)
                if other is not None and system in row.systems and system in other.systems:
                    pairs.append((row.systems[system], other.systems[system]))
            for metric in METRICS[task]:
                diffs.append(_diff(task, system, metric, pairs, seed, n_bootstrap))
    return Comparison(a=a, b=b, diffs=diffs)


def _diff(
    task: Task,
    system: str,
    metric: str,
    pairs: list[tuple[SystemOutput, SystemOutput]],
    seed: int,
    n_bootstrap: int,
) -> MetricDiff:
    value_a = aggregate(task, [p for p, _ in pairs])[metric]
    value_b = aggregate(task, [q for _, q in pairs])[metric]
    if value_a is None or value_b is None:
        return MetricDiff(task, system, metric, len(pairs), value_a, value_b, None)
    diff = value_b - value_a
    if n_bootstrap < 1:
        return MetricDiff(task, system, metric, len(pairs), value_a, value_b, diff)

    def paired_difference(sample: Sequence[tuple[SystemOutput, SystemOutput]]) -> float:
        before = as_float(aggregate(task, [p for p, _ in sample])[metric])
        after = as_float(aggregate(task, [q for _, q in sample])[metric])
        return after - before

    low, high = bootstrap_ci(pairs, paired_difference, n=n_bootstrap, seed=seed)
    return MetricDiff(task, system, metric, len(pairs), value_a, value_b, diff, low, high)


def render_comparison(comparison: Comparison, *, a_name: str = "A", b_name: str = "B") -> str:
    """The comparison as Markdown: what differs in provenance, then one row per metric."""
    rows_a = {k: v for k, v in provenance_rows(comparison.a.provenance)}
    rows_b = {k: v for k, v in provenance_rows(comparison.b.provenance)}
    changed = [
        key
        for key in ("git commit", "model", "prompt style", "package version")
        if rows_a[key] != rows_b[key]
    ]
    lines = [f"# newsbrief eval: {a_name} -> {b_name}", ""]
    for key in changed:
        lines.append(f"- {key}: {rows_a[key]} -> {rows_b[key]}")
    prompts = _prompt_changes(comparison)
    if prompts:
        lines.append(f"- prompts: {prompts}")
    if not changed and not prompts:
        lines.append("- same commit, model and prompts")
    lines += [
        "",
        "Differences are B - A over the articles both runs scored, with paired 95% "
        "bootstrap intervals.",
        "",
        "| task | system | metric | n | A | B | B - A [95% CI] | verdict |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for d in comparison.diffs:
        lines.append(
            f"| {d.task} | {d.system} | {d.metric} | {d.n_shared} | {_num(d.a)} | {_num(d.b)} "
            f"| {_signed(d)} | {d.verdict} |"
        )
    return "\n".join(lines) + "\n"


def _prompt_changes(comparison: Comparison) -> str:
    """The prompts only one run used, as ``- old (hash), + new (hash)``; empty when both
    used the same prompts (in whatever order they were recorded)."""
    before = {(p.id, p.sha256) for p in comparison.a.provenance.prompts}
    after = {(p.id, p.sha256) for p in comparison.b.provenance.prompts}
    gone = [f"- {i} ({h[:12]})" for i, h in sorted(before - after)]
    new = [f"+ {i} ({h[:12]})" for i, h in sorted(after - before)]
    return ", ".join(gone + new)


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _signed(d: MetricDiff) -> str:
    if d.diff is None:
        return "-"
    if d.low is None or d.high is None:
        return f"{d.diff:+.3f}"
    return f"{d.diff:+.3f} [{d.low:+.3f}, {d.high:+.3f}]"
