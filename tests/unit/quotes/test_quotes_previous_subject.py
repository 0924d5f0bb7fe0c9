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


def test_a_quote_without_a_cue_after_a_sentence_about_a_named_body() -> None:
    # "The GFT released a statement. It read, '...'": the body is the speaker; a dateline
    # in capitals before a quote is no speaker.
    from newsbrief.quotes import find_quotes

    text = (
        "The player was arrested on Monday.\n\n"
        "The Harbour Rowing Agency released a statement on Tuesday. It read, "
        '"We will wait for the investigation before we say more about the case."\n'
    )
    assert [q.speaker for q in find_quotes(text)] == ["Harbour Rowing Agency"]
    text = (
        'PORT AVALON — "We will wait for the investigation before we say more about it," '
        "the note on the door said.\n"
    )
    assert all(q.speaker != "PORT AVALON" for q in find_quotes(text))
