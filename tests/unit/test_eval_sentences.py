"""Tests for the news sentence splitter."""

from __future__ import annotations

import pytest

from newsbrief.eval.sentences import split_sentences


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
