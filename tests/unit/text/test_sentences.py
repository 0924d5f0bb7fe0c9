"""The one sentence splitter (newsbrief.text.sentences) on hand-checked cases."""

from __future__ import annotations

import pytest
from sentence_cases import BOUNDARY_CASES

from newsbrief.text.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two! Three? Four", ["One.", "Two!", "Three?", "Four"]),
        ("The U.S. Congress met. It voted.", ["The U.S. Congress met.", "It voted."]),
        ("U.S. President Donald Trump spoke.", ["U.S. President Donald Trump spoke."]),
        ("They flew to the U.S. The team won.", ["They flew to the U.S.", "The team won."]),
        ("Mr. Coale and Dr. Smith met Gen. Lee.", ["Mr. Coale and Dr. Smith met Gen. Lee."]),
        ("John F. Kennedy spoke.", ["John F. Kennedy spoke."]),
        ("It rose 9.5 percent. Then it fell.", ["It rose 9.5 percent.", "Then it fell."]),
        ('He said "We won." Then he left.', ['He said "We won."', "Then he left."]),
        ('"Really?" she asked.', ['"Really?" she asked.']),
        ("It ends at 5 p.m. Friday.", ["It ends at 5 p.m. Friday."]),
        ("the end. and more", ["the end. and more"]),
        ("Line one\nLine two\n\n\nLine three.", ["Line one", "Line two", "Line three."]),
        ("", []),
        ("  \n\n ", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_an_end_mark_against_markup_ends_a_sentence() -> None:
    text = "Lopez said <a>no</a>.</p><div>Tom Grey said yes."
    assert split_sentences(text) == ["Lopez said <a>no</a>.", "</p><div>Tom Grey said yes."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            *case,
            marks=pytest.mark.xfail(
                strict=True, reason="after 'p.m.' only common openers start a sentence"
            ),
        )
        if "4 p.m. Officials" in case[0]
        else case
        for case in BOUNDARY_CASES
    ],
)
def test_boundary_cases_from_the_gold_and_wikinews(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected
