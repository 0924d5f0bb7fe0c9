"""Reported speech without quotation marks, as news writes it (issue 25): the statement's
span and its source. Made-up articles."""

from __future__ import annotations

from newsbrief import Quote
from newsbrief.quotes import find_quotes

LEAD = "The harbour board met on Tuesday to settle the budget for the coming year.\n\n"
TAIL = "\n\nThe board meets again in June."


def _quotes(paragraph: str) -> list[Quote]:
    return find_quotes(LEAD + paragraph + TAIL)


def _texts(paragraph: str) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in _quotes(paragraph)]


def test_content_first_then_a_described_source_with_its_determiner() -> None:
    # "..., a source said": the comma stands before the description's determiner.
    assert _texts("The ferry contract was signed before the vote, a source said.") == [
        ("The ferry contract was signed before the vote", "source")
    ]
    assert _texts("The pier will close for a year, one of the board's engineers said.") == [
        ("The pier will close for a year", "board's engineers")
    ]


def test_a_source_opened_by_a_number_or_quantifier() -> None:
    assert _texts("The pier will close for a year, two harbour officials said.") == [
        ("The pier will close for a year", "harbour officials")
    ]
    assert _texts("Several dock workers said the cranes had not been inspected.") == [
        ("the cranes had not been inspected", "dock workers")
    ]


def test_a_relayed_quote_stays_with_the_person_whose_words_it_is() -> None:
    # The agency relays what the minister said: the quoted words are the minister's.
    quotes = _quotes(
        "At the quay, Minister Ada Brel described the talks as “a good start”, "
        "the state news agency said on Friday."
    )
    assert [(q.text, q.speaker) for q in quotes] == [("a good start", "Ada Brel")]


def test_an_attribution_set_between_commas_inside_the_statement() -> None:
    text = "The new pier, Ms. Varga said, will be closed for a year while crews repair it."
    assert _texts(text) == [(text[:-1], "Varga")]
    text = "Back in the spring, Nils Odegaard said on Friday, he decided to leave the board."
    assert _texts(text) == [(text[:-1], "Nils Odegaard")]


def test_a_clause_before_the_commas_is_no_parenthetical_attribution() -> None:
    # The words before the cue are a clause of their own, not the cue's subject.
    text = "The pier shut, and then a storm hit what the board said, in a report, was its old span."
    assert all(q.text != text[:-1] for q in _quotes(text))


def test_a_source_without_a_determiner_opening_its_clause() -> None:
    assert _texts("Port safety inspectors said the cranes were unsafe in high wind.") == [
        ("the cranes were unsafe in high wind", "Port safety inspectors")
    ]
    assert _texts("The plan looks cheap, but critics say the repairs would cost more.") == [
        ("the repairs would cost more", "critics")
    ]
    assert _texts("Her aides say it is too early to discuss a run for the board.") == [
        ("it is too early to discuss a run for the board", "aides")
    ]


def test_verbs_whose_reported_clause_needs_no_that() -> None:
    assert _texts("Ms. Varga acknowledged the repairs were late.") == [
        ("the repairs were late", "Varga")
    ]
    assert _texts("Nils Odegaard noted his crews had worked through the storm.") == [
        ("his crews had worked through the storm", "Nils Odegaard")
    ]


def test_no_parenthetical_attribution_before_a_direct_quote_or_a_clause() -> None:
    # 'X said, "..."' is a direct quote; "declared independence, ..." is no attribution;
    # "United States" is no cue.
    quotes = _quotes('At the quay, board chair Ada Brel said, "We will rebuild the pier."')
    assert [(q.text, q.kind) for q in quotes] == [("We will rebuild the pier.", "direct")]
    assert _quotes("Ruritania, which a decade later declared independence, is small.") == []
    assert _quotes("Seven countries, the United States among them, met in Oslo.") == []


