"""The HTML report parsed back: its SVG plots (labels, values, ticks, n, metrics) and tables."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from types import SimpleNamespace
from typing import Any

import pytest

from newsbrief.eval.html import _extra_tables, records_table, render_html
from newsbrief.eval.plots import Bar, svg_bar_chart, svg_histogram, svg_share_chart
from newsbrief.eval.schema import EvalReport, MetricSummary, SystemSummary
from tests.unit.eval.test_eval_report import make_report

SVG = "{http://www.w3.org/2000/svg}"
LONG = "ref:claude-3-5-sonnet-20241022"


def svgs(html: str) -> list[ET.Element]:
    """Every inline SVG of a page, parsed as XML (so each must be well formed)."""
    return [ET.fromstring(m) for m in re.findall(r"<svg.*?</svg>", html, flags=re.S)]


def texts(svg: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]


def by_id(svg: ET.Element, pattern: str) -> list[ET.Element]:
    return [e for e in svg.iter() if re.fullmatch(pattern, e.get("id", ""))]


def with_reference(report: EvalReport) -> EvalReport:
    """The report with a reference system of one article beside the four-article ones."""
    tasks = []
    for task in report.tasks:
        if task.task == "summary":
            ref = SystemSummary(
                system=LONG,
                kind="reference",
                n_articles=1,
                metrics={"rougeL_f1": MetricSummary(value=0.31, low=0.31, high=0.31)},
            )
            task = task.model_copy(update={"systems": [*task.systems, ref]})
        tasks.append(task)
    return report.model_copy(update={"tasks": tasks})


def test_bar_labels_are_whole_with_n_and_values() -> None:
    bars = [
        Bar("newsbrief", 0.42, 0.35, 0.5, highlight=True, n=4, kind="model"),
        Bar(LONG, 0.31, 0.31, 0.31, n=1, kind="reference"),
    ]
    svg = ET.fromstring(svg_bar_chart(bars, title="summary: rougeL_f1"))
    shown = texts(svg)
    assert "newsbrief (n=4)" in shown and f"{LONG} (n=1)" in shown  # not cut with "…"
    assert not any("…" in t for t in shown)
    values = [texts(e)[0] for e in by_id(svg, r"plot-.*-value-\d+")]
    assert values == ["0.420", "0.310"]
    assert len(by_id(svg, r"plot-.*-interval-\d+")) == 1  # a one-article interval is no whisker


def test_a_longer_label_widens_the_chart_not_shrinks_the_bars() -> None:
    def geometry(label: str) -> tuple[float, float]:
        svg = ET.fromstring(svg_bar_chart([Bar(label, 1.0, n=1)], title="t"))
        width = float(svg.get("viewBox", "0 0 0 0").split()[2])
        path = by_id(svg, r"plot-t-bar-0")[0].find(f".//{SVG}path")
        assert path is not None
        xs = [float(v) for v in re.findall(r"[ML] ?(-?[\d.]+)", path.get("d", ""))]
        return width, max(xs) - min(xs)

    short_width, short_bar = geometry("lead-3")
    long_width, long_bar = geometry(LONG + "-and-a-much-longer-name")
    assert long_width > short_width + 100
    assert long_bar == pytest.approx(short_bar, rel=0.05)


def test_histogram_has_y_ticks_counts_and_n() -> None:
    svg = ET.fromstring(svg_histogram([0.1, 0.12, 0.9], title="quotes", xlabel="overlap_f1"))
    ticks = [texts(e)[0] for e in by_id(svg, r"ytick_\d+") if texts(e)]
    assert ticks and all(re.fullmatch(r"\d+", t) for t in ticks) and "2" in ticks
    shown = texts(svg)
    assert "quotes (n=3)" in shown and "articles" in shown and "overlap_f1" in shown
    assert shown.count("2") >= 2 and "1" in shown  # tick and bar counts
    assert len(by_id(svg, r"plot-quotes-bin-\d+")) == 10


def test_plot_text_is_escaped_and_taken_literally() -> None:
    chart = svg_bar_chart([Bar("<script>alert(1)</script> $x^2$", 0.5, n=2)], title="a&b")
    assert "<script" not in chart and "&lt;script&gt;" in chart
    assert "<script>alert(1)</script> $x^2$ (n=2)" in texts(ET.fromstring(chart))  # no mathtext


def test_the_histogram_shows_the_metric_of_the_bars_beside_it() -> None:
    page = render_html(make_report())
    plots = page.split('id="plots"')[1].split('id="failures"')[0]
    for task in ("summary", "quotes", "stance"):
        group = plots.split(f"<h3>{task}</h3>")[1].split("<h3>")[0]
        rows = [svgs(row) for row in group.split('<div class="plots">')[1:]]
        pair = [texts(c) for c in rows[-1]]  # the bars and the histogram share a row
        assert len(pair) == 2
        histogram = pair[1]
        metric = next(
            t for t in histogram if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", t) and t != "articles"
        )
        assert f"{task}: {metric}" in pair[0]
        assert f"{task}: newsbrief per article (n=2)" in histogram
    stance = plots.split("<h3>stance</h3>")[1]
    stance_titles = [texts(c) for c in svgs(stance)]
    assert "stance: macro_f1" in stance_titles[0]  # the main metric leads, on its own row
    assert "stance: accuracy" in stance_titles[1] and "accuracy" in stance_titles[2]


def test_every_system_is_shown_with_its_n() -> None:
    page = render_html(with_reference(make_report()))
    charts = svgs(page)
    assert len(charts) == 7
    labels = [t for c in charts for t in texts(c) if "(n=" in t]
    assert "newsbrief (n=2)" in labels and f"{LONG} (n=1)" in labels
    assert "lead-3 (n=3)" in labels


def test_sentence_shares_are_plotted_when_the_report_has_them() -> None:
    report = make_report()
    shares = {"kept_share": 0.5, "shortened_share": 0.25, "generated_share": 0.25}
    tasks = []
    for task in report.tasks:
        if task.task == "summary":
            systems = [
                s.model_copy(
                    update={
                        "metrics": {
                            **s.metrics,
                            **{k: MetricSummary(value=v) for k, v in shares.items()},
                        }
                    }
                )
                if s.system == "newsbrief"
                else s
                for s in task.systems
            ]
            task = task.model_copy(update={"systems": systems})
        tasks.append(task)
    page = render_html(report.model_copy(update={"tasks": tasks}))
    charts = svgs(page)
    share = [c for c in charts if "summary: summary sentences by method" in texts(c)]
    assert len(share) == 1
    shown = texts(share[0])
    assert {"kept", "shortened", "generated", "50%", "25%"} <= set(shown)
    assert len(svgs(render_html(make_report()))) == 7  # none without the data


def test_share_chart_stacks_to_the_whole() -> None:
    svg = ET.fromstring(svg_share_chart({"newsbrief": {"kept": 0.6, "shortened": 0.4}}, title="s"))
    assert {"60%", "40%", "kept", "shortened"} <= set(texts(svg))


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self.tags: list[str] = []
        self._in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in ("td", "th"):
            self._in_cell = True
            self.cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._in_cell = False

    def handle_data(self, data: str) -> None:
        if self._in_cell:
            self.cells[-1] += data


def test_system_names_and_failures_are_escaped_by_the_template() -> None:
    report = with_reference(make_report())
    evil = "<script>alert(1)</script>"
    tasks = [
        t.model_copy(
            update={"systems": [s.model_copy(update={"system": evil}) for s in t.systems[1:2]]}
        )
        if t.task == "quotes"
        else t
        for t in report.tasks
    ]
    page = render_html(report.model_copy(update={"tasks": tasks}))
    parser = _Tables()
    parser.feed(page)
    assert "script" not in parser.tags
    assert evil in parser.cells  # shown as text in the quotes table
    assert f"{LONG}" in parser.cells


def test_margins_and_halves_appear_when_the_task_has_them() -> None:
    # The report gains margins and dev/held-out halves; any record list becomes a table.
    class Margin(SimpleNamespace):
        def model_dump(self) -> dict[str, Any]:
            return dict(vars(self))

    margin = Margin(metric="rougeL_f1", over="lead-3", value=-0.012, low=-0.05, high=0.02)
    system = SystemSummary(
        system="newsbrief",
        kind="model",
        n_articles=2,
        metrics={"rougeL_f1": MetricSummary(value=0.3, low=0.2, high=0.4)},
    )
    split = SimpleNamespace(n_articles=2, systems=[system], margins=[margin])
    task = SimpleNamespace(task="summary", margins=[margin], splits={"held-out": split})
    tables = _extra_tables(task)  # type: ignore[arg-type]
    titles = [t["title"] for t in tables]
    assert titles == [
        "Margin over the best model-free system",
        "Half: held-out (2 articles)",
        "Half: held-out, margins",
    ]
    assert tables[0]["headers"] == ["metric", "over", "value", "low", "high"]
    assert tables[0]["rows"] == [["rougeL_f1", "lead-3", "-0.012", "-0.050", "0.020"]]
    assert tables[1]["rows"][0][:3] == ["newsbrief", "2", "-"]  # rouge1_f1 missing
    assert "0.300 [0.200, 0.400]" in tables[1]["rows"][0]
    headers, rows = records_table([system])
    assert headers == ["system", "kind", "n_articles", "metrics"] and rows[0][2] == "2"
