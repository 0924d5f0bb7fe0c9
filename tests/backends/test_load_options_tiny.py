"""Tiny real models load through one LoadOptions exactly as through the keywords."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from newsbrief.backends.loading import load_backend
from newsbrief.backends.options import LoadOptions
from newsbrief.briefer import Briefer

pytestmark = pytest.mark.tiny

TEMPLATE = "{% for m in messages %}question {{ m['content'] }} answer{% endfor %}"


def test_load_options_reach_the_model_as_the_keywords_do(tmp_path: Path) -> None:
    from tiny_models import build_tiny_causal

    directory = str(build_tiny_causal(tmp_path / "chat", chat_template=TEMPLATE))
    by_keywords = load_backend(directory, dtype="bfloat16", use_chat_template=False)
    options = LoadOptions(dtype="bfloat16", use_chat_template=False)
    by_object = load_backend(directory, load_options=options)
    for backend in (by_keywords, by_object):
        assert backend.model.dtype == torch.bfloat16
        assert not backend.use_chat_template
        assert backend.format_prompt("the talks") == "the talks"
    assert repr(by_keywords) == repr(by_object)
    # The defaults: float32, and the tokenizer's chat template.
    plain = load_backend(directory, load_options=LoadOptions())
    assert plain.model.dtype == torch.float32
    assert plain.format_prompt("the talks") == "question the talks answer"


def test_a_briefer_loads_with_its_load_options(tiny_t5_dir: Path) -> None:
    options = LoadOptions(device="cpu", dtype="bf16")
    briefer = Briefer(str(tiny_t5_dir), load_options=options)
    assert briefer.load_options is options
    assert briefer.backend.model.dtype == torch.bfloat16  # type: ignore[attr-defined]
    assert Briefer(str(tiny_t5_dir), dtype="bf16").load_options == LoadOptions(dtype="bf16")
