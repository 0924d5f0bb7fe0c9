"""Tests for the lead-k, nearest-name speaker and majority stance baselines."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from newsbrief.eval.baselines import lead_k, majority_stance, nearest_name_speaker
from newsbrief.eval.gold import load_gold

GOLD_DIR = Path(__file__).resolve().parents[3] / "evals" / "gold"
ARTICLE = (
    "Friday, January 4, 2019\u00a0 \n\n\n"
    "First sentence here. U.S. President Trump spoke. Mr. Smith left.\n\n\n"
    "Second paragraph."
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def span_of(text: str, quote: str) -> Span:
    start = text.index(quote)
    return Span(start, start + len(quote))


@pytest.mark.parametrize(
    ("k", "expected"),
    [
        (1, "First sentence here."),
        (2, "First sentence here. U.S. President Trump spoke."),
        (4, "First sentence here. U.S. President Trump spoke. Mr. Smith left. Second paragraph."),
        (9, "First sentence here. U.S. President Trump spoke. Mr. Smith left. Second paragraph."),
    ],
)
def test_lead_k_skips_dateline(k: int, expected: str) -> None:
    assert lead_k(ARTICLE, k) == expected


@pytest.mark.parametrize("dateline", ["4 January 2019", "January 4, 2019", "Sunday, March 1 2020"])
def test_lead_k_date_formats(dateline: str) -> None:
    assert lead_k(f"{dateline}\nBody starts. Body goes on.", 1) == "Body starts."


def test_lead_k_keeps_a_body_line_that_starts_with_a_date() -> None:
    assert lead_k("January 4, 2019 was a Friday. Yes.", 1) == "January 4, 2019 was a Friday."


def test_lead_k_skips_title_when_given() -> None:
    text = "Talks end\n\nMonday, May 4, 2020\n\nThe talks ended. Nobody won."
    assert lead_k(text, 1, title="Talks end") == "The talks ended."
    assert lead_k(text, 1) == "Talks end"


def test_lead_k_on_real_articles() -> None:
    gold = load_gold(GOLD_DIR)
    pelosi = gold["wikinews-2019-001"]
    assert lead_k(pelosi.text, 1) == (
        "Nancy Pelosi yesterday resumed the office of Speaker of the House, being voted into "
        "the position by the incoming 116th United States Congress."
    )
    afghan = gold["GUM_news_afghan"]
    assert lead_k(afghan.text, 1, title=afghan.title) == (
        'A group of Afghan teenagers was awarded a silver medal for "courageous achievement" on '
        "Tuesday in the FIRST Global Challenge Robot Olympics in the Daughters of the American "
        "Revolution Constitution Hall in Washington D.C."
    )


def test_lead_k_needs_positive_k() -> None:
    with pytest.raises(ValueError, match="k must be"):
        lead_k(ARTICLE, 0)


def test_nearest_name_speaker() -> None:
    text = (
        'Nancy Pelosi spoke first. "We will work together," she said. '
        'Then President Donald Trump said "hopefully". The committee said "no". '
        "Later Trump's aide said it was over."
    )
    quotes = [
        span_of(text, "We will work together,"),
        span_of(text, "hopefully"),
        span_of(text, "no"),
        span_of(text, "it was over"),
    ]
    assert nearest_name_speaker(text, quotes) == [
        "Nancy Pelosi",  # nearest preceding name
        "Donald Trump",  # "Then" and "President" dropped
        "Donald Trump",  # "The" alone is no name
        "Later Trump",  # possessive dropped; a sentence-initial adverb is not filtered
    ]


def test_nearest_name_speaker_expands_surnames_and_handles_no_name() -> None:
    text = 'He arrived. "Yes," he said. Nancy Pelosi came. Pelosi said "fine".'
    quotes = [span_of(text, "Yes,"), span_of(text, "fine")]
    assert nearest_name_speaker(text, quotes) == [None, "Nancy Pelosi"]


def test_nearest_name_speaker_on_gold_quotes() -> None:
    record = load_gold(GOLD_DIR)["wikinews-2019-001"]
    speakers = nearest_name_speaker(record.text, record.quotes)
    assert len(speakers) == len(record.quotes)
    assert speakers[1] == "Nancy Pelosi"  # "congratulated Pelosi, saying, \"hopefully ..."
    assert speakers[3] == "Donald Trump"


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["opposed", "supportive", "opposed"], "opposed"),
        (["supportive", "opposed"], "supportive"),
        (["opposed", "supportive"], "opposed"),
        (iter(["neutral"]), "neutral"),
    ],
)
def test_majority_stance(labels: list[str], expected: str) -> None:
    assert majority_stance(labels) == expected


def test_majority_stance_needs_labels() -> None:
    with pytest.raises(ValueError, match="no training labels"):
        majority_stance([])
