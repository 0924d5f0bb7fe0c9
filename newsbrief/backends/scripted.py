"""A scripted test double: canned answers and scores, every call recorded.

Ships in the package so users can test code built on newsbrief without a model.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from newsbrief.backends.base import (
    FinishReason,
    Generation,
    GenerationConfig,
    ModelFamily,
    check_prompts,
    options_per_prompt,
)
from newsbrief.errors import GenerationError


class ScriptExhaustedError(GenerationError):
    """The scripted backend was asked for more than its script holds."""


@dataclass(frozen=True)
class Call:
    """One recorded call: which method, with which prompts, options and config."""

    method: str
    prompts: tuple[str, ...]
    options: tuple[tuple[str, ...], ...] = ()
    config: GenerationConfig | None = None
    normalize: bool = False


class ScriptedBackend:
    """Answers from a script instead of a model.

    Args:
        answers: answers handed out in order, one per prompt, across calls.
        by_prompt: answers keyed by prompt. A key matches a prompt equal to it or, failing
            that, the one key contained in the prompt. A string value answers every time;
            a list is handed out in order. Keyed answers win over ``answers``.
        scores: rows of option scores handed out in order, one row per prompt.
        score_fn: ``(prompt, option) -> log-likelihood``, used when ``scores`` is empty.
        answer_fn: ``prompt -> answer or None``, asked after the keys and before
            ``answers`` (an answer computed from the prompt, e.g. echoing a sentence).
        embed_fn: ``prompt -> vector``, what ``embed`` returns for each prompt (for
            trained heads such as the stance head).
        model_id: the id reported in provenance.
        context_length: the context length the steps plan around (in whitespace words).

    Every call is appended to ``calls``. Running out of script raises
    ``ScriptExhaustedError`` rather than inventing an answer.
    """

    family: ModelFamily = "scripted"

    def __init__(
        self,
        answers: Sequence[str] = (),
        *,
        by_prompt: Mapping[str, str | Sequence[str]] | None = None,
        scores: Sequence[Sequence[float]] = (),
        score_fn: Callable[[str, str], float] | None = None,
        answer_fn: Callable[[str], str | None] | None = None,
        embed_fn: Callable[[str], Sequence[float]] | None = None,
        model_id: str = "scripted",
        context_length: int = 2048,
    ) -> None:
        if isinstance(answers, str):
            raise TypeError("answers must be a sequence of strings, not one string")
        self.model_id = model_id
        self.context_length = context_length
        self._answers: deque[str] = deque(answers)
        self._fixed: dict[str, str] = {}
        self._keyed: dict[str, deque[str]] = {}
        for key, value in (by_prompt or {}).items():
            if isinstance(value, str):
                self._fixed[key] = value
            else:
                self._keyed[key] = deque(value)
        self._scores: deque[list[float]] = deque(list(row) for row in scores)
        self._score_fn = score_fn
        self._answer_fn = answer_fn
        self._embed_fn = embed_fn
        self.calls: list[Call] = []

    def _keyed_answer(self, prompt: str) -> str | None:
        keys = [k for k in (*self._fixed, *self._keyed) if k == prompt]
        if not keys:
            keys = [k for k in (*self._fixed, *self._keyed) if k in prompt]
        if len(keys) > 1:
            raise GenerationError(
                f"prompt matches several scripted keys {keys!r}; make the keys distinct",
                model_id=self.model_id,
            )
        if not keys:
            return None
        key = keys[0]
        if key in self._fixed:
            return self._fixed[key]
        queue = self._keyed[key]
        if not queue:
            raise ScriptExhaustedError(
                f"scripted answers for key {key!r} ran out", model_id=self.model_id
            )
        return queue.popleft()

    def generate(
        self, prompts: Sequence[str], config: GenerationConfig | None = None
    ) -> list[Generation]:
        """Return the next scripted answer for each prompt."""
        config = config or GenerationConfig()
        batch = tuple(check_prompts(prompts))
        self.calls.append(Call("generate", batch, config=config))
        out: list[Generation] = []
        for prompt in batch:
            answer = self._keyed_answer(prompt)
            if answer is None and self._answer_fn is not None:
                answer = self._answer_fn(prompt)
            if answer is None:
                if not self._answers:
                    raise ScriptExhaustedError(
                        f"script ran out after {self._count('generate')} generate calls; "
                        f"no answer for prompt {prompt[:80]!r}",
                        model_id=self.model_id,
                    )
                answer = self._answers.popleft()
            words = answer.split()
            finish: FinishReason = "length" if len(words) > config.max_new_tokens else "stop"
            text = " ".join(words[: config.max_new_tokens]) if finish == "length" else answer
            out.append(
                Generation(
                    text=text,
                    finish_reason=finish,
                    prompt_tokens=self.count_tokens(prompt),
                    completion_tokens=min(len(words), config.max_new_tokens),
                )
            )
        return out

    def score(
        self,
        prompts: Sequence[str],
        options: Sequence[str] | Sequence[Sequence[str]],
        *,
        normalize: bool = False,
    ) -> list[list[float]]:
        """Return the next scripted score row (or ``score_fn``'s values) for each prompt."""
        per_prompt = options_per_prompt(prompts, options)
        self.calls.append(
            Call(
                "score",
                tuple(prompts),
                options=tuple(tuple(o) for o in per_prompt),
                normalize=normalize,
            )
        )
        rows: list[list[float]] = []
        for prompt, opts in zip(prompts, per_prompt, strict=True):
            if self._scores:
                row = self._scores.popleft()
                if len(row) != len(opts):
                    raise GenerationError(
                        f"scripted score row has {len(row)} values for {len(opts)} options",
                        model_id=self.model_id,
                    )
                rows.append(list(row))
            elif self._score_fn is not None:
                rows.append([float(self._score_fn(prompt, o)) for o in opts])
            else:
                raise ScriptExhaustedError(
                    f"no scripted scores left for prompt {prompt[:80]!r}", model_id=self.model_id
                )
        if not all(math.isfinite(value) for row in rows for value in row):
            # As a real backend does (see Backend): NaN/inf is an error, not a score.
            raise GenerationError(
                f"scripted scores are not finite (NaN or inf): {rows}", model_id=self.model_id
            )
        return rows

    def embed(
        self,
        prompts: Sequence[str],
        *,
        layers: Sequence[int] = (-1,),
        pooling: Sequence[str] = ("mean",),
    ) -> list[list[float]]:
        """``embed_fn``'s vector for each prompt (``layers`` and ``pooling`` are not used).

        Raises:
            ScriptExhaustedError: no ``embed_fn`` was given.
        """
        batch = tuple(check_prompts(prompts))
        self.calls.append(Call("embed", batch))
        if self._embed_fn is None:
            raise ScriptExhaustedError("no embed_fn scripted for embed", model_id=self.model_id)
        return [[float(v) for v in self._embed_fn(p)] for p in batch]

    def count_tokens(self, text: str) -> int:
        """Whitespace words: the scripted backend's notion of a token."""
        return len(text.split())

    def _count(self, method: str) -> int:
        return sum(1 for c in self.calls if c.method == method)
