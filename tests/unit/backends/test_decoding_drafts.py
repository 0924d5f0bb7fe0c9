"""Drafts for prompt lookup decoding (no model needed)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsbrief.backends.decoding import draft


def test_draft_continues_the_earliest_earlier_match_of_the_longest_ngram() -> None:
    sequence = [1, 2, 3, 4, 5, 9, 2, 3, 7, 8, 2, 3]
    assert draft(sequence, 2) == [4, 5]  # "2 3" first followed by 4 5
    assert draft([5, 6, 7, 1, 6, 7], 3) == [1, 6, 7]
    assert draft([1, 2, 3], 4) == []  # 3 never occurred before
    assert draft([1, 2, 1], 0) == []


@given(st.lists(st.integers(0, 5), min_size=1, max_size=40), st.integers(1, 10))
def test_a_draft_is_what_followed_an_earlier_occurrence_of_the_last_token(
    sequence: list[int], count: int
) -> None:
    drafted = draft(sequence, count)
    assert len(drafted) <= count
    if drafted:
        starts = [
            i + 1
            for i in range(len(sequence) - 1)
            if sequence[i] == sequence[-1] and sequence[i + 1 : i + 1 + len(drafted)] == drafted
        ]
        assert starts
