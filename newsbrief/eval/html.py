"""The HTML report: one self-contained page from a Jinja2 template, with matplotlib SVG plots.

The template autoescapes every value: an article, gold item, system name or error
message holding ``<script>`` shows the tag as text and never runs it. Only the plots are
inserted as markup (matplotlib escapes their text).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from pydantic import BaseModel

from newsbrief.eval.plots import Bar, svg_bar_chart, svg_histogram, svg_share_chart
from newsbrief.eval.report_tables import (
    answer_rows,
    article_label,
    article_rows,
    failure_rows,
    format_metric,
    format_score,
    headline_rows,
    margin_rows,
    provenance_rows,
    row_score,
    small_sample_warnings,
    task_rows,
    training_note,
    worst_first,
)
from newsbrief.eval.schema import MODEL_SYSTEM, EvalReport, TaskSummary
from newsbrief.eval.task_metrics import HEADLINE_METRICS, ROW_METRIC

#: Suffix of per-system metrics that are shares of one whole (plotted stacked).
SHARE_SUFFIX = "_share"


def render_html(report: EvalReport) -> str:
    """The report as a self-contained HTML page.

    Sections: headline table, plots (per task: the main metric per system with n, the
    per-article row metric per system beside newsbrief's histogram of it, and the share
    of summary sentences by method where the report has it), failures, one section per
    task (system table, margins and halves where the report has them, per-article rows
    worst first, each with the article's opening, the gold and every system's output),
    and provenance.
    """
    prov = report.provenance
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            prov=prov,
            n_articles=len(report.gold.ids),
            headline=headline_rows(report),
            margins=margin_rows(report),
            tasks=[_task_context(report, task) for task in report.tasks],
            failures=failure_rows(report),
            provenance=provenance_rows(prov),
            warnings=small_sample_warnings(report),
        )
    )


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("newsbrief.eval", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cell"] = cell
    env.filters["row_of"] = lambda item, keys: [cell(item.get(k)) for k in keys]
    return env


def row_metric(task: TaskSummary) -> str:
    """The metric per-article rows are ordered by (the main metric for an unknown task)."""
    return ROW_METRIC.get(task.task, task.main_metric)


def task_plots(report: EvalReport, task: TaskSummary) -> list[str]:
    """A task's plots, as inline SVG, in reading order (see :func:`task_plot_rows`)."""
    return [svg for row in task_plot_rows(report, task) for svg in row]


def task_plot_rows(report: EvalReport, task: TaskSummary) -> list[list[str]]:
    """A task's plots in rows, as inline SVG.

    Rows: the main metric's bars (when per-article rows are ordered by another metric);
    the row metric's bars beside newsbrief's histogram of the same metric; stacked shares
    (summary sentences by method) when the systems have them.
    """
    metric = row_metric(task)
    rows = []
    if task.main_metric != metric:
        rows.append([_bars(task, task.main_metric)])
    values = [
        value
        for row in report.articles_of(task.task)
        if (output := row.systems.get(MODEL_SYSTEM)) is not None
        and (value := output.metrics.get(metric)) is not None
    ]
    histogram = svg_histogram(values, title=f"{task.task}: newsbrief per article", xlabel=metric)
    rows.append([_bars(task, metric), histogram])
    shares = {
        s.system: {
            name.removesuffix(SHARE_SUFFIX): m.value
            for name, m in s.metrics.items()
            if name.endswith(SHARE_SUFFIX) and m.value is not None
        }
        for s in task.systems
    }
    shares = {name: parts for name, parts in shares.items() if parts}
    if shares:
        rows.append([svg_share_chart(shares, title=f"{task.task}: summary sentences by method")])
    return rows


def _bars(task: TaskSummary, metric: str) -> str:
    bars = [
        Bar(
            label=s.system,
            value=m.value,
            low=m.low,
            high=m.high,
            highlight=s.system == MODEL_SYSTEM,
            n=s.n_articles,
            kind=s.kind,
        )
        for s in task.systems
        if (m := s.metrics.get(metric)) is not None and m.value is not None
    ]
    return svg_bar_chart(bars, title=f"{task.task}: {metric}", xlabel=metric)


def _task_context(report: EvalReport, task: TaskSummary) -> dict[str, Any]:
    rows = worst_first(report.articles_of(task.task))
    article_headers, article_table = article_rows(report, task, rows)
    return {
        "name": task.task,
        "n_articles": task.n_articles,
        "n_failed_articles": task.n_failed_articles,
        "n_failures": task.n_failures,
        "seconds": task.seconds,
        "main_metric": task.main_metric,
        "row_metric": row_metric(task),
        "plot_rows": [[Markup(svg) for svg in row] for row in task_plot_rows(report, task)],
        "table": task_rows(task),
        "extra_tables": _extra_tables(task),
        "article_headers": article_headers,
        "training_note": training_note(report, task),
        "article_rows": article_table,
        "article_classes": ["failed" if row.failed else "" for row in rows],
        "details": [
            {
                "article_id": article_label(report, row),
                "title": row.title,
                "score": format_score(row_score(row, MODEL_SYSTEM)),
                "excerpt": row.excerpt,
                "failures": row.failures,
                "answers": answer_rows(row),
                "gold": _plain(row.gold),
                "systems": {
                    name: {"prediction": _plain(o.prediction)} for name, o in row.systems.items()
                },
            }
            for row in rows
        ],
    }


def _extra_tables(task: TaskSummary) -> list[dict[str, Any]]:
    """Tables of whatever else the task summary carries: margins, halves of the gold.

    Read generically (any list of records becomes a table of its fields), so fields the
    report gains show up without a change here.
    """
    tables = []
    margins = getattr(task, "margins", None) or []
    if margins:
        headers, rows = records_table(margins)
        tables.append(
            {"title": "Margin over the best model-free system", "headers": headers, "rows": rows}
        )
    splits = getattr(task, "splits", None) or {}
    for name, split in splits.items():
        metrics = HEADLINE_METRICS.get(task.task, ())
        systems = getattr(split, "systems", [])
        if not metrics:
            metrics = tuple(dict.fromkeys(k for s in systems for k in s.metrics))
        rows = [
            [s.system, str(s.n_articles), *(format_metric(s.metrics.get(m)) for m in metrics)]
            for s in systems
        ]
        n = getattr(split, "n_articles", len(rows))
        tables.append(
            {
                "title": f"Half: {name} ({n} articles)",
                "headers": ["system", "n", *metrics],
                "rows": rows,
            }
        )
        split_margins = getattr(split, "margins", None) or []
        if split_margins:
            headers, margin_rows = records_table(split_margins)
            tables.append(
                {"title": f"Half: {name}, margins", "headers": headers, "rows": margin_rows}
            )
    return tables


def records_table(records: Sequence[BaseModel]) -> tuple[list[str], list[list[str]]]:
    """Pydantic records as a table: one column per field, in field order."""
    dumps = [record.model_dump() for record in records]
    headers = list(dict.fromkeys(k for d in dumps for k in d))
    return headers, [[cell(d.get(k)) for k in headers] for d in dumps]


def cell(value: Any) -> str:
    """A table cell: ``-`` for missing, three decimals for floats, else ``str``."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _plain(value: Any) -> Any:
    """Gold or a prediction as strings, lists and dicts (pydantic records dumped)."""
    if isinstance(value, BaseModel):
        return value.model_dump()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value
