"""Briefs from the embedded model on real articles: the example and Wikinews politics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsbrief import Brief, Briefer
from newsbrief.checks import check_quotes_are_verbatim, unknown_names

pytestmark = pytest.mark.embedded

GOLD = Path(__file__).resolve().parents[2] / "evals" / "gold" / "wikinews_politics.jsonl"


@pytest.fixture(scope="module")
def briefer(embedded_backend: Any) -> Briefer:
    return Briefer(backend=embedded_backend)


@pytest.fixture(scope="module")
def example_brief(briefer: Briefer, example_text: str) -> Brief:
    return briefer.brief(example_text)


def test_example_envoy_is_supportive(example_brief: Brief) -> None:
    labels = {s.speaker: s.label for s in example_brief.stances}
    assert labels["John Coale"] == "supportive"
    assert set(labels) >= {"John Coale", "Sviatlana Tsikhanouskaya"}


def test_example_summary_is_faithful_and_names_the_main_actors(
    example_brief: Brief, example_text: str
) -> None:
    summary = example_brief.summary
    assert "sanction" in summary.lower()
    for name in ("Coale", "Tsikhanouskaya"):
        assert name in summary, summary
    assert "Press Service" not in summary and "via AP" not in summary
    assert not unknown_names(summary, example_text)
    check_quotes_are_verbatim(summary, example_text)
    assert 1 <= summary.count(". ") + 1 <= 3


@pytest.mark.xfail(
    strict=True,
    reason="known gap of the 270M base model (issue 4): it labels Tsikhanouskaya opposed, "
    "not cautious, and its summary leaves Lukashenko out; strict so a fix is noticed",
)
def test_example_acceptance_gaps(example_brief: Brief) -> None:
    labels = {s.speaker: s.label for s in example_brief.stances}
    assert labels["Sviatlana Tsikhanouskaya"] == "cautious"
    assert "Lukashenko" in example_brief.summary


def test_briefs_of_other_articles_stay_faithful(briefer: Briefer) -> None:
    records = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    for record in records[30:32]:
        text = record["text"]
        brief = briefer.brief(text)
        assert brief.summary and not unknown_names(brief.summary, text)
        for quote in brief.quotes:
            assert text[quote.start : quote.end] == quote.text
        assert {s.label for s in brief.stances} <= {"supportive", "opposed", "cautious", "neutral"}
        assert brief.issue and len(brief.issue.split()) <= 12
