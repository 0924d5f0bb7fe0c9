"""Reliability suite (issue 17): 10,000 hostile texts through quotes() and brief().

Every quote and speaker span is verbatim, every stance cites real quotes, the brief hashes
the text it indexes, and the only exception that reaches the caller is ``InputError``.
``NEWSBRIEF_HOSTILE_TEXTS`` (count) and ``NEWSBRIEF_HOSTILE_SEED`` run more or other texts.
"""

from __future__ import annotations

import logging
import os
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial
from typing import TypeVar

import pytest
from hostile_texts import hostile_texts

from newsbrief import Brief, Briefer, InputError, Quote
from newsbrief.backends import ScriptedBackend
from newsbrief.models import quote_id, sha256_of_text

N_TEXTS = int(os.environ.get("NEWSBRIEF_HOSTILE_TEXTS", "10000"))
SEED = int(os.environ.get("NEWSBRIEF_HOSTILE_SEED", "17"))
#: Every BRIEF_EVERY-th text is also briefed whole (a brief costs several quotes() calls).
BRIEF_EVERY = 5
#: What a step of brief() may record as its failure (the scripted model's answers are often
#: rejected by the checks: that is a failure record, not an exception).
STEP_ERRORS = {"RetryExhaustedError", "OutputError", "GenerationError", "ScriptExhaustedError"}

_T = TypeVar("_T")


def _answer(prompt: str) -> str:
    """Echo the sentence to shorten (valid), and fixed answers to everything else."""
    if prompt.endswith("\nShorter:"):
        return prompt.rsplit("\nSentence: ", 1)[1].split("\n", 1)[0]
    if "Central issue:" in prompt:
        return "the sanctions"
    return "said the plan would work."


def _score(prompt: str, option: str) -> float:
    """Scores that differ by option and prompt, the same on every run."""
    key = (prompt[-60:] + option).encode("utf-8", "surrogatepass")
    return -float(zlib.crc32(key) % 7)


def _briefer() -> Briefer:
    return Briefer(backend=ScriptedBackend(answer_fn=_answer, score_fn=_score), max_attempts=1)


def _check_quotes(text: str, quotes: Sequence[Quote]) -> None:
    for quote in quotes:
        assert quote.text and text[quote.start : quote.end] == quote.text
        assert quote.id == quote_id(quote.start, quote.end)
        if quote.speaker_start is not None and quote.speaker_end is not None:
            assert 0 <= quote.speaker_start < quote.speaker_end <= len(text)
            assert quote.speaker is not None
        if quote.speaker is not None:
            # A speaker is someone the article names: its canonical name is in the text.
            assert quote.speaker.strip() and quote.speaker in text, quote.speaker


def _check_brief(text: str, brief: Brief) -> None:
    _check_quotes(text, brief.quotes)
    assert brief.text_sha256 == sha256_of_text(text)
    for stance in brief.stances:
        assert all(0 <= i < len(brief.quotes) for i in stance.evidence)
        assert stance.evidence_ids == [brief.quotes[i].id for i in stance.evidence]
    for failure in brief.failures:
        assert failure.error in STEP_ERRORS, failure
    assert Brief.model_validate_json(brief.model_dump_json()) == brief


def _run(call: Callable[[], _T], text: str, counts: Counter[str]) -> _T | None:
    """``call()``; ``None`` for an InputError; anything else fails the test with the text."""
    try:
        return call()
    except InputError as error:
        counts[f"InputError: {str(error).split(':')[0][:40]}"] += 1
        return None
    except Exception as error:  # the point: nothing else may escape
        raise AssertionError(f"{type(error).__name__} on {text!r}: {error}") from error


@pytest.fixture(autouse=True)
def _quiet_step_warnings(caplog: pytest.LogCaptureFixture) -> None:
    # Thousands of step failures are logged as warnings; keep them out of the test output.
    caplog.set_level(logging.ERROR, logger="newsbrief")


def test_hostile_texts_give_verbatim_spans_and_only_input_errors() -> None:
    briefer = _briefer()
    counts: Counter[str] = Counter()
    for index, text in enumerate(hostile_texts(N_TEXTS, seed=SEED)):
        counts["texts"] += 1
        quotes = _run(partial(briefer.quotes, text), text, counts)
        if quotes is not None:
            _check_quotes(text, quotes)
            counts["quotes"] += len(quotes)
            counts["speakers"] += sum(q.speaker is not None for q in quotes)
        if index % BRIEF_EVERY:
            continue
        counts["briefs tried"] += 1
        target = "the sanctions" if index % (2 * BRIEF_EVERY) else None
        brief = _run(partial(briefer.brief, text, target=target), text, counts)
        if brief is not None:
            _check_brief(text, brief)
            counts["briefs"] += 1
            counts["stances"] += len(brief.stances)
            for failure in brief.failures:
                counts[f"step failure: {failure.step} {failure.error}"] += 1
    logging.getLogger(__name__).warning("hostile texts: %s", dict(counts))
    assert counts["texts"] == N_TEXTS
    # The generator reaches what it is for: quotes with speakers, briefs with stances, and
    # each kind of bad input.
    assert counts["quotes"] > N_TEXTS and counts["speakers"] > N_TEXTS // 2
    assert counts["briefs"] > N_TEXTS // BRIEF_EVERY // 2 and counts["stances"] > 0
    assert any(key.startswith("InputError: text contains a lone surrogate") for key in counts)
