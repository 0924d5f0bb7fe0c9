"""Output-layer shortcuts for restricted generation (imported only once torch is needed).

A restricted answer (``GenerationConfig.restrict_to`` / ``subsequence_of``) can only use
a few hundred of the vocabulary's tokens, yet the output layer of a small model with a
large vocabulary (Gemma 3: 262k x 640, most of its parameters) costs as much per token as
all its transformer layers together. While such an answer is generated, the output layer
is swapped for one that computes only the rows of the tokens the restriction can ever
allow; every other logit is ``-inf``, which the restriction's logits processor makes it
anyway. The allowed logits are the same dot products (tested within float rounding).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import torch


class RowsHead(torch.nn.Module):
    """A linear output layer restricted to some rows; the other outputs are ``-inf``."""

    def __init__(self, head: torch.nn.Linear, rows: Sequence[int]) -> None:
        super().__init__()
        self.out_features = head.out_features
        with torch.no_grad():
            self.index = torch.tensor(sorted(set(rows)), device=head.weight.device)
            self.rows_weight = head.weight.index_select(0, self.index)
            self.rows_bias = None if head.bias is None else head.bias.index_select(0, self.index)

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        kept = torch.nn.functional.linear(hidden, self.rows_weight, self.rows_bias)
        out = kept.new_full((*hidden.shape[:-1], self.out_features), float("-inf"))
        out[..., self.index] = kept
        return out


def output_head_name(model: Any) -> str | None:
    """The attribute holding ``model``'s output layer when it is a plain ``Linear`` child
    (``lm_head`` for most ``transformers`` models), else ``None``."""
    get = getattr(model, "get_output_embeddings", None)
    head = get() if callable(get) else None
    if not isinstance(head, torch.nn.Linear):
        return None
    return next((name for name, child in model.named_children() if child is head), None)


@contextmanager
def output_rows(model: Any, rows: Sequence[int] | None) -> Iterator[bool]:
    """While inside, ``model`` computes output logits only for ``rows`` (``-inf`` elsewhere).

    Yields whether the shortcut is on: it is off for ``rows=None`` and for models whose
    output layer is not a plain linear child module (they run unchanged)."""
    name = output_head_name(model) if rows else None
    if name is None or not rows:
        yield False
        return
    head = getattr(model, name)
    setattr(model, name, RowsHead(head, rows))
    try:
        yield True
    finally:
        setattr(model, name, head)
