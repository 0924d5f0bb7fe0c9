"""Deletion candidates of one sentence: structures found, words kept in order, spans kept."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsbrief.backends import ScriptedBackend
from newsbrief.backends.scripted import ScriptExhaustedError
from newsbrief.steps.lead import prose_sentence_spans
from newsbrief.steps.shorten import candidates, find_deletions, render, words_in_order
from newsbrief.steps.summarize import Summarizer

SENTENCE = (
    "Interior minister Grace Otieno, who flew in from Nairobi on Thursday morning, visited "
    "the worst-hit town of Garissa (a city in the north) and promised emergency funds, the "
    "ministry said on Friday."
)


def test_each_structure_is_found_and_can_be_left_out() -> None:
    kinds = {d.kind for d in find_deletions(SENTENCE, 0, len(SENTENCE))}
    assert kinds >= {"insertion", "parenthetical", "time"}
    texts = [c.text for c in candidates(SENTENCE, 0, len(SENTENCE), limit=64)]
    assert texts[0] == SENTENCE
    assert (
        "Interior minister Grace Otieno visited the worst-hit town of Garissa and promised "
        "emergency funds, the ministry said." in texts
    )
    assert all(len(t.split()) >= 0.4 * len(SENTENCE.split()) for t in texts)


def test_who_said_it_is_never_left_out() -> None:
    # Deleting the attribution would hand the claim to the article itself (review finding).
    tail = (
        "The vaccine should be withdrawn from clinics at once, a spokesman for the "
        "anti-vaccine group said on Tuesday."
    )
    lead = "Police said that the suspect, a 34-year-old man from Leeds, had confessed on Monday."
    for text, owner in (
        (tail, "a spokesman for the anti-vaccine group said"),
        (lead, "Police said"),
    ):
        versions = candidates(text, 0, len(text), limit=64)
        assert len(versions) > 1  # other parts (times, appositions) can still go
        assert all(owner in c.text for c in versions)


def test_a_quotation_is_never_cut_whatever_its_marks() -> None:
    # Single curly marks (with an apostrophe inside) and a quote running past the sentence.
    single = (
        "‘We’ll fight the plan, which matters to all of us in the valleys of the state, "
        "until the very end of the year,’ Governor Jane Smith told reporters in Columbus."
    )
    quote = single[: single.index("’ Governor") + 1]
    for candidate in candidates(single, 0, len(single), limit=64):
        assert quote in candidate.text
    article = (
        '"We will fight the plan, which matters to all of us, until the very end of the year. '
        'We will not stop," said Jane Smith.'
    )
    first = article.index(". ") + 1
    for candidate in candidates(article, 0, first, limit=64):
        assert candidate.text == article[:first] or "which matters to all of us" in candidate.text


def test_leading_clauses_go_and_the_rest_is_capitalised() -> None:
    text = "After a long debate on Monday, the council of Riverton voted to close the bridge."
    texts = [c.text for c in candidates(text, 0, len(text))]
    assert "The council of Riverton voted to close the bridge." in texts


def test_protected_words_and_quotations_are_never_cut() -> None:
    text = (
        'Mayor Dana Holt, who spoke on Monday, said the closure was "overdue, as everyone '
        'knows, and costly" and left.'
    )
    name = (text.index("Mayor"), text.index(",") + 0)
    for candidate in candidates(text, 0, len(text), protected=[name], limit=64):
        assert candidate.text.startswith("Mayor Dana Holt")
        assert '"overdue, as everyone knows, and costly"' in candidate.text


def test_a_possessive_or_a_word_is_not_left_dangling() -> None:
    text = "Elizabeth Warren announced she was endorsing Joe Biden for this year's election race."
    assert all("for's" not in c.text for c in candidates(text, 0, len(text)))
    # GUM spells "this years lantern festival": cutting "this year" would leave "ofs".
    text = "The theme of this years lantern festival revolves around the zodiac cycle in Taipei."
    versions = candidates(text, 0, len(text))
    assert len(versions) > 1
    assert all(words_in_order(c.text, text) and "ofs" not in c.text for c in versions)


def test_render_drops_markup_and_tidies_punctuation() -> None:
    text = "Officials met, said <a>Maria Lopez</a> , on Monday."
    assert render(text, 0, len(text), ()) == "Officials met, said Maria Lopez, on Monday."


_WORDS = st.sampled_from(
    [
        "the",
        "council",
        "voted",
        "to",
        "close",
        "old",
        "bridge",
        "Riverton",
        "Mayor",
        "Holt",
        "said",
        "on",
        "Monday",
        "in",
        "Paris",
        "which",
        "who",
        "after",
        "while,",
        "(",
        ")",
        "“",
        "”",
        '"',
        "a",
        "of",
        "for",
        "was",
        "last",
        "week",
        "2019",
        "January",
        "5",
        "citing",
        "according",
        "drawing",
        "and",
        "or",
        "but",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, min_size=6, max_size=40), st.integers(0, 20))
def test_every_candidate_is_its_sentences_words_in_order(words: list[str], cut: int) -> None:
    """Whatever the sentence, a candidate's words appear in order inside its source span,
    and a protected span survives whole."""
    text = "Before it. " + " ".join(words).capitalize() + ". After it."
    start, end = len("Before it. "), len(text) - len(" After it.")
    guard = (start + min(cut, end - start - 1), start + min(cut + 4, end - start))
    for candidate in candidates(text, start, end, protected=[guard], limit=64):
        assert (candidate.start, candidate.end) == (start, end)
        assert words_in_order(candidate.text, text[start:end])
        assert all(not (d.start < guard[1] and guard[0] < d.end) for d in candidate.deleted)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(_WORDS, min_size=6, max_size=30), min_size=1, max_size=6),
    st.floats(-5.0, 0.0),
)
def test_summary_sentences_are_verified_spans(sentences: list[list[str]], floor: float) -> None:
    """Every kept or shortened summary sentence's words appear in order inside its one
    source span, which is one sentence of the article."""
    article = " ".join(" ".join(w).capitalize().rstrip(",") + "." for w in sentences)

    def score(prompt: str, option: str) -> float:
        return floor * (len(option) % 3) / 2

    try:
        result = Summarizer(ScriptedBackend(score_fn=score), "base").summarize(article)
    except ScriptExhaustedError:  # no usable sentence: free writing, which has no script
        return
    spans = prose_sentence_spans(article)
    assert result.text == " ".join(s.text for s in result.sentences)
    for sentence in result.sentences:
        assert sentence.method in ("kept", "shortened")
        (source,) = sentence.sources
        assert (source.start, source.end) in spans
        assert words_in_order(sentence.text, article[source.start : source.end])
