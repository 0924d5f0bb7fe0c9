"""The issue step: its documented length is the one its check applies."""

from __future__ import annotations

import pytest

from newsbrief.backends import ScriptedBackend
from newsbrief.errors import RetryExhaustedError
from newsbrief.steps.issue import ISSUE_WORDS, infer_issue

ARTICLE = (
    "The city council of Riverton voted on Monday to close the old bridge for repairs of "
    "the bridge deck, after engineers found cracks in the bridge supports.\n"
    'Mayor Dana Holt said the closure of the bridge was "overdue".'
)


def test_an_issue_of_one_word_to_twelve_is_accepted() -> None:
    assert ISSUE_WORDS == (1, 12)
    assert "1 to 12" in (infer_issue.__doc__ or "")
    for phrase in ("repairs", "closing the old bridge of Riverton for repairs of the bridge deck"):
        assert len(phrase.split()) in ISSUE_WORDS  # the two ends
        answer = infer_issue(ScriptedBackend([phrase]), "base", ARTICLE, max_attempts=1)
        assert answer.value == phrase


def test_an_issue_of_thirteen_words_is_refused() -> None:
    phrase = "closing the old bridge of Riverton for repairs of the bridge deck cracks"
    assert len(phrase.split()) == ISSUE_WORDS[1] + 1
    with pytest.raises(RetryExhaustedError, match="must have between 1 and 12"):
        infer_issue(ScriptedBackend([phrase]), "base", ARTICLE, max_attempts=1)


# -- a retry changes the input, not only the sampling (100 Wikinews briefs: 7 lost their
# issue because attempts 2 and 3 repeated attempt 1's copied opening sentence) -------------

# The model's favourite failure: the opening's first sentence, copied (too long to be an issue).
COPIED = (
    "The city council of Riverton voted on Monday to close the old bridge for repairs of "
    "the bridge deck"
)
HEADLINE = "Riverton closes its old bridge for repairs"


def _restrictions(backend: ScriptedBackend) -> list[str | None]:
    return [c.config.restrict_to if c.config else None for c in backend.calls]


def test_a_too_long_answer_is_retried_on_the_headline_greedily() -> None:
    backend = ScriptedBackend([COPIED, "repairs of the old bridge"])
    answer = infer_issue(backend, "base", ARTICLE, headline=HEADLINE)
    assert answer.value == "repairs of the old bridge"
    first, second = backend.calls
    assert first.config is not None and second.config is not None
    assert first.config.restrict_to is not None and COPIED in first.config.restrict_to
    assert second.config.restrict_to == HEADLINE  # another input, another constraint
    assert f"Article: {HEADLINE}\n" in second.prompts[0]
    assert "the answer has 19 words" in second.prompts[0]
    assert second.config.temperature == 0  # a new input needs no dice
    assert answer.prompt.text == second.prompts[0]


def test_without_a_headline_the_copied_sentence_is_cut_to_its_issue() -> None:
    backend = ScriptedBackend([COPIED, "repairs of the old bridge"])
    answer = infer_issue(backend, "base", ARTICLE)
    assert answer.value == "repairs of the old bridge"
    assert _restrictions(backend)[1] == COPIED
    assert f"Article: {COPIED}\n" in backend.calls[1].prompts[0]


def test_the_headline_words_ground_an_issue() -> None:
    # "closes" and "Riverton" are in the article; "shut" only in the headline.
    answer = infer_issue(
        ScriptedBackend(["shut bridge"]), "base", ARTICLE, headline="Riverton shut bridge"
    )
    assert answer.value == "shut bridge"
    with pytest.raises(RetryExhaustedError, match="occur in the article"):
        infer_issue(ScriptedBackend(["shut bridge"]), "base", ARTICLE, max_attempts=1)


def test_a_repeated_rejected_answer_is_not_accepted_and_every_attempt_is_told() -> None:
    backend = ScriptedBackend(answer_fn=lambda prompt: COPIED)  # the same answer, always
    with pytest.raises(RetryExhaustedError) as info:
        infer_issue(backend, "base", ARTICLE, headline=HEADLINE, max_attempts=3)
    restrictions = _restrictions(backend)
    assert len(set(restrictions)) == 3  # opening, headline, the copied sentence
    assert restrictions[1:] == [HEADLINE, COPIED]
    errors = [a.error for a in info.value.attempts]
    assert errors[0] == "the answer has 19 words; it must have between 1 and 12"
    assert errors[1:] == [f"it repeats the answer of attempt 1, rejected: {errors[0]}"] * 2
    message = str(info.value)
    assert "issue: all 3 attempts were rejected" in message
    assert message.count(repr(COPIED[:120])) == 3  # each attempt's answer, in the error


def test_when_the_inputs_run_out_a_retry_samples_the_feedback_prompt() -> None:
    backend = ScriptedBackend(["nothing here at all", "x y", "repairs of the old bridge"])
    answer = infer_issue(backend, "base", ARTICLE, max_attempts=3)
    assert answer.value == "repairs of the old bridge"
    configs = [c.config for c in backend.calls]
    # no headline and no too-long answer: nothing else to read, so the default retry
    assert [c.temperature > 0 for c in configs if c] == [False, True, True]
    assert [c.seed for c in configs if c] == [None, 1, 2]
