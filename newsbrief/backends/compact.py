"""The embedded model in the memory it needs: its 262k x 640 embedding kept as the GGUF's
8-bit blocks, the transformer layers in float32 (their linear weights in bfloat16 where
``linear_dtype`` asks: :class:`LowPrecisionLinear`), every weight loaded straight into place.

Gemma 3 270M ties its output layer to its token embedding: 168M of its 268M parameters,
671 MB in float32. The GGUF stores that matrix as ``Q8_0``: blocks of 32 signed bytes, each
with one float16 scale, and the value of a weight is ``scale * byte``. That product is exact
in float32 (11 + 8 bits of mantissa), so keeping the bytes and scales (168 MB + 10 MB) and
multiplying the rows a computation needs gives the very float32 numbers the old float32
copy held: the same embeddings, the same hidden states, the same logits (tested bit for
bit against the GGUF's own de-quantisation: ``tests/backends/test_compact.py``,
``benchmarks/compare_weights.py``).

- :class:`Q8Embedding` looks up rows and de-quantises only those.
- :class:`Q8OutputLayer` stands in for the output layer: a full-vocabulary call
  de-quantises the matrix a slice at a time (:data:`SLICE_ROWS` rows, 5 MB, at once);
  the output-layer shortcuts (:mod:`newsbrief.backends.output_layer`) ask it for
  the rows or slices they use (:func:`output_rows_of`, :func:`output_slice_of`).
- :func:`load_compact` builds the model on the ``meta`` device (no random initialisation,
  no memory), puts the 8-bit modules in, assigns the layers' tensors read from the
  safetensors file (no second copy), and lets the model's own ``_init_weights`` fill the
  few computed buffers (rotary frequencies, the embedding scale). A Gemma 3 text model is
  newsbrief's own :class:`~newsbrief.backends.gemma3.CausalLM` (the same computation,
  without importing ``transformers``' modelling code: start-up time).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import torch

#: Weights per block of the GGUF's ``Q8_0`` type.
Q8_BLOCK = 32
#: Rows of the 8-bit output layer de-quantised at once in a full-vocabulary call: 2048
#: rows (5 MB) stay in the CPU's cache between their de-quantisation and the product, so
#: a full-vocabulary step costs about what the float32 matrix did (measured, one thread:
#: 0.128 s against 0.127 s for float32; 16384 rows: 0.6-1.2 s).
SLICE_ROWS = 2048
#: The file holding the layers (everything but the tied embedding / output matrix).
LAYERS_FILE = "model.safetensors"
#: The file holding the embedding as 8-bit blocks and their scales.
EMBEDDING_FILE = "embedding-q8_0.safetensors"
_QUANT_KEY = "embedding.q8"
_SCALE_KEY = "embedding.scale"


class Q8Rows(torch.nn.Module):
    """A ``V x D`` float matrix held as ``Q8_0`` blocks: ``q`` (int8, ``V x D``) and
    ``scale`` (float16, ``V x D/32``); rows come back as ``dtype`` (float32: exactly the
    GGUF's de-quantised values)."""

    def __init__(self, q: torch.Tensor, scale: torch.Tensor, dtype: torch.dtype) -> None:
        super().__init__()
        if q.dtype != torch.int8 or q.dim() != 2 or q.shape[1] % Q8_BLOCK:
            raise ValueError(f"Q8_0 rows need an int8 V x D matrix, D a multiple of {Q8_BLOCK}")
        if tuple(scale.shape) != (q.shape[0], q.shape[1] // Q8_BLOCK):
            raise ValueError(f"Q8_0 scales of shape {tuple(scale.shape)} for {tuple(q.shape)}")
        self.q = torch.nn.Buffer(q)
        self.scale = torch.nn.Buffer(scale.to(torch.float16))
        self.dtype = dtype

    @property
    def shape(self) -> tuple[int, int]:
        return int(self.q.shape[0]), int(self.q.shape[1])

    def _dequantize(self, q: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
        blocks = q.view(q.shape[0], -1, Q8_BLOCK).to(torch.float32)
        # float16 scale x int8 byte: exact in float32 (the GGUF's own de-quantisation);
        # in place: one temporary, not two
        blocks.mul_(scale.to(torch.float32).unsqueeze(-1))
        values = blocks.view(q.shape[0], -1)
        return values if self.dtype == torch.float32 else values.to(self.dtype)

    def rows(self, index: torch.Tensor) -> torch.Tensor:
        """The rows ``index`` (1-D) as ``dtype``."""
        return self._dequantize(self.q.index_select(0, index), self.scale.index_select(0, index))

    def block(self, start: int, stop: int) -> torch.Tensor:
        """Rows ``start`` to ``stop`` as ``dtype``."""
        return self._dequantize(self.q[start:stop], self.scale[start:stop])


class Q8Embedding(torch.nn.Module):
    """A token embedding over :class:`Q8Rows`, times ``embed_scale`` (Gemma scales its
    embeddings by sqrt(hidden size), in the embedding's dtype, as its own module does)."""

    def __init__(self, rows: Q8Rows, embed_scale: float | None = None) -> None:
        super().__init__()
        self.rows = rows
        self.num_embeddings, self.embedding_dim = rows.shape
        self.scalar_embed_scale = embed_scale
        self.embed_scale = torch.nn.Buffer(
            torch.tensor(1.0 if embed_scale is None else embed_scale), persistent=False
        )

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        found = self.rows.rows(input_ids.reshape(-1)).view(*input_ids.shape, -1)
        if self.scalar_embed_scale is None:
            return found
        return found * self.embed_scale.to(found.dtype)


class Q8OutputLayer(torch.nn.Module):
    """The output layer over the same :class:`Q8Rows` (tied weights): ``hidden @ W.T``,
    the matrix de-quantised :data:`SLICE_ROWS` rows at a time."""

    def __init__(self, rows: Q8Rows) -> None:
        super().__init__()
        self.rows = rows
        self.out_features, self.in_features = rows.shape
        self.bias = None

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        return self.logits(hidden, 0, self.out_features)

    def logits(self, hidden: torch.Tensor, start: int, stop: int) -> torch.Tensor:
        """``hidden @ W[start:stop].T``, de-quantising :data:`SLICE_ROWS` rows at a time
        and writing each product into one output (the logits are held once, and never
        more than a slice of the matrix in float32)."""
        stop = min(stop, self.out_features)
        out = hidden.new_empty((*hidden.shape[:-1], stop - start), dtype=self.rows.dtype)
        for first in range(start, stop, SLICE_ROWS):
            block = self.rows.block(first, min(first + SLICE_ROWS, stop))
            where = first - start
            out[..., where : where + block.shape[0]] = torch.nn.functional.linear(hidden, block)
        return out


def output_rows_of(head: Any, index: torch.Tensor) -> torch.Tensor:
    """The rows ``index`` of an output layer's weight (a ``Linear`` or a :class:`Q8OutputLayer`)."""
    if isinstance(head, Q8OutputLayer):
        return head.rows.rows(index)
    return head.weight.index_select(0, index)  # type: ignore[no-any-return]


def output_logits_of(head: Any, hidden: torch.Tensor, start: int, stop: int) -> torch.Tensor:
    """The output layer's logits ``start`` to ``stop`` for ``hidden`` (an 8-bit layer never
    holds more than :data:`SLICE_ROWS` of its rows in float32 at once)."""
    if isinstance(head, Q8OutputLayer):
        return head.logits(hidden, start, stop)
    bias = None if head.bias is None else head.bias[start:stop]
    return torch.nn.functional.linear(hidden, head.weight[start:stop], bias)


def q8_0_blocks(raw: Any, rows: int, columns: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The bytes and scales of a GGUF ``Q8_0`` tensor's raw data (``rows x columns``
    weights; each block is a float16 scale then 32 int8 values)."""
    import numpy as np

    if columns % Q8_BLOCK:
        raise ValueError(f"a Q8_0 row of {columns} weights is not whole blocks of {Q8_BLOCK}")
    blocks = np.asarray(raw, dtype=np.uint8).reshape(rows, columns // Q8_BLOCK, 2 + Q8_BLOCK)
    scale = np.ascontiguousarray(blocks[:, :, :2]).view(np.float16)[..., 0]
    q = np.ascontiguousarray(blocks[:, :, 2:]).view(np.int8).reshape(rows, columns)
    return torch.from_numpy(q), torch.from_numpy(np.ascontiguousarray(scale))


def quantize_q8_0(weight: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """``weight`` (``V x D``) as ``Q8_0`` blocks the way llama.cpp makes them (scale =
    largest magnitude / 127 as float16, bytes rounded): for writing small test models in
    the cache's layout; the embedded model's blocks come from its GGUF as they are."""
    blocks = weight.detach().float().reshape(weight.shape[0], -1, Q8_BLOCK)
    scale = (blocks.abs().amax(dim=-1) / 127).to(torch.float16)
    divisor = scale.float().unsqueeze(-1)
    q = torch.where(divisor > 0, blocks / divisor.clamp(min=1e-30), 0).round().clamp(-127, 127)
    return q.to(torch.int8).reshape(weight.shape), scale


def save_compact(model: Any, q: torch.Tensor, scale: torch.Tensor, directory: Path) -> None:
    """Write ``model``'s config, generation config and layers (every tensor but its input
    and output embeddings, which must be tied) and the embedding's ``Q8_0`` blocks into
    ``directory``; the blocks must give the model's embedding exactly (checked)."""
    embedding = model.get_input_embeddings().weight
    if model.get_output_embeddings().weight.data_ptr() != embedding.data_ptr():
        raise ValueError("the compact layout needs an output layer tied to the embedding")
    rows = Q8Rows(q, scale, torch.float32)
    for start in range(0, rows.shape[0], SLICE_ROWS):
        stop = start + SLICE_ROWS
        if not torch.equal(rows.block(start, stop), embedding[start:stop].float()):
            raise ValueError(f"the Q8_0 blocks differ from the embedding at rows {start}+")
    layers = {
        name: tensor
        for name, tensor in model.state_dict().items()
        if tensor.data_ptr() != embedding.data_ptr()
    }
    write_compact(
        model.config, getattr(model, "generation_config", None), layers, q, scale, directory
    )


def write_compact(
    config: Any,
    generation_config: Any,
    layers: dict[str, torch.Tensor],
    q: torch.Tensor,
    scale: torch.Tensor,
    directory: Path,
) -> None:
    """Write a compact copy into ``directory``: ``config`` and ``generation_config``
    (``None``: none) as ``save_pretrained`` writes them, ``layers`` (every tensor of the
    model but the tied embedding) and the embedding's ``Q8_0`` bytes and scales."""
    from safetensors.torch import save_file

    directory.mkdir(parents=True, exist_ok=True)
    config.save_pretrained(directory)
    if generation_config is not None:
        generation_config.save_pretrained(directory)
    contiguous = {name: tensor.contiguous() for name, tensor in layers.items()}
    save_file(contiguous, str(directory / LAYERS_FILE), metadata={"format": "pt"})
    save_file(
        {_QUANT_KEY: q.contiguous(), _SCALE_KEY: scale.to(torch.float16).contiguous()},
        str(directory / EMBEDDING_FILE),
        metadata={"format": "pt", "layout": "Q8_0", "block": str(Q8_BLOCK)},
    )


def q8_0_blocks_of(directory: Path) -> tuple[torch.Tensor, torch.Tensor]:
    """The embedding's bytes and scales stored in a compact ``directory``."""
    from safetensors import safe_open

    with safe_open(str(directory / EMBEDDING_FILE), framework="pt") as handle:
        return handle.get_tensor(_QUANT_KEY), handle.get_tensor(_SCALE_KEY)


def is_compact(directory: Path) -> bool:
    """Whether ``directory`` holds a model in the compact layout."""
    return (directory / EMBEDDING_FILE).is_file() and (directory / LAYERS_FILE).is_file()


def load_compact(
    directory: Path,
    *,
    dtype: torch.dtype,
    device: str,
    plain: bool = False,
    linear_dtype: torch.dtype | None = None,
    own_gemma3: bool = True,
) -> Any:
    """The causal LM of ``directory`` (written by :func:`save_compact`), layers in
    ``dtype``, embedding and output layer 8-bit, ready for inference on ``device``.
    ``linear_dtype``: the transformer layers' linear weights kept in this dtype instead
    (:class:`LowPrecisionLinear`; norms, rotary buffers and activations stay ``dtype``).
    ``plain``: the model exactly as ``transformers`` builds it instead, the embedding
    de-quantised into an ordinary float tensor (the naive baseline of the benchmarks).
    A Gemma 3 text model is newsbrief's own (:mod:`newsbrief.backends.gemma3`, the same
    computation without importing ``transformers``' modelling code) unless ``plain`` or
    ``own_gemma3=False`` (``transformers``' class: what the equivalence tests compare with).

    Raises:
        ValueError: the files do not make a whole model (missing or unexpected tensors).
        OSError: a file cannot be read.
    """
    from safetensors import safe_open

    from newsbrief.backends import gemma3

    values = json.loads((directory / "config.json").read_text())
    if not values.get("tie_word_embeddings", False):
        raise ValueError(f"{directory}: the compact layout needs tied word embeddings")
    own = own_gemma3 and not plain and gemma3.computes_exactly(values)
    model, old, embed_scale = _empty_model(directory, values, dtype, own=own)
    shape = (int(values["vocab_size"]), int(values["hidden_size"]))
    if old is not None:
        shape = (old.num_embeddings, old.embedding_dim)
    with safe_open(str(directory / EMBEDDING_FILE), framework="pt") as handle:
        rows = Q8Rows(handle.get_tensor(_QUANT_KEY), handle.get_tensor(_SCALE_KEY), dtype)
    if shape != rows.shape:
        raise ValueError(f"{directory}: an embedding of {rows.shape} for a model of {shape}")
    state: dict[str, torch.Tensor] = {}
    if plain:
        name = next(n for n, m in model.named_modules() if m is old)
        state[f"{name}.weight"] = rows.block(0, rows.shape[0]).to(dtype)
    else:
        model.set_input_embeddings(Q8Embedding(rows, embed_scale))
        model.set_output_embeddings(Q8OutputLayer(rows))
    lowered = None if plain or linear_dtype in (None, dtype) else linear_dtype
    state.update(_read_layers(directory / LAYERS_FILE, dtype, lowered))
    head = model.get_output_embeddings()
    tied = {f"{n}.weight" for n, m in model.named_modules() if m is head} if plain else set()
    expected = {
        name
        for name in model.state_dict()
        if not name.startswith(_compact_prefixes(model)) and name not in tied
    }
    missing, unexpected = sorted(expected - set(state)), sorted(set(state) - expected)
    if missing or unexpected:
        raise ValueError(
            f"{directory}/{LAYERS_FILE}: missing tensors {missing[:5]}, unexpected {unexpected[:5]}"
        )
    model.load_state_dict(state, strict=False, assign=True)
    del state
    if plain:
        model.get_output_embeddings().weight = model.get_input_embeddings().weight
    if own:
        _check_no_meta(model)
    else:
        _fill_computed_buffers(model)
    model.eval()
    if lowered is not None:
        _lower_linear_layers(model, dtype)
    return model.to(device)


def _empty_model(
    directory: Path, values: dict[str, Any], dtype: torch.dtype, *, own: bool
) -> tuple[Any, Any, float | None]:
    """The model of ``directory``'s config (``values``) on the ``meta`` device, its
    generation config read; with it ``transformers``' input embedding (``None`` for
    newsbrief's own Gemma 3) and the scale of the embedding."""
    from transformers import GenerationConfig

    from newsbrief.backends import gemma3

    generation = directory / "generation_config.json"
    generation_config = (
        GenerationConfig.from_dict(json.loads(generation.read_text()))
        if generation.is_file()
        else None
    )
    if own:
        # newsbrief's own Gemma 3 (no transformers modelling import: start-up time)
        scale = float(values["hidden_size"]) ** 0.5
        return gemma3.build(values, generation_config), None, scale
    from transformers import AutoConfig, AutoModelForCausalLM

    config = AutoConfig.from_pretrained(str(directory), local_files_only=True)
    with torch.device("meta"):
        model = AutoModelForCausalLM.from_config(config, dtype=dtype)  # type: ignore[no-untyped-call]
    if generation_config is not None:
        model.generation_config = generation_config
    old = model.get_input_embeddings()
    return model, old, getattr(old, "scalar_embed_scale", None)


def _read_layers(
    path: Path, dtype: torch.dtype, linear_dtype: torch.dtype | None
) -> dict[str, torch.Tensor]:
    """Every tensor of the layers' file in ``dtype`` (the linear weights of the transformer
    layers in ``linear_dtype`` when given). safetensors maps the file and its tensors share
    that mapping: a tensor converted into another dtype is a copy, so with ``linear_dtype``
    every tensor is copied and the file is opened once per layer, which unmaps each layer's
    float32 pages once it is read (else all 400 MB of them stay resident beside the copies:
    measured, 863 MB against 437 MB at the peak of loading)."""
    from safetensors import safe_open

    with safe_open(str(path), framework="pt") as handle:
        names = list(handle.keys())
    if linear_dtype is None:
        groups = [names]
    else:
        by_layer: dict[str, list[str]] = {}
        for name in names:
            found = _LAYER_INDEX.search(name)
            by_layer.setdefault(found.group(1) if found else "", []).append(name)
        groups = list(by_layer.values())
    state: dict[str, torch.Tensor] = {}
    for group in groups:
        with safe_open(str(path), framework="pt") as handle:
            for name in group:
                tensor = handle.get_tensor(name)
                if linear_dtype is None:
                    state[name] = tensor if tensor.dtype == dtype else tensor.to(dtype)
                elif _is_layer_linear(name, tensor):
                    state[name] = tensor.to(linear_dtype)
                else:
                    state[name] = tensor.to(dtype, copy=True)
    return state


#: The layer index in a tensor's name (``model.layers.7.mlp.up_proj.weight``).
_LAYER_INDEX = re.compile(r"\.layers\.(\d+)\.")


def _is_layer_linear(name: str, tensor: torch.Tensor) -> bool:
    """Whether ``name`` is the weight of a linear layer inside a transformer layer."""
    return tensor.dim() == 2 and _LAYER_INDEX.search(name) is not None


class LowPrecisionLinear(torch.nn.Module):
    """A linear layer whose weight is kept in a lower precision (bfloat16): the input is
    cast to it, the product computed in it (CPUs with bfloat16 instructions run it 3-4x
    faster than float32 for a batch of positions), the result cast back to the input's
    dtype. It holds the very tensor of the ``Linear`` it replaces (no copy), as a buffer:
    the model's ``dtype`` (its first floating-point parameter) stays the dtype it computes
    in, not the storage of these weights."""

    weight: torch.Tensor
    bias: torch.Tensor | None

    def __init__(self, linear: torch.nn.Linear) -> None:
        super().__init__()
        self.in_features, self.out_features = linear.in_features, linear.out_features
        self.register_buffer("weight", linear.weight.detach())
        bias = None if linear.bias is None else linear.bias.detach().to(linear.weight.dtype)
        self.register_buffer("bias", bias)

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        out = torch.nn.functional.linear(hidden.to(self.weight.dtype), self.weight, self.bias)
        return out.to(hidden.dtype)


def _lower_linear_layers(model: Any, dtype: torch.dtype) -> None:
    """Every ``Linear`` whose weight was read in another precision than the model's
    ``dtype`` becomes a :class:`LowPrecisionLinear` over that weight."""
    for module in list(model.modules()):
        for name, child in list(module.named_children()):
            if isinstance(child, torch.nn.Linear) and child.weight.dtype != dtype:
                setattr(module, name, LowPrecisionLinear(child))


def _compact_prefixes(model: Any) -> tuple[str, ...]:
    """State-dict prefixes of the 8-bit modules (not read from the layers' file)."""
    prefixes = []
    for name, module in model.named_modules():
        if isinstance(module, (Q8Embedding, Q8OutputLayer, Q8Rows)):
            prefixes.append(f"{name}.")
    return tuple(prefixes)


def _fill_computed_buffers(model: Any) -> None:
    """Give the buffers still on ``meta`` (computed, never saved: rotary frequencies) real
    memory and let the model's ``_init_weights`` compute them, module by module (every
    loaded tensor is marked initialised first: ``transformers``' init functions skip those)."""
    for tensor in [*model.parameters(), *model.buffers()]:
        if not tensor.is_meta:
            tensor._is_hf_initialized = True
    for module in model.modules():
        meta = [
            name
            for name, buffer in module.named_buffers(recurse=False)
            if buffer is not None and buffer.is_meta
        ]
        if not meta:
            continue
        for name in meta:
            buffer = getattr(module, name)
            setattr(module, name, torch.empty_like(buffer, device="cpu"))
        if isinstance(module, Q8Embedding):
            continue
        with torch.no_grad():
            model._init_weights(module)
    _check_no_meta(model)


def _check_no_meta(model: Any) -> None:
    left = [name for name, t in [*model.named_parameters(), *model.named_buffers()] if t.is_meta]
    if left:
        raise ValueError(f"tensors left without values after loading: {left[:5]}")
