"""Logits processors and a stopping criterion for ``generate`` and the greedy loop.

Plain callables with the ``transformers`` signatures (``(input_ids, scores) -> scores``;
``(input_ids, scores) -> bool tensor``); torch is imported only when they run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import torch


class StopOnStrings:
    """Stop a row once its generated text contains a stop string.

    transformers' own ``stop_strings`` needs tokenizer internals that some tokenizers lack;
    decoding the new tokens works with any tokenizer.
    """

    def __init__(self, tokenizer: Any, stops: Sequence[str], *, start: int) -> None:
        self.tokenizer = tokenizer
        self.stops = [s for s in stops if s]
        self.start = start

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor, **kwargs: Any) -> Any:
        import torch

        done = [self.done(row) for row in input_ids]
        return torch.tensor(done, dtype=torch.bool, device=input_ids.device)

    def done(self, row: torch.Tensor) -> bool:
        """Whether one row's text after ``start`` holds a stop string."""
        text = self.tokenizer.decode(row[self.start :], skip_special_tokens=True).lstrip()
        return any(s in text for s in self.stops)


class NonFiniteLogits(ValueError):
    """The model's logits hold NaN or +inf (or a row with no finite value at all)."""


class FiniteLogits:
    """A logits processor that lets finite logits through unchanged and raises
    :class:`NonFiniteLogits` on NaN, +inf or a row without any finite value; ``-inf``
    alone is allowed (restricted output layers and restrictions use it). Put it first."""

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        import torch

        # One pass: a row's maximum is NaN if any logit is (amax propagates NaN), +inf if
        # any is, and -inf if none is finite.
        if not bool(torch.isfinite(scores.amax(dim=-1)).all()):
            raise NonFiniteLogits("the model's logits are not finite (NaN or inf)")
        return scores


def possible_tokens(processors: Sequence[Any]) -> list[int] | None:
    """The tokens that every restricting processor can ever allow (``None``: no limit)."""
    sets = [set(p.possible) for p in processors if hasattr(p, "possible")]
    if not sets:
        return None
    return sorted(set.intersection(*sets))


class AllowOnly:
    """A logits processor that leaves only the allowed token ids possible."""

    def __init__(self, allowed: list[int]) -> None:
        self.allowed = allowed
        self.possible = allowed

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        import torch

        mask = torch.full_like(scores, float("-inf"))
        mask[:, self.allowed] = 0.0
        return scores + mask


class Subsequence:
    """A logits processor that keeps an answer a subsequence of a text's tokens.

    The answer so far (each row from ``start``) is matched against each tokenisation of the
    text, earliest match first; the next token may be any token after the matched position,
    or one of ``free`` (end of sequence, newline), which end the answer."""

    def __init__(self, variants: list[list[int]], free: list[int], start: int) -> None:
        self.variants = variants
        self.free = free
        self.start = start
        self.possible = sorted({*free, *(t for tokens in variants for t in tokens)})

    def allowed(self, answer: list[int]) -> set[int]:
        allowed = set(self.free)
        for tokens in self.variants:
            position = 0
            for token in answer:
                try:
                    position = tokens.index(token, position) + 1
                except ValueError:
                    break  # this tokenisation cannot produce the answer so far
            else:
                allowed.update(tokens[position:])
        return allowed

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        import torch

        mask = torch.full_like(scores, float("-inf"))
        for row, ids in enumerate(input_ids.tolist()):
            mask[row, sorted(self.allowed(ids[self.start :]))] = 0.0
        return scores + mask
