"""``HFBackend.embed``: pooled hidden states for trained heads, on tiny real models."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from newsbrief.backends.hf import HFBackend
from newsbrief.backends.loading import load_backend

PROMPTS = ["The mayor said the ban is good.", "No.", "A much longer prompt " * 6]


@pytest.fixture(scope="module")
def causal(tiny_causal_dir: Path) -> HFBackend:
    return load_backend(str(tiny_causal_dir))


@pytest.fixture(scope="module")
def t5(tiny_t5_dir: Path) -> HFBackend:
    return load_backend(str(tiny_t5_dir))


def _direct(backend: HFBackend, prompt: str, layer: int) -> tuple[torch.Tensor, torch.Tensor]:
    ids = torch.tensor([backend._encode_prompt(prompt)])
    with torch.inference_mode():
        hidden = backend.model(input_ids=ids, output_hidden_states=True).hidden_states[layer][0]
    start = backend.tokenizer.bos_token_id
    kept = (
        hidden[1:] if start is not None and int(ids[0, 0]) == start and len(ids[0]) > 1 else hidden
    )
    return kept.mean(0), hidden[-1]


def test_causal_embed_is_the_mean_and_last_state_unpadded(causal: HFBackend) -> None:
    width = causal.model.config.hidden_size
    rows = causal.embed(PROMPTS, layers=(1, -1), pooling=("mean", "last"))
    assert [len(r) for r in rows] == [4 * width] * len(PROMPTS)
    for prompt, row in zip(PROMPTS, rows, strict=True):
        got = torch.tensor(row).view(2, 2, width)
        for k, layer in enumerate((1, -1)):
            mean, last = _direct(causal, prompt, layer)
            assert torch.allclose(got[0, k], mean, atol=1e-4), prompt
            assert torch.allclose(got[1, k], last, atol=1e-4), prompt
    # Batched with prompts of other lengths or alone: the same states.
    (alone,) = causal.embed(PROMPTS[:1], layers=(1, -1), pooling=("mean", "last"))
    assert torch.allclose(torch.tensor(alone), torch.tensor(rows[0]), atol=1e-4)


def test_seq2seq_embed_reads_the_encoder(t5: HFBackend) -> None:
    rows = t5.embed(PROMPTS[:2])
    assert len(rows) == 2 and len(rows[0]) == t5.model.config.d_model
    assert rows[0] != rows[1]


def test_embed_rejects_bad_arguments(causal: HFBackend) -> None:
    assert causal.embed([]) == []
    with pytest.raises(ValueError, match="outside"):
        causal.embed(["x"], layers=(99,))
    with pytest.raises(ValueError, match="pooling"):
        causal.embed(["x"], pooling=("max",))
    with pytest.raises(ValueError):
        causal.embed(["x"], layers=())
    with pytest.raises(TypeError):
        causal.embed("one string")
