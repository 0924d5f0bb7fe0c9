"""One Hugging Face backend for encoder-decoder and decoder-only models.

The model class is decided from the config (``is_encoder_decoder``); loading, safety
checks and the choice of source live in ``newsbrief.backends.loading``; the logits
processors in ``processors``, the output-layer shortcuts in ``heads``, and the greedy loop
with reused prompt openings in ``decoding``.
"""

from __future__ import annotations

import copy
import itertools
import logging
import math
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from newsbrief.backends.base import (
    FinishReason,
    Generation,
    GenerationConfig,
    ModelFamily,
    check_prompts,
    options_per_prompt,
)
from newsbrief.backends.processors import (
    AllowOnly,
    FiniteLogits,
    NonFiniteLogits,
    StopOnStrings,
    Subsequence,
    possible_tokens,
)
from newsbrief.errors import GenerationError

if TYPE_CHECKING:
    import torch

    from newsbrief.backends.decoding import PrefixCache

logger = logging.getLogger(__name__)

# Prompts longer than the context are cut from the left for decoder-only models (the
# question sits at the end of the prompt) and from the right for encoder-decoder ones.
_DEFAULT_CONTEXT = 512
#: Option positions scored per forward pass when full logits are computed (models with
#: something after the output layer): each holds a full-vocabulary row of logits, 128 x
#: 262k float32 is 134 MB for Gemma 3; 128 ran 1.2x faster than 64 on 2 cores.
SCORE_POSITIONS = 128
#: Option positions run through the model per forward pass when scoring from hidden states
#: (no full-vocabulary logits are held then, only activations).
OPTION_POSITIONS = 512
#: Padding allowed when prompts of different lengths are scored in one batch (share of the
#: real tokens); longer prompts go to another batch.
PADDING_WASTE = 0.25
#: Tokens drafted from the prompt per step of greedy single-prompt generation (0: off).
PROMPT_LOOKUP_TOKENS = 10
#: Tokens (padded) per forward pass in ``embed``: every layer's states are held for the
#: batch, 1024 x 640 x 19 floats (50 MB) for Gemma 3 270M.
EMBED_TOKENS = 1024