def test_content_first_then_an_inverted_cue_and_its_source() -> None:
    text = "The fees would rise for most, but for some, the losses would be small, said Ada Brel."
    assert _texts(text) == [(text[: text.index(", said")], "Ada Brel")]
    text = "Its first ferry could sail this week, said Nils Odegaard, a harbour pilot."
    assert _texts(text) == [("Its first ferry could sail this week", "Nils Odegaard")]
    # The words after "said" are a clause here, not its source.
    text = "A spokesman for the pier, Ada Brel, said the fees would rise."
    assert _texts(text) == [("the fees would rise", "Ada Brel")]


def test_content_first_then_a_named_body_with_its_determiner() -> None:
    text = "But the harbour plan still favours large ships, the Port Authority said on Friday."
    assert _texts(text) == [(text[: text.index(", the Port")], "Port Authority")]


def test_a_final_cue_with_an_object_is_no_attribution() -> None:
    # "announced a new ferry": the body announced a thing, it reported no statement.
    assert _quotes("While most fares are paid in cash, the board announced a new card.") == []
    # "United States" holds no cue.
    assert _quotes("The ferry, like others, flies the flag of the United States.") == []


def test_a_promise_or_an_appeal_reported_as_an_infinitive() -> None:
    assert _texts("Mayor Ada Brel vowed to rebuild the pier before winter.") == [
        ("to rebuild the pier before winter", "Ada Brel")
    ]
    assert _texts("Nils Odegaard urged the harbour board to resign over the delays.") == [
        ("the harbour board to resign over the delays", "Nils Odegaard")
    ]
    # "pledged to the fund" gives money, not words; "agreed to a deal" is an act.
    assert _quotes("The union pledged to the fund in May.") == []
    assert _quotes("The union agreed to a new contract in May.") == []


def test_a_demand_reported_with_called_for_or_called_on() -> None:
    assert _texts("Senator Ada Brel called for the repeal of the harbour levy.") == [
        ("the repeal of the harbour levy", "Ada Brel")
    ]
    assert _texts("Nils Odegaard called on the harbour board to resign.") == [
        ("the harbour board to resign", "Nils Odegaard")
    ]
    # Naming stays naming; the noun "call" is no cue of its own.
    assert _quotes("Nils Odegaard called the levy unfair.") == []
    assert _quotes("Ada Brel repeated the call for cooperation in May.") == []


def test_according_to_in_mid_sentence_attributes_the_sentence_around_it() -> None:
    text = "Most ferry fares, according to the Harbour Trust, would rise by a third next year."
    assert _texts(text) == [(text[:-1], "Harbour Trust")]


def test_an_addressee_with_a_programme_title_in_quotation_marks() -> None:
    text = 'Nils Odegaard told the Gazette’s "Morning Tide" that nobody doubted the plan.'
    assert _texts(text) == [("nobody doubted the plan", "Nils Odegaard")]


def test_a_reported_clause_ends_before_a_participle_or_another_cue() -> None:
    text = "Port analysts said the harbour had grown busier, citing its strategic place."
    assert _texts(text) == [("the harbour had grown busier", "Port analysts")]
    text = "Her aides say it is too early to plan a run but noted that she won the last race."
    assert _texts(text) == [
        ("it is too early to plan a run", "aides"),
        ("she won the last race", "aides"),
    ]
    # "including" goes on with the clause's noun phrase.
    text = "Ada Brel said the plan, including the new pier, would cost more."
    assert _texts(text) == [("the plan, including the new pier, would cost more", "Ada Brel")]


def test_an_indirect_question_is_what_was_asked() -> None:
    assert _texts("Board members asked whether the levy would cover the repairs.") == [
        ("whether the levy would cover the repairs", "Board members")
    ]
    assert _texts("Nils Odegaard asked the court whether the levy was lawful.") == [
        ("whether the levy was lawful", "Nils Odegaard")
    ]
    assert _texts("Ada Brel explained how the harbour fund pays for repairs.") == [
        ("how the harbour fund pays for repairs", "Ada Brel")
    ]
    assert _quotes("Ada Brel asked for a recount.") == []


