"""Tests for report building, JSON/Markdown/HTML rendering, escaping and the SVG plots."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from newsbrief.errors import GenerationError
from newsbrief.eval.gold import GoldQuote, GoldRecord, GoldSet, GoldStance
from newsbrief.eval.html import render_html
from newsbrief.eval.markdown import render_markdown
from newsbrief.eval.plots import Bar, histogram_counts, svg_bar_chart, svg_histogram
from newsbrief.eval.provenance import collect_provenance
from newsbrief.eval.report import build_report, write_reports
from newsbrief.eval.report_tables import worst_first
from newsbrief.eval.runner import EvalRun, run_eval
from newsbrief.eval.schema import EvalReport, load_report
from newsbrief.models import Quote, Stance
from newsbrief.steps.prompts import load_template

EVIL = "<script>alert('x')</script>"
EVIL_IMG = '<img src=x onerror="alert(1)">'
TEXT_OK = 'Mia Park said "The plan is good for the city." The vote is Friday.'
TEXT_EVIL = f'Ola Berg said "{EVIL} is not allowed here." The end.'
TEXT_FAIL = "Nobody said anything about the weather today.\nIt rained."


def rec(record_id: str, text: str, summary: str, quote: str | None, title: str) -> GoldRecord:
    quotes = ()
    stances = ()
    if quote is not None:
        start = text.index(quote)
        speaker = text.split(" said")[0]
        quotes = (
            GoldQuote(
                text=quote, start=start, end=start + len(quote), speaker=speaker, kind="direct"
            ),
        )
        stances = (GoldStance(speaker=speaker, target="the plan", label="supportive"),)
    return GoldRecord(
        id=record_id,
        title=title,
        text=text,
        source="https://example.invalid",
        licence="CC0",
        summaries=(summary,),
        quotes=quotes,
        stances=stances,
        annotator="test",
    )


def gold() -> GoldSet:
    return GoldSet(
        (
            rec(
                "ok", TEXT_OK, "Mia Park likes the plan.", "The plan is good for the city.", "Plan"
            ),
            rec("evil", TEXT_EVIL, "Ola Berg objects.", f"{EVIL} is not allowed here.", EVIL_IMG),
            rec("fail", TEXT_FAIL, "It rained.", None, "Weather"),
        )
    )


class Fake:
    style = "base"
    seed = 3

    class backend:
        model_id = "fake-model"

    def summarize(self, text: str, title: str | None = None) -> str:
        if text == TEXT_FAIL:
            raise GenerationError("model <b>crashed</b>")
        if text == TEXT_EVIL:
            return f"Summary with {EVIL_IMG} inside."
        return "Mia Park likes the plan."

    def quotes(self, text: str) -> list[Quote]:
        start = text.index('"') + 1
        end = text.index('"', start)
        return [Quote(text=text[start:end], start=start, end=end, kind="direct", speaker=None)]

    def stance(
        self, text: str, target: str, *, speaker: str | None = None, labels: Sequence[str] = ()
    ) -> Stance:
        return Stance(speaker=speaker, target=target, label="supportive", confidence=1.0, scores={})


def make_run() -> EvalRun:
    return run_eval(gold(), Fake())


def make_report(run: EvalRun | None = None) -> EvalReport:
    run = run or make_run()
    provenance = collect_provenance(
        Fake(), tasks=run.tasks, seed=5, n_bootstrap=50, timings=run.timings, command=["x"]
    )
    return build_report(run, provenance, gold_paths=["gold.jsonl"])


def test_report_records_provenance() -> None:
    report = make_report()
    prov = report.provenance
    import newsbrief

    assert prov.package_version == newsbrief.__version__
    assert prov.model_id == "fake-model"
    assert prov.style == "base"
    assert prov.seed == 5 and prov.briefer_seed == 3 and prov.n_bootstrap == 50
    summary = load_template("summary", "base")
    assert {"id": summary.id, "sha256": summary.sha256} in [p.model_dump() for p in prov.prompts]
    assert {p.id.split(".")[0] for p in prov.prompts} == {
        "compress",
        "headline",
        "summary",
        "voice",
        "stance",
    }
    assert set(prov.timings) >= {"summary", "quotes", "stance", "total"}
    assert prov.git_commit is None or re.fullmatch(r"[0-9a-f]{40}", prov.git_commit)
    assert report.gold.ids == ["ok", "evil", "fail"] and report.gold.paths == ["gold.jsonl"]


def test_failures_are_counted_apart_and_not_scored_as_zero() -> None:
    report = make_report()
    summary = report.task("summary")
    assert summary is not None
    assert (summary.n_articles, summary.n_failed_articles, summary.n_failures) == (3, 1, 1)
    newsbrief = summary.system("newsbrief")
    assert newsbrief is not None and newsbrief.n_articles == 2
    ok_rouge = report.articles_of("summary")[0].systems["newsbrief"].metrics["rougeL_f1"]
    evil_rouge = report.articles_of("summary")[1].systems["newsbrief"].metrics["rougeL_f1"]
    assert ok_rouge == 1.0
    assert newsbrief.metrics["rougeL_f1"].value == pytest.approx((ok_rouge + evil_rouge) / 2)
    ci = newsbrief.metrics["rougeL_f1"]
    assert ci.low is not None and ci.high is not None and ci.low <= ci.value <= ci.high
    assert [f.article_id for f in report.failures] == ["fail"]


def test_headline_systems_are_ordered_model_baselines() -> None:
    report = make_report()
    summary = report.task("summary")
    assert summary is not None
    names = [s.system for s in summary.systems]
    assert names == ["newsbrief", "lead-1", "lead-3", "rules-no-model"]
    assert [s.kind for s in summary.systems] == ["model", "baseline", "baseline", "baseline"]


def test_worst_first_puts_failures_then_lowest_scores_first() -> None:
    report = make_report()
    rows = worst_first(report.articles_of("summary"))
    assert [r.article_id for r in rows] == ["fail", "evil", "ok"]


def test_json_round_trips_and_has_the_schema_fields(tmp_path: Path) -> None:
    report = make_report()
    paths = write_reports(report, tmp_path / "out")
    assert [p.name for p in paths] == ["report.json", "report.md", "report.html"]
    data = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert set(data) == {"schema_version", "provenance", "gold", "tasks", "articles", "failures"}
    assert set(data["provenance"]) >= {
        "package_version",
        "git_commit",
        "model_id",
        "prompts",
        "seed",
        "timings",
        "command",
        "date",
    }
    assert load_report(tmp_path / "out") == report


def test_markdown_has_every_section() -> None:
    text = render_markdown(make_report())
    for heading in (
        "## Headline",
        "## Failures",
        "## Task: summary",
        "## Task: quotes",
        "## Task: stance",
        "### Articles, worst first",
        "## Provenance",
    ):
        assert heading in text
    assert "| newsbrief | 0." in text
    assert "GenerationError" in text
    assert "<b>" not in text  # the error message is escaped


def test_html_has_sections_and_plots() -> None:
    page = render_html(make_report())
    for anchor in ("headline", "plots", "failures", "task-summary", "task-quotes", "provenance"):
        assert f'id="{anchor}"' in page
    # per task: bars and a histogram of the row metric, and bars of a different main metric
    assert page.count("<svg") == 7
    assert "Article details" in page


def test_html_escapes_article_gold_and_model_text() -> None:
    page = render_html(make_report())
    assert "<script" not in page
    assert "<img" not in page
    assert "<b>crashed" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page  # article and gold
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page  # title and model summary
    assert "model &lt;b&gt;crashed&lt;/b&gt;" in page


def test_build_report_refuses_an_empty_run() -> None:
    run = EvalRun(tasks=("summary",), articles=[], ids=[], n_gold=0)
    with pytest.raises(ValueError, match="no article"):
        make_report(run)


def test_histogram_counts_by_hand() -> None:
    assert histogram_counts([0.0, 0.05, 0.1, 0.55, 1.0], bins=10) == [2, 1, 0, 0, 0, 1, 0, 0, 0, 1]
    assert histogram_counts([], bins=2) == [0, 0]
    with pytest.raises(ValueError):
        histogram_counts([1.5])


def test_svg_plots_escape_labels_and_draw_one_bar_per_value() -> None:
    chart = svg_bar_chart([Bar("a<b>", 0.5, 0.4, 0.6, True), Bar("c", 0.25)], title="t&t")
    assert "<b>" not in chart and "a&lt;b&gt;" in chart and "t&amp;t" in chart
    assert len(re.findall(r'id="plot-t-t-bar-\d+"', chart)) == 2
    assert len(re.findall(r'id="plot-t-t-interval-\d+"', chart)) == 1
    histogram = svg_histogram([0.1, 0.9], title="h", bins=4)
    assert len(re.findall(r'id="plot-h-bin-\d+"', histogram)) == 4
