"""Pronoun resolution and article layout (captions, sentence boundaries)."""

from __future__ import annotations

from newsbrief.quotes.pronouns import Referent, resolve_pronoun
from newsbrief.text.document import Document
from newsbrief.text.layout import Segment, is_prose

AGENCY = Referent("Belta", 0, 5, organisation=True)
LOPEZ = Referent("Maria Lopez", 10, 21, organisation=False)
GREY = Referent("Tom Grey", 30, 38, organisation=False)


def test_he_resolves_to_the_latest_person_speaker() -> None:
    assert resolve_pronoun("he", 100, [AGENCY, LOPEZ], [GREY]) == LOPEZ


def test_it_resolves_to_an_organisation_speaker() -> None:
    assert resolve_pronoun("It", 100, [LOPEZ, AGENCY], []) == AGENCY


def test_he_after_an_organisation_falls_back_to_a_nearby_name() -> None:
    assert resolve_pronoun("he", 100, [AGENCY], [GREY]) == GREY


def test_speakers_too_far_back_are_not_used() -> None:
    assert resolve_pronoun("she", 50_000, [LOPEZ], []) is None


def test_captions_and_credits_are_not_prose() -> None:
    for line in (
        "Press Service of the Presidency of Belarus via AP",
        "Protesters at the march. Image: Andrew Gray.",
        "Friday, January 4, 2019",
    ):
        assert not is_prose(line, Segment(0, len(line)))
    sentence = "Lukashenko has ruled the nation for three decades."
    assert is_prose(sentence, Segment(0, len(sentence)))


def test_sentences_do_not_break_after_titles_or_initials() -> None:
    text = "Mr. Smith met Pedro R. Pierluisi in the U.S. Senate. He left. Then it rained."
    starts = Document.parse(text).sentence_starts
    assert [text[s : s + 4] for s in starts] == ["Mr. ", "He l", "Then"]


def test_it_or_they_after_a_sentence_about_a_named_body_is_that_body() -> None:
    # "The NBA did not release the name. They did say he was not present." (issue 25: the
    # previous sentence's subject is the obvious speaker.)
    from newsbrief.quotes import find_quotes

    text = (
        "The league met on Monday.\n\n"
        "The Harbour Authority did not release the player's name. They did say he was not "
        "at the ground.\n\n"
        "The Port Agency closed the pier on Friday. It said the pier was unsafe.\n"
    )
    assert [(q.text, q.speaker) for q in find_quotes(text)] == [
        ("he was not at the ground", "Harbour Authority"),
        ("the pier was unsafe", "Port Agency"),
    ]
    # A person before "it" is no body: nobody said it.
    text = "The pier reopened.\n\nAda Brel visited the pier. It said the pier was safe.\n"
    assert [q.speaker for q in find_quotes(text)] == [None]
