"""Build a report from a run and write it as ``report.json``, ``report.md`` and ``report.html``."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from newsbrief.eval.bootstrap import bootstrap_ci
from newsbrief.eval.gold import PathLike
from newsbrief.eval.runner import EvalRun
from newsbrief.eval.schema import (
    MODEL_SYSTEM,
    ArticleTask,
    EvalReport,
    GoldInfo,
    Margin,
    MetricSummary,
    RunProvenance,
    SplitSummary,
    SystemOutput,
    SystemSummary,
    Task,
    TaskSummary,
    system_kind,
)
from newsbrief.eval.task_metrics import (
    GATED_METRICS,
    HEADLINE_METRICS,
    MAIN_METRIC,
    ROW_METRIC,
    RULE_TASKS,
    aggregate,
    as_float,
    summarize_metrics,
)

_KIND_ORDER = {"model": 0, "baseline": 1, "reference": 2}


def build_report(
    run: EvalRun,
    provenance: RunProvenance,
    *,
    gold_paths: Sequence[PathLike] = (),
    splits: Mapping[str, Sequence[str]] | None = None,
    splits_file: str | None = None,
) -> EvalReport:
    """Aggregate a run into a report: each system's metrics per task with bootstrap CIs,
    newsbrief's margins over the best baseline, and the same per half of the gold.

    Each system is scored over the articles it produced output for: an article where
    newsbrief failed is left out of newsbrief's scores (and counted as a failure), never
    scored as zero.

    Args:
        run: the run.
        provenance: how the run was made; its ``seed`` and ``n_bootstrap`` drive the CIs.
        gold_paths: the gold files or directories, as given.
        splits: split name (``dev``, ``held-out``) to the ids in it; each task is also
            scored on the evaluated ids of each split.
        splits_file: where ``splits`` came from, for the report.

    Raises:
        ValueError: the run evaluated no article (an empty selection gives no report).
    """
    if not run.ids:
        raise ValueError("the run evaluated no article: nothing to report")
    evaluated = set(run.ids)
    halves = {name: [i for i in run.ids if i in set(ids)] for name, ids in (splits or {}).items()}
    halves = {name: ids for name, ids in halves.items() if ids and set(ids) <= evaluated}
    tasks = [
        _task_summary(task, run, provenance.seed, provenance.n_bootstrap, halves)
        for task in run.tasks
    ]
    return EvalReport(
        provenance=provenance,
        gold=GoldInfo(
            paths=[str(p) for p in gold_paths],
            n_records=run.n_gold,
            ids=run.ids,
            splits_file=splits_file,
            splits=halves,
        ),
        tasks=tasks,
        articles=run.articles,
        failures=run.failures,
    )


def _task_summary(
    task: Task, run: EvalRun, seed: int, n_bootstrap: int, halves: Mapping[str, Sequence[str]]
) -> TaskSummary:
    rows = [a for a in run.articles if a.task == task]
    splits = {}
    for name, ids in halves.items():
        wanted = set(ids)
        part = [row for row in rows if row.article_id in wanted]
        if part:
            splits[name] = SplitSummary(
                n_articles=len(part),
                systems=_systems(task, part, seed, n_bootstrap),
                margins=margins(task, part, seed=seed, n_bootstrap=n_bootstrap),
            )
    return TaskSummary(
        task=task,
        main_metric=MAIN_METRIC[task],
        n_articles=len(rows),
        n_failed_articles=sum(row.failed for row in rows),
        n_failures=sum(len(row.failures) for row in rows),
        seconds=run.timings.get(task, 0.0),
        systems=_systems(task, rows, seed, n_bootstrap),
        margins=margins(task, rows, seed=seed, n_bootstrap=n_bootstrap),
        splits=splits,
    )


def _systems(
    task: Task, rows: Sequence[ArticleTask], seed: int, n_bootstrap: int
) -> list[SystemSummary]:
    names = sorted(
        {name for row in rows for name in row.systems},
        key=lambda name: (_KIND_ORDER[system_kind(name)], name != MODEL_SYSTEM, name),
    )
    if MODEL_SYSTEM not in names:
        names.insert(0, MODEL_SYSTEM)  # every output failed: still a row, with n = 0
    systems = []
    for name in names:
        outputs = [row.systems[name] for row in rows if name in row.systems]
        systems.append(
            SystemSummary(
                system=name,
                kind=system_kind(name),
                n_articles=len(outputs),
                metrics=summarize_metrics(task, outputs, seed=seed, n_bootstrap=n_bootstrap),
            )
        )
    return systems


def margins(
    task: Task, rows: Sequence[ArticleTask], *, seed: int = 0, n_bootstrap: int = 1000
) -> list[Margin]:
    """newsbrief's margin over the best baseline on each of the task's gated metrics.

    For each baseline (reference systems are not baselines), both systems are scored on
    the articles both have output for; the best baseline is the one with the highest
    value there, and the margin is newsbrief's value minus that one's. The interval is a
    paired percentile bootstrap: each resample of those articles scores both systems on
    the same articles (same seed as every other interval).

    Returns:
        One margin per gated metric that newsbrief and at least one baseline define.
    """
    found = []
    baselines = sorted({n for row in rows for n in row.systems if system_kind(n) == "baseline"})
    for metric in GATED_METRICS[task]:
        best: tuple[float, str, list[ArticleTask], float] | None = None
        for name in baselines:
            shared = [r for r in rows if MODEL_SYSTEM in r.systems and name in r.systems]
            if not shared:
                continue
            ours = aggregate(task, [r.systems[MODEL_SYSTEM] for r in shared]).get(metric)
            theirs = aggregate(task, [r.systems[name] for r in shared]).get(metric)
            if ours is None or theirs is None:
                continue
            if best is None or theirs > best[0]:
                best = (theirs, name, shared, ours)
        if best is None:
            continue
        theirs, name, shared, ours = best
        low = high = None
        if n_bootstrap > 0:
            try:
                interval = bootstrap_ci(
                    shared, _margin_of(task, metric, name), n=n_bootstrap, seed=seed
                )
                low, high = interval.low, interval.high
            except ValueError:
                pass  # undefined on every resample: no interval
        found.append(
            Margin(
                metric=metric,
                over=name,
                value=ours - theirs,
                newsbrief=ours,
                baseline=theirs,
                low=low,
                high=high,
                n_articles=len(shared),
                deterministic=task in RULE_TASKS,
            )
        )
    return found


def _margin_of(task: Task, metric: str, baseline: str) -> Callable[[Sequence[ArticleTask]], float]:
    def margin(sample: Sequence[ArticleTask]) -> float:
        ours = as_float(aggregate(task, [r.systems[MODEL_SYSTEM] for r in sample]).get(metric))
        theirs = as_float(aggregate(task, [r.systems[baseline] for r in sample]).get(metric))
        return ours - theirs  # NaN when either is undefined: left out of the bootstrap

    return margin


def worst_first(rows: Sequence[ArticleTask]) -> list[ArticleTask]:
    """Article rows sorted worst first: failures, then newsbrief's row metric ascending."""

    def key(row: ArticleTask) -> tuple[int, float, str]:
        value = row_score(row, MODEL_SYSTEM)
        return (0 if row.failed else 1, -1.0 if value is None else value, row.article_id)

    return sorted(rows, key=key)