def test_a_naming_in_the_articles_own_words_is_a_statement() -> None:
    assert _texts("Dock workers also described the stoppage as ominous.") == [
        ("the stoppage as ominous", "Dock workers")
    ]
    assert _texts("Ada Brel called it a common ailment of long campaigns.") == [
        ("it a common ailment of long campaigns", "Ada Brel")
    ]
    # With quotation marks the quoted words are the quote; a call is no naming.
    assert _texts("Ada Brel called it “a disgrace”.") == [("a disgrace", "Ada Brel")]
    assert _quotes("Ada Brel called him on Tuesday.") == []


def test_according_to_a_source_without_a_determiner() -> None:
    text = "According to police, the two boats collided in thick fog off the pier."
    assert _texts(text) == [(text[text.index("the two") : -1], "police")]
    text = "About nine hundred boats are moored in the bay, according to harbour records."
    assert _texts(text) == [(text[: text.index(", according")], "harbour records")]


def test_a_final_cue_with_a_time_and_a_clause_of_circumstance_after_it() -> None:
    text = (
        "The levy is an insult to every fisherman, union leaders said Friday afternoon, "
        "as they gathered on the quay."
    )
    assert _texts(text) == [(text[: text.index(", union")], "union leaders")]
    # "agreed to ..." after the cue is no time or place: no statement.
    assert _quotes("Refusing to give up the pier, Ada Brel agreed to a shared lease in May.") == []


def test_an_order_or_a_warning_reported_as_an_infinitive() -> None:
    assert _texts("Last month, the harbour police warned pilots to slow down.") == [
        ("pilots to slow down", "harbour police")
    ]
    assert _texts("Ada Brel told her aides to find another pier.") == [
        ("her aides to find another pier", "Ada Brel")
    ]


def test_a_headline_demand() -> None:
    assert _texts("Former harbour chief calls for Pier Safety Review.") == [
        ("Pier Safety Review", "Former harbour chief")
    ]


def test_a_reporting_verb_in_the_present_with_a_plural_subject() -> None:
    assert _texts("Many dock workers argue that the new levy punishes small boats.") == [
        ("the new levy punishes small boats", "dock workers")
    ]
    # After "to", a modal or a negation, or as a noun, the base form states nothing.
    assert _quotes("Ada Brel refused to concede or admit defeat in the vote.") == []
    assert _quotes("The board justified the claim based on old charts.") == []


def test_a_that_clause_whose_subject_names_nobody_is_kept_without_a_speaker() -> None:
    text = "To varying degrees, all agreed that the levy would raise fares for small boats."
    assert _texts(text) == [("the levy would raise fares for small boats", None)]
    # "states that" after a determiner is a noun and a relative clause, no cue.
    assert _quotes("The states that held votes were Maine and Utah.") == []


def test_a_title_with_the_sentences_comma_inside_its_marks_is_no_quote() -> None:
    text = (
        'In an interview on the Gazette\u2019s "Harbour Talk," Ada Brel said the fees would fall.'
    )
    assert _texts(text) == [("the fees would fall", "Ada Brel")]
    # Words in Title Case that a cue attributes are still a quote.
    text = '"Thank You Very Much," Ada Brel said as she left the quay.'
    assert _texts(text) == [("Thank You Very Much,", "Ada Brel")]


def test_an_inverted_source_with_a_place_or_a_long_apposition() -> None:
    text = "The meeting went sour from there, said one union source in the room."
    assert _texts(text) == [("The meeting went sour from there", "union source")]
    text = (
        "The fleet had shrunk by half since 2005, said Nils Odegaard, a senior official with "
        "the Harbour Board of Governors that oversees the pilots."
    )
    assert _texts(text) == [("The fleet had shrunk by half since 2005", "Nils Odegaard")]


def test_a_cue_inside_a_relative_clause_reports_no_clause_after_it() -> None:
    assert _quotes("We don't care. Everything Ada Brel says is a lie unless proven.") == []
    assert _quotes("Would you vote for anyone who said and did the same things?") == []
    # A modal may open the clause: "which he said would allow ...".
    text = "The board declared an emergency, which Ada Brel said would allow quick repairs."
    assert [q.text for q in _quotes(text)] == ["would allow quick repairs"]


