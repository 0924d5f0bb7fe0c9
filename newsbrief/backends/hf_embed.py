"""Pooled hidden states for ``HFBackend.embed`` (the input of trained heads such as stance)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from newsbrief.backends.base import check_prompts
from newsbrief.backends.hf_model import HFModel, length_groups
from newsbrief.errors import GenerationError

if TYPE_CHECKING:
    import torch

#: Tokens (padded) per forward pass in ``embed``: every layer's states are held for the
#: batch, 1024 x 640 x 19 floats (50 MB) for Gemma 3 270M.
EMBED_TOKENS = 1024


class HFEmbedding(HFModel):
    """``embed`` (see :class:`~newsbrief.backends.hf.HFBackend`)."""

    def embed(
        self,
        prompts: Sequence[str],
        *,
        layers: Sequence[int] = (-1,),
        pooling: Sequence[str] = ("mean",),
    ) -> list[list[float]]:
        """Pooled hidden states of each prompt, as plain floats: for each ``pooling``
        (``"mean"``: the mean over the prompt's tokens after the start token; ``"last"``:
        the last token's state), the states at each of ``layers`` (indices into the
        model's hidden states: 0 the embeddings, -1 the last layer), concatenated in that
        order.

        Prompts run in right-padded batches of similar length; padding never enters a
        state. A prompt longer than the context is cut as for ``generate``. Used by
        trained heads on top of the model (e.g. the stance head).

        Raises:
            GenerationError: the forward pass failed.
            ValueError: no layers or poolings, an unknown pooling, or a layer outside the
                model's hidden states.
        """
        layers = list(layers)
        if not layers:
            raise ValueError("layers must name at least one hidden state")
        poolings = list(pooling)
        if not poolings or any(p not in ("mean", "last") for p in poolings):
            raise ValueError("pooling must be a sequence of 'mean' and/or 'last'")
        prompts = check_prompts(prompts)
        if not prompts:
            return []
        encoded = [self._encode_prompt(p) for p in prompts]
        out: list[list[float]] = [[] for _ in prompts]
        with self._lock:
            try:
                for batch in token_batches([len(e) for e in encoded], EMBED_TOKENS):
                    pooled = self._pooled([encoded[i] for i in batch], layers, poolings)
                    for row, i in enumerate(batch):
                        out[i] = pooled[row].cpu().tolist()
            except RuntimeError as exc:
                raise GenerationError(f"{self.model_id}: embedding failed: {exc}") from exc
        return out

    def _pooled(
        self, batch: list[list[int]], layers: list[int], poolings: list[str]
    ) -> torch.Tensor:
        """One row per prompt of ``batch`` (token ids): its pooled states, concatenated
        as :meth:`embed` describes."""
        import torch  # at first use: importing newsbrief does not load torch

        ids, mask = self._pad(batch, left=False)
        with torch.inference_mode():
            hidden = self._hidden_states(ids, mask)
            bad = [k for k in layers if not -len(hidden) <= k < len(hidden)]
            if bad:
                raise ValueError(f"layers {bad} outside the {len(hidden)} hidden states")
            weights = self._mean_weights(ids, mask).unsqueeze(-1).float()
            last = mask.sum(1) - 1
            rows = torch.arange(ids.shape[0])
            parts = []
            for how in poolings:
                for k in layers:
                    states = hidden[k].float()
                    if how == "mean":
                        summed = (states * weights).sum(1)
                        parts.append(summed / weights.sum(1).clamp(min=1.0))
                    else:
                        parts.append(states[rows, last])
            return torch.cat(parts, dim=-1)

    def _mean_weights(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The tokens the mean pools: the attention mask without the start token, whose
        state (an attention sink, far larger than the others in many models) would
        dominate the mean; a prompt of the start token alone keeps it."""
        pool = mask.clone()
        start = self.tokenizer.bos_token_id
        if start is not None:
            pool[:, 0] &= (ids[:, 0] != start).long() | (mask.sum(1) == 1).long()
        return pool

    def _hidden_states(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """Every hidden state of a right-padded batch: the encoder's for a seq2seq model,
        the base model's (no output layer: 262k rows for Gemma 3, most of the cost of a
        forward pass, run for nothing) otherwise."""
        if self.family == "seq2seq":
            encoder = self.model.get_encoder()
            hidden = encoder(input_ids=ids, attention_mask=mask, output_hidden_states=True)
        else:
            hidden = self.model.base_model(
                input_ids=ids, attention_mask=mask, output_hidden_states=True, use_cache=False
            )
        return tuple(hidden.hidden_states)


def token_batches(lengths: list[int], budget: int) -> list[list[int]]:
    """Indices of ``lengths`` in batches of similar length (:func:`length_groups`), each
    cut so that its padded size (size x its longest) stays within ``budget`` tokens; a
    prompt longer than the budget is a batch of its own."""
    batches = []
    for group in length_groups(lengths):  # sorted by length: the last of a batch is its longest
        batch: list[int] = []
        for i in group:
            if batch and (len(batch) + 1) * lengths[i] > budget:
                batches.append(batch)
                batch = []
            batch.append(i)
        batches.append(batch)
    return batches
