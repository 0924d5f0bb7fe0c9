"""The first conversion straight from the GGUF (issue 26): on a tiny Gemma 3 GGUF laid out
as the embedded model's, it writes the very copy that loading the GGUF through
``transformers`` and saving it wrote (every tensor bit for bit, the same config, generation
config and tokenizer files); the header reader agrees with ``gguf.GGUFReader``; files it
cannot convert are refused with a clear error."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import torch

from newsbrief.backends import compact, gguf_convert
from newsbrief.backends.gguf_check import GGUFFormatError, read_gguf_header

pytestmark = pytest.mark.tiny


def _through_transformers(gguf_path: Path, out: Path) -> Any:
    """The copy as the conversion before issue 26 wrote it: the GGUF loaded through
    ``transformers`` (config, model, tokenizer), saved in the compact layout with the
    embedding's blocks read by ``gguf.GGUFReader``; returns the loaded model."""
    from gguf import GGUFReader

    from newsbrief.backends.options import LoadOptions
    from newsbrief.backends.sources import ModelSource, load_from_source

    loaded = load_from_source(
        ModelSource(str(gguf_path.parent), gguf_file=gguf_path.name),
        model_id="tiny",
        options=LoadOptions(use_chat_template=False),
    )
    rows, columns = loaded.model.get_input_embeddings().weight.shape
    tensor = next(t for t in GGUFReader(gguf_path).tensors if t.name == "token_embd.weight")
    q, scale = compact.q8_0_blocks(tensor.data, int(rows), int(columns))
    compact.save_compact(loaded.model, q, scale, out)  # checks the blocks give the embedding
    loaded.tokenizer.save_pretrained(out)
    return loaded.model


def _tensors(path: Path) -> dict[str, torch.Tensor]:
    from safetensors.torch import load_file

    return load_file(str(path))


def test_the_conversion_writes_what_the_transformers_route_wrote(
    tiny_gguf_path: Path, tmp_path: Path
) -> None:
    reference = tmp_path / "reference"
    plain = _through_transformers(tiny_gguf_path, reference)
    converted = tmp_path / "converted"
    assert gguf_convert.convert_gguf(tiny_gguf_path, converted) == (
        "torch.float32 layers, Q8_0 embedding"
    )
    for name in (compact.LAYERS_FILE, compact.EMBEDDING_FILE):
        old, new = _tensors(reference / name), _tensors(converted / name)
        assert sorted(old) == sorted(new)
        for key in old:
            assert old[key].dtype == new[key].dtype, key
            assert torch.equal(old[key], new[key]), key
    for name in ("config.json", "generation_config.json", "tokenizer_config.json"):
        assert json.loads((converted / name).read_text()) == json.loads(
            (reference / name).read_text()
        ), name
    for name in ("tokenizer.json", "config.json"):
        assert (converted / name).read_bytes() == (reference / name).read_bytes(), name
    # the norms were stored plus one, and given back as the model's own weights
    layers = _tensors(converted / compact.LAYERS_FILE)
    norm = "model.layers.0.input_layernorm.weight"
    assert torch.equal(layers[norm], plain.state_dict()[norm])
    # and the copy loads into the same model
    small = compact.load_compact(converted, dtype=torch.float32, device="cpu")
    ids = torch.tensor([[3, 5, 9, 12, 7, 30]])
    with torch.inference_mode():
        assert torch.equal(small(input_ids=ids).logits, plain.eval()(input_ids=ids).logits)


def test_the_header_reader_agrees_with_gguf_reader(tiny_gguf_path: Path) -> None:
    from gguf import GGUFReader

    header = read_gguf_header(tiny_gguf_path)
    reader = GGUFReader(tiny_gguf_path)
    fields = {k: f.contents() for k, f in reader.fields.items() if not k.startswith("GGUF.")}
    assert header.metadata.keys() == fields.keys()
    for key, value in fields.items():
        if isinstance(value, float):  # float32 in the file, widened the same way
            assert header.metadata[key] == pytest.approx(value, rel=0, abs=0), key
        else:
            assert header.metadata[key] == value, key
    assert [(t.name, t.dims, t.type_id, header.data_start + t.offset) for t in header.tensors] == [
        (t.name, tuple(int(d) for d in t.shape), int(t.tensor_type), t.data_offset)
        for t in reader.tensors
    ]


def test_another_architecture_is_refused(tmp_path: Path) -> None:
    import gguf
    import numpy as np

    path = tmp_path / "llama.gguf"
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_token_list(["a", "b"])
    writer.add_tensor("token_embd.weight", np.ones((2, 32), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    with pytest.raises(gguf_convert.GGUFConversionError, match="architecture 'llama'"):
        gguf_convert.convert_gguf(path, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_token_embedding_not_in_q8_0_is_refused(tiny_compact_dir: Path, tmp_path: Path) -> None:
    from tiny_models import build_tiny_gguf

    path = build_tiny_gguf(tmp_path / "f32.gguf", tiny_compact_dir, q8_embedding=False)
    with pytest.raises(gguf_convert.GGUFConversionError, match="F32, not the Q8_0"):
        gguf_convert.convert_gguf(path, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_truncated_gguf_is_a_format_error(tiny_gguf_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "short.gguf"
    shutil.copyfile(tiny_gguf_path, path)
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size - 100)
    with pytest.raises(GGUFFormatError, match="truncated"):
        gguf_convert.convert_gguf(path, tmp_path / "out")
