"""Three patterns of news writing that put a capitalised word where a speaker may stand
(PolNeAR dev errors, tested here on made-up text): a list item opening with a verb in the
third person, a group named by one plural word before "he", and a state's abbreviation
after a place."""

from __future__ import annotations

import pytest

from newsbrief.quotes import find_quotes


@pytest.mark.parametrize(
    "item",
    [
        "Keeps saying the budget was balanced, when the records show it was not.",
        "Preys on our worst fears, and calls his critics “losers” and “cowards.”",
    ],
)
def test_a_list_item_opening_with_a_verb_has_no_verb_for_speaker(item: str) -> None:
    text = (
        "Here is what the mayor has done this year.\n\n"
        "Ran a failed parking scheme that cost the town thousands of dollars.\n\n"
        f"{item}\n\n"
        "Voters will decide in May."
    )
    for quote in find_quotes(text):
        assert quote.speaker not in ("Keeps", "Preys")


def test_he_is_not_a_group_named_by_one_plural_word() -> None:
    text = (
        "Protesters gathered downtown on Tuesday.\n\n"
        "Demonstrators said they want “justice for Terrence,” but pledged to stay calm.\n\n"
        "Mayor Tom Reese has also commented on the shooting.\n\n"
        "On Wednesday, he told a crowd that he was “troubled” by what happened."
    )
    quotes = find_quotes(text)
    assert quotes[-1].speaker == "Tom Reese"


def test_a_state_after_a_place_is_not_a_speaker() -> None:
    text = (
        "Visitors lined up outside the museum on Saturday.\n\n"
        "Ruth Kessler, 61, of Ashton, Md., who came with her sister, said the day brought "
        "back memories of her father.\n\n"
        "“These are the stories nobody tells,” she said."
    )
    quotes = find_quotes(text)
    assert [q.speaker for q in quotes] == ["Ruth Kessler", "Ruth Kessler"]
