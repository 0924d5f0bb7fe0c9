"""The newsbrief exception tree: one root, typed subclasses with keyword-only context."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class NewsbriefError(Exception):
    """Root of every error newsbrief raises on purpose."""


class InputError(NewsbriefError):
    """The input text is empty, not text, or otherwise unusable."""


class ModelLoadError(NewsbriefError):
    """A model could not be loaded; the message says what to do instead."""

    def __init__(self, message: str, *, model_id: str | None = None) -> None:
        super().__init__(message)
        self.model_id = model_id


class PromptTemplateError(NewsbriefError):
    """A prompt template file cannot be read or compiled (a damaged installation); the
    message names the file."""


class GenerationError(NewsbriefError):
    """The backend failed while generating or scoring (not a bad answer: a failure)."""

    def __init__(self, message: str, *, model_id: str | None = None) -> None:
        super().__init__(message)
        self.model_id = model_id


class OutputError(NewsbriefError):
    """A model answer failed parsing or validation; carries the raw answer."""

    def __init__(self, message: str, *, raw_output: str, model_id: str | None = None) -> None:
        super().__init__(message)
        self.raw_output = raw_output
        self.model_id = model_id


@dataclass(frozen=True)
class Attempt:
    """One try at a step: the prompt sent, the raw answer and why it was rejected."""

    prompt: str
    raw_output: str
    error: str
    seed: int | None = None


class RetryExhaustedError(NewsbriefError):
    """Every attempt at a step was rejected; carries all of them."""

    def __init__(
        self, message: str, *, attempts: Sequence[Attempt], model_id: str | None = None
    ) -> None:
        lines = [message] + [
            f"  attempt {i}: {a.error} (raw: {a.raw_output[:120]!r})"
            for i, a in enumerate(attempts, start=1)
        ]
        super().__init__("\n".join(lines))
        self.attempts = list(attempts)
        self.model_id = model_id
