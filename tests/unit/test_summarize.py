"""The summary step on the scripted backend: checks, retries, lead, chunking, voices."""

from __future__ import annotations

import pytest

from newsbrief.backends import ScriptedBackend
from newsbrief.errors import RetryExhaustedError
from newsbrief.quotes.reporting import ReportingSentence
from newsbrief.summarize import Summarizer, Voice

ARTICLE = (
    "The city council of Riverton voted on Monday to close the old bridge for repairs.\n"
    "Press Service of Riverton via AP\n"
    'Mayor Dana Holt said the closure was "overdue". Engineer Raj Patel warned that '
    "repairs could take a year."
)
CAPTION = "Press Service of Riverton via AP"


LEAD = "The city council of Riverton voted on Monday to close the old bridge for repairs."
HOLT = 'Mayor Dana Holt said the closure was "overdue".'
LEAD_KEY = "Sentence: The city council of Riverton"
HOLT_KEY = "Sentence: Mayor Dana Holt"
PATEL_KEY = "Sentence: Engineer Raj Patel"
PATEL_SAID = ReportingSentence(
    "Engineer Raj Patel warned that repairs could take a year.", "Engineer Raj Patel"
)


def test_base_models_shorten_the_lead_sentence_with_its_own_words() -> None:
    backend = ScriptedBackend(["The council of Riverton voted to close the old bridge"])
    result = Summarizer(backend, "base", max_sentences=1).summarize(ARTICLE)
    assert result.text == "The council of Riverton voted to close the old bridge."
    assert result.attempts == 1
    assert [p.id for p in result.prompts] == ["compress.base@v1"]
    (call,) = backend.calls
    assert call.prompts[0].endswith(f"Sentence: {LEAD}\nShorter:")
    assert call.config is not None and call.config.subsequence_of == LEAD
    # The caption line never reaches the model.
    assert CAPTION not in call.prompts[0]


def test_a_shortened_sentence_longer_than_its_source_is_rejected() -> None:
    longer = LEAD.replace("repairs.", "repairs after a long debate in the city of Riverton.")
    backend = ScriptedBackend([longer, "The council voted to close the old bridge."])
    result = Summarizer(backend, "base", max_sentences=1).summarize(ARTICLE)
    assert result.text == "The council voted to close the old bridge."
    assert "words; it must have between" in backend.calls[1].prompts[0]


def test_a_shortened_sentence_keeps_its_words_in_order_and_at_least_half_of_them() -> None:
    backend = ScriptedBackend(
        [
            "The bridge of Riverton voted to close the old council.",  # words moved
            "The city council voted.",  # too little of the sentence left
            "The city council of Riverton voted to close the old bridge.",
        ]
    )
    result = Summarizer(backend, "base", max_sentences=1).summarize(ARTICLE)
    assert result.text == "The city council of Riverton voted to close the old bridge."
    prompts = [c.prompts[0] for c in backend.calls]
    assert "'of' is not a word of the sentence at that place" in prompts[1]
    assert "write at least 8" in prompts[2]


def test_invented_names_and_captions_are_rejected_then_retried() -> None:
    backend = ScriptedBackend(
        [
            "Governor Smith of Riverton voted to close the old bridge.",  # words added
            "Press Service of Riverton via AP says the bridge will close.",  # caption
            "The council voted to close the old bridge for repairs.",
        ]
    )
    result = Summarizer(backend, "base", max_sentences=1).summarize(ARTICLE)
    assert result.text == "The council voted to close the old bridge for repairs."
    assert result.attempts == 3
    prompts = [c.prompts[0] for c in backend.calls]
    assert "'Governor' is not a word of the sentence" in prompts[1]
    assert "caption" in prompts[2]
    seeds = [c.config.seed for c in backend.calls if c.config]
    assert seeds == [None, 1, 2]


