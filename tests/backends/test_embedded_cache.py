"""A damaged embedded-model cache is a ModelLoadError that says to delete it, and NaN/inf
from any model is a GenerationError (issue 17, item 5). The cache here is a tiny model
written the way the conversion writes the real one."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

from newsbrief.backends import GenerationConfig, embedded
from newsbrief.backends.hf import HFBackend
from newsbrief.backends.loading import load_backend
from newsbrief.errors import GenerationError, ModelLoadError

pytestmark = pytest.mark.tiny

SOURCE_SHA = "0" * 64


@pytest.fixture
def cache(tiny_compact_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A converted copy with its marker and checksums, as ``convert_embedded`` leaves it."""
    target = tmp_path / "models" / "tiny"
    shutil.copytree(tiny_compact_dir, target)
    embedded._write_marker(
        target,
        {
            "format": embedded._CACHE_FORMAT,
            "source_package": embedded.EMBEDDED_PACKAGE,
            "source_sha256": SOURCE_SHA,
            "dtype": "torch.float32",
            "files": embedded._record_checksums(target),
        },
    )
    package = SimpleNamespace(EXPECTED_SHA256=SOURCE_SHA)
    monkeypatch.setattr(embedded, "_embedded_package", lambda: package)
    monkeypatch.setattr(embedded, "embedded_cache_path", lambda: target)
    return target


def _damaged(match: str = "damaged") -> ModelLoadError:
    start = time.monotonic()
    with pytest.raises(ModelLoadError, match=match) as info:
        embedded.load_embedded()
    assert time.monotonic() - start < 10
    assert "delete this directory, it will be rebuilt" in str(info.value)
    return info.value


def test_an_intact_cache_loads(cache: Path) -> None:
    backend = embedded.load_embedded()
    assert backend.loaded_from == str(cache.resolve())
    assert all(abs(v) < 1e6 for v in backend.score(["the minister"], [" said", " paris"])[0])


def test_truncated_weights(cache: Path) -> None:
    weights = cache / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 2])
    error = _damaged("model.safetensors has")
    assert str(cache) in str(error)


def test_zeroed_weights(cache: Path) -> None:
    weights = cache / "model.safetensors"
    weights.write_bytes(bytes(weights.stat().st_size))
    _damaged("model.safetensors differs from what was written")


def test_randomised_weights_with_an_intact_header(cache: Path) -> None:
    """The issue's case: random weights behind a good header loaded silently."""
    weights = cache / "model.safetensors"
    data = bytearray(weights.read_bytes())
    header = 8 + int.from_bytes(data[:8], "little")
    data[header:] = os.urandom(len(data) - header)
    weights.write_bytes(bytes(data))
    _damaged("model.safetensors differs from what was written")


def test_a_missing_tokenizer_file(cache: Path) -> None:
    (cache / "tokenizer.json").unlink()
    # The load converts again (the marker check calls the copy incomplete); the file
    # check says what is wrong.
    with pytest.raises(ModelLoadError, match=r"tokenizer\.json is missing"):
        embedded.check_cache_files(cache)


def test_damage_between_the_sampled_pieces_is_found_after_a_failed_load(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sampling reads a few pieces; damage between them that breaks the load is found by
    the full check the failure triggers."""
    monkeypatch.setattr(embedded, "SAMPLE_PIECES", 2)
    monkeypatch.setattr(embedded, "SAMPLE_BYTES", 8)
    marker = json.loads((cache / embedded.CACHE_MARKER).read_text())
    marker["files"] = embedded._record_checksums(cache)
    embedded._write_marker(cache, marker)
    weights = cache / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[20:24] = b"\xff\xfe\x00{"  # inside the JSON header, between the two pieces
    weights.write_bytes(bytes(data))
    embedded.check_cache_files(cache)  # the sampled check misses it
    _damaged("model.safetensors differs from what was written")


def test_a_cache_written_before_checksums_gets_them_on_its_next_load(cache: Path) -> None:
    marker = json.loads((cache / embedded.CACHE_MARKER).read_text())
    recorded = marker.pop("files")
    embedded._write_marker(cache, marker)
    embedded.load_embedded()
    assert json.loads((cache / embedded.CACHE_MARKER).read_text())["files"] == recorded
    weights = cache / "model.safetensors"
    weights.write_bytes(bytes(weights.stat().st_size))
    _damaged()


def test_a_cache_without_checksums_that_fails_to_load_says_to_delete_it(cache: Path) -> None:
    marker = json.loads((cache / embedded.CACHE_MARKER).read_text())
    del marker["files"]
    embedded._write_marker(cache, marker)
    weights = cache / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:100])
    _damaged("SafetensorError")
    assert "files" not in json.loads((cache / embedded.CACHE_MARKER).read_text())


def test_argument_errors_are_not_reported_as_damage(cache: Path) -> None:
    with pytest.raises(ValueError, match="unknown device"):
        embedded.load_embedded(device="tpu")


@pytest.fixture
def nan_model(tiny_causal_dir: Path) -> HFBackend:
    backend = load_backend(str(tiny_causal_dir))
    with torch.no_grad():
        # One weight of the first layer: every hidden state, then every logit, is NaN.
        backend.model.model.layers[0].mlp.down_proj.weight[0, 0] = float("nan")
    return backend


def test_nan_scores_are_a_generation_error(nan_model: HFBackend) -> None:
    with pytest.raises(GenerationError, match="not finite"):
        nan_model.score(["the minister said"], [" yes", " no the talks"])
    # The slow path (full logits) too.
    nan_model.sliced_scoring = False
    with pytest.raises(GenerationError, match="not finite"):
        nan_model.score(["the minister said"], [" yes", " no the talks"])


@pytest.mark.parametrize(
    "config",
    [
        GenerationConfig(max_new_tokens=4),
        GenerationConfig(max_new_tokens=4, restrict_to="the minister said"),
        GenerationConfig(max_new_tokens=4, temperature=0.7, seed=1),
    ],
    ids=["greedy", "restricted", "sampled"],
)
def test_nan_logits_are_a_generation_error(nan_model: HFBackend, config: GenerationConfig) -> None:
    for prompts in (["the minister said"], ["the minister said", "paris is"]):
        with pytest.raises(GenerationError, match=r"weights at .* are likely damaged"):
            nan_model.generate(prompts, config)


def test_inf_logits_are_a_generation_error(tiny_t5_dir: Path) -> None:
    backend = load_backend(str(tiny_t5_dir))
    with torch.no_grad():
        backend.model.get_output_embeddings().weight.fill_(float("inf"))
    with pytest.raises(GenerationError, match="not finite"):
        backend.generate(["the minister said"], GenerationConfig(max_new_tokens=3))
    with pytest.raises(GenerationError, match="not finite"):
        backend.score(["the minister said"], ["yes", "no"])
