"""The adapted stance head: low-rank adapters on the model's upper layers and a label
layer read at the last token of one prompt that names the speaker, the evidence and the
target together.

Probes on frozen hidden states cannot see a target flip ("lifting X" / "keeping X" gave
the same label): the combination of the evidence's polarity with the target's is not in
the frozen states. Here the upper layers (``split`` to the last) are trained with
low-rank adapters (``W + scale * B @ A`` on the attention and MLP projections), so the
last token can read the target against the evidence. The lower layers stay frozen: the
trainer runs them once per example and caches their output (``lower_states``), and the
same two functions run at inference, so training and use see the same computation.

The file (``newsbrief-stance-head/2``) holds the adapters, the label layer, the class
biases chosen on dev and a fingerprint: the frozen state at ``split`` of a fixed probe
text, checked against the running model at load.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from newsbrief.errors import ModelLoadError
from newsbrief.steps.heads.base import (
    FINGERPRINT_MIN_COSINE,
    FINGERPRINT_TEXT,
    LABELS,
    HeadFile,
    HeadPrediction,
    author_bias,
    author_threshold,
)

FORMAT = "newsbrief-stance-head/2"
#: The projections that carry adapters (names inside one decoder layer).
PROJECTIONS = (
    "self_attn.q_proj",
    "self_attn.k_proj",
    "self_attn.v_proj",
    "self_attn.o_proj",
    "mlp.gate_proj",
    "mlp.up_proj",
    "mlp.down_proj",
)
#: Tokens of one head prompt at most (the cost of the stance step is bounded by it).
MAX_TOKENS = 192
#: Characters of evidence in one prompt at most (items beyond it are left out).
MAX_EVIDENCE_CHARS = 600


def decoder(model: Any) -> Any:
    """The decoder stack of a causal LM (``model.model`` for Gemma 3), checked to have the
    parts the head runs: token embeddings, layers, rotary embeddings and final norm."""
    inner = getattr(model, "model", model)
    for part in ("embed_tokens", "layers", "rotary_emb", "norm", "config"):
        if not hasattr(inner, part):
            raise TypeError(f"the model has no {part}: the adapted stance head cannot run on it")
    return inner


def causal_mask(length: int, dtype: Any, window: int | None = None) -> Any:
    """An additive causal mask (batch and head axes of size 1); with ``window``, a token
    sees only the ``window`` latest tokens (itself included), as a sliding layer does."""
    import torch

    rows = torch.arange(length)[:, None]
    cols = torch.arange(length)[None, :]
    hidden = cols > rows
    if window is not None:
        hidden |= rows - cols >= window
    mask = torch.zeros(length, length, dtype=dtype).masked_fill(hidden, torch.finfo(dtype).min)
    return mask[None, None]


def run_layers(
    inner: Any,
    hidden: Any,
    start: int,
    stop: int,
    adapters: dict[str, Any] | None = None,
    scale: float = 1.0,
) -> Any:
    """``hidden`` (batch, tokens, width; right-padded) through layers ``start`` to
    ``stop - 1``, each with its adapters added to its weights (merged one layer at a time,
    so at most one layer's adapted weights exist at once). Each layer gets the causal mask
    of its kind (full, or sliding over ``config.sliding_window`` tokens); right padding
    never reaches a real token under a causal mask."""
    import torch
    from torch.func import functional_call

    length = hidden.shape[1]
    positions = torch.arange(length, device=hidden.device)[None]
    types = list(inner.config.layer_types)
    window = getattr(inner.config, "sliding_window", None)
    masks = {
        t: causal_mask(length, hidden.dtype, window if t == "sliding_attention" else None).to(
            hidden.device
        )
        for t in set(types[start:stop])
    }
    rotary = {t: inner.rotary_emb(hidden, positions, t) for t in set(types[start:stop])}
    for i in range(start, stop):
        layer = inner.layers[i]
        kwargs = {
            "attention_mask": masks[types[i]],
            "position_embeddings": rotary[types[i]],
            "position_ids": positions,
        }
        merged = layer_weights(layer, i, adapters, scale) if adapters else {}
        if merged:
            hidden = functional_call(layer, merged, (hidden,), kwargs, strict=False)
        else:
            hidden = layer(hidden, **kwargs)
        if isinstance(hidden, tuple):
            hidden = hidden[0]
    return hidden


def layer_weights(
    layer: Any, index: int, adapters: dict[str, Any] | None, scale: float
) -> dict[str, Any]:
    """Layer ``index``'s projection weights with their adapters added:
    ``W + scale * B @ A`` (``adapters["<index>.<projection>.A"]`` / ``".B"``)."""
    if not adapters:
        return {}
    # a weight kept in lower precision is a buffer (compact.LowPrecisionLinear)
    params = {**dict(layer.named_buffers()), **dict(layer.named_parameters())}
    merged = {}
    for name in PROJECTIONS:
        a = adapters.get(f"{index}.{name}.A")
        b = adapters.get(f"{index}.{name}.B")
        if a is None or b is None:
            continue
        base = params[f"{name}.weight"]
        merged[f"{name}.weight"] = base + scale * (b @ a).to(base.dtype)
    return merged


def pad(rows: Sequence[Sequence[int]], value: int = 0) -> tuple[Any, Any]:
    """Right-padded token ids and the index of each row's last real token."""
    import torch

    width = max(len(r) for r in rows)
    ids = torch.full((len(rows), width), value, dtype=torch.long)
    for k, row in enumerate(rows):
        ids[k, : len(row)] = torch.tensor(list(row), dtype=torch.long)
    last = torch.tensor([len(r) - 1 for r in rows], dtype=torch.long)
    return ids, last


def lower_states(inner: Any, rows: Sequence[Sequence[int]], split: int) -> list[Any]:
    """The frozen state after layer ``split - 1`` for each row of token ids (one tensor of
    shape (tokens, width) per row, padding removed)."""
    import torch

    ids, last = pad(rows)
    with torch.inference_mode():
        hidden = inner.embed_tokens(ids)
        hidden = run_layers(inner, hidden, 0, split)
    return [hidden[k, : int(last[k]) + 1].clone() for k in range(len(rows))]


def stack_states(states: Sequence[Any]) -> tuple[Any, Any]:
    """Cached states (tokens, width) right-padded with zeros into one batch, and the
    index of each row's last real token."""
    import torch

    width = max(int(s.shape[0]) for s in states)
    batch = torch.zeros(len(states), width, states[0].shape[1], dtype=states[0].dtype)
    for k, s in enumerate(states):
        batch[k, : s.shape[0]] = s
    last = torch.tensor([int(s.shape[0]) - 1 for s in states], dtype=torch.long)
    return batch, last


def upper_logits(
    inner: Any,
    states: Any,
    last: Any,
    split: int,
    adapters: dict[str, Any],
    scale: float,
    label_weight: Any,
    label_bias: Any,
) -> Any:
    """Label logits from cached states at ``split``: the adapted upper layers, the final
    norm, the last real token, the label layer."""
    top = upper_top(inner, states, last, split, adapters, scale)
    return top.float() @ label_weight.T + label_bias


def upper_top(
    inner: Any, states: Any, last: Any, split: int, adapters: dict[str, Any] | None, scale: float
) -> Any:
    """The final-norm state of each row's last real token, from cached states at ``split``
    through the (adapted) upper layers: what the label layer reads."""
    import torch

    hidden = run_layers(inner, states, split, len(inner.layers), adapters, scale)
    rows = torch.arange(hidden.shape[0])
    return inner.norm(hidden[rows, last])


def init_adapters(inner: Any, split: int, rank: int, seed: int) -> dict[str, Any]:
    """Fresh adapters (A small random, B zero: the adapted model starts as the base)."""
    import torch

    generator = torch.Generator().manual_seed(seed)
    out = {}
    for i in range(split, len(inner.layers)):
        params = dict(inner.layers[i].named_parameters())
        for name in PROJECTIONS:
            weight = params[f"{name}.weight"]
            fan_out, fan_in = weight.shape
            a = torch.randn(rank, fan_in, generator=generator) / math.sqrt(fan_in)
            out[f"{i}.{name}.A"] = a
            out[f"{i}.{name}.B"] = torch.zeros(fan_out, rank)
    return out


def check_adapters(path: str, inner: Any, adapters: dict[str, Any], split: int, rank: int) -> None:
    """Every adapter of layer ``split`` up is there, finite and of the width of the
    projection it adapts.

    Raises:
        ModelLoadError: a missing adapter, another width, or a non-finite value.
    """
    import torch

    layers = len(inner.layers)
    if not 0 < split < layers:
        raise ModelLoadError(
            f"stance head {path}: split layer {split} is outside the model's {layers} layers"
        )
    for i in range(split, layers):
        params = dict(inner.layers[i].named_parameters())
        for name in PROJECTIONS:
            key = f"{i}.{name}"
            a, b = adapters.get(f"{key}.A"), adapters.get(f"{key}.B")
            if a is None or b is None:
                raise ModelLoadError(f"stance head {path}: adapter {key} is missing")
            fan_out, fan_in = params[f"{name}.weight"].shape
            if tuple(a.shape) != (rank, fan_in) or tuple(b.shape) != (fan_out, rank):
                raise ModelLoadError(
                    f"stance head {path}: adapter {key} has shapes {tuple(a.shape)} and "
                    f"{tuple(b.shape)}, the model needs ({rank}, {fan_in}) and "
                    f"({fan_out}, {rank})"
                )
            if not (torch.isfinite(a).all() and torch.isfinite(b).all()):
                raise ModelLoadError(f"stance head {path}: adapter {key} is not finite")


def prompt(speaker: str | None, target: str, evidence: Sequence[str]) -> str:
    """The one text the head reads: the evidence (the speaker's statements, or for the
    author the text's own sentences), then a question naming the speaker and the target,
    left open where the answer would start (the last token is read)."""
    who = speaker or "the author"
    items: list[str] = []
    used = 0
    for item in evidence:
        item = " ".join(item.split())
        if not item:
            continue
        if items and used + len(item) > MAX_EVIDENCE_CHARS:
            break
        item = item[: MAX_EVIDENCE_CHARS - used] if used + len(item) > MAX_EVIDENCE_CHARS else item
        items.append(item)
        used += len(item)
    header = f"Statements by {speaker}:" if speaker else "Text by the author:"
    lines = "\n".join(f'- "{e}"' for e in items)
    target = " ".join(target.split())[:300]
    return (
        f"{header}\n{lines}\n"
        f"Question: is {who} for or against {target}? Or cautious, or neutral?\n"
        f"Answer: {who} is"
    )


def encode(tokenizer: Any, text: str) -> list[int]:
    """Token ids of a head prompt (with the start token), at most :data:`MAX_TOKENS`: a
    longer prompt keeps its start token and its end (the question)."""
    ids: list[int] = list(tokenizer(text, add_special_tokens=True)["input_ids"])
    if len(ids) > MAX_TOKENS:
        ids = ids[:1] + ids[-(MAX_TOKENS - 1) :]
    return ids


#: Tensors a head file of this format must hold (besides its adapters).
REQUIRED = ("label.weight", "label.bias", "fingerprint")


class AdaptedStanceHead(HeadFile):
    """A loaded adapted stance head (see the module docstring); built by
    :meth:`newsbrief.steps.heads.stance.StanceHead.load`, which reads the file.

    Everything that can be checked without the model is checked here (card values, label
    layer, finite values); the rest (adapter widths, split layer, fingerprint) by
    :meth:`check_backend`.
    """

    def __init__(
        self, tensors: dict[str, Any], card: dict[str, Any], path: str, sha256: str = ""
    ) -> None:
        import torch

        super().__init__(card, path, sha256)
        self.split = _card_int(path, card, "split")
        self.rank = _card_int(path, card, "rank")
        self.scale = _card_float(path, card, "scale", positive=True)
        self.temperature = _card_float(path, card, "temperature", positive=True)
        self.threshold = _card_float(path, card, "threshold")
        self.author_threshold = author_threshold(card, self.threshold)
        self.author_bias = author_bias(card)
        if list(card.get("labels", [])) != list(LABELS):
            raise ModelLoadError(f"stance head {path}: labels must be {list(LABELS)}")
        missing = [k for k in REQUIRED if k not in tensors]
        if missing:
            raise ModelLoadError(f"stance head {path}: tensors missing: {missing}")
        for name, tensor in tensors.items():
            if not bool(torch.isfinite(tensor).all()):
                raise ModelLoadError(f"stance head {path}: tensor {name} is not finite")
        self.label_weight = tensors["label.weight"]
        self.label_bias = tensors["label.bias"]
        self.fingerprint = tensors["fingerprint"]
        width = self.fingerprint.shape[0] if self.fingerprint.ndim == 1 else -1
        if (
            width < 1
            or tuple(self.label_weight.shape) != (len(LABELS), width)
            or tuple(self.label_bias.shape) != (len(LABELS),)
        ):
            raise ModelLoadError(
                f"stance head {path}: label layer {tuple(self.label_weight.shape)} and "
                f"fingerprint {tuple(self.fingerprint.shape)} do not fit together"
            )
        self.adapters = {
            k.removeprefix("adapter."): v for k, v in tensors.items() if k.startswith("adapter.")
        }
        if not self.adapters:
            raise ModelLoadError(f"stance head {path}: no adapters in the file")

    def check_backend(self, backend: object) -> str | None:
        """Why this head cannot run on ``backend`` (``None``: it can): no model to adapt,
        another model id, adapters that do not fit the model's layers, or frozen states
        that differ from the fingerprint."""
        import torch

        model = getattr(backend, "model", None)
        tokenizer = getattr(backend, "tokenizer", None)
        if model is None or tokenizer is None:
            return "the backend gives no model to adapt (a local transformers model is needed)"
        if getattr(backend, "model_id", None) != self.model_id:
            return f"the head belongs to {self.model_id}, not {getattr(backend, 'model_id', None)}"
        try:
            inner = decoder(model)
        except TypeError as exc:
            return str(exc)
        try:
            check_adapters(self.path, inner, self.adapters, self.split, self.rank)
        except ModelLoadError as exc:
            return str(exc).removeprefix(f"stance head {self.path}: ")
        if self.fingerprint.shape[0] != inner.config.hidden_size:
            return "the model's hidden states have another size than the head's"
        (state,) = lower_states(inner, [encode(tokenizer, FINGERPRINT_TEXT)], self.split)
        vector = state[-1].float()
        cosine = float(torch.nn.functional.cosine_similarity(vector, self.fingerprint, dim=0))
        if not cosine >= FINGERPRINT_MIN_COSINE:
            return f"the model's hidden states differ from the head's (cosine {cosine:.4f})"
        return None

    def predict(
        self, backend: Any, items: Sequence[tuple[str | None, str, Sequence[str]]]
    ) -> list[Any]:
        """Probabilities over the default labels for each ``(speaker, target, evidence)``
        (one prompt each, read at its last token)."""
        import contextlib

        import torch

        if not items:
            return []
        inner = decoder(backend.model)
        rows = [encode(backend.tokenizer, prompt(s, t, e)) for s, t, e in items]
        order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
        probs: list[Any] = [None] * len(rows)
        lock = getattr(backend, "_lock", None) or contextlib.nullcontext()
        with lock, torch.inference_mode():
            for start in range(0, len(order), 8):
                batch = order[start : start + 8]
                states = lower_states(inner, [rows[i] for i in batch], self.split)
                x, last = stack_states(states)
                logits = upper_logits(
                    inner,
                    x,
                    last,
                    self.split,
                    self.adapters,
                    self.scale,
                    self.label_weight,
                    self.label_bias,
                )
                for i, row in zip(batch, torch.softmax(logits / self.temperature, -1), strict=True):
                    probs[i] = row
        return [
            HeadPrediction({label: float(p[k]) for k, label in enumerate(LABELS)}) for p in probs
        ]


def _card_int(path: str, card: dict[str, Any], name: str) -> int:
    value = card.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ModelLoadError(f"stance head {path}: card {name} must be a positive integer")
    return value


def _card_float(path: str, card: dict[str, Any], name: str, *, positive: bool = False) -> float:
    value = card.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ModelLoadError(f"stance head {path}: card {name} must be a number")
    value = float(value)
    if not math.isfinite(value) or (positive and value <= 0):
        raise ModelLoadError(
            f"stance head {path}: card {name} must be a finite"
            + (" positive" if positive else "")
            + f" number, got {value}"
        )
    return value