def test_garbage_exhausts_with_every_raw_answer() -> None:
    garbage = ["", "bridge bridge bridge bridge", "Zorblax Quux ate Flimflam."]
    backend = ScriptedBackend(garbage)
    with pytest.raises(RetryExhaustedError) as info:
        Summarizer(backend, "base", max_sentences=1, max_attempts=3).summarize(ARTICLE)
    assert [a.raw_output for a in info.value.attempts] == garbage
    assert len(backend.calls) == 3


def test_copying_the_demonstration_is_rejected() -> None:
    backend = ScriptedBackend(
        [
            "Interior minister Grace Otieno visited the worst-hit town of Garissa and promised "
            "emergency funds.",
            "The council of Riverton voted to close the old bridge.",
        ]
    )
    result = Summarizer(backend, "base", max_sentences=1).summarize(ARTICLE)
    assert result.text == "The council of Riverton voted to close the old bridge."
    assert "copies the example answer" in backend.calls[1].prompts[0]


def test_the_event_takes_two_lead_sentences_and_voices_go_to_speakers_not_yet_named() -> None:
    backend = ScriptedBackend(
        by_prompt={
            LEAD_KEY: "The council voted to close the old bridge.",
            HOLT_KEY: "Mayor Dana Holt said the closure was overdue",
            PATEL_KEY: "Raj Patel warned that repairs could take a year.",
        }
    )
    voices = [
        Voice(
            "Dana Holt", ("the closure was overdue",), (ReportingSentence(HOLT, "Mayor Dana Holt"),)
        ),
        Voice("Raj Patel", ("repairs could take a year",), (PATEL_SAID,)),
        Voice("Nobody Else", ("x",)),
    ]
    result = Summarizer(backend, "base", max_sentences=3).summarize(ARTICLE, voices)
    # Holt is named by the lead: the one voice sentence left goes to Patel.
    assert result.text == (
        "The council voted to close the old bridge. Mayor Dana Holt said the closure was "
        "overdue. Raj Patel warned that repairs could take a year."
    )
    assert [p.id for p in result.prompts] == ["compress.base@v1"]
    two = Summarizer(backend, "base", max_sentences=2).summarize(ARTICLE, voices)
    assert two.text == (
        "The council voted to close the old bridge. Mayor Dana Holt said the closure was overdue."
    )


def test_voices_fill_the_room_the_event_leaves() -> None:
    answers = {
        "Summarize the news article": "The council will close the old bridge.",
        "Statements by Dana Holt": "Dana Holt said the closure was overdue.",
        "Statements by Raj Patel": "Raj Patel warned that repairs could take a year.",
    }
    voices = [
        Voice("Dana Holt", ("the closure was overdue",)),
        Voice("Raj Patel", ("repairs could take a year",)),
    ]
    result = Summarizer(ScriptedBackend(by_prompt=answers), "instruct").summarize(ARTICLE, voices)
    assert result.text == (
        "The council will close the old bridge. Dana Holt said the closure was overdue. "
        "Raj Patel warned that repairs could take a year."
    )


def test_long_articles_are_chunked_and_the_parts_summarised_again() -> None:
    paragraphs = [
        f"Paragraph {i} says the council of Riverton discussed the bridge budget again "
        "and again with engineers and residents."
        for i in range(40)
    ]
    article = "\n".join(paragraphs)
    backend = ScriptedBackend(
        ["The Riverton council discussed the bridge budget."] * 50, context_length=464
    )
    result = Summarizer(backend, "instruct", max_sentences=1).summarize(article)
    prompts = [c.prompts[0] for c in backend.calls]
    assert len(prompts) > 2  # several chunks, then one pass over the partial summaries
    assert all(backend.count_tokens(p) < 464 + 200 for p in prompts[:-1])
    assert prompts[-1].count("The Riverton council discussed the bridge budget.") >= 2
    assert result.text == "The Riverton council discussed the bridge budget."


def test_base_models_summarise_freely_restricted_when_there_is_no_lead_sentence() -> None:
    article = "Bridge closed.\nRiverton council acts.\nRepairs due soon."
    backend = ScriptedBackend(["Riverton's council closed the bridge."])
    result = Summarizer(backend, "base", max_sentences=1).summarize(article)
    assert result.text == "Riverton's council closed the bridge."
    assert [p.id for p in result.prompts] == ["summary.base@v1"]
    config = backend.calls[0].config
    assert config is not None and config.restrict_to is not None
    assert article in config.restrict_to


