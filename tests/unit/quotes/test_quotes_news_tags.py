"""Two patterns of news writing around a speaker's name (PolNeAR dev errors, tested here on
other text): a party-and-state tag between the name and the verb, and a conjunction or
participle opening the sentence that holds the quote."""

from __future__ import annotations

import pytest

from newsbrief.quotes import find_quotes


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("“We will not cut the schools,” Sen. Ada Brown (R-Ohio) said Tuesday.", "Ada Brown"),
        ("“The bill is dead,” said Rep. Ken Park (D-Ore.), who chairs the panel.", "Ken Park"),
        ("“It is a fair deal,” Marta Reyes (I-Vt.) told reporters.", "Marta Reyes"),
        ("“We saw nothing,” Tom Hale (42) said.", "Tom Hale"),
    ],
)
def test_a_parenthetical_tag_after_a_name_is_not_the_speaker(sentence: str, speaker: str) -> None:
    text = "The council met on Monday to discuss the budget. " + sentence
    (quote,) = find_quotes(text)
    assert quote.speaker == speaker
    assert quote.speaker_start is not None and quote.speaker_end is not None
    assert text[quote.speaker_start : quote.speaker_end] == speaker


@pytest.mark.parametrize("opener", ["Once", "Having", "Unless", "Whether", "Upon", "Amid"])
def test_a_sentence_opening_conjunction_is_no_speaker(opener: str) -> None:
    text = (
        "Lena Ortiz runs the shelter on Main Street. "
        f"{opener} asked about the cuts, “We will find the money somewhere,” she said."
    )
    for quote in find_quotes(text):
        assert quote.speaker != opener


@pytest.mark.parametrize(
    ("after", "speaker"),
    [
        ("said Rep. Ken Park, who chairs the panel.", "Ken Park"),
        ("said Dr. Ann Lee.", "Ann Lee"),
        ("said John F. Kelly, a former general.", "John F. Kelly"),
        ("said Sen. Ada Brown (R-Ohio), the bill's author.", "Ada Brown"),
    ],
)
def test_a_title_short_form_after_an_inverted_cue_keeps_the_name(after: str, speaker: str) -> None:
    (quote,) = find_quotes("The council met on Monday. “The bill is dead,” " + after)
    assert quote.speaker == speaker


def test_an_inverted_cue_before_a_sentence_end_stays_in_its_sentence() -> None:
    (quote,) = find_quotes("The council met. “The bill is dead,” said the mayor. Ann Lee left.")
    assert quote.speaker != "Ann Lee"


@pytest.mark.parametrize(
    ("subject", "speaker"),
    [
        ("the Saudi-led Arab Coalition (SLC)", "Arab Coalition"),
        ("the London-based Syrian Observatory", "Syrian Observatory"),
        ("US-backed Ahmed Hassan", "Ahmed Hassan"),
    ],
)
def test_a_compound_descriptor_before_a_name_is_not_part_of_it(subject: str, speaker: str) -> None:
    text = f"Fighting went on near the border. On Monday, {subject} said it had taken the town."
    quotes = find_quotes(text)
    assert [q.speaker for q in quotes] == [speaker]
