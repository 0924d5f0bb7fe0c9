"""The evaluation report as Markdown (``report.md``): every value escaped for a table cell."""

from __future__ import annotations

import html
from collections.abc import Sequence

from newsbrief.eval.report_tables import (
    article_rows,
    failure_rows,
    headline_rows,
    margin_rows,
    provenance_rows,
    small_sample_warnings,
    task_rows,
    training_note,
    worst_first,
)
from newsbrief.eval.schema import EvalReport, TaskSummary
from newsbrief.eval.task_metrics import ROW_METRIC


def render_markdown(report: EvalReport) -> str:
    """The report for people, as Markdown: headline, failures, tasks, articles, provenance."""
    lines = [*_opening(report), *_failures(report)]
    for task in report.tasks:
        lines += _task_section(report, task)
    provenance = provenance_rows(report.provenance)
    lines += ["", "## Provenance", "", *_md_table(["field", "value"], provenance)]
    return "\n".join(lines) + "\n"


def _opening(report: EvalReport) -> list[str]:
    """The title, the run in one sentence, warnings, the margins and the headline table."""
    prov = report.provenance
    return [
        "# newsbrief evaluation",
        "",
        f"Model `{_md(prov.model_id)}`, {len(report.gold.ids)} articles, "
        f"{prov.date}, newsbrief {prov.package_version}. "
        f"Intervals: 95% bootstrap over articles ({prov.n_bootstrap} resamples, seed {prov.seed}).",
        "",
        *(f"> **Warning:** {_md(w)}" + "\n" for w in small_sample_warnings(report)),
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
    ]


def _failures(report: EvalReport) -> list[str]:
    """The failures section: a table of them, or a line saying there were none."""
    lines = ["## Failures", ""]
    if not report.failures:
        return [*lines, "No failures."]
    return [
        *lines,
        f"{len(report.failures)} failures (left out of the scores, not counted as zeros):",
        "",
        *_md_table(*failure_rows(report)),
    ]


def _task_section(report: EvalReport, task: TaskSummary) -> list[str]:
    """One task: its counts, training note, system table, a table per half of the gold
    and its articles worst first."""
    note = training_note(report, task)
    lines = [
        "",
        f"## Task: {task.task}",
        "",
        f"{task.n_articles} articles, {task.n_failed_articles} failed "
        f"({task.n_failures} failures), newsbrief took {task.seconds:.1f} s. "
        f"Main metric: {task.main_metric}.",
        "",
        *([f"> **Training data:** {_md(note)}", ""] if note else []),
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
    lines += [f"### Articles, worst first (by newsbrief {ROW_METRIC[task.task]})", ""]
    rows = worst_first(report.articles_of(task.task))
    return lines + _md_table(*article_rows(report, task, rows))


def _md(text: str) -> str:
    """A table cell: pipes and HTML escaped (Markdown renders raw HTML), one line."""
    return html.escape(" ".join(text.split()), quote=False).replace("|", "\\|")


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(_md(h) for h in headers) + " |"]
    out.append("|" + "|".join("---" for _ in headers) + "|")
    out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    return out
