"""Greedy decoding of one causal prompt: reused prompt openings and drafts from the prompt.

Two things make newsbrief's greedy answers cheap on a CPU, and ``transformers`` cannot do
both in one ``generate`` call (its assisted decoding feeds the whole prompt again on top of
a prefilled cache):

- **Prompt openings are reused.** Prompts from one template share a long opening
  (instructions, few-shot demonstrations: ~200 of a summary prompt's ~250 tokens). The KV
  cache of the last few prompts is kept (:class:`PrefixCache`); a prompt that starts with
  the same tokens copies that cache, cut to the shared opening, and only runs its tail.
- **Drafts come from the prompt** (prompt lookup decoding). Answers copy the prompt
  (shortened sentences, names, issues): after each token, the tokens that followed the last
  n-gram where it occurs earlier are drafted and checked in one forward pass; the longest
  run the model would have chosen itself is kept.

The answer is the plain greedy answer: every kept token is the argmax of the processed
logits at its position (tested against ``generate`` on the tiny and embedded models;
logits differ from a whole-prompt run only by float rounding, ~2e-5).
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

import torch

#: Shortest shared opening (tokens) worth reusing a cache for.
MIN_SHARED_TOKENS = 32
#: Prompts whose caches are kept: a brief reuses as much with 2 as with 4 (27 hits, 4,887
#: tokens on 24 dev politics articles either way), and each kept prompt holds its KV cache
#: (about 11 MB for a 300-token prompt of the embedded Gemma 3).
KEPT_PROMPTS = 2
#: Longest n-gram looked up for drafts (longer first).
DRAFT_NGRAM = 3

# generation_config fields whose non-default values add logits processors that this loop
# does not apply; a model with any of them set decodes through ``generate``.
_UNSUPPORTED = {
    "no_repeat_ngram_size": (None, 0),
    "encoder_no_repeat_ngram_size": (None, 0),
    "bad_words_ids": (None,),
    "min_length": (None, 0),
    "min_new_tokens": (None, 0),
    "forced_bos_token_id": (None,),
    "forced_eos_token_id": (None,),
    "suppress_tokens": (None,),
    "begin_suppress_tokens": (None,),
    "sequence_bias": (None,),
    "exponential_decay_length_penalty": (None,),
    "encoder_repetition_penalty": (None, 1.0),
    "renormalize_logits": (None, False),
    "num_beams": (None, 1),
    "watermarking_config": (None,),
}


def supported(model: Any) -> bool:
    """Whether ``model`` decodes greedily here exactly as ``generate`` would."""
    config = getattr(model, "generation_config", None)
    if config is None or getattr(model.config, "is_encoder_decoder", False):
        return False
    return all(getattr(config, name, None) in allowed for name, allowed in _UNSUPPORTED.items())


class PrefixCache:
    """KV caches of the last ``size`` prompts, keyed by their token ids."""

    def __init__(self, size: int = KEPT_PROMPTS, min_shared: int = MIN_SHARED_TOKENS) -> None:
        self.size = size
        self.min_shared = min_shared
        self._entries: OrderedDict[tuple[int, ...], Any] = OrderedDict()
        self.hits = 0
        self.reused_tokens = 0

    def clear(self) -> None:
        self._entries.clear()

    def take(self, ids: Sequence[int]) -> tuple[Any, int]:
        """A copy of the cache of the kept prompt sharing the longest opening with ``ids``,
        cut to that opening (at least one token of ``ids`` left to run), and its length;
        ``(None, 0)`` when no kept prompt shares ``min_shared`` tokens with a cache that
        can be cut there (see :func:`can_cut`): the prompt then runs from its start."""
        candidates = []
        for key, cache in self._entries.items():
            shared = min(_common_length(key, ids), len(ids) - 1)
            if shared >= self.min_shared and can_cut(cache, shared):
                candidates.append((shared, key))
        if not candidates:
            return None, 0
        shared, best = max(candidates, key=lambda item: item[0])
        self._entries.move_to_end(best)
        cache = copy.deepcopy(self._entries[best])
        extra = int(cache.get_seq_length()) - shared
        if extra:
            cache.crop(-extra)
        self.hits += 1
        self.reused_tokens += shared
        return cache, shared

    def keep(self, ids: Sequence[int], cache: Any) -> None:
        """Keep a copy of ``cache``, which holds exactly the tokens ``ids``."""
        self._entries[tuple(ids)] = copy.deepcopy(cache)
        self._entries.move_to_end(tuple(ids))
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)


def can_cut(cache: Any, length: int) -> bool:
    """Whether ``cache`` can be cut back to its first ``length`` tokens exactly.

    Nothing to cut is always possible. Otherwise every layer must be one ``crop`` can roll
    back (``is_croppable``: not recurrent or convolution states, as in linear attention) and
    must still hold the states of every token it has seen: a sliding-window layer past its
    window keeps only the last ``window - 1`` (``crop`` refuses it then, unless it recorded
    them, which kept caches never do), so the opening it would be cut to is gone.
    """
    import torch

    if int(cache.get_seq_length()) <= length:
        return True
    layers = getattr(cache, "layers", None)
    if not isinstance(layers, list):
        return False
    for layer in layers:
        # (a transformers without ``is_croppable`` leaves it to the checks below)
        if not getattr(layer, "is_croppable", True) or hasattr(layer, "conv_states"):
            return False
        keys = getattr(layer, "keys", None)
        if isinstance(keys, torch.Tensor) and keys.shape[-2] < int(layer.get_seq_length()):
            return False
    return True


def _common_length(a: Sequence[int], b: Sequence[int]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def draft(sequence: Sequence[int], count: int, ngram: int = DRAFT_NGRAM) -> list[int]:
    """Up to ``count`` tokens that followed the earliest earlier occurrence of the
    sequence's last n-gram (the longest n <= ``ngram`` that occurs), else none."""
    if count <= 0:
        return []
    for n in range(min(ngram, len(sequence) - 1), 0, -1):
        tail = list(sequence[-n:])
        for start in range(len(sequence) - n):
            if list(sequence[start : start + n]) == tail:
                follow = list(sequence[start + n : start + n + count])
                if follow:
                    return follow
    return []


