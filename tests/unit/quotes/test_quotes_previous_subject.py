"""A quote with no speaker in reach: the previous sentence's subject (issue 25)."""

from __future__ import annotations

from newsbrief.quotes import find_quotes


def test_a_quote_after_a_sentence_about_a_person_is_theirs() -> None:
    text = (
        "The water minister, Helen Ward, defended the new tariffs in parliament on Tuesday. "
        "She rejected the criticism from farmers.\n"
        '"These prices are fair, and they will stay."\n'
    )
    quotes = find_quotes(text)
    assert [q.speaker for q in quotes] == ["Helen Ward"]


def test_a_sentence_about_no_one_gives_no_speaker() -> None:
    text = (
        "Heavy rain closed the northern highway for a second day.\n"
        '"Expect more delays on every road in the region this week."\n'
    )
    assert [q.speaker for q in find_quotes(text)] == [None]


def test_an_exclamation_ends_the_quote_but_not_its_attribution() -> None:
    text = (
        "The summit opened in Lisbon.\n"
        '"Our forests are burning and we must act now!" Pedro Alves told the delegates.\n'
    )
    quotes = find_quotes(text)
    assert [(q.speaker, q.cue) for q in quotes] == [("Pedro Alves", "told the delegates")]
