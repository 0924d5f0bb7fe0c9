"""The compact layout of the embedded model (issue 26): the 8-bit embedding gives the very
float32 numbers of the plain model, in every path the backend uses (a float32 cache of the
older format is converted again with one warning: ``test_embedded_conversion.py``)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import torch

from newsbrief.backends import compact, embedded
from newsbrief.backends.output_layer import RowsHead, output_rows, token_logprobs

pytestmark = pytest.mark.tiny


def _plain(compact_dir: Path) -> Any:
    """The plain float32 model with the same (Q8_0-rounded) weights."""
    from transformers import Gemma3ForCausalLM

    model = Gemma3ForCausalLM.from_pretrained(compact_dir.parent / "plain", dtype=torch.float32)
    small = compact.load_compact(compact_dir, dtype=torch.float32, device="cpu")
    rows = small.get_input_embeddings().rows
    with torch.no_grad():
        model.get_input_embeddings().weight.copy_(rows.block(0, rows.shape[0]))
    return model.eval()


def test_compact_model_gives_the_plain_models_numbers_exactly(tiny_compact_dir: Path) -> None:
    small = compact.load_compact(tiny_compact_dir, dtype=torch.float32, device="cpu")
    plain = _plain(tiny_compact_dir)
    assert isinstance(small.get_input_embeddings(), compact.Q8Embedding)
    assert isinstance(small.get_output_embeddings(), compact.Q8OutputLayer)
    assert small.dtype == torch.float32
    ids = torch.tensor([[3, 5, 9, 12, 7, 30, 31, 2, 8, 40] * 4])
    with torch.inference_mode():
        a = small(input_ids=ids, output_hidden_states=True)
        b = plain(input_ids=ids, output_hidden_states=True)
    assert torch.equal(a.logits, b.logits)
    assert len(a.hidden_states) == len(b.hidden_states)
    assert all(torch.equal(x, y) for x, y in zip(a.hidden_states, b.hidden_states, strict=True))
    # no weight of the compact model is left on the meta device or as a float32 embedding
    assert not any(t.is_meta for t in [*small.parameters(), *small.buffers()])
    assert all(p.numel() < 200_000 or p.dtype != torch.float32 for p in small.parameters())


def test_output_layer_shortcuts_on_the_8bit_layer(tiny_compact_dir: Path) -> None:
    small = compact.load_compact(tiny_compact_dir, dtype=torch.float32, device="cpu")
    plain = _plain(tiny_compact_dir)
    hidden = torch.randn(5, small.config.hidden_size, generator=torch.Generator().manual_seed(1))
    rows = [4, 9, 17, 33]
    with torch.inference_mode():
        assert torch.equal(
            RowsHead(small.get_output_embeddings(), rows)(hidden),
            RowsHead(plain.get_output_embeddings(), rows)(hidden),
        )
        targets = torch.tensor([1, 5, 9, 20, 40])
        a = token_logprobs(hidden, small.get_output_embeddings(), targets, max_elements=64)
        b = token_logprobs(hidden, plain.get_output_embeddings(), targets, max_elements=64)
        assert torch.equal(a, b)
        with output_rows(small, rows) as on:
            assert on
            logits = small(input_ids=torch.tensor([[3, 5, 9]])).logits
        assert torch.isinf(logits[0, -1]).sum() == logits.shape[-1] - len(rows)


def test_full_vocabulary_layer_in_slices(
    tiny_compact_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = compact.load_compact(tiny_compact_dir, dtype=torch.float32, device="cpu")
    head = small.get_output_embeddings()
    hidden = torch.randn(2, 3, head.in_features)
    whole = head(hidden)
    monkeypatch.setattr(compact, "SLICE_ROWS", 7)  # several slices and a short last one
    # the same dot products; the matrix kernels may round a slice's sums differently
    assert torch.allclose(head(hidden), whole, atol=1e-6, rtol=1e-6)
    assert whole.shape == (2, 3, head.out_features)


def test_blocks_that_do_not_give_the_embedding_are_refused(
    tiny_compact_dir: Path, tmp_path: Path
) -> None:
    plain = _plain(tiny_compact_dir)
    q, scale = compact.quantize_q8_0(plain.get_input_embeddings().weight)
    q[3, 5] += 1
    with pytest.raises(ValueError, match="differ from the embedding"):
        compact.save_compact(plain, q, scale, tmp_path / "bad")


def test_a_layers_file_with_missing_tensors_is_refused(
    tiny_compact_dir: Path, tmp_path: Path
) -> None:
    from safetensors.torch import load_file, save_file

    broken = tmp_path / "broken"
    shutil.copytree(tiny_compact_dir, broken)
    layers = load_file(broken / compact.LAYERS_FILE)
    layers.pop(next(name for name in layers if "mlp" in name))
    save_file(layers, broken / compact.LAYERS_FILE, metadata={"format": "pt"})
    with pytest.raises(ValueError, match="missing tensors"):
        compact.load_compact(broken, dtype=torch.float32, device="cpu")


def test_the_plain_load_is_the_same_model_in_float32(tiny_compact_dir: Path) -> None:
    small = compact.load_compact(tiny_compact_dir, dtype=torch.float32, device="cpu")
    plain = compact.load_compact(tiny_compact_dir, dtype=torch.float32, device="cpu", plain=True)
    assert isinstance(plain.get_input_embeddings(), torch.nn.Embedding)
    assert plain.get_output_embeddings().weight is plain.get_input_embeddings().weight
    ids = torch.tensor([[3, 5, 9, 12, 7]])
    with torch.inference_mode():
        assert torch.equal(small(input_ids=ids).logits, plain(input_ids=ids).logits)


def test_sliced_scoring_never_holds_the_whole_matrix_in_float32(
    tiny_compact_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = compact.load_compact(tiny_compact_dir, dtype=torch.float32, device="cpu")
    head = small.get_output_embeddings()
    hidden = torch.randn(2, head.in_features)
    targets = torch.tensor([3, 40])
    whole = token_logprobs(hidden, head, targets)  # few rows: one slice of the vocabulary
    sizes: list[int] = []
    block = compact.Q8Rows.block

    def recorded(self: compact.Q8Rows, start: int, stop: int) -> torch.Tensor:
        out = block(self, start, stop)
        sizes.append(out.shape[0])
        return out

    monkeypatch.setattr(compact.Q8Rows, "block", recorded)
    monkeypatch.setattr(compact, "SLICE_ROWS", 7)
    assert torch.allclose(token_logprobs(hidden, head, targets), whole, atol=1e-6)
    assert sizes and max(sizes) <= 7


def test_linear_weights_in_bfloat16_stay_close_to_float32(tiny_compact_dir: Path) -> None:
    full = compact.load_compact(tiny_compact_dir, dtype=torch.float32, device="cpu")
    low = compact.load_compact(
        tiny_compact_dir, dtype=torch.float32, device="cpu", linear_dtype=torch.bfloat16
    )
    lowered = [m for m in low.modules() if isinstance(m, compact.LowPrecisionLinear)]
    assert low.dtype == torch.float32  # what it computes in
    plain_linears = [m for m in full.model.layers.modules() if isinstance(m, torch.nn.Linear)]
    assert len(lowered) == len(plain_linears) > 0
    assert all(m.weight.dtype == torch.bfloat16 for m in lowered)
    assert not any(isinstance(m, torch.nn.Linear) for m in low.model.layers.modules())
    # norms and the 8-bit embedding are untouched; activations stay float32
    norms = [p for n, p in low.named_parameters() if "norm" in n]
    assert norms and all(p.dtype == torch.float32 for p in norms)
    assert isinstance(low.get_output_embeddings(), compact.Q8OutputLayer)
    ids = torch.tensor([[3, 5, 9, 12, 7, 30, 31, 2, 8, 40] * 4])
    with torch.inference_mode():
        a = full(input_ids=ids).logits
        b = low(input_ids=ids).logits
    assert b.dtype == torch.float32
    assert not torch.equal(a, b)  # the bfloat16 products are in use
    assert torch.allclose(a, b, atol=0.05 * float(a.abs().max()))
    assert bool((a.argmax(-1) == b.argmax(-1)).float().mean() > 0.9)


def test_low_precision_linear_holds_the_weight_it_replaces() -> None:
    linear = torch.nn.Linear(8, 4)
    with torch.no_grad():
        linear.weight.data = linear.weight.data.to(torch.bfloat16)
    low = compact.LowPrecisionLinear(linear)
    assert low.weight.data_ptr() == linear.weight.data_ptr()
    x = torch.randn(3, 8)
    out = low(x)
    assert out.dtype == torch.float32 and out.shape == (3, 4)
    expected = x @ linear.weight.float().T + linear.bias.float()
    assert torch.allclose(out, expected, atol=0.05)


def test_a_plain_or_same_dtype_load_keeps_float32_linears(tiny_compact_dir: Path) -> None:
    same = compact.load_compact(
        tiny_compact_dir, dtype=torch.float32, device="cpu", linear_dtype=torch.float32
    )
    plain = compact.load_compact(
        tiny_compact_dir,
        dtype=torch.float32,
        device="cpu",
        plain=True,
        linear_dtype=torch.bfloat16,
    )
    for model in (same, plain):
        assert not any(isinstance(m, compact.LowPrecisionLinear) for m in model.modules())
        assert all(p.dtype == torch.float32 for p in model.parameters() if p.dim() == 2)


def test_linear_dtype_of_the_embedded_model(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsbrief.backends.options import LoadOptions

    for name in ("LRU_CACHE_CAPACITY", "ONEDNN_PRIMITIVE_CACHE_CAPACITY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "7")  # the user's value wins
    # an explicit dtype is kept for every layer, whatever the CPU
    assert embedded._linear_dtype(LoadOptions(dtype="float32"), "cpu") is None
    assert embedded._linear_dtype(LoadOptions(), "cuda") is None
    monkeypatch.setattr(torch.ops.mkldnn, "_is_mkldnn_bf16_supported", lambda: False)
    assert embedded._linear_dtype(LoadOptions(), "cpu") is None
    assert "LRU_CACHE_CAPACITY" not in os.environ
    monkeypatch.setattr(torch.ops.mkldnn, "_is_mkldnn_bf16_supported", lambda: True)
    assert embedded._linear_dtype(LoadOptions(), "cpu") == torch.bfloat16
    assert os.environ["LRU_CACHE_CAPACITY"] == str(embedded._ONEDNN_CACHE_CAPACITY)
    assert os.environ["ONEDNN_PRIMITIVE_CACHE_CAPACITY"] == "7"
