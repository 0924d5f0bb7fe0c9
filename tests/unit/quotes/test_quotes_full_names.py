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


def test_an_occupation_written_before_a_name_is_not_part_of_it() -> None:
    # "Legislator Tanya Chan", "Immunologist Kristian Andersen": a role, as a title is.
    text = (
        "The harbour council met on Monday.\n\n"
        'Legislator Mei Ling Wong told reporters, "The council has failed the harbour."\n\n'
        'Immunologist Tomas Berg said, "The water is safe to drink."\n\n'
        'Police Senior Superintendent Ana Ruiz Vidal said: "Nobody was hurt."\n\n'
        'Democrat Lou Varga said, "The harbour deserves better."\n'
    )
    assert [q.speaker for q in find_quotes(text)] == [
        "Mei Ling Wong",
        "Tomas Berg",
        "Ana Ruiz Vidal",
        "Lou Varga",
    ]
    # Two words are a name: a first name is never cut ("Walter Lee", "Hunter Biden").
    text = 'The council met.\n\nWalter Lee said, "We will appeal."\n'
    assert [q.speaker for q in find_quotes(text)] == ["Walter Lee"]


def test_an_acronym_the_article_defines_is_that_body() -> None:
    text = (
        "At midnight the regional utility Northern Power and Light Company (NP&L) cut the "
        "power to 40,000 homes.\n\n"
        "NP&L said the cuts would last two days.\n\n"
        "The Flood Response Coordination Office (FRCO) opened three shelters. FRCO said "
        '"Everyone who needs a bed will have one."\n'
    )
    assert [q.speaker for q in find_quotes(text)] == [
        "Northern Power and Light Company",
        "Flood Response Coordination Office",
    ]


def test_a_body_named_in_full_then_by_its_first_word_is_the_body() -> None:
    text = (
        "Kestrel Motor Company recalled 12,000 vans on Friday.\n\n"
        'Kestrel said, "We are working with the regulator."\n'
    )
    assert [q.speaker for q in find_quotes(text)] == ["Kestrel Motor Company"]
    # Named by its first word before the full name: the word may be someone else.
    text = (
        'Kestrel said, "We are working with the regulator."\n\n'
        "Kestrel Motor Company recalled 12,000 vans on Friday.\n"
    )
    assert [q.speaker for q in find_quotes(text)] == ["Kestrel"]


def test_a_place_of_several_words_after_a_title_is_no_part_of_the_name() -> None:
    # "Chief Executive of Hong Kong Carrie Lam": the article names "Hong Kong" alone too.
    text = (
        "Protests went on in Port Avalon on Sunday.\n\n"
        "Chief Minister of Port Avalon Rosa Ilunga said the marches must stop.\n\n"
        "Envoy to Norway Nils Odegaard said the talks would resume.\n"
    )
    assert [q.speaker for q in find_quotes(text)] == ["Rosa Ilunga", "Nils Odegaard"]


def test_a_body_whose_name_ends_in_survey_federation_or_league_is_named_whole() -> None:
    # "the United States Geological Survey", "the Georgian Tennis Federation": not
    # "Geological Survey" or "Tennis Federation".
    text = (
        "The quake hit on Monday.\n\n"
        "The United States Geological Survey said the quake had a magnitude of 5.8.\n\n"
        '"We will not comment," the Georgian Rowing Federation said.\n'
    )
    assert [q.speaker for q in find_quotes(text)] == [
        "United States Geological Survey",
        "Georgian Rowing Federation",
    ]


def test_a_body_named_with_and_is_one_name() -> None:
    # "National Search and Rescue Agency", "Pacific Gas and Electric Company"; two countries
    # stay two ("Norway and United States officials").
    lead = "The ferry sank on Monday.\n\n"
    cases = {
        "The Coastal Search and Rescue Agency said it would end its search.": (
            "Coastal Search and Rescue Agency"
        ),
        "Northern Gas and Electric Company said power was restored.": (
            "Northern Gas and Electric Company"
        ),
    }
    for sentence, speaker in cases.items():
        assert [q.speaker for q in find_quotes(lead + sentence)] == [speaker], sentence
    quotes = find_quotes(lead + "Norway and United States officials said the talks went well.")
    assert all(q.speaker != "Norway and United States" for q in quotes)
