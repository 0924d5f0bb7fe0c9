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
