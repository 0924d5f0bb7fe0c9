"""Ask a model, validate the answer, retry with something changed, give up loudly.

Only ``OutputError`` (a bad answer) is retried. Each retry puts the rejection reason into
the prompt (``feedback``) and samples with a new seed, unless the step gives its own
:class:`Retry` (another input, another constraint: sampling alone can leave a constrained
answer one path, and repeat it). An answer equal to one already rejected is rejected as a
repeat. Backend failures propagate at once. When attempts run out, ``RetryExhaustedError``
carries every prompt and raw answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from tenacity import RetryError, Retrying, retry_if_exception_type, stop_after_attempt

from newsbrief.backends.base import Backend, GenerationConfig
from newsbrief.errors import Attempt, OutputError, RetryExhaustedError
from newsbrief.steps.prompts import RenderedPrompt

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: Retries sample at this temperature (the first attempt is greedy unless configured).
RETRY_TEMPERATURE = 0.7


@dataclass(frozen=True)
class Answer(Generic[T]):
    """An accepted answer, the prompt that produced it and every attempt made."""

    value: T
    prompt: RenderedPrompt
    attempts: tuple[Attempt, ...]


@dataclass(frozen=True)
class Retry:
    """What a step changes for its next attempt: the prompt and the generation settings
    (used as given: greedy stays greedy)."""

    prompt: RenderedPrompt
    config: GenerationConfig


#: A step's choice of its next attempt from the attempts made so far (all rejected);
#: ``None`` falls back to the default retry (feedback in the prompt, sampling).
RetryChoice = Callable[[Sequence[Attempt]], Retry | None]


def check_max_attempts(value: int) -> None:
    """Refuse fewer than one attempt per answer (``ValueError``): the one rule for
    ``max_attempts`` wherever it is set (the Briefer, ``BriefOptions``, :func:`ask`)."""
    if value < 1:
        raise ValueError("max_attempts must be at least 1")


def ask(
    backend: Backend,
    build_prompt: Callable[[str | None], RenderedPrompt],
    validate: Callable[[str], T],
    *,
    config: GenerationConfig,
    max_attempts: int = 3,
    seed: int = 0,
    what: str = "answer",
    retry: RetryChoice | None = None,
) -> Answer[T]:
    """Generate until ``validate`` accepts an answer or ``max_attempts`` are used.

    Args:
        backend: the model.
        build_prompt: renders the prompt; gets ``None`` first, then the last rejection reason.
        validate: turns raw text into a value or raises ``OutputError`` saying what is wrong.
        config: generation settings of the first attempt.
        max_attempts: total attempts (at least 1).
        seed: base seed; retry ``k`` samples with ``seed + k``.
        what: names the step in errors (``"summary"``).
        retry: the step's own choice of each retry's prompt and settings (see
            :data:`RetryChoice`); by default a retry samples the feedback prompt.

    Raises:
        RetryExhaustedError: every attempt was rejected; ``.attempts`` has them all.
        GenerationError: the backend failed (not retried).
    """
    check_max_attempts(max_attempts)
    attempts: list[Attempt] = []

    def one_try() -> Answer[T]:
        number = len(attempts)
        prompt, run_config = _next_try(attempts, build_prompt, config, seed, retry)
        (generation,) = backend.generate([prompt.text], run_config)
        try:
            _check_not_repeated(generation.text, attempts)
            value = validate(generation.text)
        except OutputError as exc:
            attempts.append(
                Attempt(
                    prompt=prompt.text,
                    raw_output=generation.text,
                    error=str(exc),
                    seed=run_config.seed,
                )
            )
            logger.info("%s attempt %d rejected: %s", what, number + 1, exc)
            raise
        attempts.append(
            Attempt(prompt=prompt.text, raw_output=generation.text, error="", seed=run_config.seed)
        )
        return Answer(value=value, prompt=prompt, attempts=tuple(attempts))

    retrying = Retrying(
        stop=stop_after_attempt(max_attempts),
        retry=retry_if_exception_type(OutputError),
        reraise=False,
    )
    try:
        return retrying(one_try)
    except RetryError:
        raise RetryExhaustedError(
            f"{what}: all {max_attempts} attempts were rejected",
            attempts=attempts,
            model_id=backend.model_id,
        ) from None


def _next_try(
    attempts: Sequence[Attempt],
    build_prompt: Callable[[str | None], RenderedPrompt],
    config: GenerationConfig,
    seed: int,
    retry: RetryChoice | None,
) -> tuple[RenderedPrompt, GenerationConfig]:
    """The prompt and settings of the attempt after ``attempts``: the first attempt's, the
    step's own :class:`Retry`, else the feedback prompt sampled with ``seed + number``."""
    number = len(attempts)
    if number == 0:
        return build_prompt(None), config
    chosen = retry(attempts) if retry is not None else None
    if chosen is not None:
        return chosen.prompt, chosen.config
    sampled = replace(
        config, temperature=max(config.temperature, RETRY_TEMPERATURE), seed=seed + number
    )
    return build_prompt(attempts[-1].error), sampled


def _check_not_repeated(raw: str, attempts: Sequence[Attempt]) -> None:
    """Reject an answer already given and rejected (``OutputError`` naming the attempt)."""
    for number, attempt in enumerate(attempts, start=1):
        if attempt.error and raw.strip() == attempt.raw_output.strip():
            raise OutputError(
                f"it repeats the answer of attempt {number}, rejected: {attempt.error}",
                raw_output=raw,
            )
