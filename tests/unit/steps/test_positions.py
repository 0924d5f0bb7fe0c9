"""Who gets a stance in a brief: the reported position takers of news prose and the names
they are merged under (``newsbrief.steps.positions``), on made-up articles."""

from __future__ import annotations

from newsbrief.models import Quote
from newsbrief.quotes import find_quotes
from newsbrief.steps.positions import plain_speaker, position_takers
from newsbrief.steps.stance import stance_requests, stance_speakers

DATELINE = "Tuesday, March 3, 2026\n\n"


def takers(*paragraphs: str) -> list[str]:
    text = DATELINE + "\n\n".join(paragraphs)
    return position_takers(text, find_quotes(text))


def test_phrasal_position_verbs_match() -> None:
    # "called for", "voted against": a verb of two words was never matched. (A demand with
    # "called for" is also a statement the quote step finds, and a quoted speaker is no
    # position taker: the verb is checked here with nobody quoted.)
    text = DATELINE + "Senator Jane Harlow called for a recount of the ballots."
    assert position_takers(text, []) == ["Jane Harlow"]
    assert takers("Senator Jane Harlow called for a recount of the ballots.") == []
    assert takers("The Dockworkers Union voted against the new contract on Friday.") == [
        "Dockworkers Union"
    ]


def test_a_body_named_by_a_capitalised_word_and_a_common_noun() -> None:
    assert takers(
        "The Peruvian government dismissed the report as false.",
        "Danish officials welcomed the ruling, and the Trade Ministry objected.",
    ) == ["Peruvian government", "Danish officials", "Trade Ministry"]
    # No capitalised word: nobody is named.
    assert takers("The government welcomed the ruling. Officials condemned the attack.") == []


def test_a_spokesperson_takes_the_position_of_the_body_they_speak_for() -> None:
    assert takers(
        "A spokeswoman for the Ministry of Fisheries expressed disappointment at the vote.",
        "According to local radio, a spokesman for 24 Sussex Drive criticised the plan.",
    ) == ["Ministry of Fisheries", "24 Sussex Drive"]


def test_courts_rule() -> None:
    assert takers(
        "On Friday, the High Court of Kenya issued a ruling finding the law void.",
        "The Constitutional Court in Lima ruled that the decree was unlawful.",
    ) == ["High Court of Kenya", "Constitutional Court"]


def test_an_acronym_in_brackets_between_the_name_and_its_verb() -> None:
    assert takers("The National Farmers Union (NFU) also criticised the new tariffs.") == [
        "National Farmers Union"
    ]


def test_a_rejected_subject_does_not_hide_the_real_one() -> None:
    # "Lopez's" with the apposition after it looked like a subject, was dropped (a
    # possessive), and the name inside its apposition was never tried.
    assert takers("Lopez's deputy, Tom Reed, condemned the plan as too costly.") == ["Tom Reed"]
    assert takers("A spokeswoman, Ines Duarte, strongly opposed the merger.") == ["Ines Duarte"]
    # A name and a comma before the verb without a comma before the name: no apposition.
    assert takers("Nobody in Parliament said Ines Duarte, opposed it.") == []


def test_participles_of_position_and_naming_verbs() -> None:
    text = DATELINE + (
        "Senators split, with Dana Whitfield of Ohio calling for a recount and Lee Park of "
        "Utah praising the count as fair."
    )
    assert position_takers(text, []) == ["Dana Whitfield", "Lee Park"]
    # A naming verb takes a position only with the speaker's words after it.
    assert takers(
        'Greek minister Nikos Varga speaking to the press called the deal "void".',
        "Marta Ruiz called the meeting to order.",
    ) == ["Nikos Varga"]


def test_name_variants_of_a_quoted_speaker_are_that_speaker() -> None:
    text = (
        DATELINE + '"We will not back down," said Prime Minister Gordon Brown.\n\n'
        "Mr. Brown urged the party to stay united. Brown also backed the new budget."
    )
    quotes = find_quotes(text)
    assert stance_speakers(text, quotes) == ["Gordon Brown"]


def test_a_short_name_taken_first_gives_way_to_the_full_name() -> None:
    assert takers(
        "Okoro welcomed the plan at first.",
        "Later, Adaeze Okoro criticised its cost.",
    ) == ["Adaeze Okoro"]


