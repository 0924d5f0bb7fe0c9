"""The summary step on the scripted backend: checks, retries, lead, chunking, voices."""

from __future__ import annotations

import dataclasses

import pytest

from newsbrief.backends import ScriptedBackend
from newsbrief.quotes import find_quotes
from newsbrief.quotes.reporting import ReportingSentence
from newsbrief.steps.compress import (
    SENTENCE_SHARE,
    WEIGHTS,
    CompressionWeights,
    length_target,
    rejection_note,
)
from newsbrief.steps.lead import prose_sentence_spans
from newsbrief.steps.shorten import words_in_order
from newsbrief.steps.summarize import Summarizer, Voice, model_free_summary, voices_of
from newsbrief.steps.summary_parts import SUMMARY_SENTENCES

ARTICLE = (
    "The city council of Riverton voted on Monday to close the old bridge for repairs.\n"
    "Press Service of Riverton via AP\n"
    'Mayor Dana Holt said the closure was "overdue". Engineer Raj Patel warned that '
    "repairs could take a year."
)
CAPTION = "Press Service of Riverton via AP"


LEAD = "The city council of Riverton voted on Monday to close the old bridge for repairs."
HOLT = 'Mayor Dana Holt said the closure was "overdue".'
PATEL = "Engineer Raj Patel warned that repairs could take a year."
PATEL_SAID = ReportingSentence(
    PATEL,
    "Engineer Raj Patel",
    ARTICLE.index(PATEL),
    len(ARTICLE),
    ARTICLE.index(PATEL),
    ARTICLE.index(PATEL) + len("Engineer Raj Patel"),
)


def prefer(*wanted: str, missing: float = -3.0):  # type: ignore[no-untyped-def]
    """A score function that gives the options equal to one of ``wanted`` -0.5 nats per
    token, the whole sentence of the prompt -1.0 and anything else ``missing``."""

    def score(prompt: str, option: str) -> float:
        if option.strip() in wanted:
            return -0.5
        if f"Sentence: {option.strip()}\n" in prompt:
            return -1.0
        return missing

    return score


def test_the_model_chooses_a_shorter_version_of_the_lead_made_by_deletion_only() -> None:
    """The lead is longer than a one-sentence summary may be: it must be shortened, and
    which version is used is the one the model finds fluent (the others score far below
    the whole sentence)."""
    lead = (
        "The city council of Riverton, which met in the old town hall, voted on Monday to "
        "close the old bridge for repairs."
    )
    article = lead + "\nPress Service of Riverton via AP\n" + ARTICLE.split("\n")[-1]
    for wanted in (
        "The city council of Riverton voted on Monday to close the old bridge for repairs.",
        "The city council of Riverton voted to close the old bridge for repairs.",
    ):
        backend = ScriptedBackend(score_fn=prefer(wanted, missing=-9.0))
        result = Summarizer(backend, "base", max_sentences=1).summarize(article)
        assert result.text == wanted
        (sentence,) = result.sentences
        assert sentence.method == "shortened"
        (span,) = sentence.sources
        assert article[span.start : span.end] == lead
        assert [p.id for p in result.prompts] == ["compress.base@v2"]
        (call,) = backend.calls  # no headline: nothing to score for relevance
        assert call.method == "score" and call.normalize
        assert call.prompts[0].endswith(f"Sentence: {lead}\nShorter:")
        assert " " + lead in call.options[0] and " " + wanted in call.options[0]
        assert "Press Service" not in call.prompts[0]  # the caption never reaches the model
        assert result.candidates == len(call.options[0])


def test_the_headline_decides_which_part_of_a_long_sentence_stays() -> None:
    """Versions read equally well; the one that keeps what the headline is about makes the
    headline likelier and is chosen, whichever the headline."""
    article = (
        "The council of Riverton, citing deep cracks in the pillars, voted on Monday to close "
        "the old bridge, which carries four million cars a year."
    )

    def score(prompt: str, option: str) -> float:
        if prompt.endswith("Headline:"):  # relevance: the headline after the version
            version = prompt.rsplit("Sentence: ", 1)[1]
            key = "cracks" if "cracks" in option.lower() else "million"
            return -1.0 if key in version else -3.0
        return -1.0  # fluency: every version reads as well as the sentence

    for title, kept, dropped in (
        ("Cracks close Riverton bridge", "cracks", "million"),
        ("Bridge of four million cars a year closes", "million", "cracks"),
    ):
        backend = ScriptedBackend(score_fn=score)
        result = Summarizer(backend, "base", max_sentences=1).summarize(article, title=title)
        assert kept in result.text and dropped not in result.text, result.text
        assert [s.method for s in result.sentences] == ["shortened"]
        assert any(p.id == "headline.base@v1" for p in result.prompts)


def test_a_version_that_reads_badly_is_not_chosen_and_the_sentence_stays_whole() -> None:
    # Every shorter version scores far below the whole sentence: nothing is shortened.
    backend = ScriptedBackend(score_fn=prefer(missing=-9.0))
    result = Summarizer(backend, "base", max_sentences=1).summarize(ARTICLE)
    assert result.text == LEAD
    assert [s.method for s in result.sentences] == ["kept"]


