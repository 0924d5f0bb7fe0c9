"""Tests for the evaluation runner: scores, baselines, failures recorded and the run going on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import pytest

from newsbrief import Briefer
from newsbrief.backends.scripted import ScriptedBackend
from newsbrief.errors import GenerationError, InputError, OutputError
from newsbrief.eval.gold import GoldQuote, GoldRecord, GoldSet, GoldStance
from newsbrief.eval.quote_marks import quote_mark_baseline
from newsbrief.eval.rouge import score_rouge
from newsbrief.eval.runner import run_eval, select_records
from newsbrief.models import Quote, Stance

TEXT_A = (
    'Alice Smith said "We will build the bridge now." Bob Jones disagreed.\n'
    '"It is a waste of money," Bob Jones told reporters.\n'
    "The council met on Monday."
)
TEXT_B = 'Carol White said "Taxes must fall this year." Dan Brown agreed.\nMore talks follow.'
TEXT_C = "The town opened a new library on Sunday.\nIt has ten thousand books."
TARGET = "the bridge"
T = TypeVar("T")


def span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def gold_quote(text: str, quote: str, speaker: str | None) -> GoldQuote:
    start, end = span(text, quote)
    return GoldQuote(text=quote, start=start, end=end, speaker=speaker, kind="direct")


def record(
    record_id: str,
    text: str,
    *,
    summaries: Sequence[str] = (),
    quotes: Sequence[GoldQuote] = (),
    stances: Sequence[GoldStance] = (),
    reference_systems: dict[str, str] | None = None,
) -> GoldRecord:
    return GoldRecord(
        id=record_id,
        title=f"Title {record_id}",
        text=text,
        source="https://example.invalid",
        licence="CC0",
        summaries=tuple(summaries),
        quotes=tuple(quotes),
        stances=tuple(stances),
        annotator="test",
        reference_systems=reference_systems or {},
    )


def small_gold() -> GoldSet:
    a = record(
        "a",
        TEXT_A,
        summaries=["Alice Smith said the council will build the bridge."],
        quotes=[
            gold_quote(TEXT_A, "We will build the bridge now.", "Alice Smith"),
            gold_quote(TEXT_A, "It is a waste of money,", "Bob Jones"),
        ],
        stances=[
            GoldStance(speaker="Alice Smith", target=TARGET, label="supportive"),
            GoldStance(speaker="Bob Jones", target=TARGET, label="opposed"),
        ],
    )
    b = record(
        "b",
        TEXT_B,
        summaries=["Carol White wants lower taxes."],
        quotes=[gold_quote(TEXT_B, "Taxes must fall this year.", "Carol White")],
        stances=[
            GoldStance(speaker="Carol White", target="taxes", label="opposed"),
            GoldStance(speaker=None, target="taxes", label="opposed"),
        ],
    )
    c = record(
        "c",
        TEXT_C,
        summaries=["A new library opened."],
        reference_systems={"gpt": "The town opened a library.", "llama": "Books."},
    )
    return GoldSet((a, b, c))


class FakeBriefer:
    """Answers per article text; an exception in place of an answer is raised."""

    style = "base"
    seed = 7

    class backend:  # mimics Briefer.backend
        model_id = "fake-model"

    def __init__(
        self,
        summaries: dict[str, str | Exception],
        quotes: dict[str, list[Quote] | Exception] | None = None,
        stances: dict[tuple[str | None, str], str | Exception] | None = None,
    ) -> None:
        self.summaries = summaries
        self.quote_answers = quotes or {}
        self.stances = stances or {}
        self.calls: list[str] = []
        self.titles: list[str | None] = []

    def summarize(self, text: str, title: str | None = None) -> str:
        self.calls.append("summarize")
        self.titles.append(title)
        return _answer(self.summaries[text])

    def quotes(self, text: str) -> list[Quote]:
        self.calls.append("quotes")
        return _answer(self.quote_answers.get(text, []))

    def stance(
        self,
        text: str,
        target: str,
        *,
        speaker: str | None = None,
        labels: Sequence[str] = (),
    ) -> Stance:
        self.calls.append("stance")
        label = _answer(self.stances[(speaker, target)])
        return Stance(
            speaker=speaker,
            target=target,
            label=label,
            confidence=0.9,
            scores={x: (0.9 if x == label else 0.1 / 3) for x in labels},
        )


def _answer(value: T | Exception) -> T:
    if isinstance(value, Exception):
        raise value
    return value


def model_quote(text: str, quote: str, speaker: str | None) -> Quote:
    start, end = span(text, quote)
    return Quote(text=quote, start=start, end=end, kind="direct", speaker=speaker)


def fake_briefer() -> FakeBriefer:
    gold = small_gold()
    return FakeBriefer(
        summaries={
            TEXT_A: gold["a"].summaries[0],  # perfect
            TEXT_B: GenerationError("backend fell over"),  # fails
            TEXT_C: "A library.",
        },
        quotes={
            TEXT_A: [
                model_quote(TEXT_A, "We will build the bridge now.", "Alice Smith"),
                model_quote(TEXT_A, "It is a waste of money", "Alice Smith"),  # off by one
            ],
            TEXT_B: OutputError("bad answer", raw_output="???"),
        },
        stances={
            ("Alice Smith", TARGET): "supportive",
            ("Bob Jones", TARGET): "neutral",
            ("Carol White", "taxes"): "opposed",
            (None, "taxes"): OutputError("no label", raw_output=""),
        },
    )


def test_summary_task_scores_newsbrief_lead_and_reference_systems() -> None:
    gold = small_gold()
    run = run_eval(gold, fake_briefer(), tasks=["summary"])
    rows = {row.article_id: row for row in run.articles}
    assert list(rows) == ["a", "b", "c"]
    a = rows["a"].systems
    assert a["newsbrief"].metrics == {"rouge1_f1": 1.0, "rouge2_f1": 1.0, "rougeL_f1": 1.0}
    lead1 = score_rouge(a["lead-1"].prediction, gold["a"].summaries)
    assert a["lead-1"].prediction == 'Alice Smith said "We will build the bridge now."'
    assert a["lead-1"].metrics["rougeL_f1"] == lead1.rouge_l.f1
    assert "lead-3" in a
    # Reference systems only where the gold carries them, each as its own system.
    assert "ref:gpt" not in a
    c = rows["c"].systems
    assert set(c) == {"newsbrief", "rules-no-model", "lead-1", "lead-3", "ref:gpt", "ref:llama"}
    # "The town opened a library." vs "A new library opened.": 3 shared unigrams of 5 and 4.
    assert c["ref:gpt"].metrics["rouge1_f1"] == pytest.approx(
        2 * (3 / 5) * (3 / 4) / (3 / 5 + 3 / 4)
    )


def test_the_summary_task_gives_the_model_the_title_the_model_free_pipeline_gets() -> None:
    """Both sides of the summary margin read the same inputs: the gold title reaches
    ``Briefer.summarize`` as it reaches ``model_free_summary``."""
    briefer = fake_briefer()
    run_eval(small_gold(), briefer, tasks=["summary"])
    assert briefer.titles == ["Title a", "Title b", "Title c"]


def test_a_failing_article_is_recorded_and_the_run_goes_on() -> None:
    briefer = fake_briefer()
    run = run_eval(small_gold(), briefer, tasks=["summary"])
    b = next(row for row in run.articles if row.article_id == "b")
    assert b.failed
    assert "newsbrief" not in b.systems  # no zero score stands in for the failure
    assert "lead-1" in b.systems  # baselines still scored
    (failure,) = run.failures
    assert (failure.article_id, failure.task, failure.item) == ("b", "summary", None)
    assert failure.error_type == "GenerationError"
    assert failure.message == "backend fell over"
    assert briefer.calls.count("summarize") == 3  # article c still ran


def test_quotes_task_counts_matches_and_runs_the_quote_mark_baseline() -> None:
    run = run_eval(small_gold(), fake_briefer(), tasks=["quotes"])
    rows = {row.article_id: row for row in run.articles}
    assert list(rows) == ["a", "b"]  # c has no annotated quotes: not in the quotes task
    a = rows["a"].systems["newsbrief"]
    assert a.counts is not None
    assert (a.counts.n_gold, a.counts.n_predicted, a.counts.exact, a.counts.overlap) == (2, 2, 1, 2)
    assert a.counts.speaker_correct == 1
    assert a.metrics["exact_f1"] == 0.5
    assert a.metrics["overlap_f1"] == 1.0
    assert a.metrics["speaker_accuracy"] == 0.5
    baseline = rows["a"].systems["quote-marks+nearest-name"]
    assert [q["speaker"] for q in baseline.prediction] == ["Alice Smith", "Bob Jones"]
    # "Bob Jones" precedes the second quote only through the first line: nearest is Jones.
    assert rows["b"].failed and rows["b"].failures[0].error_type == "OutputError"


def test_stance_items_fail_one_at_a_time_and_majority_leaves_the_article_out() -> None:
    run = run_eval(small_gold(), fake_briefer(), tasks=["stance"])
    rows = {row.article_id: row for row in run.articles}
    assert list(rows) == ["a", "b"]
    a = rows["a"].systems["newsbrief"]
    assert a.labels == [("supportive", "supportive"), ("opposed", "neutral")]
    assert a.metrics["accuracy"] == 0.5
    b = rows["b"]
    assert b.systems["newsbrief"].labels == [("opposed", "opposed")]  # item 1 failed
    assert [(f.item, f.error_type) for f in b.failures] == [(1, "OutputError")]
    # Majority of the other articles: for a, b's labels (opposed); for b, a's (a tie,
    # supportive seen first).
    assert rows["a"].systems["majority"].labels == [
        ("supportive", "opposed"),
        ("opposed", "opposed"),
    ]
    assert rows["b"].systems["majority"].labels == [
        ("opposed", "supportive"),
        ("opposed", "supportive"),
    ]


def test_limit_ids_and_timings() -> None:
    calls: list[str] = []
    run = run_eval(
        small_gold(), fake_briefer(), tasks=["summary"], ids=["c", "a"], on_article=calls.append
    )
    assert run.ids == ["a", "c"]  # gold order
    assert calls == ["a", "c"]
    assert run.n_gold == 3
    assert set(run.timings) == {"summary", "total"}
    assert run.timings["total"] >= run.timings["summary"] >= 0
    assert select_records(small_gold(), limit=1)[0].id == "a"
    with pytest.raises(InputError, match="zzz"):
        select_records(small_gold(), ids=["a", "zzz"])
    with pytest.raises(ValueError, match="limit"):
        select_records(small_gold(), limit=0)
    with pytest.raises(ValueError, match="tasks"):
        run_eval(small_gold(), fake_briefer(), tasks=["poetry"])  # type: ignore[list-item]


def test_quote_mark_baseline_finds_marked_spans_with_two_or_more_words() -> None:
    text = 'Ann Lee called it a "deal". Then Ann Lee said “we are done here”.'
    (quote,) = quote_mark_baseline(text)
    assert text[quote.start : quote.end] == "we are done here"
    assert quote.speaker == "Ann Lee"


def test_a_real_briefer_on_the_scripted_backend() -> None:
    def score(prompt: str, option: str) -> float:
        # Only Bob Jones's own words make "opposes" likelier than the content-free prior.
        return 1.0 if "opposes" in option and "waste of money" in prompt else 0.0

    backend = ScriptedBackend(score_fn=score, model_id="scripted-test")
    run = run_eval(small_gold(), Briefer(backend=backend), tasks=["summary", "quotes", "stance"])
    # A base-model summary only scores shorter versions of the article's sentences: the
    # score function is enough, no summary fails.
    summary_failures = [f for f in run.failures if f.task == "summary"]
    assert summary_failures == []
    quotes_a = next(r for r in run.articles if r.task == "quotes" and r.article_id == "a")
    assert quotes_a.systems["newsbrief"].metrics["exact_f1"] == 1.0
    stance_a = next(r for r in run.articles if r.task == "stance" and r.article_id == "a")
    assert stance_a.systems["newsbrief"].labels == [
        ("supportive", "supportive"),  # a tie goes to the first label
        ("opposed", "opposed"),
    ]


def test_the_project_gold_leaves_unmatched_reported_statements_unscored() -> None:
    from newsbrief.eval.runner import _quotes_output

    gold = [GoldQuote(text="x" * 10, start=0, end=10, speaker="Ann Lee", kind="indirect")]
    predicted = [
        Quote(text="x" * 10, start=0, end=10, kind="indirect", speaker="Ann Lee"),
        Quote(text="y" * 10, start=40, end=50, kind="reported", speaker="Ann Lee"),
    ]
    project = _quotes_output(gold, predicted)
    polnear = _quotes_output(gold, predicted, variants=True)
    assert project.counts is not None and polnear.counts is not None
    assert (project.counts.n_predicted, project.metrics["overlap_precision"]) == (1, 1.0)
    assert (polnear.counts.n_predicted, polnear.metrics["overlap_precision"]) == (2, 0.5)
    assert len(project.prediction) == 2  # every prediction is still shown
