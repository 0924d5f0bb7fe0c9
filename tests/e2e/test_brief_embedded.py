"""Briefs from the embedded model on real articles: the example and Wikinews politics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsbrief import Brief, Briefer
from newsbrief.steps.checks import check_quotes_are_verbatim, unknown_names
from newsbrief.steps.lead import lead_sentences, prose_sentences, split_sentences
from newsbrief.steps.shorten import words_in_order

pytestmark = pytest.mark.embedded

GOLD = Path(__file__).resolve().parents[2] / "evals" / "gold" / "wikinews_politics.jsonl"


@pytest.fixture(scope="module")
def briefer(embedded_backend: Any) -> Briefer:
    return Briefer(backend=embedded_backend)


@pytest.fixture(scope="module")
def example_brief(briefer: Briefer, example_text: str) -> Brief:
    return briefer.brief(example_text)


def test_example_speakers_have_stances(example_brief: Brief) -> None:
    labels = {s.speaker: s.label for s in example_brief.stances}
    assert set(labels) >= {"John Coale", "Sviatlana Tsikhanouskaya"}
    assert labels["John Coale"] in ("supportive", None)


def test_example_envoy_is_supportive(example_brief: Brief) -> None:
    # Was a strict xfail (the head abstained, cautious 0.37 on top). No rule names him: the
    # head is a linear probe; the example is in the dev half it was trained on.
    labels = {s.speaker: s.label for s in example_brief.stances}
    assert labels["John Coale"] == "supportive"


def test_example_summary_is_faithful_and_names_the_main_actors(
    example_brief: Brief, example_text: str
) -> None:
    summary = example_brief.summary
    assert "sanction" in summary.lower()
    # The event and who made it happen (Coale meeting Lukashenko); the voice the lead leaves
    # out (Tsikhanouskaya) only when it fits a person's length (about 60 words).
    for name in ("Coale", "Lukashenko"):
        assert name in summary, summary
    assert len(summary.split()) <= 66, summary
    assert "Press Service" not in summary and "via AP" not in summary
    assert not unknown_names(summary, example_text)
    check_quotes_are_verbatim(summary, example_text)
    assert 1 <= summary.count(". ") + 1 <= 3


def test_example_opposition_leader_is_cautious(example_brief: Brief) -> None:
    # Was a strict xfail (issue 4): zero-shot scoring labelled her opposed. The trained
    # stance head (newsbrief/steps/heads) reads hedging as its own axis; the example is in the
    # dev half it learned from, so tests/e2e/test_stance_embedded.py checks caution on
    # other articles too.
    labels = {s.speaker: s.label for s in example_brief.stances}
    assert labels["Sviatlana Tsikhanouskaya"] == "cautious"


def test_briefs_of_other_articles_stay_faithful(briefer: Briefer) -> None:
    records = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    for record in records[30:32]:
        text = record["text"]
        brief = briefer.brief(text)
        assert brief.summary and not unknown_names(brief.summary, text)
        # The base model only shortens the article's own sentences: each summary sentence
        # is one of them with words left out, the first from the lead.
        sentences = prose_sentences(text)
        parts = split_sentences(brief.summary)
        assert 1 <= len(parts) <= 3, brief.summary
        assert _shortens(parts[0], lead_sentences(text, 1)), parts[0]
        for part in parts:
            assert _shortens(part, sentences), part
        for quote in brief.quotes:
            assert text[quote.start : quote.end] == quote.text
        assert {s.label for s in brief.stances} <= {
            "supportive",
            "opposed",
            "cautious",
            "neutral",
            None,
        }
        assert brief.issue and len(brief.issue.split()) <= 12


def _shortens(part: str, sentences: list[str]) -> bool:
    """``part`` is one of ``sentences`` with words left out."""
    return any(words_in_order(part, sentence) for sentence in sentences)
