"""Pooled hidden states for ``HFBackend.embed`` (the input of trained heads such as stance)."""

from __future__ import annotations

from collections.abc import Sequence

from newsbrief.backends.base import check_prompts
from newsbrief.backends.hf_model import HFModel, length_groups
from newsbrief.errors import GenerationError

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
        import torch

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
                groups = length_groups([len(e) for e in encoded])
                chunks = []
                for g in groups:  # sorted by length: the last of a chunk is its longest
                    chunk: list[int] = []
                    for i in g:
                        if chunk and (len(chunk) + 1) * len(encoded[i]) > EMBED_TOKENS:
                            chunks.append(chunk)
                            chunk = []
                        chunk.append(i)
                    chunks.append(chunk)
                for group in chunks:
                    ids, mask = self._pad([encoded[i] for i in group], left=False)
                    # The start token's state (an attention sink, far larger than the
                    # others in many models) would dominate the mean: left out.
                    pool = mask.clone()
                    start = self.tokenizer.bos_token_id
                    if start is not None:
                        pool[:, 0] &= (ids[:, 0] != start).long() | (mask.sum(1) == 1).long()
                    with torch.inference_mode():
                        if self.family == "seq2seq":
                            hidden = self.model.get_encoder()(
                                input_ids=ids, attention_mask=mask, output_hidden_states=True
                            ).hidden_states
                        else:
                            # The base model: no output layer (262k rows for Gemma 3,
                            # most of the cost of a forward pass) is run for nothing.
                            hidden = self.model.base_model(
                                input_ids=ids,
                                attention_mask=mask,
                                output_hidden_states=True,
                                use_cache=False,
                            ).hidden_states
                        bad = [k for k in layers if not -len(hidden) <= k < len(hidden)]
                        if bad:
                            raise ValueError(
                                f"layers {bad} outside the {len(hidden)} hidden states"
                            )
                        weights = pool.unsqueeze(-1).float()
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
                        pooled = torch.cat(parts, dim=-1)
                    for row, i in enumerate(group):
                        out[i] = pooled[row].cpu().tolist()
            except RuntimeError as exc:
                raise GenerationError(f"{self.model_id}: embedding failed: {exc}") from exc
        return out
