"""The evaluation report as Markdown (``report.md``): every value escaped for a table cell."""

from __future__ import annotations

import html
from collections.abc import Sequence

from newsbrief.eval.report_tables import (
    article_columns,
    article_label,
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
from newsbrief.eval.schema import EvalReport
from newsbrief.eval.task_metrics import ROW_METRIC


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
            *(
                [f"> **Training data:** {_md(note)}", ""]
                if (note := training_note(report, task))
                else []
            ),
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
                article_label(report, row),
                "failed" if row.failed else "ok",
                *(format_score(row_score(row, name)) for name in columns),
            ]
            for row in worst_first(report.articles_of(task.task))
        ]
        lines += _md_table(["article", "status", *columns], rows)
    lines += ["", "## Provenance", "", *_md_table(["field", "value"], provenance_rows(prov))]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """A table cell: pipes and HTML escaped (Markdown renders raw HTML), one line."""
    return html.escape(" ".join(text.split()), quote=False).replace("|", "\\|")


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(_md(h) for h in headers) + " |"]
    out.append("|" + "|".join("---" for _ in headers) + "|")
    out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    return out
