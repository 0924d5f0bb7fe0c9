"""Gemma 3's text decoder for the embedded model, without ``transformers``' modelling code.

Written by hand for a measured reason: importing ``transformers``' Gemma 3 model (its
``modeling_utils``, generation mixin and ``masking_utils``, which import ``torch._dynamo``
and ``torch.distributed``) took 2.0-2.6 s of the 4.3-5.6 s from process start to a ready
``Briefer()`` on the 2-core machine this project is measured on. This module needs torch
and, from ``transformers``, only its KV cache classes and logits processors, which the
tokenizer's import has loaded already.

It is the computation ``transformers`` runs for ``Gemma3ForCausalLM`` with its default
``sdpa`` attention: the same modules and parameter names (the cached layers' file loads
into it unchanged), the same masks (causal, 512-token sliding window, padding; none when
``is_causal`` does it), the same ``DynamicCache`` with its sliding-window layers (so
:mod:`newsbrief.backends.decoding` crops and reuses it as before), the same hidden states
(the input of the first layer, each layer's output, the last one after the final norm).
Checked against ``transformers``' model on prompts, padded batches, reused caches and
sampled generation: ``tests/backends/test_gemma3.py``.

Only the Gemma 3 text configurations this code computes exactly are taken
(:func:`computes_exactly`); any other model loads through ``transformers`` as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

#: The config.json ``model_type`` this module computes.
MODEL_TYPE = "gemma3_text"
#: Layer kinds it knows.
_LAYER_TYPES = ("sliding_attention", "full_attention")


def computes_exactly(config: dict[str, Any]) -> bool:
    """Whether ``config`` (a config.json) is a Gemma 3 text model this module computes
    exactly as ``transformers`` does: default rotary embeddings, no soft-capping, causal
    attention without biases, the tanh GELU."""
    rope = config.get("rope_parameters")
    return (
        config.get("model_type") == MODEL_TYPE
        and config.get("attn_logit_softcapping") is None
        and config.get("final_logit_softcapping") is None
        and not config.get("attention_bias", False)
        and not config.get("use_bidirectional_attention", False)
        and config.get("hidden_activation") == "gelu_pytorch_tanh"
        and isinstance(rope, dict)
        and all(
            isinstance(rope.get(kind), dict) and rope[kind].get("rope_type") == "default"
            for kind in set(config.get("layer_types") or ())
        )
        and set(config.get("layer_types") or ()) <= set(_LAYER_TYPES)
        and len(config.get("layer_types") or ()) == config.get("num_hidden_layers")
    )


class TextConfig:
    """The fields of a Gemma 3 text config.json, as attributes (what the backend and the
    stance heads read: ``eos_token_id``, ``layer_types``, ``sliding_window``, ...); every
    field of the file is kept, the ones computed with are typed."""

    is_encoder_decoder = False
    use_cache = True
    hidden_size: int
    intermediate_size: int
    num_hidden_layers: int
    num_attention_heads: int
    num_key_value_heads: int
    head_dim: int
    rms_norm_eps: float
    query_pre_attn_scalar: float
    sliding_window: int
    layer_types: list[str]
    rope_parameters: dict[str, dict[str, Any]]

    def __init__(self, values: dict[str, Any]) -> None:
        if not computes_exactly(values):
            raise ValueError("not a Gemma 3 text configuration this module computes")
        for name, value in values.items():
            setattr(self, name, value)


@dataclass
class Output:
    """What a forward pass returns (the fields of ``transformers``' outputs it needs):
    the final hidden states (after the norm), the logits of :class:`CausalLM` (``None``
    from :class:`TextModel`), the cache, and every hidden state when asked."""

    last_hidden_state: torch.Tensor
    logits: Any = None
    cache: Any = None
    hidden_states: tuple[torch.Tensor, ...] | None = None


def new_cache(config: TextConfig) -> Any:
    """An empty ``transformers`` ``DynamicCache`` with a layer per decoder layer: a
    sliding-window layer (keeps the last ``sliding_window - 1`` tokens) or a full one."""
    from transformers.cache_utils import (
        Cache,
        DynamicCache,
        DynamicLayer,
        DynamicSlidingWindowLayer,
    )

    cache = DynamicCache.__new__(DynamicCache)
    layers: list[Any] = [
        DynamicSlidingWindowLayer(sliding_window=config.sliding_window)
        if kind == "sliding_attention"
        else DynamicLayer()  # type: ignore[no-untyped-call]
        for kind in config.layer_types
    ]
    Cache.__init__(cache, layers=layers)
    return cache


class RMSNorm(nn.Module):
    """Gemma's RMS norm: ``x / rms(x) * (1 + w)``, computed in float32."""

    def __init__(self, size: int, eps: float) -> None:
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.zeros(size))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        hidden = x.float()
        hidden = hidden * torch.rsqrt(hidden.pow(2).mean(-1, keepdim=True) + self.eps)
        return (hidden * (1.0 + self.weight.float())).type_as(x)