class HFBackend:
    """A loaded ``transformers`` model and tokenizer behind the ``Backend`` protocol.

    Build it with :func:`newsbrief.backends.load_backend`, or directly from a model and
    tokenizer you already hold.

    Args:
        model: a ``PreTrainedModel`` (seq2seq or causal LM), already on its device.
        tokenizer: its tokenizer.
        model_id: the id reported in provenance.
        use_chat_template: wrap prompts in the tokenizer's chat template. ``None`` uses it
            when the tokenizer has one (instruction-tuned models) and never for seq2seq.
        loaded_from: where the weights came from (a path), for diagnostics.
        prompt_lookup: tokens drafted from the prompt per step of greedy single-prompt
            causal generation (0: off); the answer is the plain greedy answer.
        restricted_head: while a restricted answer is generated (``restrict_to`` /
            ``subsequence_of``), compute output logits only for the tokens it may use
            (see :mod:`newsbrief.backends.heads`); ``False`` runs the full output layer.
        sliced_scoring: score option tokens from the final hidden states, applying the
            output layer slice by slice of the vocabulary (less memory, the matrix read
            once per call); ``None`` turns it on when a probe shows nothing follows the
            output layer in the model's forward (e.g. no soft-capping); ``False``: off.
        prefix_cache: in greedy single-prompt causal decoding, start from the KV cache of
            the opening a prompt shares with one of the last few prompts (see
            :mod:`newsbrief.backends.decoding`).
    """

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

    def __repr__(self) -> str:
        return (
            f"HFBackend(model_id={self.model_id!r}, family={self.family!r}, "
            f"device={str(self.device)!r}, dtype={self.model.dtype})"
        )

    # -- text handling -------------------------------------------------------------------

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

    # -- generate -----------------------------------------------------------------------

    def generate(
        self, prompts: Sequence[str], config: GenerationConfig | None = None
    ) -> list[Generation]:
        """Generate one answer per prompt, batched, greedy unless ``temperature > 0``."""
        import torch

        from newsbrief.backends import decoding
        from newsbrief.backends.heads import output_rows

        config = config or GenerationConfig()
        prompts = check_prompts(prompts)
        if not prompts:
            return []
        encoded = [self._encode_prompt(p) for p in prompts]
        input_ids, attention = self._pad(encoded, left=self.family == "causal")
        kwargs: dict[str, Any] = {
            "input_ids": input_ids,
            "attention_mask": attention,
            "max_new_tokens": config.max_new_tokens,
            "pad_token_id": self.tokenizer.pad_token_id,
            "repetition_penalty": config.repetition_penalty,
        }
        if config.temperature > 0:
            kwargs.update(do_sample=True, temperature=config.temperature, top_p=config.top_p)
        else:
            kwargs.update(do_sample=False, temperature=None, top_p=None, top_k=None)
        # First, on the raw logits: NaN/inf (damaged weights) is an error, not an answer.
        processors: list[Any] = [FiniteLogits()]
        if config.restrict_to is not None:
            processors.append(self._restriction(config.restrict_to))
        if config.subsequence_of is not None:
            start = 1 if self.family == "seq2seq" else input_ids.shape[1]
            processors.append(self._subsequence(config.subsequence_of, start))
        kwargs["logits_processor"] = processors
        if config.stop:
            kwargs["stopping_criteria"] = [
                StopOnStrings(
                    self.tokenizer,
                    config.stop,
                    # decoder rows start with the start token; causal rows with the prompt
                    start=1 if self.family == "seq2seq" else input_ids.shape[1],
                )
            ]
        rows = possible_tokens(processors) if self.restricted_head else None
        # One greedy causal prompt: newsbrief's own loop (reused prompt openings, drafts
        # from the prompt; the plain greedy answer, tested). Otherwise ``generate``.
        greedy_single = (
            self.prompt_lookup > 0
            and config.temperature <= 0
            and len(prompts) == 1
            and self.family == "causal"
        )
        own_loop = greedy_single and decoding.supported(self.model)
        try:
            with (
                self._lock,
                output_rows(self.model, rows),
                _seeded(config.seed),
                torch.inference_mode(),
            ):
                if own_loop:
                    stops = kwargs.get("stopping_criteria", [])
                    output = self._greedy(encoded[0], config, processors, stops)
                else:
                    if greedy_single:
                        # transformers' own prompt lookup (no reused openings)
                        kwargs["prompt_lookup_num_tokens"] = self.prompt_lookup
                    output = self.model.generate(**kwargs)
        except NonFiniteLogits as exc:
            if self.prefix_cache is not None:
                self.prefix_cache.clear()
            raise GenerationError(self._non_finite("generate"), model_id=self.model_id) from exc
        except (RuntimeError, ValueError) as exc:
            if self.prefix_cache is not None:
                self.prefix_cache.clear()
            raise GenerationError(f"{self.model_id}: generate failed: {exc}") from exc
        new_tokens = output if self.family == "seq2seq" else output[:, input_ids.shape[1] :]
        return [
            self._finish(row.tolist(), config, int(mask.sum()))
            for row, mask in zip(new_tokens, attention, strict=True)
        ]

    def _greedy(
        self,
        prompt: list[int],
        config: GenerationConfig,
        processors: list[Any],
        stops: list[StopOnStrings],
    ) -> torch.Tensor:
        """Greedy tokens for one causal prompt (see :mod:`newsbrief.backends.decoding`),
        returned like ``generate``'s output: the prompt followed by the answer."""
        import torch
        from transformers import RepetitionPenaltyLogitsProcessor

        from newsbrief.backends import decoding

        applied = list(processors)
        if config.repetition_penalty != 1.0:
            # generate applies its own processors before the caller's
            applied.insert(0, RepetitionPenaltyLogitsProcessor(config.repetition_penalty))
        answer = decoding.greedy(
            self.model,
            prompt,
            max_new_tokens=config.max_new_tokens,
            processors=applied,
            eos_ids=_eos_ids(self.model, self.tokenizer),
            stop=(lambda ids: stops[0].done(ids[0])) if stops else None,
            lookup=self.prompt_lookup,
            cache_arg=_CACHE_ARG[self._cache_arg()],
            prefix_cache=self.prefix_cache,
        )
        return torch.tensor([prompt + answer], device=self.device)

    def _restriction(self, text: str) -> AllowOnly:
        allowed: set[int] = set(_eos_ids(self.model, self.tokenizer))
        for variant in (text, text.lower(), "\n"):
            allowed.update(self.tokenizer(variant, add_special_tokens=False)["input_ids"])
        return AllowOnly(sorted(allowed))

    def _subsequence(self, text: str, start: int) -> Subsequence:
        # With and without a leading space: an answer's first word has one, the text's not.
        variants = [
            self.tokenizer(v, add_special_tokens=False)["input_ids"] for v in (text, " " + text)
        ]
        free = set(_eos_ids(self.model, self.tokenizer))
        free.update(self.tokenizer("\n", add_special_tokens=False)["input_ids"])
        return Subsequence(variants, sorted(free), start)

    def _finish(self, ids: list[int], config: GenerationConfig, prompt_tokens: int) -> Generation:
        if self.family == "seq2seq":
            ids = ids[1:]  # an encoder-decoder output starts with the decoder start token
        eos_ids = _eos_ids(self.model, self.tokenizer)
        stopped_at = next((i for i, t in enumerate(ids) if t in eos_ids), None)
        finish: FinishReason = "length"
        if stopped_at is not None:
            ids, finish = ids[: stopped_at + 1], "stop"
        # Leading whitespace is not an answer: a stop string only counts after it.
        text = self.tokenizer.decode(ids, skip_special_tokens=True).lstrip()
        cut = _cut_at_stop(text, config.stop)
        if cut is not None:
            text, finish = cut, "stop"
            # Rows that stopped on a stop string are padded up to the batch's longest.
            pad = self.tokenizer.pad_token_id
            while ids and ids[-1] == pad:
                ids = ids[:-1]
        # Without EOS or a stop string a row only ends at max_new_tokens: "length".
        return Generation(
            text=text.strip(),
            finish_reason=finish,
            prompt_tokens=prompt_tokens,
            completion_tokens=len(ids),
        )

    # -- score --------------------------------------------------------------------------

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
            rows = self._score(prompts, per_prompt, normalize)
        if not all(math.isfinite(value) for row in rows for value in row):
            raise GenerationError(self._non_finite("score"), model_id=self.model_id)
        return rows

    def _non_finite(self, what: str) -> str:
        source = f" at {self.loaded_from}" if self.loaded_from else ""
        return (
            f"{self.model_id}: {what} failed: the model's outputs are not finite (NaN or "
            f"inf), so its weights{source} are likely damaged; reload or replace them (the "
            "embedded model's cache: delete that directory, it will be rebuilt)"
        )

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
        batch (:func:`_length_groups`); each prompt's KV cache is shared by its options
        (only the option tokens run per option, in batches of at most ``OPTION_POSITIONS``
        positions, scored from hidden states; or ``SCORE_POSITIONS`` with full logits, which
        bounds their memory, when :meth:`_sliced_scoring` is off)."""
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
        for group in _length_groups([len(ids) for ids in encoded]):
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
        from newsbrief.backends.heads import hidden_states_out, token_logprobs

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
            for group in _position_groups(
                pending, [len(option_ids[p][o]) - 1 for p, o in pending], budget
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
                    _CACHE_ARG[self._cache_arg()]: _select_rows(cache, which),
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
        slice by slice of the vocabulary (:func:`newsbrief.backends.heads.token_logprobs`):
        ``sliced_scoring`` if set, else whether a probe shows the model's logits are its
        output layer's (nothing such as soft-capping after it)."""
        if self.sliced_scoring is None:
            from newsbrief.backends.heads import hidden_states_are_exact

            token = self.tokenizer.bos_token_id
            if token is None:
                token = self.tokenizer.eos_token_id
            try:
                self.sliced_scoring = hidden_states_are_exact(self.model, int(token or 0))
            except (RuntimeError, ValueError, TypeError) as exc:
                logger.info("scoring with full logits: the probe failed (%s)", exc)
                self.sliced_scoring = False
        return self.sliced_scoring

    def _cache_arg(self) -> bool:
        """Whether ``forward`` takes ``cache=`` (newer v5) rather than ``past_key_values=``."""
        import inspect

        return "cache" in inspect.signature(self.model.forward).parameters

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

    # -- embed --------------------------------------------------------------------------

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
                groups = _length_groups([len(e) for e in encoded])
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

    # -- helpers --------------------------------------------------------------------------

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


