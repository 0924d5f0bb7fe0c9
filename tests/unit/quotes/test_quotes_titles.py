"""Titles of laws, books, films and reports in quotation marks are not quotes (issue 25)."""

from __future__ import annotations

import pytest

from newsbrief.quotes import find_quotes
from newsbrief.quotes.statements import is_title


def test_a_law_and_a_book_in_quotation_marks_are_no_quotes() -> None:
    text = (
        'The Ontario legislature passed the "Safe Streets and Housing Act 2021" on Tuesday '
        "after a long night of debate.\n"
        'Her memoir, "The Long Road Home", sold 40,000 copies in its first month.\n'
        '"This law will change lives," said housing minister Carla Reyes.\n'
    )
    quotes = find_quotes(text)
    assert [q.text for q in quotes] == ["This law will change lives,"]
    assert quotes[0].speaker == "Carla Reyes"


def test_a_name_someone_gave_stays_their_words() -> None:
    text = (
        "The senator spoke for an hour on Friday.\n"
        'Governor Dana Holt called the plan "The Great Giveaway" in a radio interview.\n'
    )
    assert [q.text for q in find_quotes(text)] == ["The Great Giveaway"]


@pytest.mark.parametrize(
    ("inner", "title"),
    [
        ("Reproductive Health Care Reform Bill 2019", True),
        ("The Lord of the Rings", True),
        ("We Will Win", True),
        ("we will win", False),
        ("We will win, and soon", False),
        ("Justice", False),
        ("It Is Over. Go Home", False),
    ],
)
def test_is_title(inner: str, title: bool) -> None:
    assert is_title(inner) is title
