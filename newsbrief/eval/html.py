"""The HTML report: one self-contained page with tables, inline SVG plots and article details.

Every piece of article, gold or model text is HTML-escaped: an article holding
``<script>`` shows the tag as text and never runs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from newsbrief.eval.plots import Bar, svg_bar_chart, svg_histogram
from newsbrief.eval.report import (
    article_columns,
    format_score,
    headline_rows,
    margin_rows,
    provenance_rows,
    row_score,
    task_rows,
    worst_first,
)
from newsbrief.eval.schema import MODEL_SYSTEM, ArticleTask, EvalReport, TaskSummary
from newsbrief.eval.task_metrics import ROW_METRIC

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
tr.failed td { background: #fde8e8; }
.plots { display: flex; flex-wrap: wrap; gap: 1em; }
details { margin: 0.2em 0; }
pre { white-space: pre-wrap; background: #f7f7f7; padding: 0.5em; }
.muted { color: #777; }
"""


def render_html(report: EvalReport) -> str:
    """The report as a self-contained HTML page.

    Sections: headline table, plots (newsbrief beside the baselines per task, and the
    distribution of newsbrief's per-article scores), failures, one section per task
    (system table, then per-article rows worst first, each with the article's opening,
    the gold and every system's output), and provenance.
    """
    prov = report.provenance
    body = [
        "<h1>newsbrief evaluation</h1>",
        f'<p class="muted">Model <code>{escape(prov.model_id)}</code>, '
        f"{len(report.gold.ids)} articles, {escape(prov.date)}, newsbrief "
        f"{escape(prov.package_version)}. Intervals: 95% bootstrap over articles "
        f"({prov.n_bootstrap} resamples, seed {prov.seed}).</p>",
        '<h2 id="margins">Margins over the best model-free baseline</h2>',
        _table(*margin_rows(report)),
        '<h2 id="headline">Headline</h2>',
        _table(*headline_rows(report)),
        '<h2 id="plots">Plots</h2>',
        '<div class="plots">',
        *(_task_plots(report, task) for task in report.tasks),
        "</div>",
        '<h2 id="failures">Failures</h2>',
        _failures(report),
    ]
    for task in report.tasks:
        body.append(_task_section(report, task))
    body += [
        '<h2 id="provenance">Provenance</h2>',
        _table(["field", "value"], provenance_rows(prov)),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>newsbrief evaluation</title>\n"
        f"<style>{_STYLE}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def _table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], row_classes: Sequence[str] = ()
) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    lines = [f"<table>\n<tr>{head}</tr>"]
    for i, row in enumerate(rows):
        cls = (
            f' class="{escape(row_classes[i])}"' if i < len(row_classes) and row_classes[i] else ""
        )
        lines.append(f"<tr{cls}>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def _task_plots(report: EvalReport, task: TaskSummary) -> str:
    bars = [
        Bar(
            label=s.system,
            value=metric.value,
            low=metric.low,
            high=metric.high,
            highlight=s.system == MODEL_SYSTEM,
        )
        for s in task.systems
        if (metric := s.metrics.get(task.main_metric)) is not None and metric.value is not None
    ]
    scores = [
        value
        for row in report.articles_of(task.task)
        if (value := row_score(row, MODEL_SYSTEM)) is not None
    ]
    return svg_bar_chart(bars, title=f"{task.task}: {task.main_metric}") + svg_histogram(
        scores, title=f"{task.task}: newsbrief {ROW_METRIC[task.task]} per article"
    )


def _failures(report: EvalReport) -> str:
    if not report.failures:
        return "<p>No failures.</p>"
    rows = [
        [f.article_id, f.task, "-" if f.item is None else str(f.item), f.error_type, f.message]
        for f in report.failures
    ]
    return (
        f"<p>{len(report.failures)} failures (left out of the scores, not counted as zeros).</p>"
        + _table(["article", "task", "item", "error", "message"], rows)
    )


def _task_section(report: EvalReport, task: TaskSummary) -> str:
    columns = article_columns(task)
    rows = worst_first(report.articles_of(task.task))
    parts = [
        f'<h2 id="task-{escape(task.task)}">Task: {escape(task.task)}</h2>',
        f"<p>{task.n_articles} articles, {task.n_failed_articles} failed ({task.n_failures} "
        f"failures), newsbrief took {task.seconds:.1f} s. Main metric: "
        f"{escape(task.main_metric)}.</p>",
        _table(*task_rows(task)),
        f"<h3>Articles, worst first (by newsbrief {escape(ROW_METRIC[task.task])})</h3>",
        _table(
            ["article", "status", *columns],
            [
                [
                    row.article_id,
                    "failed" if row.failed else "ok",
                    *(format_score(row_score(row, name)) for name in columns),
                ]
                for row in rows
            ],
            ["failed" if row.failed else "" for row in rows],
        ),
        "<h3>Article details</h3>",
        *(_article_details(row) for row in rows),
    ]
    return "\n".join(parts)


def _article_details(row: ArticleTask) -> str:
    score = format_score(row_score(row, MODEL_SYSTEM))
    title = f" — {row.title}" if row.title else ""
    parts = [
        f"<details><summary>{escape(row.article_id)}{escape(title)} ({score})</summary>",
        f"<p><b>Article opening</b></p><pre>{escape(row.excerpt)}</pre>",
    ]
    for failure in row.failures:
        item = "" if failure.item is None else f" (item {failure.item})"
        parts.append(
            f"<div><b>Failure{escape(item)}:</b> {escape(failure.error_type)}"
            f"<pre>{escape(failure.message)}</pre></div>"
        )
    parts.append(f"<p><b>Gold</b></p>{_render_value(row.gold)}")
    for name, output in row.systems.items():
        parts.append(f"<p><b>{escape(name)}</b></p>{_render_value(output.prediction)}")
    parts.append("</details>")
    return "\n".join(parts)


def _render_value(value: Any) -> str:
    """Gold or a prediction: a string, a list of strings, or a list of flat dicts."""
    if value is None:
        return '<p class="muted">-</p>'
    if isinstance(value, str):
        return f"<pre>{escape(value)}</pre>"
    if isinstance(value, list):
        if value and all(isinstance(item, dict) for item in value):
            keys = list(dict.fromkeys(k for item in value for k in item))
            rows = [[_cell(item.get(k)) for k in keys] for item in value]
            return _table(keys, rows)
        return "<ul>" + "".join(f"<li>{escape(_cell(item))}</li>" for item in value) + "</ul>"
    return f"<pre>{escape(_cell(value))}</pre>"


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)
