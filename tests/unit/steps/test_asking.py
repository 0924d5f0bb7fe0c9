"""Validated asking: every retry changes the prompt and the seed; exhaustion keeps it all."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from newsbrief.backends import GenerationConfig, ScriptedBackend
from newsbrief.errors import Attempt, GenerationError, OutputError, RetryExhaustedError
from newsbrief.models import PromptRecord
from newsbrief.steps.asking import RETRY_TEMPERATURE, Retry, ask
from newsbrief.steps.prompts import RenderedPrompt


def _prompt(feedback: str | None) -> RenderedPrompt:
    text = "Q: name a colour" + (f"\n(rejected: {feedback})" if feedback else "")
    return RenderedPrompt(text=text, record=PromptRecord(id="test@v1", sha256="0" * 64))


def _only_blue(raw: str) -> str:
    if raw != "blue":
        raise OutputError(f"{raw!r} is not blue", raw_output=raw)
    return raw


def test_first_good_answer_is_accepted_greedy() -> None:
    backend = ScriptedBackend(["blue"])
    answer = ask(backend, _prompt, _only_blue, config=GenerationConfig())
    assert answer.value == "blue"
    assert len(answer.attempts) == 1
    assert backend.calls[0].config is not None and backend.calls[0].config.temperature == 0


def test_retry_feeds_back_the_error_and_samples_with_a_new_seed() -> None:
    backend = ScriptedBackend(["red", "green", "blue"])
    answer = ask(backend, _prompt, _only_blue, config=GenerationConfig(), seed=10)
    assert answer.value == "blue"
    prompts = [c.prompts[0] for c in backend.calls]
    assert len(set(prompts)) == 3  # every retry changed the prompt
    assert "'red' is not blue" in prompts[1] and "'green' is not blue" in prompts[2]
    configs = [c.config for c in backend.calls]
    assert [c.seed for c in configs if c] == [None, 11, 12]
    assert all(c.temperature == RETRY_TEMPERATURE for c in configs[1:] if c)
    assert [a.raw_output for a in answer.attempts] == ["red", "green", "blue"]


def test_exhaustion_raises_with_every_attempt() -> None:
    backend = ScriptedBackend(["red", "green", "grey"])
    with pytest.raises(RetryExhaustedError) as info:
        ask(backend, _prompt, _only_blue, config=GenerationConfig(), max_attempts=3, what="colour")
    err = info.value
    assert [a.raw_output for a in err.attempts] == ["red", "green", "grey"]
    assert all("is not blue" in a.error for a in err.attempts)
    assert "colour: all 3 attempts were rejected" in str(err)
    assert "'grey'" in str(err)
    assert len(backend.calls) == 3


def test_backend_errors_are_not_retried() -> None:
    backend = ScriptedBackend([])  # runs out at once: a backend failure, not a bad answer
    with pytest.raises(GenerationError):
        ask(backend, _prompt, _only_blue, config=GenerationConfig())
    assert len(backend.calls) == 1


def test_no_tenacity_or_pydantic_exception_escapes() -> None:
    backend = ScriptedBackend(["x"])
    with pytest.raises(RetryExhaustedError) as info:
        ask(backend, _prompt, _only_blue, config=GenerationConfig(), max_attempts=1)
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_max_attempts_must_be_positive() -> None:
    with pytest.raises(ValueError):
        ask(ScriptedBackend(), _prompt, _only_blue, config=GenerationConfig(), max_attempts=0)


def test_an_answer_already_rejected_is_rejected_as_a_repeat_before_validation() -> None:
    seen: list[str] = []

    def lenient_second_time(raw: str) -> str:  # a validator that would give in
        seen.append(raw)
        if len(seen) == 1:
            raise OutputError("too long", raw_output=raw)
        return raw

    backend = ScriptedBackend(["a long answer", " a long answer ", "short"])
    answer = ask(backend, _prompt, lenient_second_time, config=GenerationConfig())
    assert answer.value == "short" and seen == ["a long answer", "short"]
    assert answer.attempts[1].error == "it repeats the answer of attempt 1, rejected: too long"


def test_a_step_chooses_its_retry_input_and_settings() -> None:
    other = RenderedPrompt(text="Q: name a sky colour", record=_prompt(None).record)
    calls: list[int] = []

    def choose(attempts: Sequence[Attempt]) -> Retry | None:
        calls.append(len(attempts))
        return (
            Retry(other, GenerationConfig(restrict_to="blue sky")) if len(attempts) == 1 else None
        )

    backend = ScriptedBackend(["red", "green", "blue"])
    answer = ask(backend, _prompt, _only_blue, config=GenerationConfig(), seed=5, retry=choose)
    assert answer.value == "blue" and calls == [1, 2]
    second, third = backend.calls[1:]
    assert second.prompts == ("Q: name a sky colour",)
    assert second.config == GenerationConfig(restrict_to="blue sky")  # as given: greedy
    # the choice ran out: the default retry (feedback, sampled with seed + 2)
    assert "'green' is not blue" in third.prompts[0]
    assert third.config is not None and third.config.seed == 7
