"""The summary step on the scripted backend: checks, retries, chunking, voices."""

from __future__ import annotations

import pytest

from newsbrief.backends import ScriptedBackend
from newsbrief.errors import RetryExhaustedError
from newsbrief.summarize import Summarizer, Voice

ARTICLE = (
    "The city council of Riverton voted on Monday to close the old bridge for repairs.\n"
    "Press Service of Riverton via AP\n"
    'Mayor Dana Holt said the closure was "overdue". Engineer Raj Patel warned that '
    "repairs could take a year."
)
CAPTION = "Press Service of Riverton via AP"


def test_a_good_event_sentence_is_accepted_first_time() -> None:
    backend = ScriptedBackend(["Riverton's council voted to close the old bridge for repairs"])
    result = Summarizer(backend, "base", max_sentences=1).summarize(ARTICLE)
    assert result.text == "Riverton's council voted to close the old bridge for repairs."
    assert result.attempts == 1
    assert [p.id for p in result.prompts] == ["summary.base@v1"]
    # The caption line never reaches the model.
    assert CAPTION not in backend.calls[0].prompts[0]


def test_invented_names_and_captions_are_rejected_then_retried() -> None:
    backend = ScriptedBackend(
        [
            "Governor Smith closed the Riverton bridge.",  # Smith is not in the article
            "Press Service of Riverton via AP says the bridge will close.",  # caption
            "The council voted to close the old bridge for repairs.",
        ]
    )
    result = Summarizer(backend, "base", max_sentences=1).summarize(ARTICLE)
    assert result.text == "The council voted to close the old bridge for repairs."
    assert result.attempts == 3
    prompts = [c.prompts[0] for c in backend.calls]
    assert "it names Governor, Smith, which the article does not mention" in prompts[1]
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
            "Springfield's city council voted to ban single-use plastic bags in grocery "
            "stores from January.",
            "Riverton will close its old bridge for repairs.",
        ]
    )
    result = Summarizer(backend, "base", max_sentences=1).summarize(ARTICLE)
    assert result.text.startswith("Riverton will close")


def test_voices_add_one_sentence_per_main_speaker() -> None:
    backend = ScriptedBackend(
        by_prompt={
            "\nSummary:": "The council voted to close the old bridge.",
            "In one sentence: Dana Holt": "said the closure was overdue.",
            "In one sentence: Raj Patel": "warned that repairs could take a year.",
        }
    )
    voices = [
        Voice("Dana Holt", ("the closure was overdue",)),
        Voice("Raj Patel", ("repairs could take a year",)),
        Voice("Nobody Else", ("x",)),
    ]
    result = Summarizer(backend, "base", max_sentences=3).summarize(ARTICLE, voices)
    assert result.text == (
        "The council voted to close the old bridge. Dana Holt said the closure was overdue. "
        "Raj Patel warned that repairs could take a year."
    )
    assert [p.id for p in result.prompts] == ["summary.base@v1", "voice.base@v1"]
    two = Summarizer(
        ScriptedBackend(
            by_prompt={
                "\nSummary:": "The council voted to close the old bridge.",
                "In one sentence: Dana Holt": "said it was overdue.",
            }
        ),
        "base",
        max_sentences=2,
    ).summarize(ARTICLE, voices)
    assert two.text.count(".") == 2


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
    result = Summarizer(backend, "base", max_sentences=1).summarize(article)
    prompts = [c.prompts[0] for c in backend.calls]
    assert len(prompts) > 2  # several chunks, then one pass over the partial summaries
    assert all(backend.count_tokens(p) < 464 + 200 for p in prompts[:-1])
    assert prompts[-1].count("The Riverton council discussed the bridge budget.") >= 2
    assert result.text == "The Riverton council discussed the bridge budget."


def test_max_sentences_is_checked() -> None:
    with pytest.raises(ValueError):
        Summarizer(ScriptedBackend(), "base", max_sentences=4)


def test_a_dangling_comma_or_quote_mark_is_tidied() -> None:
    backend = ScriptedBackend(
        by_prompt={
            "\nSummary:": "The council voted to close the old bridge,",
            "In one sentence: Dana Holt": "said the closure was “overdue,",
        }
    )
    result = Summarizer(backend, "base", max_sentences=2).summarize(
        ARTICLE, [Voice("Dana Holt", ("the closure was overdue",))]
    )
    assert (
        result.text
        == "The council voted to close the old bridge. Dana Holt said the closure was overdue."
    )


def test_base_models_write_in_the_sources_words_others_freely() -> None:
    voices = [Voice("Dana Holt", ("the closure was overdue",))]
    answers = {
        "\nSummary:": "The council voted to close the old bridge.",
        "In one sentence: Dana Holt": "said it was overdue.",
    }
    base = ScriptedBackend(by_prompt=answers)
    Summarizer(base, "base", max_sentences=2).summarize(ARTICLE, voices)
    event, voice = (c.config for c in base.calls)
    assert event is not None and voice is not None
    assert event.restrict_to is not None and ARTICLE in event.restrict_to
    assert voice.restrict_to is not None and "Engineer" not in voice.restrict_to
    assert "the closure was overdue" in voice.restrict_to
    free = ScriptedBackend(["The council will close the old bridge."])
    Summarizer(free, "instruct", max_sentences=1).summarize(ARTICLE)
    assert free.calls[0].config is not None and free.calls[0].config.restrict_to is None
