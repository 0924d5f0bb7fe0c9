"""Patterns of news writing between a speaker's name and the verb, in headlines and in lists
of voices (PolNeAR dev errors, tested here on made-up text): an apposition holding a place,
a party or an organisation ("Hal Berry, a spokesman for the Union of Miners, said"), a
headline in Title Case (not a name), and a quote signed with a dash."""

from __future__ import annotations

import pytest

from newsbrief.quotes import find_quotes


@pytest.mark.parametrize(
    ("subject", "speaker"),
    [
        ("Hal Berry, a spokesman for the United Brick Workers of Ohio,", "Hal Berry"),
        ("Tina Marsh, president of the Federation of Valley Teachers,", "Tina Marsh"),
        ("Jean-Luc Moreau, the trade minister of Belgium,", "Jean-Luc Moreau"),
        ("Senator Dana Whitfield, Democrat of Oregon,", "Dana Whitfield"),
        ("Senate Whip Bob Kettering, R-Ky.,", "Bob Kettering"),
        ("Tom Ridley, of Springfield, Va.,", "Tom Ridley"),
        ("Rep. Paul Hollis (D-N.C.), head of the Rural Caucus,", "Paul Hollis"),
        ("Mia Sorensen, 59, of Ashton, Md.,", "Mia Sorensen"),
    ],
)
def test_an_apposition_between_name_and_cue_is_not_the_speaker(subject: str, speaker: str) -> None:
    text = (
        "The county voted on the new levy on Monday. "
        f"{subject} said the levy would close the mill in the spring."
    )
    (quote,) = find_quotes(text)
    assert quote.speaker == speaker
    assert quote.speaker_start is not None and quote.speaker_end is not None
    assert text[quote.speaker_start : quote.speaker_end] == speaker


def test_a_name_that_is_the_apposition_itself_is_still_the_speaker() -> None:
    text = (
        "The county voted on the new levy on Monday. "
        "A spokesman for the mill, Arno Ledwick, said the levy would close it."
    )
    (quote,) = find_quotes(text)
    assert quote.speaker == "Arno Ledwick"


@pytest.mark.parametrize(
    "headline",
    [
        "Farmers Share Their Angry Thoughts On Greta Vance",
        "Railing Against Vance, Council Pushes Tax Fix",
        "Voters Ask Mayor To Explain The Greta Vance Levy",
    ],
)
def test_a_headline_in_title_case_is_not_a_name(headline: str) -> None:
    text = (
        f"{headline}.\n\n"
        "Greta Vance defended the levy on Monday. "
        "Vance said the money would go to the schools."
    )
    quotes = find_quotes(text)
    assert [q.speaker for q in quotes] == ["Greta Vance"]


def test_a_quote_signed_with_a_dash_belongs_to_the_signature() -> None:
    text = (
        "Readers in Dayton told us what they think of the levy after the debate.\n\n"
        "“The plan will ruin small farms. Nobody asked us about it, and nobody listened "
        "when we tried to explain what the new levy would cost a family like mine.” ― Greta "
        "Olsen\n"
        "“I trust the mayor. She listens to people like us, she keeps her word and she "
        "answered every question we put to her at the meeting last night.” — Paul Brandt, "
        "a baker in Dayton\n\n"
        "The mayor did not comment."
    )
    quotes = find_quotes(text)
    assert [q.speaker for q in quotes] == ["Greta Olsen", "Paul Brandt"]
    for quote in quotes:
        assert quote.speaker_start is not None and quote.speaker_end is not None
        assert text[quote.speaker_start : quote.speaker_end] == quote.speaker


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("“She will hold firm,” said Democratic candidate Ellen Vargas.", "Ellen Vargas"),
        ("“We will hold firm,” said British envoy Tom Hale.", "Tom Hale"),
        ("“He lashed out,” said Ellen Vargas’s campaign manager Rob Mook.", "Rob Mook"),
        ("“This is a waste of time,” said Rep. G.K. Barrow.", "G.K. Barrow"),
        (
            "Ellen Vargas’s campaign manager Rob Mook said as much on Monday, arguing that "
            "Trent “lashed out at our generals.”",
            "Rob Mook",
        ),
    ],
)
def test_role_words_lead_to_the_name_they_describe(sentence: str, speaker: str) -> None:
    text = "The race tightened on Monday. " + sentence
    (quote,) = find_quotes(text)
    assert quote.speaker is not None
    assert quote.speaker.split()[-1] == speaker.split()[-1]
    assert quote.speaker_start is not None and quote.speaker_end is not None
    assert text[quote.speaker_start : quote.speaker_end] in speaker


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("Ted Vance urged Republicans to “vote your conscience” at the rally.", "Ted Vance"),
        ("Ellen Vargas and Rob Mook said as much, arguing that “he lashed out.”", "Ellen Vargas"),
    ],
)
def test_a_clause_or_a_pair_is_not_a_role(sentence: str, speaker: str) -> None:
    text = "The race tightened on Monday. " + sentence
    (quote,) = find_quotes(text)
    assert quote.speaker == speaker
