"""Option scoring for ``HFBackend``: the log-likelihood of each option after each prompt.

Causal models run each prompt once (prompts of similar length batched) and share its KV
cache among its options; option tokens are scored from hidden states with the output layer
applied slice by slice when nothing follows it (:mod:`newsbrief.backends.output_layer`), else from
full logits in bounded batches. Encoder-decoder models run the encoder once per prompt.
"""

from __future__ import annotations

import copy
import itertools
import logging
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from newsbrief.backends.base import options_per_prompt
from newsbrief.backends.hf_model import CACHE_ARG, HFModel, length_groups
from newsbrief.backends.memory import release_free_memory
from newsbrief.errors import GenerationError

if TYPE_CHECKING:
    import torch

logger = logging.getLogger(__name__)

#: Option positions scored per forward pass when full logits are computed (models with
#: something after the output layer): each holds a full-vocabulary row of logits, 128 x
#: 262k float32 is 134 MB for Gemma 3; 128 ran 1.2x faster than 64 on 2 cores.
SCORE_POSITIONS = 128
#: Option positions run through the model per forward pass when scoring from hidden states
#: (no full-vocabulary logits are held then, only activations).
OPTION_POSITIONS = 512
#: Padded prompt positions run together in one prefix forward pass (a longer prompt runs
#: alone). Activations and the returned cache grow with it (about 145 kB per position on
#: the embedded Gemma 3): 23 short prompts at once raised the peak memory by 180 MB.
PREFIX_POSITIONS = 512
#: Cached prompt positions copied for the option rows of one forward pass (rows x prompt
#: length; at least one row): each row gets its prompt's KV cache, copied, then copied
#: again with the option tokens (37 kB per position for the embedded Gemma 3).
OPTION_CACHE_POSITIONS = 512


