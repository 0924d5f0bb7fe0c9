"""Choosing the lead sentences a summary shortens: the event, then who was involved."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsbrief.steps.lead import lead_sentences, names_in, prose_sentences, split_sentences

KENYA = (
    "Nairobi, Friday\n"
    "Flooding forced 3,000 people from their homes in northern Kenya this week, officials said.\n"
    "The rain is expected to continue until the weekend, forecasters said.\n"
    "Interior minister Grace Otieno visited the worst-hit town of Garissa on Thursday.\n"
    "Photo: Red Cross via AP\n"
    '"We have never seen water like this," said a resident.'
)


def test_the_first_prose_sentence_leads_and_datelines_captions_are_skipped() -> None:
    assert lead_sentences(KENYA, 1) == [
        "Flooding forced 3,000 people from their homes in northern Kenya this week, officials said."
    ]


def test_the_second_sentence_is_the_first_that_brings_in_new_names() -> None:
    # The weather sentence adds no actor; the minister's visit adds Grace Otieno and Garissa.
    lead = lead_sentences(KENYA, 2)
    assert lead[1].startswith("Interior minister Grace Otieno")


def test_the_next_sentence_follows_when_none_adds_a_name() -> None:
    text = (
        "The council voted on Monday to close the old bridge for repairs.\n"
        "The repairs will take a year and cost more than expected.\n"
        "Work starts in the spring, the council said."
    )
    assert lead_sentences(text, 2)[1] == "The repairs will take a year and cost more than expected."


def test_weekdays_and_months_are_not_actors() -> None:
    assert names_in("The vote was held on Friday in March by Congress.") == {"congress"}


def test_a_sentence_opening_with_a_quote_is_passed_over_while_prose_remains() -> None:
    text = (
        "Voters in Ruritania elected a new parliament on Sunday, the electoral board said.\n"
        '"It is a new dawn," said Anna Berg of the Green Party.\n'
        "The Green Party led by Anna Berg won 40 seats."
    )
    assert lead_sentences(text, 2)[1] == "The Green Party led by Anna Berg won 40 seats."


def test_a_text_without_prose_sentences_has_no_lead() -> None:
    assert lead_sentences("Photo: AP\nShort line.") == []


@given(st.lists(st.text(alphabet='abcdefgh ABCDEFG.,"', min_size=1, max_size=80), max_size=8))
def test_lead_sentences_are_sentences_of_the_article_in_order(paragraphs: list[str]) -> None:
    text = "\n".join(paragraphs)
    sentences = prose_sentences(text)
    lead = lead_sentences(text, 2)
    assert len(lead) <= 2
    assert all(s in sentences for s in lead)
    assert [sentences.index(s) for s in lead] == sorted(sentences.index(s) for s in lead)


def test_split_sentences_keeps_initials_and_acronyms_inside_a_sentence() -> None:
    text = "Emily W. Murphy wrote to the U.S. Senate. It replied on Friday\nA new line"
    assert split_sentences(text) == [
        "Emily W. Murphy wrote to the U.S. Senate.",
        "It replied on Friday",
        "A new line",
    ]


def test_sentences_naming_match_the_last_word_whole_in_prose_only() -> None:
    from newsbrief.steps.lead import sentences_naming

    article = (
        "Senate Republicans passed the bill. Mitch McConnell scheduled the vote.\n\n"
        "McConnell-style rules were debated. The McConnells were absent.\n\n"
        "McConnell at the Capitol. Photo: AP\n"
    )
    found = sentences_naming(article, "Mitch McConnell", 5)
    assert found == ["Mitch McConnell scheduled the vote."]
    assert sentences_naming(article, "some Republicans", 5) == [
        "Senate Republicans passed the bill."
    ]
    assert sentences_naming(article, "Mitch McConnell", 0) == []
    assert sentences_naming(article, "  ", 5) == []
