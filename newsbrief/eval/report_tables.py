"""The evaluation report's tables as rows of cells, shared by its Markdown and HTML pages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from newsbrief.eval.schema import (
    MODEL_SYSTEM,
    ArticleTask,
    EvalReport,
    Margin,
    MetricSummary,
    RunProvenance,
    SystemOutput,
    SystemSummary,
    TaskSummary,
)
from newsbrief.eval.task_metrics import HEADLINE_METRICS, ROW_METRIC
from newsbrief.models import ABSTAINED

#: Below this many articles a task's scores are a smoke test, not a measurement: the
#: bootstrap interval over articles is wide, or zero-width when every article agrees.
MIN_ARTICLES = 20


#: Tasks served by the trained stance head: articles it learnt from are marked in them.
TRAINED_TASKS = frozenset({"stance", "brief-stance"})
#: The mark after such an article's id.
TRAINED_MARK = "†"


def trained_ids(report: EvalReport, task: TaskSummary) -> list[str]:
    """The task's articles that the system was trained on (marked :data:`TRAINED_MARK`)."""
    if task.task not in TRAINED_TASKS:
        return []
    seen = set(report.provenance.trained_on)
    return [r.article_id for r in report.articles_of(task.task) if r.article_id in seen]


def training_note(report: EvalReport, task: TaskSummary) -> str:
    """``2 of 2 articles (marked †) were in the stance head's training data ...``, or ``""``."""
    marked = trained_ids(report, task)
    if not marked:
        return ""
    total = len(report.articles_of(task.task))
    return (
        f"{len(marked)} of {total} articles (marked {TRAINED_MARK}) were in the stance head's "
        "training data: their scores overstate how it does on unseen articles; the held-out "
        "half (when the report has one) is the fair measure."
    )


def article_label(report: EvalReport, row: ArticleTask) -> str:
    """An article's id, marked when the system was trained on it for this task."""
    if row.task in TRAINED_TASKS and row.article_id in set(report.provenance.trained_on):
        return f"{row.article_id} {TRAINED_MARK}"
    return row.article_id


def small_sample_warnings(report: EvalReport) -> list[str]:
    """One warning per task scored on fewer than :data:`MIN_ARTICLES` articles."""
    return [
        f"{task.task}: scored on {task.n_articles} article"
        f"{'' if task.n_articles == 1 else 's'} (under {MIN_ARTICLES}): its intervals are "
        "wide or meaningless; read it as a smoke test, not a measurement"
        for task in report.tasks
        if task.n_articles < MIN_ARTICLES
    ]


def answer_rows(row: ArticleTask) -> tuple[list[str], list[list[str]]] | None:
    """Gold beside every system's answer, item by item, each marked right (✓) or wrong (✗),
    with the words of newsbrief's evidence; ``None`` when the task's gold is not a list of
    labelled items (summaries, quotes, speakers).
    """
    gold = row.gold
    if not (
        isinstance(gold, list)
        and gold
        and all(isinstance(g, Mapping) and "label" in g for g in gold)
    ):
        return None
    names = list(row.systems)
    headers = ["speaker", "gold", *names, f"{MODEL_SYSTEM} evidence"]
    rows = []
    for index, item in enumerate(gold):
        cells = [str(item.get("speaker") or "the author"), str(item["label"])]
        for name in names:
            answer = _answer(row.systems[name].prediction, index)
            if answer is None:
                cells.append("-")
                continue
            label = answer.get("label")
            shown = ABSTAINED if label is None else str(label)
            cells.append(f"{'✓' if label == item['label'] else '✗'} {shown}")
        evidence = (
            _answer(row.systems[MODEL_SYSTEM].prediction, index)
            if MODEL_SYSTEM in row.systems
            else None
        )
        words = (evidence or {}).get("evidence") or []
        cells.append(" / ".join(f"“{w}”" for w in words) or "-")
        rows.append(cells)
    return headers, rows


def _answer(prediction: Any, index: int) -> Mapping[str, Any] | None:
    """A system's answer to gold item ``index`` (answers name their ``item``)."""
    if not isinstance(prediction, list):
        return None
    return next((p for p in prediction if isinstance(p, Mapping) and p.get("item") == index), None)


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


def failure_rows(report: EvalReport) -> tuple[list[str], list[list[str]]]:
    """The run's failures as a table: article, task, item (``-`` for the whole article),
    error type and message."""
    headers = ["article", "task", "item", "error", "message"]
    rows = [
        [f.article_id, f.task, "-" if f.item is None else str(f.item), f.error_type, f.message]
        for f in report.failures
    ]
    return headers, rows


def article_rows(
    report: EvalReport, task: TaskSummary, rows: Sequence[ArticleTask]
) -> tuple[list[str], list[list[str]]]:
    """A task's per-article table: each article's label, ``failed`` or ``ok``, and its
    row-metric score by each system of :func:`article_columns`."""
    columns = article_columns(task)
    table = [
        [
            article_label(report, row),
            "failed" if row.failed else "ok",
            *(format_score(row_score(row, name)) for name in columns),
        ]
        for row in rows
    ]
    return ["article", "status", *columns], table


def article_columns(task: TaskSummary) -> list[str]:
    """Systems shown in a task's per-article table: newsbrief and the baselines."""
    return [s.system for s in task.systems if s.kind != "reference"]


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