def test_a_joke_reported_with_that() -> None:
    assert _texts("Ada Brel joked that the pier was older than the town.") == [
        ("the pier was older than the town", "Ada Brel")
    ]


def test_a_clause_after_the_addressee_without_that() -> None:
    # "told reporters he would ...": the pronoun that opens the clause ends the addressee.
    assert _texts("Nils Odegaard told reporters he would not stand again.") == [
        ("he would not stand again", "Nils Odegaard")
    ]
    assert _texts("Ada Brel told the Harbour Gazette last week she had seen the accounts.") == [
        ("she had seen the accounts", "Ada Brel")
    ]


def test_an_indirect_question_after_the_addressee() -> None:
    assert _texts("Nils Odegaard told reporters on Monday how surprised he was by the vote.") == [
        ("how surprised he was by the vote", "Nils Odegaard")
    ]
    assert _texts("Ada Brel asked the treasurer if the loan had been repaid.") == [
        ("if the loan had been repaid", "Ada Brel")
    ]


def test_that_after_a_long_adverbial_or_an_aside() -> None:
    text = (
        "Ada Brel said on Thursday during a visit to the quay in Oslo, Norway, "
        "that the pier would open in May."
    )
    assert _texts(text) == [("the pier would open in May", "Ada Brel")]
    assert _texts("Ada Brel said — on the radio, as it happens — that the pier was safe.") == [
        ("the pier was safe", "Ada Brel")
    ]
    assert _texts("Nils Odegaard testified, for example, that he never saw the ledger.") == [
        ("he never saw the ledger", "Nils Odegaard")
    ]


def test_that_followed_by_a_comma() -> None:
    assert _texts("Nils Odegaard joked that, among the board, he was the only sailor.") == [
        ("among the board, he was the only sailor", "Nils Odegaard")
    ]


def _reported(paragraph: str) -> list[tuple[str, str | None, str]]:
    return [(q.text, q.speaker, q.kind) for q in _quotes(paragraph)]


def test_a_verb_of_saying_with_its_object_is_a_reported_statement() -> None:
    # "X denied the allegations": what was said, named by the verb's object, not a clause.
    assert _reported("Nils Odegaard denied the allegations about the harbour fund.") == [
        ("the allegations about the harbour fund", "Nils Odegaard", "reported")
    ]
    assert _reported("Ada Brel has announced plans to rebuild the old pier.") == [
        ("plans to rebuild the old pier", "Ada Brel", "reported")
    ]
    assert _reported("Ada Brel accused the mayor of hiding the costs, and left.") == [
        ("the mayor of hiding the costs", "Ada Brel", "reported")
    ]
    assert _reported("The union warned against a rushed vote.") == [
        ("a rushed vote", "union", "reported")
    ]


def test_no_reported_statement_from_a_passive_a_noun_or_a_modal() -> None:
    for text in (
        "The plan was announced on Friday by the board.",
        "The announced plans were dropped after the storm.",
        "The mayor could deny them the permits.",
        "Nils Odegaard did not comment on the plan.",
        "The crews followed a plan announced earlier this year.",
        "Ada Brel has been accused of hiding the costs.",
    ):
        assert _reported(text) == [], text


def test_a_reported_statement_leaves_a_reported_clause_alone() -> None:
    assert _reported("Ada Brel announced that the pier would close.") == [
        ("the pier would close", "Ada Brel", "indirect")
    ]


def test_according_to_any_source_after_it() -> None:
    # Whatever follows "according to" is the statement's source, a role noun or not.
    text = "The harbour fund ran dry in May, according to people close to the board."
    assert [(q.text, q.kind) for q in _quotes(text)] == [
        ("The harbour fund ran dry in May", "indirect")
    ]
    text = "According to media buying sources, the union has booked radio time in June."
    assert [q.text for q in _quotes(text)] == ["the union has booked radio time in June"]


