"""The speaker is the longest name form the article gives the person (issue 25)."""

from __future__ import annotations

from newsbrief.quotes import find_quotes
from newsbrief.quotes.clusters import NameClusters
from newsbrief.quotes.mentions import find_names


def test_a_surname_ending_in_ly_is_part_of_the_name_before_a_cue() -> None:
    text = (
        "The water board met on Thursday.\n"
        "Board member Shane Donnelly said the new pipes would cost twice the estimate.\n"
        '"We were misled," Grace Daly said.\n'
    )
    assert [q.speaker for q in find_quotes(text)] == ["Shane Donnelly", "Grace Daly"]


def test_a_first_name_alone_is_the_person_named_in_full_before() -> None:
    text = (
        "Priya Raman, the head of the nurses' union, led the march on Saturday.\n"
        '"We will not go back to work for less," Priya said.\n'
    )
    quotes = find_quotes(text)
    assert [q.speaker for q in quotes] == ["Priya Raman"]
    assert text[quotes[0].speaker_start : quotes[0].speaker_end] == "Priya"


def test_a_first_name_shared_by_two_people_stays_as_written() -> None:
    text = "Kevin Marsh and Kevin Boyd spoke.\n"
    clusters = NameClusters(find_names(text, 0, len(text)))
    assert clusters.canonical("Kevin") == "Kevin"
    assert clusters.canonical("Marsh") == "Kevin Marsh"
