"""Tests for quote span matching, P/R/F1 and speaker accuracy."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from newsbrief.eval.gold import GoldQuote
from newsbrief.eval.quote_metrics import (
    QuoteCounts,
    count_quote_matches,
    match_by_overlap,
    match_exact,
    same_speaker,
    score_quotes,
)
from newsbrief.eval.scoring import PRF
from newsbrief.models import Quote


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    speaker: str | None = None


def test_hand_computed_article() -> None:
    gold = [Span(0, 10, "Nancy Pelosi"), Span(20, 30, "Donald Trump"), Span(40, 50, None)]
    predicted = [Span(0, 10, "nancy  PELOSI"), Span(22, 35, "Trump"), Span(60, 70, "X")]
    scores = score_quotes([(gold, predicted)])
    # Exact: only [0, 10) -> 1 of 3 predicted, 1 of 3 gold.
    assert scores.exact == PRF(1 / 3, 1 / 3, 1 / 3)
    # Overlap: [0, 10) and [20, 30)~[22, 35) -> 2 of 3 each way.
    assert scores.overlap == PRF(2 / 3, 2 / 3, 2 / 3)
    # Speakers: "nancy  PELOSI" = "Nancy Pelosi"; "Trump" != "Donald Trump" -> 1 of 2.
    assert scores.speaker_accuracy == 1 / 2
    assert scores.counts == QuoteCounts(
        n_gold=3, n_predicted=3, exact=1, overlap=2, speaker_correct=1
    )


def test_greedy_overlap_takes_largest_overlap_first() -> None:
    gold = [Span(0, 10), Span(8, 20)]
    # [5, 20) shares 5 characters with gold 0 and 12 with gold 1.
    assert match_by_overlap(gold, [Span(5, 20)]) == [(1, 0)]
    # [0, 9) shares 9 with gold 0 and 1 with gold 1.
    assert match_by_overlap(gold, [Span(0, 9)]) == [(0, 0)]
    # Both predictions want gold 0 most; the larger overlap (9) wins it, the other gets gold 1.
    assert match_by_overlap(gold, [Span(2, 10), Span(0, 9)]) == [(0, 1), (1, 0)]


def test_touching_spans_do_not_overlap() -> None:
    assert match_by_overlap([Span(0, 10)], [Span(10, 20)]) == []


def test_matching_is_one_to_one() -> None:
    # One long prediction covering two gold quotes matches one of them: P=1, R=1/2, F=2/3.
    scores = score_quotes([([Span(0, 10), Span(10, 20)], [Span(0, 20)])])
    assert scores.overlap == PRF(1.0, 1 / 2, 2 / 3)
    # A span predicted twice is matched once: P=1/2, R=1, F=2/3.
    repeated = score_quotes([([Span(0, 10)], [Span(0, 10), Span(0, 10)])])
    assert repeated.exact == PRF(1 / 2, 1.0, 2 / 3)
    assert match_exact([Span(0, 10)], [Span(0, 10), Span(0, 10)]) == [(0, 0)]
    # Two gold quotes with one span and a single prediction of it: one match.
    assert match_exact([Span(0, 10), Span(0, 10)], [Span(0, 10)]) == [(0, 0)]
    assert match_by_overlap([Span(0, 10), Span(0, 10)], [Span(0, 10)]) == [(0, 0)]


def test_pieces_of_one_gold_statement_are_fragments_not_false_positives() -> None:
    # '"We will win," she said. "They know it."': one gold statement [0, 40) in two
    # pieces; the finder gives each quoted piece: [1, 13) matches, [26, 39) is a fragment.
    gold = [Span(0, 40), Span(60, 80)]
    predicted = [Span(1, 13), Span(26, 39), Span(90, 95)]
    counts = count_quote_matches(gold, predicted)
    assert counts.fragments == 1
    assert counts.n_scored == 2
    # 1 match of 2 scored predictions (the fragment counts neither way), 1 of 2 gold.
    assert score_quotes([(gold, predicted)]).overlap == PRF(1 / 2, 1 / 2, 1 / 2)
    # A repeated prediction overlaps its match: still a false positive, not a fragment.
    assert count_quote_matches(gold, [Span(1, 13), Span(1, 13)]).fragments == 0
    # A prediction reaching past the gold statement is no piece of it.
    assert count_quote_matches(gold, [Span(1, 13), Span(35, 45)]).fragments == 0
    # Two pieces overlapping each other: one fragment, the other a false positive.
    assert count_quote_matches(gold, [Span(1, 13), Span(20, 30), Span(25, 35)]).fragments == 1


def test_micro_average_over_articles() -> None:
    first = ([Span(0, 5)], [Span(0, 5)])
    second = ([Span(0, 5), Span(10, 15), Span(20, 25)], [Span(30, 35)])
    # 1 match, 2 predicted, 4 gold: P=1/2, R=1/4, F=2*(1/8)/(3/4)=1/3 (a macro average
    # of the per-article F1s, (1 + 0)/2, would give 1/2).
    scores = score_quotes([first, second])
    assert scores.overlap == PRF(1 / 2, 1 / 4, 1 / 3)
    assert scores.exact == scores.overlap


def test_articles_are_matched_separately() -> None:
    # The same offsets in different articles are different quotes.
    scores = score_quotes([([Span(0, 5)], []), ([], [Span(0, 5)])])
    assert scores.overlap == PRF(0.0, 0.0, 0.0)


def test_no_predictions_and_no_matches() -> None:
    scores = score_quotes([([Span(0, 5)], [])])
    assert scores.exact == PRF(0.0, 0.0, 0.0)
    assert scores.speaker_accuracy is None
    assert score_quotes([]).counts == QuoteCounts()


@pytest.mark.parametrize(
    ("gold", "predicted", "same"),
    [
        ("John Coale", " john\tcoale ", True),
        ("John Coale", "Coale", False),
        (None, None, True),
        (None, "John Coale", False),
        ("John Coale", None, False),
        ("Belta", "BELTA", True),
    ],
)
def test_same_speaker(gold: str | None, predicted: str | None, same: bool) -> None:
    assert same_speaker(gold, predicted) is same


def test_none_speakers_in_accuracy() -> None:
    gold = [Span(0, 5, None), Span(10, 15, None)]
    predicted = [Span(0, 5, None), Span(10, 15, "Someone")]
    assert count_quote_matches(gold, predicted).speaker_correct == 1


def test_gold_quotes_and_model_quotes_work_together() -> None:
    text = 'Coale said "very productive" today.'
    gold = [GoldQuote(text="very productive", start=12, end=27, speaker="John Coale", kind="mixed")]
    predicted = [
        Quote.model_validate(
            {"text": "very productive", "start": 12, "end": 27, "kind": "direct",
             "speaker": "john coale"},
            context={"text": text},
        )
    ]  # fmt: skip
    scores = score_quotes([(gold, predicted)])
    assert scores.exact == PRF(1.0, 1.0, 1.0)
    assert scores.speaker_accuracy == 1.0


def test_counts_add_up() -> None:
    a = QuoteCounts(1, 2, 3, 4, 5)
    b = QuoteCounts(10, 20, 30, 40, 50)
    assert a + b == QuoteCounts(11, 22, 33, 44, 55)


@dataclass(frozen=True)
class KindSpan:
    start: int
    end: int
    kind: str
    speaker: str | None = None


def test_the_project_gold_scores_only_the_kinds_its_guidelines_annotate() -> None:
    from newsbrief.eval.quote_metrics import annotated_kinds_only

    gold = [Span(0, 10, "Ann Lee"), Span(20, 30, "Ann Lee")]
    predicted = [
        KindSpan(0, 10, "indirect", "Ann Lee"),
        KindSpan(22, 28, "reported", "Ann Lee"),  # overlaps a gold quote: scored
        KindSpan(40, 50, "reported", "Ann Lee"),  # the gold is silent on it: left out
        KindSpan(60, 70, "direct", "Bo Park"),  # a quote the gold lacks: a false positive
    ]
    kept = annotated_kinds_only(gold, predicted)
    assert [(q.start, q.kind) for q in kept] == [(0, "indirect"), (22, "reported"), (60, "direct")]
    counts = count_quote_matches(gold, kept)
    assert (counts.n_predicted, counts.overlap) == (3, 2)