def test_model_free_summary_is_the_same_pipeline_with_every_sentence_whole() -> None:
    article = (
        "The city council of Riverton, which met on Monday, voted to close the old bridge "
        "for repairs. Mayor Dana Holt said the closure was overdue, citing its age. Engineer "
        "Raj Patel warned that repairs could take a year, according to the council."
    )
    quotes = find_quotes(article)
    free = model_free_summary(article, quotes)
    assert free and all(s.method == "kept" for s in free)
    spans = prose_sentence_spans(article)
    for sentence in free:
        (source,) = sentence.sources
        assert (source.start, source.end) in spans
        assert sentence.text == " ".join(article[source.start : source.end].split())
    # A model that scores every version as the whole sentence changes nothing else.
    same = Summarizer(ScriptedBackend(score_fn=lambda p, o: -1.0), "base")
    result = same.summarize(article, voices_of(article, quotes))
    assert [s.sources for s in result.sentences][:1] == [s.sources for s in free][:1]
    assert sum(len(s.text.split()) for s in free) <= length_target(len(article.split())) * 1.1
    assert model_free_summary("Bridge closed\nRiverton council acts", []) == []


def test_the_summary_meets_its_length_target_by_shortening_and_dropping_sentences() -> None:
    article = " ".join(
        f"The council of Riverton, which met on Monday in the town hall of Riverton, voted "
        f"to close bridge number {i} for repairs (the second closure this year), after a long "
        f"debate about its cost, drawing criticism from the owners of shops near the bridge."
        for i in range(30)
    )
    target = length_target(len(article.split()))
    result = Summarizer(ScriptedBackend(score_fn=lambda p, o: -1.0), "base").summarize(article)
    words = len(result.text.split())
    assert words <= target * 1.1
    assert any(s.method == "shortened" for s in result.sentences)
    one = Summarizer(ScriptedBackend(score_fn=lambda p, o: -1.0), "base", max_sentences=1)
    assert len(one.summarize(article).sentences) == 1
    assert length_target(len(article.split()), 1) < target


def test_the_choice_weights_are_a_value_passed_in() -> None:
    """Other weights are tried by passing a CompressionWeights, never by changing the
    module: a lower length cap gives a shorter summary, the shipped one is untouched."""
    article = " ".join(
        f"The council of Riverton, which met on Monday in the town hall of Riverton, voted "
        f"to close bridge number {i} for repairs (the second closure this year), after a long "
        f"debate about its cost, drawing criticism from the owners of shops near the bridge."
        for i in range(30)
    )
    short = dataclasses.replace(WEIGHTS, length_cap=40)
    backend = ScriptedBackend(score_fn=lambda p, o: -1.0)
    shipped = Summarizer(backend, "base").summarize(article)
    capped = Summarizer(backend, "base", weights=short).summarize(article)
    assert len(capped.text.split()) <= length_target(len(article.split()), 3, short) * 1.1
    assert len(capped.text.split()) < len(shipped.text.split())
    assert CompressionWeights() == WEIGHTS and WEIGHTS.length_cap == 60
    with pytest.raises(dataclasses.FrozenInstanceError):
        WEIGHTS.length_cap = 20  # type: ignore[misc]
    # Without a model too: a higher cap leaves room for the second lead sentence, whole.
    longer = dataclasses.replace(WEIGHTS, length_cap=100)
    assert len(model_free_summary(article, [])) == 1
    assert len(model_free_summary(article, [], weights=longer)) == 2


def test_a_summary_has_one_to_three_sentences_wherever_it_is_asked() -> None:
    for bad in (0, 4, 2.5):
        with pytest.raises(ValueError, match="max_sentences must be 1, 2 or 3"):
            Summarizer(None, "base", max_sentences=bad)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="max_sentences must be 1, 2 or 3"):
            length_target(100, bad)  # type: ignore[arg-type]
    assert set(SENTENCE_SHARE) == set(SUMMARY_SENTENCES)


def test_a_voice_sentence_keeps_the_speakers_name() -> None:
    # The scorer would like the sentence without its speaker best; the name is protected,
    # so no version without it is ever offered.
    backend = ScriptedBackend(score_fn=prefer("Warned that repairs could take a year."))
    voices = [Voice("Raj Patel", ("repairs could take a year",), (PATEL_SAID,))]
    result = Summarizer(backend, "base", max_sentences=3).summarize(ARTICLE, voices)
    assert result.text.endswith(PATEL)
    for call in backend.calls:
        for option in call.options[0]:
            if "repairs could take" in option:
                assert "Engineer Raj Patel" in option


