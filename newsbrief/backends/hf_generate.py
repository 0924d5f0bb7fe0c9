"""Generation for ``HFBackend``: greedy or sampled, restricted, stopped at stop strings.

Answers can be restricted to allowed tokens or to a span of a text (logits processors in
:mod:`newsbrief.backends.processors`); one greedy causal prompt runs newsbrief's own loop
(:mod:`newsbrief.backends.decoding`), anything else ``transformers``' ``generate``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from newsbrief.backends.base import (
    FinishReason,
    Generation,
    GenerationConfig,
    check_prompts,
)
from newsbrief.backends.hf_model import CACHE_ARG, HFModel, model_eos_ids
from newsbrief.backends.memory import release_free_memory
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


class HFGeneration(HFModel):
    """``generate`` (see :class:`~newsbrief.backends.hf.HFBackend`)."""

    def generate(
        self, prompts: Sequence[str], config: GenerationConfig | None = None
    ) -> list[Generation]:
        """Generate one answer per prompt, batched, greedy unless ``temperature > 0``."""
        config = config or GenerationConfig()
        prompts = check_prompts(prompts)
        if not prompts:
            return []
        encoded = [self._encode_prompt(p) for p in prompts]
        input_ids, attention = self._pad(encoded, left=self.family == "causal")
        # Where answers start: decoder rows with the start token; causal rows with the prompt.
        start = 1 if self.family == "seq2seq" else input_ids.shape[1]
        processors = self._processors(config, start)
        stops = [StopOnStrings(self.tokenizer, config.stop, start=start)] if config.stop else []
        kwargs = _generate_kwargs(input_ids, attention, config, self.tokenizer.pad_token_id)
        kwargs["logits_processor"] = processors
        if stops:
            kwargs["stopping_criteria"] = stops
        output = self._decode(encoded, kwargs, config, processors, stops)
        new_tokens = output if self.family == "seq2seq" else output[:, input_ids.shape[1] :]
        return [
            self._finish(row.tolist(), config, int(mask.sum()))
            for row, mask in zip(new_tokens, attention, strict=True)
        ]

    def _processors(self, config: GenerationConfig, start: int) -> list[Any]:
        """The logits processors: first, on the raw logits, NaN/inf (damaged weights) is an
        error, not an answer; then the restrictions of ``config`` (answers from ``start``)."""
        processors: list[Any] = [FiniteLogits()]
        if config.restrict_to is not None:
            processors.append(self._restriction(config.restrict_to))
        if config.subsequence_of is not None:
            processors.append(self._subsequence(config.subsequence_of, start))
        return processors

    def _decode(
        self,
        encoded: list[list[int]],
        kwargs: dict[str, Any],
        config: GenerationConfig,
        processors: list[Any],
        stops: list[StopOnStrings],
    ) -> torch.Tensor:
        """The output rows, as ``generate`` returns them. One greedy causal prompt runs
        newsbrief's own loop (reused prompt openings, drafts from the prompt; the plain
        greedy answer, tested); anything else ``generate`` with ``kwargs``.

        Raises:
            GenerationError: non-finite logits or a failed forward pass (the prefix cache
                is cleared).
        """
        import torch  # at first use: importing newsbrief does not load torch

        from newsbrief.backends import decoding
        from newsbrief.backends.output_layer import output_rows

        rows = possible_tokens(processors) if self.restricted_head else None
        greedy_single = (
            self.prompt_lookup > 0
            and config.temperature <= 0
            and len(encoded) == 1
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
                release_free_memory()
                if own_loop:
                    return self._greedy(encoded[0], config, processors, stops)
                if greedy_single:
                    # transformers' own prompt lookup (no reused openings)
                    kwargs["prompt_lookup_num_tokens"] = self.prompt_lookup
                output: torch.Tensor = self.model.generate(**kwargs)
                return output
        except NonFiniteLogits as exc:
            if self.prefix_cache is not None:
                self.prefix_cache.clear()
            raise GenerationError(self._non_finite("generate"), model_id=self.model_id) from exc
        except (RuntimeError, ValueError) as exc:
            if self.prefix_cache is not None:
                self.prefix_cache.clear()
            raise GenerationError(f"{self.model_id}: generate failed: {exc}") from exc

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
            cache_arg=CACHE_ARG[self._cache_arg()],
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


def _cut_at_stop(text: str, stops: Sequence[str]) -> str | None:
    positions = [text.find(s) for s in stops if s and s in text]
    return text[: min(positions)] if positions else None


def _eos_ids(model: Any, tokenizer: Any) -> set[int]:
    ids = model_eos_ids(model)
    if tokenizer.eos_token_id is not None:
        ids.add(int(tokenizer.eos_token_id))
    return ids


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


def _generate_kwargs(
    input_ids: torch.Tensor, attention: torch.Tensor, config: GenerationConfig, pad_id: int | None
) -> dict[str, Any]:
    """``transformers``' ``generate`` arguments for ``config``: sampling when
    ``temperature > 0``, else greedy with the sampling settings of the model's own
    generation config set to ``None``."""
    kwargs: dict[str, Any] = {
        "input_ids": input_ids,
        "attention_mask": attention,
        "max_new_tokens": config.max_new_tokens,
        "pad_token_id": pad_id,
        "repetition_penalty": config.repetition_penalty,
    }
    if config.temperature > 0:
        kwargs.update(do_sample=True, temperature=config.temperature, top_p=config.top_p)
    else:
        kwargs.update(do_sample=False, temperature=None, top_p=None, top_k=None)
    return kwargs