def test_a_role_word_written_before_a_name_is_not_part_of_it() -> None:
    assert plain_speaker("Voter Kitty Mak") == "Kitty Mak"
    assert plain_speaker("Resident Ann Lee") == "Ann Lee"
    assert plain_speaker("Walter Lee") == "Walter Lee"
    assert plain_speaker("Voter") == "Voter"
    text = DATELINE + 'Voter Lin Hsu told reporters, "Every little step matters."\n'
    quotes = find_quotes(text)
    # The quote step already leaves the role word out of the name (issue 25).
    assert [q.speaker for q in quotes] == ["Lin Hsu"]
    assert stance_speakers(text, quotes) == ["Lin Hsu"]
    (request,) = stance_requests(text, quotes, ["Lin Hsu"])
    assert not request.reported and list(request.evidence_ids) == [0]


def test_a_body_without_quotes_gets_the_sentences_that_name_it_whole() -> None:
    text = (
        DATELINE + "The German government condemned the attack.\n\n"
        "The Russian government dismissed the claim as groundless."
    )
    speakers = stance_speakers(text, [])
    assert speakers == ["German government", "Russian government"]
    requests = stance_requests(text, [], speakers)
    assert [list(r.evidence) for r in requests] == [
        ["The German government condemned the attack."],
        ["The Russian government dismissed the claim as groundless."],
    ]


def test_no_quotes_no_positions_no_speakers() -> None:
    quote = Quote(text="x", start=0, end=1, speaker=None, kind="direct")
    assert takers("The weather was fine and the market opened late.") == []
    assert stance_speakers(DATELINE + "Rain fell.", [quote]) == []


def test_a_body_named_with_a_common_noun_says_what_a_person_would_be_quoted_saying() -> None:
    # The quote step attributes what people say; a body like "Chilean officials" it often
    # leaves without a speaker, so its speech verbs count here, a person's do not.
    assert takers(
        "The airport was closed to foreign carriers, Chilean officials said.",
        "Nora Vik said the port would reopen.",
    ) == ["Chilean officials"]


def test_ruling_a_country_or_standing_in_a_place_is_no_position() -> None:
    assert takers(
        "Mbeki ruled the country for a decade.",
        "An assembly of foreign ministers in Nairobi denounced the deal.",
        "Republican Senator Amy Cole issued a statement against the merger.",
    ) == ["Amy Cole"]


def test_more_ways_news_reports_a_side() -> None:
    assert takers(
        "Ana Silva argued against the merger on Monday.",
        "The Fishers Guild campaigned for a ban, and Omar Haddad warned against it.",
        "Priya Nair denied the allegations.",
        "Lena Ek congratulated the winner.",
    ) == ["Ana Silva", "Fishers Guild", "Omar Haddad", "Priya Nair", "Lena Ek"]


def test_a_body_called_by_its_common_noun_is_the_body_named_in_full() -> None:
    text = (
        DATELINE + "The Trump administration said the question was needed.\n\n"
        "Weeks later the administration said it would appeal."
    )
    quotes = find_quotes(text)
    speakers = stance_speakers(text, quotes)
    assert speakers == ["Trump administration"]
    (request,) = stance_requests(text, quotes, speakers)
    assert len(request.evidence_ids) == len([q for q in quotes if q.speaker])


def test_a_description_the_article_words_otherwise_gets_the_sentences_with_its_head() -> None:
    text = DATELINE + "Several foreign ministers in Lima denounced the pact on Monday.\n"
    (request,) = stance_requests(text, [], ["Chilean and Peruvian foreign ministers"])
    assert list(request.evidence) == [
        "Several foreign ministers in Lima denounced the pact on Monday."
    ]


def test_the_source_of_a_reported_statement_takes_a_position() -> None:
    # "the Harbour Weather Centre reported ...": no quote and no position verb, still a
    # source the brief lists (issue 22: speakers a reader would list).
    text = (
        DATELINE + "The storm reached the coast on Monday.\n\n"
        "The Harbour Weather Centre reported winds of 90 miles per hour at the pier.\n\n"
        'Ada Brel said, "We closed the port in time."\n'
    )
    quotes = find_quotes(text)
    assert [q.kind for q in quotes] == ["reported", "direct"]
    assert stance_speakers(text, quotes) == ["Ada Brel", "Harbour Weather Centre"]
