"""newsbrief's own Gemma 3 decoder (``backends/gemma3.py``) computes what ``transformers``'
Gemma 3 computes, in every way the backend runs it: logits and hidden states, left-padded
batches, caches continued past the sliding window and cut back, greedy and sampled
generation, option scores, pooled states. The tiny model's window is 16 tokens, so the
prompts below cross it. And loading it imports none of ``transformers``' modelling code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import torch

from newsbrief.backends import GenerationConfig, compact, gemma3
from newsbrief.backends.embedded import _fast_tokenizer
from newsbrief.backends.hf import HFBackend

pytestmark = pytest.mark.tiny


def _pair(directory: Path, **kwargs: Any) -> tuple[Any, Any]:
    own = compact.load_compact(directory, dtype=torch.float32, device="cpu", **kwargs)
    theirs = compact.load_compact(
        directory, dtype=torch.float32, device="cpu", own_gemma3=False, **kwargs
    )
    assert isinstance(own, gemma3.CausalLM)
    assert not isinstance(theirs, gemma3.CausalLM)
    return own, theirs


def _ids(rows: int, length: int, seed: int) -> torch.Tensor:
    """Token ids of the tiny vocabulary (its first four are special)."""
    return torch.randint(4, 40, (rows, length), generator=torch.Generator().manual_seed(seed))


@pytest.mark.parametrize("lowered", [None, torch.bfloat16])
def test_forward_passes_match_transformers_exactly(
    tiny_compact_dir: Path, lowered: torch.dtype | None
) -> None:
    own, theirs = _pair(tiny_compact_dir, linear_dtype=lowered)
    ids = _ids(3, 40, 0)
    mask = torch.ones_like(ids)
    mask[0, :7] = 0
    mask[1, :30] = 0  # a row shorter than the window
    positions = (mask.cumsum(-1) - 1).clamp(min=0)
    with torch.inference_mode():
        for kwargs in (
            {"input_ids": ids[2:3, :5]},
            {"input_ids": ids[2:3]},
            {"input_ids": ids, "attention_mask": mask, "position_ids": positions},
        ):
            a, b = own(**kwargs, use_cache=True), theirs(**kwargs, use_cache=True)
            real = kwargs.get("attention_mask", torch.ones(a.logits.shape[:2])).bool()
            assert torch.equal(a.logits[real], b.logits[real])
            # the caches go on past the window, a few tokens at a time
            more: dict[str, Any] = {}
            for step in range(3):
                new = _ids(a.logits.shape[0], 6, step + 1)
                if "attention_mask" in kwargs:
                    mask_now = torch.cat([mask, torch.ones(3, 6 * (step + 1), dtype=mask.dtype)], 1)
                    start = positions[:, -1:] + 1 + 6 * step
                    more = {
                        "attention_mask": mask_now,
                        "position_ids": start + torch.arange(6),
                    }
                a = own(input_ids=new, cache=a.cache, **more)
                b = theirs(input_ids=new, cache=b.cache, **more)
                assert torch.equal(a.logits, b.logits)
                assert a.cache.get_seq_length() == b.cache.get_seq_length()


def test_hidden_states_are_transformers_own(tiny_compact_dir: Path) -> None:
    own, theirs = _pair(tiny_compact_dir)
    ids = _ids(2, 30, 4)
    mask = torch.ones_like(ids)
    mask[1, 20:] = 0  # right-padded, as the pooled states are taken
    with torch.inference_mode():
        a = own.base_model(ids, attention_mask=mask, output_hidden_states=True, use_cache=False)
        b = theirs.base_model(
            input_ids=ids, attention_mask=mask, output_hidden_states=True, use_cache=False
        )
    assert len(a.hidden_states) == len(b.hidden_states) == own.config.num_hidden_layers + 1
    for x, y in zip(a.hidden_states, b.hidden_states, strict=True):
        assert torch.equal(x[mask.bool()], y[mask.bool()])


def test_a_cache_cut_back_past_the_window_matches(tiny_compact_dir: Path) -> None:
    """What the greedy loop does with drafts: record the past, run several tokens, crop
    the rejected ones, go on."""
    own, theirs = _pair(tiny_compact_dir)
    ids = _ids(1, 25, 7)
    with torch.inference_mode():
        a, b = own(input_ids=ids), theirs(input_ids=ids)
        for out in (a, b):
            for layer in out.cache.layers:
                getattr(layer, "activate_past_recording", lambda: None)()
        for step in range(3):
            feed = _ids(1, 5, 10 + step)
            a = own(input_ids=feed, cache=a.cache)
            b = theirs(input_ids=feed, cache=b.cache)
            assert torch.equal(a.logits, b.logits)
            a.cache.crop(-2)
            b.cache.crop(-2)
        assert a.cache.get_seq_length() == b.cache.get_seq_length() == 25 + 3 * 3


def _backends(directory: Path) -> tuple[HFBackend, HFBackend]:
    tokenizer = _fast_tokenizer(directory / "tokenizer.json", _special_tokens(directory))
    own, theirs = _pair(directory)
    return (
        HFBackend(own, tokenizer, model_id="own", use_chat_template=False),
        HFBackend(theirs, tokenizer, model_id="theirs", use_chat_template=False),
    )


def _special_tokens(directory: Path) -> dict[str, Any]:
    config = json.loads((directory / "tokenizer_config.json").read_text())
    return {
        k: v
        for k, v in config.items()
        if k in ("bos_token", "eos_token", "pad_token", "unk_token") and isinstance(v, str)
    }


PROMPTS = [
    "the minister said that the sanctions talks with the opposition leader in paris "
    "and tokyo was news to the people of the country",
    "the president told reporters",
    "question the capital of france answer",
]


@pytest.mark.parametrize(
    "config",
    [
        GenerationConfig(max_new_tokens=12),
        GenerationConfig(max_new_tokens=12, repetition_penalty=1.3),
        GenerationConfig(max_new_tokens=12, temperature=0.9, top_p=0.9, seed=5),
        GenerationConfig(max_new_tokens=12, restrict_to="the minister said paris"),
        GenerationConfig(max_new_tokens=12, stop=("the",)),
    ],
)
def test_generation_matches_transformers(tiny_compact_dir: Path, config: GenerationConfig) -> None:
    own, theirs = _backends(tiny_compact_dir)
    # a padded batch (newsbrief's generate against transformers' generate) ...
    assert own.generate(PROMPTS, config=config) == theirs.generate(PROMPTS, config=config)
    # ... and one prompt (greedy: newsbrief's own loop with drafts and reused openings)
    for prompt in PROMPTS:
        assert own.generate([prompt], config=config) == theirs.generate([prompt], config=config)


def test_scores_and_pooled_states_match_transformers(tiny_compact_dir: Path) -> None:
    own, theirs = _backends(tiny_compact_dir)
    options = [["supportive", "opposed of the"], ["yes", "no", "the city of paris"], ["paris"]]
    assert own.score(PROMPTS, options) == theirs.score(PROMPTS, options)
    for pooling in ("mean", "last"):
        kwargs: dict[str, Any] = {"layers": [0, 1, -1], "pooling": [pooling]}
        assert own.embed(PROMPTS, **kwargs) == theirs.embed(PROMPTS, **kwargs)


@pytest.mark.parametrize(
    "change",
    [
        {"final_logit_softcapping": 30.0},
        {"attn_logit_softcapping": 50.0},
        {"hidden_activation": "gelu"},
        {"model_type": "gemma2"},
        {"use_bidirectional_attention": True},
    ],
)
def test_other_configurations_load_through_transformers(
    tiny_compact_dir: Path, tmp_path: Path, change: dict[str, Any]
) -> None:
    values = json.loads((tiny_compact_dir / "config.json").read_text())
    assert gemma3.computes_exactly(values)
    assert not gemma3.computes_exactly({**values, **change})
    with pytest.raises(ValueError, match="not a Gemma 3 text configuration"):
        gemma3.TextConfig({**values, **change})
    if change.get("model_type") or change.get("use_bidirectional_attention"):
        return  # (transformers builds another class for these; the refusal is the point)
    copy = tmp_path / "changed"
    copy.mkdir()
    for path in tiny_compact_dir.iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    (copy / "config.json").write_text(json.dumps({**values, **change}))
    model = compact.load_compact(copy, dtype=torch.float32, device="cpu")
    assert not isinstance(model, gemma3.CausalLM)


def test_loading_imports_no_transformers_modelling_code(tiny_compact_dir: Path) -> None:
    script = (
        "import sys, torch\n"
        "from pathlib import Path\n"
        "from newsbrief.backends import compact\n"
        f"model = compact.load_compact(Path({str(tiny_compact_dir)!r}), dtype=torch.float32,"
        " device='cpu')\n"
        "model(input_ids=torch.tensor([[3, 5, 9]]))\n"
        "heavy = ['transformers.modeling_utils', 'transformers.masking_utils',"
        " 'transformers.generation.utils', 'torch._dynamo']\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True
    )
    assert run.stdout.strip() == "[]", run.stdout + run.stderr
