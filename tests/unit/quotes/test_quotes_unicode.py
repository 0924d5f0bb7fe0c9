"""Decomposed accents and invisible characters do not cut names (issue 23, item 7)."""

from __future__ import annotations

import unicodedata

import pytest

from newsbrief.quotes import find_quotes
from newsbrief.quotes.clusters import fold

INVISIBLE = {
    "none": "",
    "soft hyphen": "\u00ad",
    "zero-width space": "\u200b",
    "zero-width non-joiner": "\u200c",
    "zero-width joiner": "\u200d",
}


def _visible(name: str) -> str:
    """The name as a reader sees it: NFC, invisible format characters dropped."""
    return "".join(
        ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch) != "Cf"
    )


@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize("invisible", sorted(INVISIBLE))
@pytest.mark.parametrize("name", ["José Álvarez", "Zoë Ørsted", "Renée Müller"])
def test_a_name_in_any_form_is_the_whole_speaker(form: str, invisible: str, name: str) -> None:
    first, last = name.split(" ", 1)
    cut = 2 if len(last) > 3 else 1
    written = unicodedata.normalize(form, f"{first} {last[:cut]}{INVISIBLE[invisible]}{last[cut:]}")
    text = (
        "The council met on Tuesday to vote on the budget.\n"
        f'"We will not raise taxes this year," said {written}, the mayor of the town.\n'
        f"{written} said that the vote would be close.\n"
    )
    quotes = find_quotes(text)
    assert len(quotes) == 2
    for quote in quotes:
        assert text[quote.start : quote.end] == quote.text
        assert quote.speaker is not None
        assert _visible(quote.speaker) == name
        assert quote.speaker_start is not None and quote.speaker_end is not None
        assert text[quote.speaker_start : quote.speaker_end] == written


def test_fold_drops_accents_and_invisible_characters() -> None:
    assert fold(unicodedata.normalize("NFD", "Ál\u00advarez")) == "alvarez"
    assert fold("Jo\u200dsé") == "jose"