def test_as_a_source_said_before_the_statement() -> None:
    assert _texts("As Ada Brel noted on Friday, the dock workers will vote again in May.") == [
        ("the dock workers will vote again in May", "Ada Brel")
    ]
    assert _texts("As reported by the Harbour Gazette, the fund ran dry in May.") == [
        ("the fund ran dry in May", "Harbour Gazette")
    ]
    text = "As stated in Ada Brel's report, the fund ran dry in May."
    assert [q.text for q in _quotes(text)] == ["the fund ran dry in May"]


def test_a_share_of_those_polled_as_the_subject() -> None:
    # Poll results: "52 percent of voters say ...": the share is the source, no name.
    assert _texts("In the survey, 52 percent of dock workers say they would strike.") == [
        ("they would strike", "52 percent of dock workers")
    ]
    assert _texts("Only 7 percent said they were undecided.") == [("they were undecided", None)]


def test_a_reported_statement_with_a_named_object_or_a_later_statement() -> None:
    assert _reported("Nils Odegaard accused Brel of hiding the costs.") == [
        ("Brel of hiding the costs", "Nils Odegaard", "reported")
    ]
    # The object ends before the conjunction that brings the next statement.
    text = "Ada Brel announced the arrest of a diver and said the quay would reopen."
    assert _reported(text) == [
        ("the arrest of a diver", "Ada Brel", "reported"),
        ("the quay would reopen", "Ada Brel", "indirect"),
    ]


def test_agreed_to_do_is_a_commitment_agreed_with_a_view() -> None:
    assert _reported("The union agreed to clean up the old quay.") == [
        ("clean up the old quay", "union", "reported")
    ]
    assert _reported("The union agreed to power-sharing on the board.") == []
    assert _reported("Ada Brel agreed with Odegaard about the levy.") == [
        ("Odegaard about the levy", "Ada Brel", "reported")
    ]


def test_called_a_noun_phrase_a_name_is_a_naming() -> None:
    assert _texts("Ada Brel has called the harbour levy a tax on fishermen.") == [
        ("the harbour levy a tax on fishermen", "Ada Brel")
    ]
    # A meeting or a hearing called is no naming.
    assert _quotes("Ada Brel called a meeting of the board on Friday.") == []
    assert _quotes("The union had called the hearing because the board was silent.") == []


def test_a_surname_that_is_a_title_word_or_a_month() -> None:
    assert _texts("Mr. King said that the pier was safe.") == [("the pier was safe", "King")]
    assert _texts("Ada May said that the pier was safe.") == [("the pier was safe", "Ada May")]
    # A nationality and a title are a role, not a name.
    assert _texts("According to Afghan Ambassador Ann Lee, the pier was safe.") == [
        ("the pier was safe", "Ann Lee")
    ]


def test_a_demand_with_its_day_and_a_contracted_relative_subject() -> None:
    assert _texts("Ada Brel called Friday for an inquiry into the pier.") == [
        ("an inquiry into the pier", "Ada Brel")
    ]
    text = "The board heard Ada Brel — who’s called for a new levy — on Friday."
    assert [q.text for q in _quotes(text)] == ["a new levy"]


def test_more_shapes_of_a_reported_clause() -> None:
    # "about" and a number open a clause; a time or place before a pronoun's clause.
    assert _texts("Ada Brel has said about 20 boats were damaged.") == [
        ("about 20 boats were damaged", "Ada Brel")
    ]
    assert _texts("Ada Brel said after the vote she would not stand again.") == [
        ("she would not stand again", "Ada Brel")
    ]
    # "continues to insist, ..., that": a statement; the aside before "that".
    text = "The mayor continues to insist, most recently on the radio, that the pier is safe."
    assert [q.text for q in _quotes(text)] == ["the pier is safe"]
    # The noun phrase before "say that" is its subject, not the object inside it.
    assert _texts("Those close to the mayor say that she will run again.") == [
        ("she will run again", "Those close to the mayor")
    ]
    assert _texts("A spokesman for the harbour board said the pier was safe.") == [
        ("the pier was safe", "spokesman for the harbour board")
    ]