def row_score(row: ArticleTask, system: str) -> float | None:
    """A system's per-article score on the row's task (``None``: no output)."""
    output: SystemOutput | None = row.systems.get(system)
    return None if output is None else output.metrics.get(ROW_METRIC[row.task])


def format_metric(metric: MetricSummary | None) -> str:
    """``0.312 [0.281, 0.344]``; ``-`` for an undefined metric."""
    if metric is None or metric.value is None:
        return "-"
    if metric.low is None or metric.high is None:
        return f"{metric.value:.3f}"
    return f"{metric.value:.3f} [{metric.low:.3f}, {metric.high:.3f}]"


def format_score(value: float | None) -> str:
    """A per-article score with three decimals; ``-`` when missing."""
    return "-" if value is None else f"{value:.3f}"


def headline_rows(report: EvalReport) -> tuple[list[str], list[list[str]]]:
    """The headline table: one row per system, one column per task's main metric.

    Returns:
        Column headers and rows of formatted cells (``-`` where a system does not run
        on a task).
    """
    headers = ["system"] + [f"{t.task} {t.main_metric}" for t in report.tasks]
    names: list[str] = []
    for task in report.tasks:
        names.extend(s.system for s in task.systems if s.system not in names)
    rows = []
    for name in names:
        cells = [name]
        for task in report.tasks:
            system = task.system(name)
            cells.append(format_metric(system.metrics.get(task.main_metric)) if system else "-")
        rows.append(cells)
    return headers, rows


def format_margin(margin: Margin | None) -> str:
    """``+0.031 [-0.012, +0.070]``; ``-`` when there is none."""
    if margin is None:
        return "-"
    if margin.low is None or margin.high is None:
        return f"{margin.value:+.3f}"
    return f"{margin.value:+.3f} [{margin.low:+.3f}, {margin.high:+.3f}]"


def margin_rows(report: EvalReport) -> tuple[list[str], list[list[str]]]:
    """The margins table: per task and gated metric, newsbrief, the best model-free
    baseline, the margin with its paired-bootstrap interval, then the margin on each half
    of the gold."""
    halves = list(report.gold.splits)
    headers = ["task", "metric", "n", "newsbrief", "best baseline", "margin (all)"]
    headers += [f"margin ({name})" for name in halves]
    rows = []
    for task in report.tasks:
        for margin in task.margins:
            row = [
                task.task,
                margin.metric,
                str(margin.n_articles),
                f"{margin.newsbrief:.3f}",
                f"{margin.over} {margin.baseline:.3f}",
                format_margin(margin) + (" (rules: exact)" if margin.deterministic else ""),
            ]
            for name in halves:
                split = task.splits.get(name)
                found = (
                    next((m for m in split.margins if m.metric == margin.metric), None)
                    if split
                    else None
                )
                row.append(
                    "-"
                    if found is None
                    else f"{format_margin(found)} vs {found.over} (n={found.n_articles})"
                )
            rows.append(row)
    return headers, rows