_CACHE_ARG = {True: "cache", False: "past_key_values"}


def _length_groups(lengths: list[int], waste: float = PADDING_WASTE) -> list[list[int]]:
    """Indices of ``lengths`` grouped for left-padded batches: sorted by length, a group
    grows while its padded size stays within ``1 + waste`` times its real size."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    groups: list[list[int]] = []
    for i in order:
        if groups:
            group = groups[-1]
            padded = (len(group) + 1) * lengths[i]  # sorted: the newcomer is the longest
            if padded <= (1 + waste) * (sum(lengths[j] for j in group) + lengths[i]):
                group.append(i)
                continue
        groups.append([i])
    return groups


def _position_groups(
    items: list[tuple[int, int]], sizes: list[int], budget: int
) -> list[list[tuple[int, int]]]:
    """Consecutive groups of ``items`` whose padded size (rows x longest) fits ``budget``
    (a single item larger than the budget is a group of its own)."""
    groups: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    longest = 0
    for item, size in zip(items, sizes, strict=True):
        if current and (len(current) + 1) * max(longest, size) > budget:
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


def _cut_at_stop(text: str, stops: Sequence[str]) -> str | None:
    positions = [text.find(s) for s in stops if s and s in text]
    return text[: min(positions)] if positions else None


def _eos_ids(model: Any, tokenizer: Any) -> set[int]:
    ids: set[int] = set()
    for source in (getattr(model, "generation_config", None), model.config):
        value = getattr(source, "eos_token_id", None)
        if isinstance(value, int):
            ids.add(value)
        elif isinstance(value, list):
            ids.update(int(v) for v in value)
    if tokenizer.eos_token_id is not None:
        ids.add(int(tokenizer.eos_token_id))
    return ids


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


@contextmanager
def _seeded(seed: int | None) -> Iterator[None]:
    """Seed torch for one sampled generation without touching the caller's RNG state."""
    import torch

    if seed is None:
        yield
        return
    devices = [torch.cuda.current_device()] if torch.cuda.is_available() else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(seed)
        yield