def test_a_final_source_after_as_and_an_owner_before_a_name() -> None:
    assert _texts("The pier was never inspected, as harbour officials have said.") == [
        ("The pier was never inspected", "harbour officials")
    ]
    assert _texts("The levy will not pass this year, noted the Gazette’s Ann Lee.") == [
        ("The levy will not pass this year", "Ann Lee")
    ]


def test_a_verb_of_saying_after_a_determiner_is_no_cue() -> None:
    text = "The fund is broke, harbour officials said on Friday, as they faced the continued calls."
    assert _texts(text) == [("The fund is broke", "harbour officials")]


def test_a_reported_statement_after_a_relative_pronoun_is_its_antecedents() -> None:
    text = "The talks included the dock union, which has strongly denied any wrongdoing."
    assert _reported(text) == [("any wrongdoing", "dock union", "reported")]


def test_a_question_asked_by_the_writer_or_someone_unnamed() -> None:
    assert _texts("We asked whether the levy would cover the repairs.") == [
        ("whether the levy would cover the repairs", None)
    ]
    assert _texts("Then someone asked how the board could pay for the pier.") == [
        ("how the board could pay for the pier", None)
    ]


def test_an_indirect_question_opened_by_a_name() -> None:
    assert _texts("Ada Brel asked whether Nils Odegaard would pay for the pier.") == [
        ("whether Nils Odegaard would pay for the pier", "Ada Brel")
    ]


def test_an_order_or_a_body_s_decision_is_no_reported_statement() -> None:
    # "declared a state of emergency", "confirmed her nomination", "denied funding": an act
    # done by a government or a body, not something said (issue 25: gold quote precision).
    for text in (
        "On Friday the governor declared a state of emergency so the port could reopen.",
        "The council declared a curfew in the harbour district.",
        "The assembly confirmed Ada Brel's nomination on Friday.",
        "The board has repeatedly denied funding for the new pier.",
        "Kestrel Motor Company recalled 12,000 vans on Friday.",
        "The ministry recalled its ambassador to Norway.",
    ):
        assert _reported(text) == [], text
    # A declaration or a denial that states a position is still a statement.
    assert _reported("Nils Odegaard declared war on the harbour board.") == [
        ("war on the harbour board", "Nils Odegaard", "reported")
    ]
    assert _reported("The ministry confirmed the death of two divers.") == [
        ("the death of two divers", "ministry", "reported")
    ]
    assert _reported("Ada Brel recalled the night the pier burned.") == [
        ("the night the pier burned", "Ada Brel", "reported")
    ]


def test_an_object_that_opens_a_clause_without_that() -> None:
    # "Reuters reported a source, whom they did not name, said ...": the object is the
    # subject of someone else's statement, found from its own verb.
    quotes = _reported(
        "The Gazette reported on Monday a board official, whom it did not name, said the fund "
        "was empty."
    )
    assert ("a board official", "Harbour Gazette", "reported") not in quotes
    assert all(kind != "reported" for _, _, kind in quotes), quotes
    assert [text for text, _, _ in quotes] == ["the fund was empty"]
    # "Rudaw reports Mahan's director, Hamid Khanooki, has alleged ties to ...": the whole
    # clause is what the outlet reports.
    assert _reported(
        "The Gazette reports the board's treasurer, Ada Brel, has resigned over the audit."
    ) == [
        (
            "the board's treasurer, Ada Brel, has resigned over the audit",
            "Gazette",
            "indirect",
        )
    ]


def test_an_object_in_a_relative_clause_keeps_the_sentence_s_own_verb() -> None:
    # "Crawford, who recalled taking the elevator up, said ...": "said" is Crawford's own
    # verb, not the object's.
    quotes = _reported(
        "Ada Brel, who recalled meeting the envoy twice, said the talks were cordial."
    )
    assert ("meeting the envoy twice", "Ada Brel", "reported") in quotes
    assert ("the talks were cordial", "Ada Brel", "indirect") in quotes


def test_an_object_ends_before_but_and_the_subject_s_next_predicate() -> None:
    assert _reported("The mayor agreed to review the ferry fares but did not promise a cut.") == [
        ("review the ferry fares", "mayor", "reported")
    ]
