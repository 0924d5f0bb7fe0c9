"""The loaded model and tokenizer under ``HFBackend``: prompts to token ids, padding, limits."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

from newsbrief.backends.base import ModelFamily

if TYPE_CHECKING:
    import torch

    from newsbrief.backends.decoding import PrefixCache

logger = logging.getLogger(__name__)

# Prompts longer than the context are cut from the left for decoder-only models (the
# question sits at the end of the prompt) and from the right for encoder-decoder ones.
_DEFAULT_CONTEXT = 512
#: Tokens drafted from the prompt per step of greedy single-prompt generation (0: off).
PROMPT_LOOKUP_TOKENS = 10
#: Padding allowed when prompts of different lengths are run in one batch (share of the
#: real tokens); longer prompts go to another batch.
PADDING_WASTE = 0.25
#: ``forward``'s keyword for a KV cache, by :meth:`HFModel._cache_arg` (takes ``cache=``).
CACHE_ARG = {True: "cache", False: "past_key_values"}


class HFModel:
    """A ``transformers`` model and tokenizer with what every way of running it needs:
    prompts as token ids (chat template, context limit), padded batches, the output check.
    The generation, scoring and embedding parts of :class:`~newsbrief.backends.hf.HFBackend`
    build on it; the arguments are documented there."""

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        *,
        model_id: str,
        use_chat_template: bool | None = None,
        loaded_from: str | None = None,
        prompt_lookup: int = PROMPT_LOOKUP_TOKENS,
        restricted_head: bool = True,
        sliced_scoring: bool | None = None,
        prefix_cache: bool = True,
    ) -> None:
        if prompt_lookup < 0:
            raise ValueError("prompt_lookup must be 0 (off) or a number of tokens")
        self.prompt_lookup = prompt_lookup
        self.restricted_head = restricted_head
        self.sliced_scoring = sliced_scoring
        from newsbrief.backends import decoding  # imports torch, like the model it runs

        self.prefix_cache: PrefixCache | None = decoding.PrefixCache() if prefix_cache else None
        # One call at a time: a restricted generation swaps the model's output layer.
        self._lock = threading.RLock()
        self.model = model
        self.tokenizer = tokenizer
        self.model_id = model_id
        self.loaded_from = loaded_from
        config = model.config
        self.family: ModelFamily = (
            "seq2seq" if getattr(config, "is_encoder_decoder", False) else "causal"
        )
        has_template = bool(getattr(tokenizer, "chat_template", None))
        if use_chat_template and not has_template:
            raise ValueError(f"{model_id}: the tokenizer has no chat template to use")
        self.use_chat_template = (
            self.family == "causal" and has_template
            if use_chat_template is None
            else bool(use_chat_template and self.family == "causal")
        )
        if tokenizer.pad_token_id is None:
            tokenizer.pad_token = tokenizer.eos_token
        self.context_length = _context_length(model, tokenizer)
        self.model.eval()

    @property
    def device(self) -> torch.device:
        return self.model.device  # type: ignore[no-any-return]

    def format_prompt(self, prompt: str) -> str:
        """The prompt as the model sees it (inside the chat template when one is used)."""
        if not self.use_chat_template:
            return prompt
        rendered = self.tokenizer.apply_chat_template(
            [{"role": "user", "content": prompt}], tokenize=False, add_generation_prompt=True
        )
        return str(rendered)

    def count_tokens(self, text: str) -> int:
        """Tokens the model would see for ``text`` (without special tokens)."""
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def _encode_prompt(self, prompt: str) -> list[int]:
        text = self.format_prompt(prompt)
        # A chat template already carries its special tokens.
        ids: list[int] = self.tokenizer(text, add_special_tokens=not self.use_chat_template)[
            "input_ids"
        ]
        if not ids:
            start = self.tokenizer.bos_token_id
            if start is None:
                start = self.tokenizer.eos_token_id
            if start is None:
                raise ValueError("empty prompt and the tokenizer has no BOS/EOS token to start")
            ids = [start]
        limit = self.context_length
        if len(ids) > limit:
            logger.warning("prompt of %d tokens cut to the context of %d", len(ids), limit)
            ids = ids[:limit] if self.family == "seq2seq" else ids[-limit:]
        return ids

    def _non_finite(self, what: str) -> str:
        source = f" at {self.loaded_from}" if self.loaded_from else ""
        return (
            f"{self.model_id}: {what} failed: the model's outputs are not finite (NaN or "
            f"inf), so its weights{source} are likely damaged; reload or replace them (the "
            "embedded model's cache: delete that directory, it will be rebuilt)"
        )

    def _cache_arg(self) -> bool:
        """Whether ``forward`` takes ``cache=`` (newer v5) rather than ``past_key_values=``."""
        import inspect

        return "cache" in inspect.signature(self.model.forward).parameters

    def _pad(self, rows: list[list[int]], *, left: bool) -> tuple[torch.Tensor, torch.Tensor]:
        import torch

        width = max(len(r) for r in rows)
        pad = int(self.tokenizer.pad_token_id)
        ids = torch.full((len(rows), width), pad, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for i, row in enumerate(rows):
            if left:
                ids[i, width - len(row) :] = torch.tensor(row)
                mask[i, width - len(row) :] = 1
            else:
                ids[i, : len(row)] = torch.tensor(row)
                mask[i, : len(row)] = 1
        return ids.to(self.device), mask.to(self.device)


def length_groups(
    lengths: list[int], waste: float = PADDING_WASTE, max_positions: int | None = None
) -> list[list[int]]:
    """Indices of ``lengths`` grouped for left-padded batches: sorted by length, a group
    grows while its padded size stays within ``1 + waste`` times its real size (and within
    ``max_positions`` padded positions, when given; a longer one is a group of its own)."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    groups: list[list[int]] = []
    for i in order:
        if groups:
            group = groups[-1]
            padded = (len(group) + 1) * lengths[i]  # sorted: the newcomer is the longest
            fits = max_positions is None or padded <= max_positions
            if fits and padded <= (1 + waste) * (sum(lengths[j] for j in group) + lengths[i]):
                group.append(i)
                continue
        groups.append([i])
    return groups


def _context_length(model: Any, tokenizer: Any) -> int:
    config = model.config
    for name in ("max_position_embeddings", "n_positions", "max_seq_len"):
        value = getattr(config, name, None)
        if isinstance(value, int) and value > 0:
            return value
    limit = getattr(tokenizer, "model_max_length", None)
    if isinstance(limit, int) and 0 < limit < 1_000_000:
        return limit
    return _DEFAULT_CONTEXT


def model_eos_ids(model: Any) -> set[int]:
    """The end-of-sequence ids of ``model``'s generation config and config."""
    ids: set[int] = set()
    for source in (getattr(model, "generation_config", None), model.config):
        value = getattr(source, "eos_token_id", None)
        if isinstance(value, int):
            ids.add(value)
        elif isinstance(value, list):
            ids.update(int(v) for v in value)
    return ids