def greedy(
    model: Any,
    prompt: Sequence[int],
    *,
    max_new_tokens: int,
    processors: Sequence[Callable[[torch.Tensor, torch.Tensor], torch.Tensor]],
    eos_ids: set[int],
    stop: Callable[[torch.Tensor], bool] | None,
    lookup: int,
    cache_arg: str,
    prefix_cache: PrefixCache | None = None,
) -> list[int]:
    """The greedy answer's tokens (ending with EOS when the model stopped, or at
    ``max_new_tokens``, or at the first token after which ``stop(sequence)`` holds)."""
    device = model.device
    cache, start = prefix_cache.take(prompt) if prefix_cache is not None else (None, 0)
    kwargs = {cache_arg: cache} if cache is not None else {}
    out = model(
        input_ids=torch.tensor([list(prompt[start:])], device=device),
        use_cache=True,
        logits_to_keep=1,
        **kwargs,
    )
    cache = returned_cache(out)
    if prefix_cache is not None:
        prefix_cache.keep(prompt, cache)
    # Sliding-window layers keep what a rejected draft needs to be cut back.
    record = getattr(cache, "activate_past_recording", None)
    if callable(record):
        record()
    sequence = list(prompt)
    new: list[int] = []
    scores = out.logits[0, -1]

    def pick(logits: torch.Tensor) -> int:
        processed = logits.float()[None]
        ids = torch.tensor([sequence], device=device)
        for processor in processors:
            processed = processor(ids, processed)
        return int(processed[0].argmax())

    def finished(token: int) -> bool:
        sequence.append(token)
        new.append(token)
        if token in eos_ids or len(new) >= max_new_tokens:
            return True
        return stop is not None and stop(torch.tensor([sequence], device=device))

    while True:
        if finished(pick(scores)):
            return new
        drafts = draft(sequence, min(lookup, max_new_tokens - len(new)))
        feed = [sequence[-1], *drafts]
        out = model(
            input_ids=torch.tensor([feed], device=device),
            use_cache=True,
            logits_to_keep=len(feed),
            **{cache_arg: cache},
        )
        cache = returned_cache(out)
        logits = out.logits[0]
        accepted = 0
        for i, token in enumerate(drafts):
            if pick(logits[i]) != token:
                break
            accepted += 1
            if finished(token):
                return new
        cache.crop(-(len(drafts) - accepted))  # also lets sliding layers trim (0 too)
        scores = logits[accepted]


def returned_cache(output: Any) -> Any:
    """The KV cache a forward pass returned (``cache``, or ``past_key_values`` before v5)."""
    cache = getattr(output, "cache", None)
    if cache is None:
        cache = getattr(output, "past_key_values", None)
    if cache is None:
        raise RuntimeError("the model returned no KV cache")
    return cache