def test_max_sentences_is_checked() -> None:
    with pytest.raises(ValueError):
        Summarizer(ScriptedBackend(), "base", max_sentences=4)


def test_a_dangling_comma_or_quote_mark_is_tidied() -> None:
    backend = ScriptedBackend(["The council voted to close the old bridge,"])
    event = Summarizer(backend, "base", max_sentences=1).summarize(ARTICLE)
    assert event.text == "The council voted to close the old bridge."
    backend = ScriptedBackend(
        by_prompt={
            "Summarize the news article": "The council voted to close the old bridge,",
            "Statements by Dana Holt": "Dana Holt said the closure was “overdue,",
        }
    )
    result = Summarizer(backend, "instruct", max_sentences=2).summarize(
        ARTICLE, [Voice("Dana Holt", ("the closure was overdue",))]
    )
    assert (
        result.text
        == "The council voted to close the old bridge. Dana Holt said the closure was overdue."
    )


def test_base_model_voices_shorten_a_reporting_sentence_that_keeps_the_name() -> None:
    answers = {
        LEAD_KEY: "The council voted to close the old bridge.",
        HOLT_KEY: "Mayor Dana Holt said the closure was overdue.",
        PATEL_KEY: [
            "warned that repairs could take a year.",
            "Patel warned that repairs could take a year.",
        ],
    }
    base = ScriptedBackend(by_prompt=answers)
    voices = [
        Voice("Nobody Else", ("x",)),
        Voice("Raj Patel", ("repairs could take",), (PATEL_SAID,)),
    ]
    result = Summarizer(base, "base", max_sentences=3).summarize(ARTICLE, voices)
    # The voice without a reporting sentence is left out; the name must survive the cut.
    assert result.text.endswith(" Patel warned that repairs could take a year.")
    assert "keep the name of the speaker, Engineer Raj Patel" in base.calls[-1].prompts[0]
    assert not any("Statements by" in c.prompts[0] for c in base.calls)
    free = ScriptedBackend(["The council will close the old bridge."])
    Summarizer(free, "instruct", max_sentences=1).summarize(ARTICLE)
    assert free.calls[0].config is not None and free.calls[0].config.restrict_to is None


def test_a_voice_every_attempt_fails_is_kept_whole_with_a_note_but_the_event_must_succeed() -> None:
    answers = {
        LEAD_KEY: "The council voted to close the old bridge.",
        HOLT_KEY: "Mayor Dana Holt said the closure was overdue.",
        PATEL_KEY: "warned that repairs could take a year.",  # never names Patel
    }
    voices = [Voice("Raj Patel", ("repairs could take",), (PATEL_SAID,))]
    result = Summarizer(ScriptedBackend(by_prompt=answers), "base").summarize(ARTICLE, voices)
    assert result.text == (
        "The council voted to close the old bridge. Mayor Dana Holt said the closure was "
        "overdue. Engineer Raj Patel warned that repairs could take a year."
    )
    assert result.attempts == 2 + 3
    (note,) = result.notes
    assert "kept a sentence whole" in note and "all 3 attempts" in note
    assert "keep the name of the speaker" in note
    with pytest.raises(RetryExhaustedError):
        Summarizer(ScriptedBackend(["x"] * 3), "base", max_sentences=1).summarize(ARTICLE)


def test_an_initial_in_a_lead_sentence_does_not_end_it() -> None:
    article = (
        "On Monday, administrator Emily W. Murphy sent a letter to President-elect Joe Biden "
        "and his team, giving them access to transition resources."
    )
    kept = "On Monday, administrator Emily W. Murphy sent a letter to President-elect Joe Biden."
    result = Summarizer(ScriptedBackend([kept]), "base", max_sentences=1).summarize(article)
    assert result.text == kept
    assert result.attempts == 1