def test_a_shortened_sentence_never_joins_two_sentences_of_html_text() -> None:
    """Issue 17 item 10: deleting across ``.</p><div>`` once put Tom Grey's words in Maria
    Lopez's mouth."""
    article = (
        "<p>The city council of Riverton voted on Monday to close the old bridge, said "
        "<a>Maria Lopez</a>.</p><div>Tom Grey said that it was bad."
    )
    wrong = "Maria Lopez said that it was bad."
    quotes = find_quotes(article)
    backend = ScriptedBackend(score_fn=prefer(wrong))
    result = Summarizer(backend, "base").summarize(article, voices_of(article, quotes))
    assert wrong not in result.text and "Lopez said that" not in result.text
    spans = prose_sentence_spans(article)
    for sentence in result.sentences:
        (source,) = sentence.sources
        assert (source.start, source.end) in spans
        assert words_in_order(sentence.text, article[source.start : source.end])
        assert not ("Lopez" in sentence.text and "Grey" in sentence.text)
    for call in backend.calls:
        assert all(wrong not in option for option in call.options[0])


def test_a_headline_on_the_first_line_is_not_a_caption_and_guides_the_model() -> None:
    """GUM texts start with their headline: a lead that repeats it must not be rejected as
    a copied photo caption (one GUM article failed outright that way)."""
    article = (
        "Hackers attack Church of Scientology website\n\n"
        "Sunday, January 20, 2008\n\n"
        "Hackers attack Church of Scientology website in a protest, a posting made on Saturday "
        "said.\n\n"
        "Image: Church of Scientology website\n\n"
        "The attack was launched by a group of users calling itself Anonymous."
    )
    backend = ScriptedBackend(score_fn=lambda p, o: -1.0)
    result = Summarizer(backend, "base").summarize(article)
    assert result.text.startswith("Hackers attack Church of Scientology website")
    assert not result.rejected
    assert "Headline: Hackers attack Church of Scientology website\n" in backend.calls[0].prompts[0]
    assert "Image:" not in result.text
    # A title given by the caller wins over the first line.
    titled = ScriptedBackend(score_fn=lambda p, o: -1.0)
    Summarizer(titled, "base").summarize(article, title="Scientology site attacked")
    assert "Headline: Scientology site attacked\n" in titled.calls[0].prompts[0]


def test_a_version_copying_a_real_caption_is_rejected_and_counted() -> None:
    article = (
        "The city council of Riverton voted on Monday to close the old bridge, Press Service "
        "of Riverton via AP reported.\nPress Service of Riverton via AP\nRepairs will take "
        "a year, the council said on Tuesday in a statement."
    )
    result = Summarizer(ScriptedBackend(score_fn=lambda p, o: -1.0), "base").summarize(article)
    assert "Press Service of Riverton via AP" not in result.text
    assert result.rejected.get("copies a caption", 0) >= 1


CAPTION_ARTICLE = (
    "The city council of Riverton voted on Monday to close the old bridge, Press Service "
    "of Riverton via AP reported.\nPress Service of Riverton via AP\nRepairs will take "
    "a year, the council said on Tuesday in a statement."
)


def test_the_checks_rejections_are_counted_in_a_note_by_reason() -> None:
    result = Summarizer(ScriptedBackend(score_fn=lambda p, o: -1.0), "base").summarize(
        CAPTION_ARTICLE
    )
    assert result.rejected
    total = sum(result.rejected.values())
    assert rejection_note(result.rejected) in result.notes
    assert f"summary: the checks rejected {total} version" in result.notes[-1]
    assert f"copies a caption: {result.rejected['copies a caption']}" in result.notes[-1]
    # Nothing rejected: no note.
    clean = Summarizer(ScriptedBackend(score_fn=lambda p, o: -1.0), "base").summarize(LEAD)
    assert not clean.rejected and not any("rejected" in n for n in clean.notes)


def test_the_rejection_note_orders_reasons_by_count_then_name() -> None:
    note = rejection_note({"quote not verbatim": 1, "copies a caption": 1, "names absent": 3})
    assert note == (
        "summary: the checks rejected 5 versions "
        "(names absent: 3, copies a caption: 1, quote not verbatim: 1)"
    )
    assert rejection_note({"copies a caption": 1}) == (
        "summary: the checks rejected 1 version (copies a caption: 1)"
    )


def test_a_brief_carries_the_summary_checks_rejections_in_its_provenance() -> None:
    from newsbrief import Briefer

    backend = ScriptedBackend(
        by_prompt={"\nCentral issue:": "closing the old bridge"}, score_fn=lambda p, o: -1.0
    )
    brief = Briefer(backend=backend).brief(CAPTION_ARTICLE, stances=False)
    assert "Press Service of Riverton via AP" not in brief.summary
    notes = [n for n in brief.provenance.notes if n.startswith("summary: the checks rejected")]
    assert len(notes) == 1 and "copies a caption: " in notes[0]


def test_an_initial_in_a_lead_sentence_does_not_end_it() -> None:
    article = (
        "On Monday, administrator Emily W. Murphy sent a letter to President-elect Joe Biden "
        "and his team, giving them access to transition resources."
    )
    result = Summarizer(ScriptedBackend(score_fn=lambda p, o: -1.0), "base").summarize(article)
    assert "Emily W. Murphy sent a letter" in result.text
    assert len(result.sentences) == 1


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
