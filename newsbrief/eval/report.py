"""Build the evaluation report from a run and write it as ``report.json``, ``.md`` and ``.html``."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from newsbrief.eval.bootstrap import bootstrap_ci
from newsbrief.eval.gold import PathLike
from newsbrief.eval.html import render_html
from newsbrief.eval.markdown import render_markdown
from newsbrief.eval.runner import EvalRun
from newsbrief.eval.schema import (
    MODEL_SYSTEM,
    ArticleTask,
    EvalReport,
    GoldInfo,
    Margin,
    RunProvenance,
    SplitSummary,
    SystemSummary,
    Task,
    TaskSummary,
    system_kind,
)
from newsbrief.eval.task_metrics import (
    GATED_METRICS,
    MAIN_METRIC,
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


def write_reports(report: EvalReport, out_dir: PathLike) -> list[Path]:
    """Write ``report.json``, ``report.md`` and ``report.html`` into ``out_dir`` (created).

    Returns:
        The paths written.
    """
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
