"""Quote finding and speakers on small made-up articles: each attribution pattern once."""

from __future__ import annotations

from newsbrief.models import Quote
from newsbrief.quotes import find_quotes, find_quotes_with_candidates


def only(text: str) -> Quote:
    quotes = find_quotes(text)
    assert len(quotes) == 1, quotes
    return quotes[0]


def by_text(text: str) -> dict[str, Quote]:
    return {q.text: q for q in find_quotes(text)}


def test_quote_then_said_name() -> None:
    quote = only("“The bridge will open in May,” said Maria Lopez.")
    assert quote.text == "The bridge will open in May,"
    assert quote.kind == "direct"
    assert quote.speaker == "Maria Lopez"
    assert quote.cue == "said"


def test_quote_then_name_said() -> None:
    text = '"We need more nurses," Hugh Hill said on Monday.'
    quote = only(text)
    assert quote.speaker == "Hugh Hill"
    assert quote.speaker_start is not None and quote.speaker_end is not None
    assert text[quote.speaker_start : quote.speaker_end] == "Hugh Hill"


def test_name_said_colon_then_quote() -> None:
    quote = only('Mayor Anna Berg said: "The budget is balanced."')
    assert quote.speaker == "Anna Berg"
    assert quote.text == "The budget is balanced."


def test_title_before_name_is_not_part_of_the_mention() -> None:
    text = "US Special Envoy to Chile Mark Dunn said, “Trade is growing fast.”"
    quote = only(text)
    assert quote.speaker == "Mark Dunn"
    assert quote.speaker_start is not None
    assert text[quote.speaker_start : quote.speaker_end] == "Mark Dunn"


def test_apposition_after_the_name() -> None:
    quote = only("Hugh Hill, a doctor at the clinic, said “the ward is full.”")
    assert quote.speaker == "Hugh Hill"


def test_inverted_cue_with_descriptor() -> None:
    quote = only('"Nobody listens to us," said student activist Lena Park.')
    assert quote.speaker == "Lena Park"


def test_told_outlet_cue() -> None:
    text = "Maria Lopez told the Associated Press that the bridge will open in May."
    quote = only(text)
    assert quote.kind == "indirect"
    assert quote.text == "the bridge will open in May"
    assert quote.cue == "told the Associated Press"
    assert quote.speaker == "Maria Lopez"


def test_indirect_said_that_and_warned_that() -> None:
    text = (
        "Maria Lopez said that the bridge will open in May. "
        "Tom Grey warned that costs could double."
    )
    quotes = by_text(text)
    assert quotes["the bridge will open in May"].speaker == "Maria Lopez"
    assert quotes["costs could double"].speaker == "Tom Grey"
    assert quotes["costs could double"].cue == "warned"


def test_indirect_said_without_that() -> None:
    quote = only("Maria Lopez said the bridge will open in May.")
    assert quote.text == "the bridge will open in May"


def test_according_to_before_and_after() -> None:
    quotes = by_text(
        "According to the Health Ministry, infections fell sharply last week. "
        "More than 40 people were arrested, according to Amnesty International."
    )
    assert quotes["infections fell sharply last week"].speaker == "Health Ministry"
    assert quotes["More than 40 people were arrested"].speaker == "Amnesty International"


def test_report_first_then_outlet_said() -> None:
    quote = only("Talks also touched on the border dispute, Belta said.")
    assert quote.text == "Talks also touched on the border dispute"
    assert quote.speaker == "Belta"


def test_organisation_as_speaker_after_inverted_cue() -> None:
    quote = only('"The suspect has been detained," said the Investigative Committee.')
    assert quote.speaker == "Investigative Committee"


def test_mixed_quote_in_reported_clause() -> None:
    text = "Anna Berg said normalizing relations with the north is “our goal”."
    quote = only(text)
    assert quote.kind == "mixed"
    assert quote.text == "normalizing relations with the north is “our goal”"


