"""Articles the stance head was trained on are marked in the reports (the head's card lists
them): a score on its own training data must not read as a measurement."""

from __future__ import annotations

import json
from pathlib import Path

from newsbrief.eval.html import render_html
from newsbrief.eval.markdown import render_markdown
from newsbrief.eval.report_tables import TRAINED_MARK, trained_ids
from newsbrief.eval.schema import EvalReport
from newsbrief.steps.heads.stance import StanceHead
from tests.unit.eval.test_eval_report import make_report

REPO = Path(__file__).resolve().parents[3]


def _trained_on(report: EvalReport, ids: list[str]) -> EvalReport:
    return report.model_copy(
        update={"provenance": report.provenance.model_copy(update={"trained_on": ids})}
    )


def test_the_shipped_head_lists_the_articles_it_learnt_from() -> None:
    head = StanceHead.load()
    dev = set(json.loads((REPO / "evals" / "splits.json").read_text())["dev"])
    heldout = set(json.loads((REPO / "evals" / "splits.json").read_text())["heldout"])
    assert "example-belarus-potash" in head.training_ids  # the README's example: dev half
    assert len(head.training_ids) == 104 and not head.training_ids & heldout
    assert len(head.training_ids & dev) == 25


def test_training_articles_are_marked_in_stance_tasks_only() -> None:
    base = make_report()
    stance_ids = [r.article_id for r in base.articles_of("stance")]
    report = _trained_on(base, stance_ids[:1])
    stance = next(t for t in report.tasks if t.task == "stance")
    assert trained_ids(report, stance) == stance_ids[:1]
    markdown = render_markdown(report)
    part = markdown.split("## Task: stance")[1].split("## Task:")[0]
    assert f"| {stance_ids[0]} {TRAINED_MARK} |" in part
    assert "**Training data:** 1 of" in part and "overstate" in part
    summary = markdown.split("## Task: summary")[1].split("## Task:")[0]
    assert TRAINED_MARK not in summary  # the head serves stances only
    page = render_html(report)
    assert f"<td>{stance_ids[0]} {TRAINED_MARK}</td>" in page
    assert "<b>Training data:</b> 1 of" in page
    assert TRAINED_MARK not in render_markdown(base)  # nothing trained on: no mark


def test_a_briefer_reports_what_its_head_trained_on() -> None:
    from newsbrief.backends import ScriptedBackend
    from newsbrief.briefer import Briefer
    from newsbrief.eval.provenance import collect_provenance

    zero_shot = Briefer(backend=ScriptedBackend())
    assert zero_shot.trained_on == frozenset()
    provenance = collect_provenance(zero_shot, tasks=["stance"], seed=0, n_bootstrap=0, timings={})
    assert provenance.trained_on == []


def test_the_stored_evaluation_notebook_marks_its_training_articles() -> None:
    notebook = json.loads((REPO / "notebooks" / "02_evaluate.ipynb").read_text(encoding="utf-8"))
    shown = json.dumps([cell.get("outputs", []) for cell in notebook["cells"]], ensure_ascii=False)
    assert "Training data:** 2 of 2 articles (marked †)" in shown