class MLP(nn.Module):
    def __init__(self, config: TextConfig) -> None:
        super().__init__()
        width, inner = config.hidden_size, config.intermediate_size
        self.gate_proj = nn.Linear(width, inner, bias=False)
        self.up_proj = nn.Linear(width, inner, bias=False)
        self.down_proj = nn.Linear(inner, width, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        gate = nn.functional.gelu(self.gate_proj(x), approximate="tanh")
        return self.down_proj(gate * self.up_proj(x))  # type: ignore[no-any-return]


class RotaryEmbedding(nn.Module):
    """Rotary position embeddings, one base per layer kind (10k sliding, 1M full)."""

    def __init__(self, config: TextConfig) -> None:
        super().__init__()
        dim = config.head_dim
        for kind in sorted(set(config.layer_types)):
            base = config.rope_parameters[kind]["rope_theta"]
            # computed on the CPU even where the model is built on ``meta`` (arange on
            # ``meta`` imports torch._dynamo: 0.8 s of start-up)
            steps = torch.arange(0, dim, 2, dtype=torch.float, device="cpu")
            inv_freq = 1.0 / (base ** (steps / dim))
            self.register_buffer(f"{kind}_inv_freq", inv_freq, persistent=False)

    def forward(
        self, x: torch.Tensor, position_ids: torch.Tensor, layer_type: str
    ) -> tuple[torch.Tensor, torch.Tensor]:
        inv_freq = getattr(self, f"{layer_type}_inv_freq")
        freqs = position_ids[..., None].float() * inv_freq.to(device=x.device, dtype=torch.float)
        emb = torch.cat((freqs, freqs), dim=-1)
        return emb.cos().to(dtype=x.dtype), emb.sin().to(dtype=x.dtype)


def _rotate_half(x: torch.Tensor) -> torch.Tensor:
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Attention(nn.Module):
    def __init__(self, config: TextConfig, index: int) -> None:
        super().__init__()
        self.index = index
        self.head_dim = config.head_dim
        self.groups = config.num_attention_heads // config.num_key_value_heads
        self.scaling = config.query_pre_attn_scalar**-0.5
        width, heads, kv_heads = (
            config.hidden_size,
            config.num_attention_heads,
            config.num_key_value_heads,
        )
        self.q_proj = nn.Linear(width, heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(width, kv_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(width, kv_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(heads * self.head_dim, width, bias=False)
        self.q_norm = RMSNorm(self.head_dim, config.rms_norm_eps)
        self.k_norm = RMSNorm(self.head_dim, config.rms_norm_eps)

    def forward(
        self,
        hidden_states: torch.Tensor,
        position_embeddings: tuple[torch.Tensor, torch.Tensor],
        attention_mask: torch.Tensor | None,
        cache: Any = None,
    ) -> torch.Tensor:
        shape = (*hidden_states.shape[:-1], -1, self.head_dim)
        query = self.q_norm(self.q_proj(hidden_states).view(shape).transpose(1, 2))
        key = self.k_norm(self.k_proj(hidden_states).view(shape).transpose(1, 2))
        value = self.v_proj(hidden_states).view(shape).transpose(1, 2)
        cos, sin = (p.unsqueeze(1) for p in position_embeddings)
        query = query * cos + _rotate_half(query) * sin
        key = key * cos + _rotate_half(key) * sin
        if cache is not None:
            key, value = cache.update(key, value, self.index)
        out = _sdpa(query, key, value, attention_mask, self.scaling, self.groups)
        return self.o_proj(out.reshape(*hidden_states.shape[:-1], -1))  # type: ignore[no-any-return]


def _sdpa(
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    mask: torch.Tensor | None,
    scaling: float,
    groups: int,
) -> torch.Tensor:
    """``transformers``' sdpa attention: grouped keys shared natively without a mask, the
    query heads packed onto the key heads for one query token, keys repeated otherwise;
    ``is_causal`` when no mask is given. Returns (batch, tokens, heads, dim)."""
    q_length = query.shape[2]
    extra: dict[str, Any] = {}
    if groups > 1:
        if mask is None and key.shape[-1] <= 256:
            extra["enable_gqa"] = True
        elif q_length == 1:
            batch, heads, _, dim = query.shape
            query = query.reshape(batch, heads // groups, groups, dim)
        else:
            key, value = _repeat_heads(key, groups), _repeat_heads(value, groups)
    is_causal = q_length > 1 and mask is None
    if is_causal and key.shape[2] > q_length:
        key, value = key[:, :, :q_length], value[:, :, :q_length]
    out = nn.functional.scaled_dot_product_attention(
        query, key, value, attn_mask=mask, scale=scaling, is_causal=is_causal, **extra
    )
    out = out.reshape(out.shape[0], -1, q_length, value.shape[-1])
    return out.transpose(1, 2).contiguous()


def _repeat_heads(states: torch.Tensor, groups: int) -> torch.Tensor:
    """Each key/value head ``groups`` times in a row, as an expanded view reshaped (one
    copy; ``repeat_interleave`` made the same tensor measurably slower in sdpa after it)."""
    batch, heads, length, dim = states.shape
    expanded = states[:, :, None].expand(batch, heads, groups, length, dim)
    return expanded.reshape(batch, heads * groups, length, dim)


class DecoderLayer(nn.Module):
    def __init__(self, config: TextConfig, index: int) -> None:
        super().__init__()
        width, eps = config.hidden_size, config.rms_norm_eps
        self.self_attn = Attention(config, index)
        self.mlp = MLP(config)
        self.input_layernorm = RMSNorm(width, eps)
        self.post_attention_layernorm = RMSNorm(width, eps)
        self.pre_feedforward_layernorm = RMSNorm(width, eps)
        self.post_feedforward_layernorm = RMSNorm(width, eps)

    def forward(
        self,
        hidden_states: torch.Tensor,
        position_embeddings: tuple[torch.Tensor, torch.Tensor],
        attention_mask: torch.Tensor | None = None,
        cache: Any = None,
        **_: Any,
    ) -> torch.Tensor:
        attended = self.self_attn(
            self.input_layernorm(hidden_states), position_embeddings, attention_mask, cache
        )
        hidden_states = hidden_states + self.post_attention_layernorm(attended)
        fed = self.mlp(self.pre_feedforward_layernorm(hidden_states))
        return hidden_states + self.post_feedforward_layernorm(fed)  # type: ignore[no-any-return]


def _layer_mask(
    padding: torch.Tensor | None,
    q_length: int,
    q_offset: int,
    kv_length: int,
    kv_offset: int,
    window: int | None,
    device: torch.device,
) -> torch.Tensor | None:
    """The boolean mask (batch, 1, queries, keys; True: attend) of one layer kind, or
    ``None`` where ``transformers`` lets sdpa's ``is_causal`` do it. Queries are at cache
    positions ``q_offset + i``, keys at ``kv_offset + j``; ``padding`` is the 2-D mask over
    every position seen."""
    if padding is not None and padding.shape[-1] > kv_length:
        padding = padding[:, kv_offset : kv_offset + kv_length]
    if not (window is not None and kv_length >= window):
        all_real = padding is None or bool(padding.all())
        if (q_length == 1 or kv_length == q_length) and all_real:
            return None
        if q_offset == 0 and (
            padding is None
            or (bool(padding[:, :q_length].all()) and not bool(padding[:, q_length:].any()))
        ):
            return None
    queries = torch.arange(q_length, device=device)[:, None] + q_offset
    keys = torch.arange(kv_length, device=device)[None, :] + kv_offset
    allowed = keys <= queries
    if window is not None:
        allowed = allowed & (keys > queries - window)
    allowed = allowed[None, None]
    if padding is not None:
        allowed = allowed & padding[:, None, None, :].bool()
    batch = 1 if padding is None else padding.shape[0]
    return allowed.expand(batch, 1, q_length, kv_length)


class TextModel(nn.Module):
    """The decoder stack (``model.model``): embeddings, layers, rotary embeddings, norm."""

    def __init__(self, config: TextConfig) -> None:
        super().__init__()
        self.config = config
        self.embed_tokens: nn.Module = nn.Identity()  # set by the loader (8-bit rows)
        count = config.num_hidden_layers
        self.layers = nn.ModuleList(DecoderLayer(config, i) for i in range(count))
        self.norm = RMSNorm(config.hidden_size, config.rms_norm_eps)
        self.rotary_emb = RotaryEmbedding(config)

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor | None = None,
        position_ids: torch.Tensor | None = None,
        cache: Any = None,
        use_cache: bool | None = None,
        output_hidden_states: bool = False,
    ) -> Output:
        hidden = self.embed_tokens(input_ids)
        if use_cache is None:
            use_cache = self.config.use_cache
        if use_cache and cache is None:
            cache = new_cache(self.config)
        if not use_cache:
            cache = None
        q_length = hidden.shape[1]
        seen = int(cache.get_seq_length()) if cache is not None else 0
        if position_ids is None:
            position_ids = (torch.arange(q_length, device=hidden.device) + seen)[None]
        kinds = list(self.config.layer_types)
        masks: dict[str, torch.Tensor | None] = {}
        rotary: dict[str, tuple[torch.Tensor, torch.Tensor]] = {}
        padding = None if attention_mask is None else attention_mask.bool()
        for kind in set(kinds):
            first = kinds.index(kind)
            if cache is not None and first < len(cache.layers):
                kv_length, kv_offset = cache.layers[first].get_mask_sizes(q_length)
            elif attention_mask is not None:
                kv_length, kv_offset = attention_mask.shape[-1], 0
            else:
                kv_length, kv_offset = q_length, 0
            window = self.config.sliding_window if kind == "sliding_attention" else None
            masks[kind] = _layer_mask(
                padding, q_length, seen, kv_length, kv_offset, window, hidden.device
            )
            rotary[kind] = self.rotary_emb(hidden, position_ids, kind)
        states = [hidden] if output_hidden_states else []
        for layer, kind in zip(self.layers, kinds, strict=True):
            hidden = layer(hidden, rotary[kind], attention_mask=masks[kind], cache=cache)
            if output_hidden_states:
                states.append(hidden)
        hidden = self.norm(hidden)
        if output_hidden_states:
            states[-1] = hidden
        return Output(
            last_hidden_state=hidden,
            cache=cache,
            hidden_states=tuple(states) if output_hidden_states else None,
        )


class CausalLM(nn.Module):
    """Gemma 3's causal LM: :class:`TextModel` and the output layer (``lm_head``), with
    the parts of ``transformers``' model interface newsbrief uses (``forward``,
    ``generate``, the embeddings' getters and setters, ``config``, ``generation_config``,
    ``device``, ``dtype``, ``base_model``)."""

    def __init__(self, config: TextConfig, generation_config: Any = None) -> None:
        super().__init__()
        self.config = config
        self.generation_config = generation_config
        self.model = TextModel(config)
        self.lm_head: nn.Module = nn.Identity()  # set by the loader (the tied 8-bit rows)

    @property
    def base_model(self) -> TextModel:
        return self.model

    @property
    def device(self) -> torch.device:
        return next(self.parameters()).device

    @property
    def dtype(self) -> torch.dtype:
        return next(p for p in self.parameters() if p.is_floating_point()).dtype

    def get_input_embeddings(self) -> nn.Module:
        return self.model.embed_tokens

    def set_input_embeddings(self, module: nn.Module) -> None:
        self.model.embed_tokens = module

    def get_output_embeddings(self) -> nn.Module:
        return self.lm_head

    def set_output_embeddings(self, module: nn.Module) -> None:
        self.lm_head = module

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor | None = None,
        position_ids: torch.Tensor | None = None,
        cache: Any = None,
        use_cache: bool | None = None,
        logits_to_keep: int = 0,
        output_hidden_states: bool = False,
    ) -> Output:
        out: Output = self.model(
            input_ids,
            attention_mask=attention_mask,
            position_ids=position_ids,
            cache=cache,
            use_cache=use_cache,
            output_hidden_states=output_hidden_states,
        )
        hidden = out.last_hidden_state
        if logits_to_keep:
            hidden = hidden[:, -logits_to_keep:]
        out.logits = self.lm_head(hidden)
        return out

    def generate(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor | None = None,
        *,
        max_new_tokens: int,
        pad_token_id: int | None = None,
        repetition_penalty: float | None = None,
        do_sample: bool = False,
        temperature: float | None = None,
        top_p: float | None = None,
        top_k: int | None = None,
        logits_processor: Sequence[Any] = (),
        stopping_criteria: Sequence[Any] = (),
        **_: Any,
    ) -> torch.Tensor:
        """The prompt rows followed by their answers, as ``transformers``' ``generate``
        makes them for these arguments: left-padded rows, the repetition penalty, then
        the caller's processors, then (sampling) temperature, top-k (the generation
        config's, 50 by default) and top-p; a finished row gets ``pad_token_id``."""
        from transformers import (
            RepetitionPenaltyLogitsProcessor,
            TemperatureLogitsWarper,
            TopKLogitsWarper,
            TopPLogitsWarper,
        )

        processors: list[Any] = []
        if repetition_penalty is not None and repetition_penalty != 1.0:
            processors.append(RepetitionPenaltyLogitsProcessor(repetition_penalty))
        processors += list(logits_processor)
        if do_sample:
            if top_k is None:
                top_k = getattr(self.generation_config, "top_k", None)
                top_k = 50 if top_k is None else top_k
            if temperature is not None and temperature != 1.0:
                processors.append(TemperatureLogitsWarper(temperature))
            if top_k:
                processors.append(TopKLogitsWarper(top_k=top_k, min_tokens_to_keep=1))
            if top_p is not None and top_p < 1.0:
                processors.append(TopPLogitsWarper(top_p=top_p, min_tokens_to_keep=1))
        from newsbrief.backends.hf_model import model_eos_ids

        eos = model_eos_ids(self)
        pad = pad_token_id if pad_token_id is not None else (min(eos) if eos else 0)
        sequences = input_ids
        mask = torch.ones_like(input_ids) if attention_mask is None else attention_mask
        positions = (mask.long().cumsum(-1) - 1).masked_fill(mask == 0, 1)
        unfinished = torch.ones(input_ids.shape[0], dtype=torch.long, device=input_ids.device)
        out = self(input_ids, attention_mask=mask, position_ids=positions, logits_to_keep=1)
        cache = out.cache
        eos_tensor = torch.tensor(sorted(eos), device=input_ids.device)
        for _step in range(max_new_tokens):
            scores = out.logits[:, -1, :].to(dtype=torch.float32, copy=True)
            for processor in processors:
                scores = processor(sequences, scores)
            if do_sample:
                chosen = torch.multinomial(nn.functional.softmax(scores, dim=-1), 1).squeeze(1)
            else:
                chosen = scores.argmax(dim=-1)
            chosen = chosen * unfinished + pad * (1 - unfinished)
            sequences = torch.cat([sequences, chosen[:, None]], dim=-1)
            done = torch.isin(chosen, eos_tensor) if len(eos) else torch.zeros_like(chosen).bool()
            for criterion in stopping_criteria:
                done = done | criterion(sequences, scores)
            unfinished = unfinished * (~done).long()
            if not bool(unfinished.any()) or _step == max_new_tokens - 1:
                break
            mask = torch.cat([mask, mask.new_ones((mask.shape[0], 1))], dim=-1)
            positions = positions[:, -1:] + 1
            out = self(
                chosen[:, None],
                attention_mask=mask,
                position_ids=positions,
                cache=cache,
                logits_to_keep=1,
            )
            cache = out.cache
        return sequences


def build(values: dict[str, Any], generation_config: Any = None) -> CausalLM:
    """The model of config.json ``values`` with no memory behind its weights (on the
    ``meta`` device: the loader assigns them) but its rotary frequencies (computed); the
    embedding and output layer are the loader's to set."""
    config = TextConfig(values)
    with torch.device("meta"):
        return CausalLM(config, generation_config)