def test_fragment_after_described_as() -> None:
    quote = only("Anna Berg described the talks as “very productive” on Friday.")
    assert quote.kind == "mixed"
    assert quote.text == "very productive"
    assert quote.speaker == "Anna Berg"


def test_fragment_after_called() -> None:
    quote = only('Tom Grey called the plan "a disgrace" in parliament.')
    assert quote.text == "a disgrace"
    assert quote.speaker == "Tom Grey"


def test_adding_that_splits_two_reported_clauses() -> None:
    text = "Anna Berg told reporters that prices will fall, adding that wages will rise."
    quotes = by_text(text)
    assert set(quotes) == {"prices will fall", "wages will rise"}
    assert {q.speaker for q in quotes.values()} == {"Anna Berg"}


def test_pronoun_resolves_to_the_last_speaker() -> None:
    text = (
        "Mayor Anna Berg opened the bridge on Friday.\n\n"
        "“It took ten years,” she said.\n\n"
        "“We are proud of it,” she added."
    )
    quotes = find_quotes(text)
    assert [q.speaker for q in quotes] == ["Anna Berg", "Anna Berg"]
    assert quotes[0].speaker_start == text.index("she said")


def test_continuation_wins_over_a_pronoun_of_the_wrong_gender() -> None:
    text = (
        "“Prices must fall,” said Maria Lopez.\n\nAnd he added: “Wages must rise too, and quickly.”"
    )
    assert [q.speaker for q in find_quotes(text)] == ["Maria Lopez", "Maria Lopez"]


def test_quote_paragraph_without_cue_continues_the_previous_speaker() -> None:
    text = (
        "“The first part of my answer is long,” said Tom Grey.\n\n"
        "“And the second part of my answer is even longer than the first.”"
    )
    assert [q.speaker for q in find_quotes(text)] == ["Tom Grey", "Tom Grey"]


def test_misspelled_surname_clusters_to_full_name() -> None:
    text = (
        "Opposition leader Sviatlana Tsikhanouskaya met voters.\n\n"
        "Tsikhnouskaya also said that sanctions are working."
    )
    assert only(text).speaker == "Sviatlana Tsikhanouskaya"


def test_caption_and_photo_credit_are_not_quotes_or_speakers() -> None:
    text = (
        "Press Service of the Presidency via AP\n"
        'Protesters with a banner saying "put it to the people". Image: Voice of America.\n'
        '"We will keep marching," said Anna Berg.'
    )
    quotes = find_quotes(text)
    assert [q.text for q in quotes] == ["We will keep marching,"]


def test_headline_is_not_a_quote() -> None:
    text = (
        'Minister says "no deal" is off the table\n\n'
        '"There will be no deal without a vote," Tom Grey said.'
    )
    assert [q.text for q in find_quotes(text)] == ["There will be no deal without a vote,"]


def test_scare_quotes_are_not_quotes() -> None:
    text = 'The so-called "peace plan" was published. Critics of the "reform" were few.'
    assert find_quotes(text) == []


def test_unbalanced_marks_do_not_raise_or_invent_spans() -> None:
    text = '“Open but never closed, said Tom Grey.\n\nA "stray mark and ” another ‘one.'
    for quote in find_quotes(text):
        assert text[quote.start : quote.end] == quote.text


def test_no_speaker_when_none_is_given() -> None:
    text = (
        "The report was published on Monday.\n\n"
        "“The river is rising faster than anyone expected this year.”"
    )
    assert only(text).speaker is None


def test_candidates_rank_the_rule_choice_first() -> None:
    text = (
        "“Prices must fall,” said Maria Lopez.\n\n"
        "Tom Grey disagreed with the minister.\n\n"
        "“Wages must rise too, and quickly,” he said."
    )
    items = find_quotes_with_candidates(text)
    last = items[-1]
    assert last.candidates[0].name == last.quote.speaker
    assert {c.name for c in last.candidates} >= {"Maria Lopez", "Tom Grey"}
    assert not last.certain
    assert items[0].certain
    for candidate in last.candidates:
        assert 0 <= candidate.start < candidate.end <= len(text)
