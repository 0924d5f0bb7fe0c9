"""The Backend protocol every step is built on: batch-first ``generate`` and ``score``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

FinishReason = Literal["stop", "length"]
ModelFamily = Literal["seq2seq", "causal", "scripted"]


@dataclass(frozen=True)
class GenerationConfig:
    """How to generate: greedy when ``temperature == 0``, seeded sampling otherwise.

    Attributes:
        max_new_tokens: upper bound on generated tokens.
        temperature: 0 for greedy decoding; above 0 samples.
        top_p: nucleus sampling mass (sampling only).
        seed: seed for sampling; the same seed gives the same text.
        stop: strings that end the answer; the text is cut before the first one that
            follows the answer's first non-blank character.
        repetition_penalty: 1.0 for none.
        restrict_to: when set, the answer may only use tokens that occur in this text (in
            its own case or lower case), plus end-of-sequence and newline: a way to keep
            an extractive answer in the article's own words.
        subsequence_of: when set, the answer's tokens must appear in this text in the same
            order (words may be left out, none added, none moved), plus end-of-sequence
            and newline: deletion-only shortening of a sentence. Backends that cannot
            constrain decoding ignore it; callers check the answer either way.
    """

    max_new_tokens: int = 128
    temperature: float = 0.0
    top_p: float = 1.0
    seed: int | None = None
    stop: tuple[str, ...] = ()
    repetition_penalty: float = 1.0
    restrict_to: str | None = None
    subsequence_of: str | None = None

    def __post_init__(self) -> None:
        if self.max_new_tokens < 1:
            raise ValueError("max_new_tokens must be at least 1")
        if self.temperature < 0:
            raise ValueError("temperature must be >= 0")
        if not 0 < self.top_p <= 1:
            raise ValueError("top_p must be in (0, 1]")
        if self.repetition_penalty <= 0:
            raise ValueError("repetition_penalty must be > 0")


@dataclass(frozen=True)
class Generation:
    """One generated answer.

    Attributes:
        text: the answer, cut before any stop string.
        finish_reason: ``"stop"`` (end of sequence or stop string) or ``"length"``.
        prompt_tokens: tokens in the prompt as the model saw it.
        completion_tokens: tokens generated.
    """

    text: str
    finish_reason: FinishReason
    prompt_tokens: int
    completion_tokens: int
    meta: dict[str, str] = field(default_factory=dict)


@runtime_checkable
class Backend(Protocol):
    """What newsbrief needs from a model.

    ``score`` returns, for each prompt, the log-likelihood of each option as the
    continuation of the prompt (decoder-only) or as the target given the prompt
    (encoder-decoder). ``options`` is either one list shared by every prompt or one list
    per prompt. With ``normalize=True`` the log-likelihood is divided by the number of
    option tokens. Every score is finite: a backend raises ``GenerationError`` on NaN or
    inf in its scores or logits (damaged weights) rather than return them.
    """

    model_id: str
    family: ModelFamily
    context_length: int

    def generate(
        self, prompts: Sequence[str], config: GenerationConfig | None = None
    ) -> list[Generation]: ...

    def score(
        self,
        prompts: Sequence[str],
        options: Sequence[str] | Sequence[Sequence[str]],
        *,
        normalize: bool = False,
    ) -> list[list[float]]: ...

    def count_tokens(self, text: str) -> int: ...


def options_per_prompt(
    prompts: Sequence[str], options: Sequence[str] | Sequence[Sequence[str]]
) -> list[list[str]]:
    """Expand ``options`` to one list per prompt and check the shapes.

    Raises:
        TypeError: a prompt or option is not a string.
        ValueError: the shapes disagree or a prompt has no options.
    """
    check_prompts(prompts)
    if isinstance(options, str):
        raise TypeError("options must be a sequence of strings, not one string")
    if options and all(isinstance(o, str) for o in options):
        shared = [str(o) for o in options]
        per_prompt = [list(shared) for _ in prompts]
    else:
        per_prompt = []
        for opts in options:
            if isinstance(opts, str) or not all(isinstance(o, str) for o in opts):
                raise TypeError("options must be strings or one list of strings per prompt")
            per_prompt.append(list(opts))
        if len(per_prompt) != len(prompts):
            raise ValueError(f"got {len(per_prompt)} option lists for {len(prompts)} prompts")
    for opts in per_prompt:
        if not opts:
            raise ValueError("every prompt needs at least one option")
        if any(o == "" for o in opts):
            raise ValueError("options must be non-empty strings")
    return per_prompt


def check_prompts(prompts: Sequence[str]) -> list[str]:
    """Return ``prompts`` as a list, or raise ``TypeError`` unless it is a list of strings."""
    if isinstance(prompts, str):
        raise TypeError("prompts must be a sequence of strings, not one string")
    batch = list(prompts)
    for prompt in batch:
        if not isinstance(prompt, str):
            raise TypeError(f"prompts must be strings, got {type(prompt).__name__}")
    return batch
