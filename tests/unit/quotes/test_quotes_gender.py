"""Pronoun agreement: "she said" is not given to the man quoted before (issue 25)."""

from __future__ import annotations

from newsbrief.quotes import find_quotes
from newsbrief.quotes.pronouns import GenderCue, Referent, genders, resolve_pronoun


def _speakers(text: str) -> list[str | None]:
    return [q.speaker for q in find_quotes(text)]


def test_she_said_after_a_man_spoke_goes_to_the_woman_named_since() -> None:
    text = (
        "The council debated the new charge on Monday.\n"
        '"We need more time to read it," Mark Rowe said.\n'
        "Anna Petrova, who chairs the finance committee, asked for a vote.\n"
        '"I support the charge, but only if the evidence holds," she said.\n'
    )
    assert _speakers(text) == ["Mark Rowe", "Anna Petrova"]


def test_titles_and_earlier_pronouns_show_a_gender_where_first_names_do_not() -> None:
    text = (
        "Councillor Sam Okafor opened the hearing. He said the budget was late.\n"
        '"This cannot wait another month," Okafor said.\n'
        "Mrs Robin Hale, the treasurer, answered the council.\n"
        '"The money is there, and it will be paid," she said.\n'
    )
    assert _speakers(text)[-2:] == ["Sam Okafor", "Robin Hale"]


def test_the_latest_speaker_still_continues_when_the_article_shows_no_gender() -> None:
    text = (
        '"We will appeal," Jordan Vale said on Tuesday.\n'
        "Lee Moss, a lawyer for the city, was in court.\n"
        '"It is not over," she said.\n'
    )
    assert _speakers(text) == ["Jordan Vale", "Jordan Vale"]


def test_resolve_pronoun_passes_over_a_speaker_of_the_other_gender() -> None:
    man = Referent("Mark Rowe", 10, 19, False)
    woman = Referent("Anna Petrova", 40, 52, False)
    known = genders(
        [GenderCue("Mark Rowe", "masculine", 2), GenderCue("Anna Petrova", "feminine", 2)]
    )
    assert resolve_pronoun("she", 100, [man], [woman], known.get) == woman
    assert resolve_pronoun("he", 100, [man], [woman], known.get) == man
    assert resolve_pronoun("she", 100, [man], [woman]) == man  # no evidence: as before


def test_a_tie_in_the_evidence_shows_no_gender() -> None:
    cues = [GenderCue("Robin Hale", "masculine", 1), GenderCue("Robin Hale", "feminine", 1)]
    assert genders(cues) == {}