def task_rows(
    task: TaskSummary, systems: Sequence[SystemSummary] | None = None
) -> tuple[list[str], list[list[str]]]:
    """A task's table: one row per system with n and every headline metric of the task
    (``systems``: those of one half of the gold instead of the whole)."""
    metrics = HEADLINE_METRICS[task.task]
    headers = ["system", "n", *metrics]
    rows = [
        [s.system, str(s.n_articles), *(format_metric(s.metrics.get(m)) for m in metrics)]
        for s in (task.systems if systems is None else systems)
    ]
    return headers, rows


def article_columns(task: TaskSummary) -> list[str]:
    """Systems shown in a task's per-article table: newsbrief and the baselines."""
    return [s.system for s in task.systems if s.kind != "reference"]


# -- Markdown -----------------------------------------------------------------------------


def render_markdown(report: EvalReport) -> str:
    """The report for people, as Markdown: headline, failures, tasks, articles, provenance."""
    prov = report.provenance
    lines = [
        "# newsbrief evaluation",
        "",
        f"Model `{_md(prov.model_id)}`, {len(report.gold.ids)} articles, "
        f"{prov.date}, newsbrief {prov.package_version}. "
        f"Intervals: 95% bootstrap over articles ({prov.n_bootstrap} resamples, seed {prov.seed}).",
        "",
        "## Margins over the best model-free baseline",
        "",
        "newsbrief minus the best baseline on the articles both answered; 95% paired "
        "bootstrap interval over articles. A negative margin: a system without the model "
        "does better.",
        "",
        *_md_table(*margin_rows(report)),
        "",
        "## Headline",
        "",
        *_md_table(*headline_rows(report)),
        "",
        "## Failures",
        "",
    ]
    if report.failures:
        lines.append(
            f"{len(report.failures)} failures (left out of the scores, not counted as zeros):"
        )
        lines.append("")
        lines += _md_table(
            ["article", "task", "item", "error", "message"],
            [
                [
                    f.article_id,
                    f.task,
                    "-" if f.item is None else str(f.item),
                    f.error_type,
                    f.message,
                ]
                for f in report.failures
            ],
        )
    else:
        lines.append("No failures.")
    for task in report.tasks:
        lines += [
            "",
            f"## Task: {task.task}",
            "",
            f"{task.n_articles} articles, {task.n_failed_articles} failed "
            f"({task.n_failures} failures), newsbrief took {task.seconds:.1f} s. "
            f"Main metric: {task.main_metric}.",
            "",
            *_md_table(*task_rows(task)),
            "",
        ]
        for name, split in task.splits.items():
            lines += [
                f"### {name} ({split.n_articles} articles)",
                "",
                *_md_table(*task_rows(task, split.systems)),
                "",
            ]
        lines += [
            f"### Articles, worst first (by newsbrief {ROW_METRIC[task.task]})",
            "",
        ]
        columns = article_columns(task)
        rows = [
            [
                row.article_id,
                "failed" if row.failed else "ok",
                *(format_score(row_score(row, name)) for name in columns),
            ]
            for row in worst_first(report.articles_of(task.task))
        ]
        lines += _md_table(["article", "status", *columns], rows)
    lines += ["", "## Provenance", "", *_md_table(["field", "value"], provenance_rows(prov))]
    return "\n".join(lines) + "\n"


def provenance_rows(prov: RunProvenance) -> list[list[str]]:
    """Provenance as ``(field, value)`` rows for the Markdown and HTML reports."""
    prompts = ", ".join(f"{p.id} ({p.sha256[:12]})" for p in prov.prompts) or "-"
    timings = ", ".join(f"{k} {v:.1f} s" for k, v in prov.timings.items())
    return [
        ["package version", prov.package_version],
        ["git commit", (prov.git_commit or "unknown") + (" (dirty)" if prov.git_dirty else "")],
        ["model", prov.model_id],
        ["prompt style", prov.style or "-"],
        ["prompts", prompts],
        ["bootstrap seed", str(prov.seed)],
        ["briefer seed", "-" if prov.briefer_seed is None else str(prov.briefer_seed)],
        ["command", " ".join(prov.command) or "-"],
        ["date", prov.date],
        ["python", prov.python],
        ["timings", timings or "-"],
    ]


def _md(text: str) -> str:
    """A table cell: pipes and HTML escaped (Markdown renders raw HTML), one line."""
    return html.escape(" ".join(text.split()), quote=False).replace("|", "\\|")


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(_md(h) for h in headers) + " |"]
    out.append("|" + "|".join("---" for _ in headers) + "|")
    out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    return out


# -- files --------------------------------------------------------------------------------


def write_reports(report: EvalReport, out_dir: PathLike) -> list[Path]:
    """Write ``report.json``, ``report.md`` and ``report.html`` into ``out_dir`` (created).

    Returns:
        The paths written.
    """
    from newsbrief.eval.html import render_html

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "report.json": report.model_dump_json(indent=2) + "\n",
        "report.md": render_markdown(report),
        "report.html": render_html(report),
    }
    written = []
    for name, content in files.items():
        path = out / name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written
