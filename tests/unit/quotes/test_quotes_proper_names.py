"""No speaker inside a proper name of a place or group (issue 25)."""

from __future__ import annotations

from newsbrief.quotes import find_quotes


def test_the_last_part_of_a_coordinated_name_is_not_the_speaker() -> None:
    text = (
        "Two car bombs went off near the port on Sunday.\n"
        "The Popular Front for the Liberation of Palestine and the Gaza Strip claimed "
        "responsibility for the blasts in a statement.\n"
    )
    quotes = find_quotes(text)
    assert [q.speaker for q in quotes] == [
        "Popular Front for the Liberation of Palestine and the Gaza Strip"
    ]
    assert quotes[0].speaker_start is not None and quotes[0].speaker_end is not None
    assert text[quotes[0].speaker_start : quotes[0].speaker_end] == quotes[0].speaker


def test_a_person_after_and_is_still_the_speaker() -> None:
    text = 'The talks ended late.\n"It was a long night," Kim Lee and Tom Park said.\n'
    assert [q.speaker for q in find_quotes(text)] == ["Tom Park"]
