"""Tests for the end-to-end brief task, the stance baselines and the PolNeAR reader."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from fake_many import BriefsMany

from newsbrief.backends.scripted import ScriptedBackend
from newsbrief.errors import InputError, RetryExhaustedError
from newsbrief.eval.gold import GoldQuote, GoldRecord, GoldSet, GoldStance, load_gold
from newsbrief.eval.markdown import render_markdown
from newsbrief.eval.provenance import collect_provenance
from newsbrief.eval.report import build_report, margins
from newsbrief.eval.runner import run_eval
from newsbrief.eval.stance_baselines import lexical_label, prior_labels
from newsbrief.eval.task_metrics import BRIEF_TASKS
from newsbrief.models import (
    Brief,
    Provenance,
    Quote,
    SourceSpan,
    Stance,
    StepFailure,
    SummarySentence,
)

TEXT = (
    "Lawmakers voted on Tuesday to lift the tax on bread in the capital.\n"
    'Nancy Pelosi said "This is a good day for families."\n'
    '"It is a reckless gamble," Steve Scalise told reporters.\n'
    "Mitch McConnell said the vote was expected."
)
TITLE = "Congress lifts the bread tax"


def gold_set(*, stances: bool = True) -> GoldSet:
    record = GoldRecord(
        id="r1",
        title=TITLE,
        text=TEXT,
        source="https://example.invalid",
        licence="CC0",
        summaries=("Lawmakers lifted the bread tax; Pelosi welcomed it and Scalise opposed it.",),
        stances=(
            (
                GoldStance(
                    speaker="Nancy Pelosi", target="lifting the bread tax", label="supportive"
                ),
                GoldStance(
                    speaker="Steve Scalise", target="lifting the bread tax", label="opposed"
                ),
                GoldStance(
                    speaker="Chuck Schumer", target="lifting the bread tax", label="supportive"
                ),
            )
            if stances
            else ()
        ),
        annotator="test",
    )
    other = GoldRecord(
        id="r2",
        text="Some other story.",
        source="https://example.invalid",
        licence="CC0",
        stances=(GoldStance(speaker="X Y", target="t", label="opposed"),) * 2,
        annotator="test",
    )
    return GoldSet((record, other))


def stance(speaker: str, label: str | None) -> Stance:
    return Stance(speaker=speaker, target="the bread tax", label=label, confidence=0.5, scores={})


class BriefOnly(BriefsMany):
    """A briefer whose brief() is fixed: Pelosi and McConnell found, Scalise missed."""

    style = "base"
    seed = 0

    class backend:
        model_id = "fake"

    def __init__(self, failures: Sequence[StepFailure] = ()) -> None:
        self.failures = list(failures)
        self.calls: list[dict[str, object]] = []

    def quotes(self, text: str) -> list[Quote]:
        return []

    def summarize(self, text: str, title: str | None = None) -> str:
        raise AssertionError("the brief task calls brief() only")

    def stance(self, *args: object, **kwargs: object) -> Stance:
        raise AssertionError("the brief task calls brief() only")

    def brief(
        self,
        text: str,
        title: str | None = None,
        target: str | None = None,
        *,
        summary: bool = True,
        stances: bool = True,
        labels: Sequence[str] = (),
    ) -> Brief:
        self.calls.append({"title": title, "target": target, "stances": stances})
        first = TEXT.index("Lawmakers")
        end = TEXT.index("\n")
        return Brief(
            summary="Lawmakers voted to lift the tax on bread.",
            summary_sentences=[
                SummarySentence(
                    text="Lawmakers voted to lift the tax on bread.",
                    method="shortened",
                    sources=[SourceSpan(start=first, end=end)],
                )
            ],
            quotes=[],
            stances=[stance("Pelosi", "supportive"), stance("Mitch McConnell", None)],
            issue="lifting the tax on bread",
            title=title,
            provenance=Provenance(model_id="fake", package_version="0"),
            failures=self.failures,
        )


def test_brief_task_scores_issue_speakers_stances_and_summary() -> None:
    briefer = BriefOnly()
    run = run_eval(gold_set(), briefer, tasks=BRIEF_TASKS)
    # Once per article (r2 has stances too): as a user calls it, with the title.
    assert briefer.calls[0] == {"title": TITLE, "target": None, "stances": True}
    assert len(briefer.calls) == 2
    rows = {row.task: row for row in run.articles if row.article_id == "r1"}
    assert set(rows) == set(BRIEF_TASKS)

    issue = rows["brief-issue"].systems
    # lifting, tax, bread vs lifting, bread, tax: all three content words agree.
    assert issue["newsbrief"].metrics == {"issue_f1": 1.0, "equivalent": 1.0}
    # Headline: congres, lift, bread, tax vs lifting, bread, tax -> 2 of 4, 2 of 3.
    assert issue["headline"].metrics["issue_f1"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))

    speakers = rows["brief-speakers"].systems["newsbrief"].metrics
    assert (speakers["matched"], speakers["n_found"], speakers["n_gold"]) == (1.0, 2.0, 3.0)
    assert speakers["precision"] == 0.5 and speakers["recall"] == pytest.approx(1 / 3)

    stances = rows["brief-stance"].systems
    # Pelosi found and right; Scalise and Schumer missed: wrong answers, not left out.
    assert stances["newsbrief"].labels == [
        ("supportive", "supportive"),
        ("opposed", "missed"),
        ("supportive", "missed"),
    ]
    assert stances["newsbrief"].metrics["accuracy"] == pytest.approx(1 / 3)
    assert stances["newsbrief"].metrics["coverage"] == pytest.approx(1 / 3)
    assert stances["newsbrief"].metrics["answered_accuracy"] == 1.0
    # Macro-F1 over real labels only: supportive P 1 R 1/2, opposed 0.
    assert stances["newsbrief"].metrics["macro_f1"] == pytest.approx((2 / 3 + 0) / 2)
    # The majority of the other record (opposed), on the same found speakers.
    assert stances["majority"].labels == [
        ("supportive", "opposed"),
        ("opposed", "missed"),
        ("supportive", "missed"),
    ]

    summary = rows["brief-summary"].systems
    assert {"newsbrief", "rules-no-model", "lead-1", "lead-3"} <= set(summary)
    report = build_report(run, _provenance(briefer, run.tasks))
    task = report.task("brief-summary")
    assert task is not None
    ours = task.system("newsbrief")
    assert ours is not None
    assert ours.metrics["shortened_share"].value == 1.0
    assert ours.metrics["kept_share"].value == 0.0
    # 8 words of the 13 of its source sentence.
    assert ours.metrics["mean_compression"].value == pytest.approx(8 / 13)
    rules = task.system("rules-no-model")
    assert rules is not None and rules.metrics["kept_share"].value == 1.0


def test_an_abstention_lowers_coverage_and_counts_wrong() -> None:
    briefer = BriefOnly()
    gold = gold_set()
    record = gold["r1"].model_copy(
        update={"stances": (GoldStance(speaker="Mitch McConnell", target="x", label="neutral"),)}
    )
    run = run_eval(GoldSet((record, gold["r2"])), briefer, tasks=["brief-stance"])
    (row,) = [r for r in run.articles if r.article_id == "r1"]
    assert row.systems["newsbrief"].labels == [("neutral", "abstained")]
    assert row.systems["newsbrief"].metrics["coverage"] == 0.0
    assert row.systems["newsbrief"].metrics["answered_accuracy"] is None


def test_a_failed_brief_step_is_a_failure_of_its_task_only() -> None:
    failure = StepFailure(step="summary", error="RetryExhaustedError", message="no")
    run = run_eval(gold_set(), BriefOnly([failure]), tasks=BRIEF_TASKS)
    failed = {f.task for f in run.failures}
    assert failed == {"brief-summary"}
    row = next(r for r in run.articles if r.task == "brief-summary")
    assert "newsbrief" not in row.systems and "lead-3" in row.systems


def test_a_brief_that_raises_is_a_failure_of_each_brief_task_not_a_dead_run() -> None:
    class Crashing(BriefOnly):
        def brief(self, *args: Any, **kwargs: Any) -> Brief:
            raise RuntimeError("CUDA out of memory")

    run = run_eval(gold_set(), Crashing(), tasks=BRIEF_TASKS)
    assert {f.error_type for f in run.failures} == {"RuntimeError"}
    assert {f.task for f in run.failures} == set(BRIEF_TASKS)
    assert all("newsbrief" not in r.systems for r in run.articles)
    assert any("headline" in r.systems for r in run.articles)  # the baselines still ran


def test_brief_without_gold_stances_is_asked_for_no_stances() -> None:
    briefer = BriefOnly()
    run = run_eval(gold_set(stances=False), briefer, tasks=BRIEF_TASKS)
    assert briefer.calls[0] == {"title": TITLE, "target": None, "stances": False}
    assert {r.task for r in run.articles if r.article_id == "r1"} == {"brief-summary"}


def test_margins_pick_the_best_baseline_and_pair_the_bootstrap() -> None:
    run = run_eval(gold_set(), BriefOnly(), tasks=BRIEF_TASKS)
    rows = [r for r in run.articles if r.task == "brief-issue" and r.article_id == "r1"]
    (margin,) = margins("brief-issue", rows, n_bootstrap=50)
    assert margin.over == "headline"
    headline = rows[0].systems["headline"].metrics["issue_f1"] or 0.0
    assert margin.value == pytest.approx(1.0 - headline)
    assert margin.low == margin.high == pytest.approx(margin.value)  # one article
    report = build_report(
        run, _provenance(BriefOnly(), run.tasks), splits={"dev": ["r1"], "held-out": ["r2"]}
    )
    task = report.task("brief-issue")
    assert task is not None and set(task.splits) == {"dev", "held-out"}
    assert task.splits["dev"].n_articles == 1
    assert report.gold.splits == {"dev": ["r1"], "held-out": ["r2"]}
    text = render_markdown(report)
    assert "## Margins over the best model-free baseline" in text
    assert "### dev (1 articles)" in text


def _provenance(briefer: object, tasks: Sequence[str]):  # type: ignore[no-untyped-def]
    return collect_provenance(
        briefer,
        tasks=tasks,
        seed=0,
        n_bootstrap=50,
        timings={},  # type: ignore[arg-type]
    )


# -- stance baselines ---------------------------------------------------------------------

LABELS = ("supportive", "opposed", "cautious", "neutral")


def test_lexical_label_counts_cue_words() -> None:
    assert lexical_label(["We welcome this great news."], LABELS, "neutral") == "supportive"
    assert lexical_label(["We reject it: it is wrong."], LABELS, "neutral") == "opposed"
    assert lexical_label(["There is a risk; we are concerned."], LABELS, "neutral") == "cautious"
    assert lexical_label(["The meeting is at noon."], LABELS, "opposed") == "opposed"  # fallback
    assert lexical_label(["good but wrong"], LABELS, "neutral") == "supportive"  # tie order
    assert lexical_label(["good"], ("opposed", "neutral"), "neutral") == "neutral"


def test_prior_labels_read_the_content_free_prompts_only() -> None:
    def score(prompt: str, option: str) -> float:
        assert "- N/A" in prompt or "- \n" in prompt  # never the speaker's evidence
        return 2.0 if "opposes" in option and "Ann Lee" in prompt else 0.0

    backend = ScriptedBackend(score_fn=score)
    assert prior_labels(
        backend, "base", target="the park", speakers=["Ann Lee", None], labels=LABELS
    ) == ["opposed", "supportive"]
    assert prior_labels(backend, "base", target="t", speakers=[], labels=LABELS) == []


# -- PolNeAR ------------------------------------------------------------------------------


def polnear_line(text: str, attributions: list[dict[str, object]]) -> str:
    return json.dumps({"id": "p1", "text": text, "attributions": attributions})


def spans(text: str, piece: str) -> dict[str, object]:
    start = text.index(piece)
    return {"spans": [[start, start + len(piece)]], "text": piece}


def test_polnear_records_are_read_as_quote_gold(tmp_path: Path) -> None:
    text = (
        'Clinton said the plan "will not work." Polls show a close race. '
        '"We are winning," said Donald Trump.'
    )
    attributions = [
        {
            "source": spans(text, "Clinton"),
            "cue": spans(text, "said"),
            "content": spans(text, 'the plan "will not work."'),
        },
        {
            "source": spans(text, "Polls"),
            "cue": spans(text, "show"),
            "content": spans(text, "a close race"),
        },
        {"source": None, "cue": None, "content": None},
        {
            "source": spans(text, "Donald Trump"),
            "cue": {"spans": [], "text": "said"},
            "content": spans(text, '"We are winning,"'),
        },
    ]
    path = tmp_path / "polnear_dev.jsonl"
    path.write_text(polnear_line(text, attributions) + "\n", encoding="utf-8")
    gold = load_gold(path)
    (record,) = gold
    assert record.source == "PolNeAR"
    assert [(q.speaker, q.cue, q.kind) for q in record.quotes] == [
        ("Clinton", "said", "indirect"),
        ("Polls", "show", "indirect"),
        ("Donald Trump", "said", "direct"),
    ]
    assert all(text[q.start : q.end] == q.text for q in record.quotes)

    class Finder:
        style = None
        seed = 0

        class backend:
            model_id = "fake"

        def quotes(self, text: str) -> list[Quote]:
            piece = "We are winning,"
            start = text.index(piece)
            return [
                Quote(
                    text=piece, start=start, end=start + len(piece), kind="direct", speaker="Trump"
                )
            ]

    run = run_eval(gold, Finder(), tasks=["quotes"])  # type: ignore[arg-type]
    (row,) = run.articles
    counts = row.systems["newsbrief"].counts
    assert counts is not None
    # Two of three attributions have a verb of saying as cue; one is found.
    assert (counts.saying_gold, counts.saying_found) == (2, 1)
    assert row.systems["newsbrief"].metrics["saying_recall"] == 0.5
    # "Trump" names the source "Donald Trump": a name variant is the right speaker.
    assert counts.speaker_correct == 1


def test_a_missing_polnear_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such gold file"):
        load_gold(tmp_path / "polnear" / "polnear_dev.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        polnear_line("short", [{"content": {"spans": [[2, 99]], "text": "x"}}]) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=re.escape("bad.jsonl:1: invalid PolNeAR record")):
        load_gold(bad)


def test_polnear_gold_needs_no_record_fields_beyond_its_own() -> None:
    assert GoldQuote(text="x", start=0, end=1, speaker=None, kind="direct").cue is None
    _ = RetryExhaustedError  # the brief task records these as failures (see above)


def test_the_model_free_summary_keeps_rule_selected_sentences_whole() -> None:
    from newsbrief.quotes import find_quotes
    from newsbrief.steps.summarize import model_free_summary

    sentences = model_free_summary(TEXT, find_quotes(TEXT), title=TITLE)
    assert sentences and sentences[0].text.startswith("Lawmakers voted on Tuesday")
    for sentence in sentences:
        assert sentence.method == "kept"
        (source,) = sentence.sources
        assert " ".join(TEXT[source.start : source.end].split()) == sentence.text
    assert len(model_free_summary(TEXT, [], max_sentences=1)) == 1
    with pytest.raises(ValueError, match="max_sentences"):
        model_free_summary(TEXT, [], max_sentences=4)
