"""Summaries of the embedded model: verified sentence spans, length target, GUM headlines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsbrief import Briefer
from newsbrief.steps.checks import check_quotes_are_verbatim, unknown_names
from newsbrief.steps.compress import WEIGHTS, length_target
from newsbrief.steps.lead import prose_sentence_spans
from newsbrief.steps.shorten import words_in_order

pytestmark = pytest.mark.embedded

GOLD = Path(__file__).resolve().parents[2] / "evals" / "gold"


def _records(name: str, ids: set[str]) -> list[dict[str, Any]]:
    lines = (GOLD / name).read_text(encoding="utf-8").splitlines()
    return [r for r in map(json.loads, lines) if r["id"] in ids]


@pytest.fixture(scope="module")
def briefer(embedded_backend: Any) -> Briefer:
    return Briefer(backend=embedded_backend)


def test_summary_sentences_are_verified_spans_of_one_sentence_each(briefer: Briefer) -> None:
    records = _records("wikinews_politics.jsonl", {"wikinews-2019-001", "wikinews-2020-090"})
    # GUM texts open with their headline line, once taken for a photo caption.
    records += _records("gum_news.jsonl", {"GUM_news_hackers", "GUM_news_afghan"})
    for record in records:
        text = record["text"]
        brief = briefer.brief(text, stances=False)
        assert brief.summary == " ".join(s.text for s in brief.summary_sentences)
        assert not unknown_names(brief.summary, text)
        check_quotes_are_verbatim(brief.summary, text)
        spans = prose_sentence_spans(text)
        for sentence in brief.summary_sentences:
            assert sentence.method in ("kept", "shortened")
            (source,) = sentence.sources
            assert (source.start, source.end) in spans
            assert words_in_order(sentence.text, text[source.start : source.end])
        target = length_target(len(text.split()))
        assert len(brief.summary.split()) <= max(
            target * WEIGHTS.overrun, len(brief.summary_sentences[0].text.split())
        )


def test_one_sentence_mode(embedded_backend: Any, example_text: str) -> None:
    one = Briefer(backend=embedded_backend, summary_sentences=1).summarize(example_text)
    assert one.startswith("The US says it is lifting sanctions")
    assert one.count(". ") == 0
