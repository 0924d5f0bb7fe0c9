"""Output-layer shortcuts (imported only once torch is needed).

A restricted answer (``GenerationConfig.restrict_to`` / ``subsequence_of``) can only use
a few hundred of the vocabulary's tokens, yet the output layer of a small model with a
large vocabulary (Gemma 3: 262k x 640, most of its parameters) costs as much per token as
all its transformer layers together. While such an answer is generated, the output layer
is swapped for one that computes only the rows of the tokens the restriction can ever
allow; every other logit is ``-inf``, which the restriction's logits processor makes it
anyway. The allowed logits are the same dot products (tested within float rounding).

Scoring needs log-probabilities, so the whole vocabulary, but only at the option tokens:
there the output layer is swapped for :class:`HiddenHead` (the forward pass returns the
final hidden states) and :func:`token_logprobs` applies the real layer slice by slice of
the vocabulary, to all scored positions at once: the 262k x 640 matrix is read once per
call instead of once per batch of positions, and the logits never fill memory.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import torch

from newsbrief.backends.compact import Q8OutputLayer, output_logits_of, output_rows_of

#: An output layer the shortcuts work with: a plain ``Linear``, or the embedded model's
#: 8-bit one (:class:`~newsbrief.backends.compact.Q8OutputLayer`, rows de-quantised on use).
OutputLayer = torch.nn.Linear | Q8OutputLayer


class RowsHead(torch.nn.Module):
    """A linear output layer restricted to some rows; the other outputs are ``-inf``."""

    def __init__(self, head: OutputLayer, rows: Sequence[int]) -> None:
        super().__init__()
        self.out_features = head.out_features
        with torch.no_grad():
            device = head.rows.q.device if isinstance(head, Q8OutputLayer) else head.weight.device
            self.index = torch.tensor(sorted(set(rows)), device=device)
            self.rows_weight = output_rows_of(head, self.index)
            self.rows_bias = None if head.bias is None else head.bias.index_select(0, self.index)

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        kept = torch.nn.functional.linear(hidden, self.rows_weight, self.rows_bias)
        out = kept.new_full((*hidden.shape[:-1], self.out_features), float("-inf"))
        out[..., self.index] = kept
        return out


def output_head_name(model: Any) -> str | None:
    """The attribute holding ``model``'s output layer when it is a plain ``Linear`` (or
    8-bit :class:`~newsbrief.backends.compact.Q8OutputLayer`) child (``lm_head`` for most
    ``transformers`` models), else ``None``."""
    get = getattr(model, "get_output_embeddings", None)
    head = get() if callable(get) else None
    if not isinstance(head, (torch.nn.Linear, Q8OutputLayer)):
        return None
    return next((name for name, child in model.named_children() if child is head), None)


@contextmanager
def output_rows(model: Any, rows: Sequence[int] | None) -> Iterator[bool]:
    """While inside, ``model`` computes output logits only for ``rows`` (``-inf`` elsewhere).

    Yields whether the shortcut is on: it is off for ``rows=None`` and for models whose
    output layer is not a plain linear child module (they run unchanged)."""
    if not rows or (name := output_head_name(model)) is None:
        yield False
        return
    head = getattr(model, name)
    setattr(model, name, RowsHead(head, rows))
    try:
        yield True
    finally:
        setattr(model, name, head)


class HiddenHead(torch.nn.Module):
    """Stands in for the output layer and returns its input: the final hidden states."""

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        return hidden


@contextmanager
def hidden_states_out(model: Any) -> Iterator[OutputLayer | None]:
    """While inside, ``model``'s "logits" are its final hidden states; yields the real
    output layer (``None``, and nothing swapped, when it is not a plain linear child).
    Only for models whose forward does nothing to the logits after the output layer:
    check with :func:`hidden_states_are_exact` first."""
    name = output_head_name(model)
    if name is None:
        yield None
        return
    head = getattr(model, name)
    setattr(model, name, HiddenHead())
    try:
        yield head
    finally:
        setattr(model, name, head)


def hidden_states_are_exact(model: Any, token_id: int) -> bool:
    """Whether the output layer applied to the hidden states ``model`` returns under
    :func:`hidden_states_out` gives its logits (no soft-capping or scaling after the
    output layer): one short forward pass each way, compared."""
    ids = torch.tensor([[token_id, token_id]], device=model.device)
    with torch.inference_mode():
        logits = model(input_ids=ids, use_cache=False).logits
        with hidden_states_out(model) as head:
            if head is None:
                return False
            hidden = model(input_ids=ids, use_cache=False).logits
        if hidden.shape[-1] != head.in_features:
            return False
        return bool(torch.allclose(head(hidden).float(), logits.float(), atol=1e-4, rtol=1e-4))


def token_logprobs(
    hidden: torch.Tensor,
    head: OutputLayer,
    targets: torch.Tensor,
    *,
    max_elements: int = 1 << 20,
) -> torch.Tensor:
    """``log_softmax(head(hidden))[i, targets[i]]`` for each row ``i`` of ``hidden``
    (``N x d``), computed over slices of the vocabulary: every slice of the output layer is
    read once for all rows, and the logits held at once stay under ``max_elements``
    (1M floats: 4 MB, a few copies of it in the softmax's temporaries) however many rows
    there are."""
    rows = hidden.shape[0]
    vocabulary = head.out_features
    width = max(1024, max_elements // max(rows, 1))
    norm = torch.full((rows,), float("-inf"), device=hidden.device)
    picked = torch.zeros(rows, device=hidden.device)
    for start in range(0, vocabulary, width):
        stop = min(start + width, vocabulary)
        logits = output_logits_of(head, hidden, start, stop).float()
        norm = torch.logaddexp(norm, torch.logsumexp(logits, dim=-1))
        inside = (targets >= start) & (targets < stop)
        if bool(inside.any()):
            where = inside.nonzero(as_tuple=True)[0]
            picked[where] = logits[where, targets[where] - start]
    return picked - norm