class HFScoring(HFModel):
    """``score`` (see :class:`~newsbrief.backends.hf.HFBackend`)."""

    def score(
        self,
        prompts: Sequence[str],
        options: Sequence[str] | Sequence[Sequence[str]],
        *,
        normalize: bool = False,
    ) -> list[list[float]]:
        """Log-likelihood of each option given each prompt (mean per token if ``normalize``)."""
        per_prompt = options_per_prompt(prompts, options)
        with self._lock:
            release_free_memory()
            rows = self._score(prompts, per_prompt, normalize)
        if not all(math.isfinite(value) for row in rows for value in row):
            raise GenerationError(self._non_finite("score"), model_id=self.model_id)
        return rows

    def _score(
        self, prompts: Sequence[str], per_prompt: list[list[str]], normalize: bool
    ) -> list[list[float]]:
        try:
            if self.family == "seq2seq":
                return [
                    self._score_seq2seq(p, opts, normalize)
                    for p, opts in zip(prompts, per_prompt, strict=True)
                ]
            return self._score_causal(prompts, per_prompt, normalize)
        except RuntimeError as exc:
            raise GenerationError(f"{self.model_id}: scoring failed: {exc}") from exc

    def _score_causal(
        self, prompts: Sequence[str], per_prompt: list[list[str]], normalize: bool
    ) -> list[list[float]]:
        """Every prompt runs once, prompts of similar length together in one left-padded
        batch (:func:`~newsbrief.backends.hf_model.length_groups`); each prompt's KV cache is
        shared by its options (only the option tokens run per option, in batches of at most
        ``OPTION_POSITIONS`` positions, scored from hidden states; or ``SCORE_POSITIONS`` with
        full logits, which bounds their memory, when :meth:`_sliced_scoring` is off)."""
        option_ids = [
            [self.tokenizer(o, add_special_tokens=False)["input_ids"] for o in options]
            for options in per_prompt
        ]
        if any(not ids for options in option_ids for ids in options):
            raise ValueError("an option encodes to no tokens")
        encoded = []
        for prompt, options in zip(prompts, option_ids, strict=True):
            ids = self._encode_prompt(prompt)
            longest = max(len(o) for o in options)
            if len(ids) + longest > self.context_length:
                ids = ids[len(ids) + longest - self.context_length :]
            encoded.append(ids)
        rows: list[list[list[float]]] = [[] for _ in prompts]
        for group in length_groups([len(ids) for ids in encoded], max_positions=PREFIX_POSITIONS):
            scored = self._score_prefix_group(
                [encoded[i] for i in group], [option_ids[i] for i in group]
            )
            for i, prompt_rows in zip(group, scored, strict=True):
                rows[i] = prompt_rows
        return [
            [sum(r) / len(r) if normalize else sum(r) for r in prompt_rows] for prompt_rows in rows
        ]

    def _score_prefix_group(
        self, encoded: list[list[int]], option_ids: list[list[list[int]]]
    ) -> list[list[list[float]]]:
        """Per prompt, per option, the log-probability of each option token."""
        import torch

        from newsbrief.backends.decoding import returned_cache
        from newsbrief.backends.output_layer import hidden_states_out, token_logprobs

        device = self.device
        with torch.inference_mode():
            input_ids, mask = self._pad(encoded, left=True)
            prefix = self.model(
                input_ids=input_ids,
                attention_mask=mask,
                position_ids=(mask.cumsum(-1) - 1).clamp(min=0),
                use_cache=True,
                logits_to_keep=1,
            )
            first = torch.log_softmax(prefix.logits[:, -1].float(), dim=-1)
            rows = [
                [[float(first[p, ids[0]])] for ids in options]
                for p, options in enumerate(option_ids)
            ]
            # (prompt, option) pairs whose option has more than one token to score
            pending = [
                (p, o)
                for p, options in enumerate(option_ids)
                for o, ids in enumerate(options)
                if len(ids) > 1
            ]
            cache = returned_cache(prefix)
            lengths = mask.sum(dim=1)
            sliced = self._sliced_scoring()
            budget = OPTION_POSITIONS if sliced else SCORE_POSITIONS
            # sliced: the hidden states of every scored position, and their tokens
            states: list[torch.Tensor] = []
            wanted: list[torch.Tensor] = []
            max_rows = max(1, OPTION_CACHE_POSITIONS // int(input_ids.shape[1]))
            for group in _position_groups(
                pending, [len(option_ids[p][o]) - 1 for p, o in pending], budget, max_rows
            ):
                # Feed each option but its last token; position j predicts token j + 1.
                fed = [option_ids[p][o][:-1] for p, o in group]
                inputs, option_mask = self._pad(fed, left=False)
                which = torch.tensor([p for p, _ in group], device=device)
                call = {
                    "input_ids": inputs,
                    "attention_mask": torch.cat([mask[which], option_mask], dim=1),
                    "position_ids": lengths[which][:, None]
                    + torch.arange(inputs.shape[1], device=device)[None, :],
                    "use_cache": True,
                    CACHE_ARG[self._cache_arg()]: _select_rows(cache, which),
                }
                targets = torch.zeros_like(inputs)
                for r, (p, o) in enumerate(group):
                    rest = option_ids[p][o][1:]
                    targets[r, : len(rest)] = torch.tensor(rest)
                counts = [len(option_ids[p][o]) - 1 for p, o in group]
                if sliced:
                    with hidden_states_out(self.model):
                        hidden = self.model(**call).logits
                    for r, count in enumerate(counts):
                        states.append(hidden[r, :count])
                        wanted.append(targets[r, :count])
                    continue
                logits = self.model(**call).logits.float()
                picked = logits.gather(-1, targets[..., None])[..., 0]
                # Row by row: logsumexp's temporaries stay the size of one row's logits.
                norms = torch.stack([torch.logsumexp(row, dim=-1) for row in logits])
                logprobs = picked - norms
                for r, ((p, o), count) in enumerate(zip(group, counts, strict=True)):
                    rows[p][o] += [float(v) for v in logprobs[r, :count]]
            if states:
                head = self.model.get_output_embeddings()
                values = iter(token_logprobs(torch.cat(states), head, torch.cat(wanted)).tolist())
                for p, o in pending:
                    rows[p][o] += itertools.islice(values, len(option_ids[p][o]) - 1)
        return rows

    def _sliced_scoring(self) -> bool:
        """Whether option tokens are scored from hidden states with the output layer applied
        slice by slice of the vocabulary (:func:`newsbrief.backends.output_layer.token_logprobs`):
        ``sliced_scoring`` if set, else whether a probe shows the model's logits are its
        output layer's (nothing such as soft-capping after it)."""
        if self.sliced_scoring is None:
            from newsbrief.backends.output_layer import hidden_states_are_exact

            token = self.tokenizer.bos_token_id
            if token is None:
                token = self.tokenizer.eos_token_id
            try:
                self.sliced_scoring = hidden_states_are_exact(self.model, int(token or 0))
            except (RuntimeError, ValueError, TypeError) as exc:
                logger.info("scoring with full logits: the probe failed (%s)", exc)
                self.sliced_scoring = False
        return self.sliced_scoring

    def _score_seq2seq(self, prompt: str, options: list[str], normalize: bool) -> list[float]:
        import torch

        prompt_ids = self._encode_prompt(prompt)
        target_ids = [self.tokenizer(text_target=o)["input_ids"] for o in options]
        device = self.device
        with torch.inference_mode():
            encoder = self.model.get_encoder()
            enc_input = torch.tensor([prompt_ids], device=device)
            enc_mask = torch.ones_like(enc_input)
            # The encoder runs once; its states are shared by every option.
            hidden = encoder(input_ids=enc_input, attention_mask=enc_mask).last_hidden_state
            n = len(options)
            labels, label_mask = self._pad(target_ids, left=False)
            labels = labels.masked_fill(label_mask == 0, -100)
            out = self.model(
                encoder_outputs=(hidden.expand(n, -1, -1),),
                attention_mask=enc_mask.expand(n, -1),
                labels=labels,
            )
        logprobs = torch.log_softmax(out.logits.float(), dim=-1)
        return [_sum_logprobs(logprobs[row], ids, normalize) for row, ids in enumerate(target_ids)]


def _position_groups(
    items: list[tuple[int, int]], sizes: list[int], budget: int, max_rows: int
) -> list[list[tuple[int, int]]]:
    """Consecutive groups of at most ``max_rows`` ``items`` whose padded size (rows x
    longest) fits ``budget`` (a single item larger than the budget is a group of its own)."""
    groups: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    longest = 0
    for item, size in zip(items, sizes, strict=True):
        if current and (
            len(current) >= max_rows or (len(current) + 1) * max(longest, size) > budget
        ):
            groups.append(current)
            current, longest = [], 0
        current.append(item)
        longest = max(longest, size)
    if current:
        groups.append(current)
    return groups


def _select_rows(cache: Any, rows: torch.Tensor) -> Any:
    """A cache holding ``rows`` of ``cache``'s batch, leaving ``cache`` as it is.

    ``batch_select_indices`` replaces each layer's tensors with indexed copies, so copying
    the cache object and its layer objects (not their tensors) is enough; a cache without
    ``layers`` is deep-copied."""
    layers = getattr(cache, "layers", None)
    if isinstance(layers, list):
        selected = copy.copy(cache)
        selected.layers = [copy.copy(layer) for layer in layers]
    else:
        selected = copy.deepcopy(cache)
    selected.batch_select_indices(rows)
    return selected


def _sum_logprobs(logprobs: torch.Tensor, ids: list[int], normalize: bool) -> float:
    import torch

    index = torch.tensor(ids, device=logprobs.device)
    picked = logprobs[torch.arange(len(ids), device=logprobs.device), index]
    total = float(picked.sum())
    return total / len(ids) if normalize else total
