"""The Hugging Face backend on tiny real models built in the session (T5 and Llama-style)."""

from __future__ import annotations

import functools
import itertools
import math
from pathlib import Path

import pytest
import torch

from newsbrief.backends import Backend, GenerationConfig
from newsbrief.backends.hf import HFBackend
from newsbrief.backends.hf_model import PROMPT_LOOKUP_TOKENS
from newsbrief.backends.loading import load_backend

pytestmark = pytest.mark.tiny

PROMPTS = ["the minister said that the talks", "paris is the capital of france", "yes"]


@pytest.fixture(scope="module")
def t5(tiny_t5_dir: Path) -> HFBackend:
    return load_backend(str(tiny_t5_dir))


@pytest.fixture(scope="module")
def causal(tiny_causal_dir: Path) -> HFBackend:
    return load_backend(str(tiny_causal_dir))


def test_family_is_decided_from_the_config(t5: HFBackend, causal: HFBackend) -> None:
    assert t5.family == "seq2seq"
    assert type(t5.model).__name__ == "T5ForConditionalGeneration"
    assert causal.family == "causal"
    assert type(causal.model).__name__ == "LlamaForCausalLM"
    assert isinstance(t5, Backend) and isinstance(causal, Backend)
    assert t5.model.device.type == "cpu" and t5.model.dtype == torch.float32


@pytest.mark.parametrize("name", ["t5", "causal"])
def test_generate_batch_size_finish_reasons_and_counts(
    name: str, request: pytest.FixtureRequest
) -> None:
    backend: HFBackend = request.getfixturevalue(name)
    out = backend.generate(PROMPTS, GenerationConfig(max_new_tokens=4))
    assert len(out) == len(PROMPTS)
    for gen, prompt in zip(out, PROMPTS, strict=True):
        assert gen.finish_reason in ("stop", "length")
        assert 0 <= gen.completion_tokens <= 4
        # Length means the budget was used up; stop means EOS came first.
        assert (gen.finish_reason == "length") == (gen.completion_tokens == 4) or (
            gen.finish_reason == "stop" and gen.completion_tokens <= 4
        )
        words = len(prompt.split())
        assert gen.prompt_tokens == words + 1  # T5 appends EOS, the causal tokenizer prepends BOS


def test_causal_runs_to_length_and_stop_reason_on_eos(causal: HFBackend) -> None:
    # The random tiny model never picks EOS in 3 tokens from these prompts: "length".
    out = causal.generate(["the capital of france"], GenerationConfig(max_new_tokens=3))
    assert out[0].finish_reason == "length" and out[0].completion_tokens == 3
    # Forbid nothing but make EOS certain: bias the head so EOS is the argmax.
    with torch.no_grad():
        causal.model.lm_head.bias = torch.nn.Parameter(torch.zeros(causal.model.config.vocab_size))
        causal.model.lm_head.bias[causal.tokenizer.eos_token_id] = 1e4
    try:
        (gen,) = causal.generate(["the capital of france"], GenerationConfig(max_new_tokens=5))
        assert gen.finish_reason == "stop" and gen.completion_tokens == 1 and gen.text == ""
    finally:
        causal.model.lm_head.bias = None


@pytest.mark.parametrize("name", ["t5", "causal"])
def test_greedy_is_deterministic_and_seeded_sampling_repeats(
    name: str, request: pytest.FixtureRequest
) -> None:
    backend: HFBackend = request.getfixturevalue(name)
    greedy = GenerationConfig(max_new_tokens=6)
    assert backend.generate(PROMPTS, greedy) == backend.generate(PROMPTS, greedy)
    sampled = GenerationConfig(max_new_tokens=6, temperature=1.5, seed=7)
    assert backend.generate(PROMPTS, sampled) == backend.generate(PROMPTS, sampled)


def test_stop_strings_cut_the_answer(causal: HFBackend) -> None:
    free = causal.generate(["the capital of france"], GenerationConfig(max_new_tokens=6))[0]
    words = free.text.split()
    assert len(words) >= 2
    stop = words[1]
    cut = causal.generate(
        ["the capital of france"], GenerationConfig(max_new_tokens=6, stop=(stop,))
    )[0]
    assert cut.finish_reason == "stop"
    assert stop not in cut.text
    assert free.text.startswith(cut.text)


@pytest.mark.parametrize("name", ["t5", "causal"])
def test_score_one_finite_number_per_option(name: str, request: pytest.FixtureRequest) -> None:
    backend: HFBackend = request.getfixturevalue(name)
    rows = backend.score(PROMPTS[:2], [["paris", "tokyo", "banana the city"], ["yes"]])
    assert [len(r) for r in rows] == [3, 1]
    assert all(math.isfinite(v) and v < 0 for row in rows for v in row)
    shared = backend.score(PROMPTS[:2], ["paris", "tokyo"])
    assert [len(r) for r in shared] == [2, 2]


def test_seq2seq_score_equals_direct_target_loglik(t5: HFBackend) -> None:
    prompt, options = "the minister said that the talks", ["yes", "no the talks", "paris"]
    scores = t5.score([prompt], options)[0]
    normalized = t5.score([prompt], options, normalize=True)[0]
    enc = t5.tokenizer(prompt, return_tensors="pt")
    for option, score, norm in zip(options, scores, normalized, strict=True):
        labels = t5.tokenizer(text_target=option, return_tensors="pt")["input_ids"]
        with torch.no_grad():
            loss = t5.model(**enc, labels=labels).loss  # mean NLL over target tokens
        n = labels.shape[1]
        assert score == pytest.approx(-float(loss) * n, abs=1e-4)
        assert norm == pytest.approx(-float(loss), abs=1e-5)


def test_seq2seq_score_runs_the_encoder_once_per_prompt(t5: HFBackend) -> None:
    calls = []
    handle = t5.model.get_encoder().register_forward_hook(lambda *a: calls.append(1))
    try:
        t5.score(["the talks", "the minister"], ["yes", "no", "paris", "tokyo"])
    finally:
        handle.remove()
    assert len(calls) == 2


def test_causal_score_equals_direct_continuation_loglik(causal: HFBackend) -> None:
    prompt, options = "the capital of france is", ["paris", "banana the city"]
    scores = causal.score([prompt], options)[0]
    for option, score in zip(options, scores, strict=True):
        p_ids = causal.tokenizer(prompt)["input_ids"]
        o_ids = causal.tokenizer(option, add_special_tokens=False)["input_ids"]
        ids = torch.tensor([p_ids + o_ids])
        with torch.no_grad():
            logp = torch.log_softmax(causal.model(input_ids=ids).logits[0], dim=-1)
        expected = sum(float(logp[len(p_ids) - 1 + j, t]) for j, t in enumerate(o_ids))
        assert score == pytest.approx(expected, abs=1e-4)


def test_chat_template_is_used_when_the_tokenizer_has_one(tmp_path: Path) -> None:
    from tiny_models import build_tiny_causal

    template = "{% for m in messages %}question {{ m['content'] }} answer{% endfor %}"
    directory = build_tiny_causal(tmp_path / "chat", chat_template=template)
    backend = load_backend(str(directory))
    assert backend.use_chat_template
    assert backend.format_prompt("the talks") == "question the talks answer"
    plain = load_backend(str(directory), use_chat_template=False)
    assert plain.format_prompt("the talks") == "the talks"
    # The template's tokens are what the model sees.
    (gen,) = backend.generate(["the talks"], GenerationConfig(max_new_tokens=1))
    assert gen.prompt_tokens == 4


def test_bfloat16_dtype_is_honoured(tiny_causal_dir: Path) -> None:
    backend = load_backend(str(tiny_causal_dir), dtype="bfloat16")
    assert backend.model.dtype == torch.bfloat16
    assert math.isfinite(backend.score(["the talks"], ["yes"])[0][0])


@pytest.mark.parametrize("name", ["t5", "causal"])
def test_restrict_to_keeps_the_answer_in_the_given_words(
    name: str, request: pytest.FixtureRequest
) -> None:
    backend: HFBackend = request.getfixturevalue(name)
    free = backend.generate(PROMPTS, GenerationConfig(max_new_tokens=6))
    allowed = "Paris tokyo minister"
    kept = backend.generate(PROMPTS, GenerationConfig(max_new_tokens=6, restrict_to=allowed))
    if name == "causal":  # the random T5 stops at once; the causal model wanders freely
        assert any(set(g.text.split()) - {"paris", "tokyo", "minister"} for g in free)
    for gen in kept:
        assert set(gen.text.split()) <= {"paris", "tokyo", "minister"}, gen.text


@pytest.mark.parametrize("name", ["t5", "causal"])
def test_subsequence_of_keeps_the_source_tokens_in_their_order(
    name: str, request: pytest.FixtureRequest
) -> None:
    backend: HFBackend = request.getfixturevalue(name)
    source = "the minister met the mayor of paris in tokyo on friday"
    processor = backend._subsequence(source, start=0)
    tokens = backend.tokenizer(source, add_special_tokens=False)["input_ids"]
    # After the source's first k tokens, only later tokens (or an ending) may follow.
    for k in range(len(tokens)):
        assert set(tokens[k + 1 :]) <= processor.allowed(tokens[: k + 1])
        assert processor.allowed(tokens[: k + 1]) - set(tokens[k + 1 :]) <= set(processor.free)
    # An answer no tokenisation of the source produces can only end.
    assert processor.allowed(list(reversed(tokens))) == set(processor.free)
    config = GenerationConfig(max_new_tokens=12, subsequence_of=source)
    for gen in backend.generate(PROMPTS, config):
        letters = iter(source)
        assert all(ch in letters for ch in gen.text.replace(" ", "")), gen.text


def test_prompt_lookup_drafting_gives_the_plain_greedy_answer(causal: HFBackend) -> None:
    source = "the minister met the mayor of paris in tokyo on friday"
    configs = [
        GenerationConfig(max_new_tokens=12),
        GenerationConfig(max_new_tokens=12, subsequence_of=source),
        GenerationConfig(max_new_tokens=12, restrict_to=source, stop=("\n",)),
    ]
    assert causal.prompt_lookup > 0  # on by default
    for prompt in [f"Sentence: {source}\nShorter:", *PROMPTS]:
        for config in configs:
            drafted = causal.generate([prompt], config)
            causal.prompt_lookup = 0
            try:
                plain = causal.generate([prompt], config)
            finally:
                causal.prompt_lookup = PROMPT_LOOKUP_TOKENS
            # A drafted step may run a token past a stop string: the answers are the same.
            assert [(g.text, g.finish_reason) for g in drafted] == [
                (g.text, g.finish_reason) for g in plain
            ], (prompt, config)


@pytest.mark.parametrize("name", ["t5", "causal"])
def test_restricted_output_head_gives_the_plain_answers(
    name: str, request: pytest.FixtureRequest
) -> None:
    backend: HFBackend = request.getfixturevalue(name)
    source = "the minister met the mayor of paris in tokyo on friday"
    configs = [
        GenerationConfig(max_new_tokens=10, subsequence_of=source),
        GenerationConfig(max_new_tokens=10, restrict_to=source, stop=("\n",)),
        GenerationConfig(max_new_tokens=10, restrict_to=source, temperature=0.9, seed=3),
        GenerationConfig(max_new_tokens=10, restrict_to=source, subsequence_of=source),
    ]
    head = backend.model.get_output_embeddings()
    assert backend.restricted_head  # on by default
    for config in configs:
        fast = backend.generate(PROMPTS, config)
        assert backend.model.get_output_embeddings() is head  # swapped back
        backend.restricted_head = False
        try:
            plain = backend.generate(PROMPTS, config)
        finally:
            backend.restricted_head = True
        assert [(g.text, g.finish_reason, g.completion_tokens) for g in fast] == [
            (g.text, g.finish_reason, g.completion_tokens) for g in plain
        ], config


def test_restricted_head_logits_are_the_full_heads_on_the_allowed_rows(
    causal: HFBackend,
) -> None:
    from newsbrief.backends.output_layer import RowsHead, output_rows

    head = causal.model.get_output_embeddings()
    rows = [5, 3, 17, 3]
    hidden = torch.randn(2, 4, head.in_features)
    with torch.no_grad():
        full = head(hidden)
        part = RowsHead(head, rows)(hidden)
    assert part.shape == full.shape
    keep = sorted(set(rows))
    assert torch.allclose(part[..., keep], full[..., keep], atol=1e-5)
    others = [i for i in range(full.shape[-1]) if i not in keep]
    assert torch.isinf(part[..., others]).all() and (part[..., others] < 0).all()
    with output_rows(causal.model, None) as on:
        assert not on and causal.model.get_output_embeddings() is head
    with output_rows(causal.model, rows) as on:
        assert on and isinstance(causal.model.get_output_embeddings(), RowsHead)
    assert causal.model.get_output_embeddings() is head


def test_batched_causal_score_equals_one_prompt_at_a_time(
    causal: HFBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsbrief.backends.hf_score as hf_score

    prompts = [
        "the capital of france is",
        "yes",
        "the minister said that the talks with the mayor of paris went well and",
    ]
    options = [["paris", "banana the city of tokyo on friday"], ["no", "maybe"], ["the", "a b"]]
    one_by_one = [causal.score([p], [o])[0] for p, o in zip(prompts, options, strict=True)]
    # Tiny groups: every option its own forward pass, or several per pass (both the
    # full-logits budget and the hidden-states one: the tiny Llama scores from states).
    for budget in (1, 4, 64):
        monkeypatch.setattr(hf_score, "SCORE_POSITIONS", budget)
        monkeypatch.setattr(hf_score, "OPTION_POSITIONS", budget)
        batched = causal.score(prompts, options)
        for got, want in zip(batched, one_by_one, strict=True):
            assert got == pytest.approx(want, abs=1e-4)
    means = causal.score(prompts, options, normalize=True)
    for got, want, opts in zip(means, one_by_one, options, strict=True):
        lengths = [len(causal.tokenizer(o, add_special_tokens=False)["input_ids"]) for o in opts]
        assert got == pytest.approx([w / n for w, n in zip(want, lengths, strict=True)], abs=1e-4)


OPENING = (
    "Shorten each sentence. Keep its words in order. "
    "Sentence: the minister met the mayor of paris in tokyo on friday after the talks. "
    "Shorter: the minister met the mayor of paris. "
    "Sentence: the council voted to ban plastic bags in the city from next year. "
    "Shorter: the council voted to ban plastic bags. "
)


def test_own_greedy_loop_with_reused_openings_gives_generates_answers(
    causal: HFBackend,
) -> None:
    from newsbrief.backends import decoding

    tails = [
        "Sentence: the talks with the mayor went well. Shorter:",
        "Sentence: paris is the capital of france and tokyo of japan. Shorter:",
        "Sentence: yes the minister said. Shorter:",
    ]
    source = "the minister met the mayor of paris in tokyo on friday"
    configs = [
        GenerationConfig(max_new_tokens=12),
        GenerationConfig(max_new_tokens=12, subsequence_of=source),
        GenerationConfig(max_new_tokens=12, restrict_to=source, stop=("\n", "talks")),
        GenerationConfig(max_new_tokens=5, repetition_penalty=1.3),
    ]
    assert decoding.supported(causal.model) and causal.prefix_cache is not None
    causal.prefix_cache.clear()
    own = [causal.generate([OPENING + tail], c)[0] for c in configs for tail in tails]
    assert causal.prefix_cache.hits >= len(own) - 1  # every prompt after the first
    plain_backend = HFBackend(
        causal.model, causal.tokenizer, model_id="plain", prompt_lookup=0, prefix_cache=False
    )
    plain = [plain_backend.generate([OPENING + tail], c)[0] for c in configs for tail in tails]
    assert [(g.text, g.finish_reason) for g in own] == [(g.text, g.finish_reason) for g in plain]
    # The answer never runs past max_new_tokens, EOS or a stop string.
    for gen, config in zip(own, [c for c in configs for _ in tails], strict=True):
        assert gen.completion_tokens <= config.max_new_tokens


def test_a_model_with_its_own_generation_processors_decodes_through_generate(
    tiny_causal_dir: Path,
) -> None:
    from newsbrief.backends import decoding

    backend = load_backend(str(tiny_causal_dir))
    backend.model.generation_config.no_repeat_ngram_size = 2
    assert not decoding.supported(backend.model)
    (gen,) = backend.generate(["the minister said that"], GenerationConfig(max_new_tokens=8))
    words = gen.text.split()
    pairs = list(itertools.pairwise(words))
    assert len(pairs) == len(set(pairs))


def test_sliced_scoring_equals_full_logits(
    causal: HFBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsbrief.backends.output_layer as heads

    prompts = ["the capital of france is", "yes", "the minister said that the talks went"]
    options = [["paris", "banana the city of tokyo on friday"], ["no", "maybe so"], ["on", "a b"]]
    assert causal._sliced_scoring()  # the tiny Llama's logits are its output layer's
    sliced = causal.score(prompts, options)
    # Tiny vocabulary slices: several per call, each holding few logits.
    monkeypatch.setattr(heads.token_logprobs, "__kwdefaults__", {"max_elements": 2048})
    small_slices = causal.score(prompts, options)
    causal.sliced_scoring = False
    try:
        full = causal.score(prompts, options)
    finally:
        causal.sliced_scoring = None
    for a, b, c in zip(sliced, small_slices, full, strict=True):
        assert a == pytest.approx(c, abs=1e-4) and b == pytest.approx(c, abs=1e-4)


def test_logits_changed_after_the_output_layer_turn_sliced_scoring_off(
    tiny_causal_dir: Path,
) -> None:
    from newsbrief.backends.output_layer import hidden_states_are_exact

    backend = load_backend(str(tiny_causal_dir))
    forward = backend.model.forward

    @functools.wraps(forward)
    def capped(*args: object, **kwargs: object) -> object:
        out = forward(*args, **kwargs)
        out.logits = 3.0 * torch.tanh(out.logits / 3.0)  # a soft cap, as in Gemma 2
        return out

    backend.model.forward = capped
    assert not hidden_states_are_exact(backend.model, 1)
    assert backend._sliced_scoring() is False
    (scores,) = backend.score(["the capital of france is"], ["paris", "the city"])
    assert all(math.isfinite(s) for s in scores)


def test_a_prompt_after_one_past_the_sliding_window_runs_from_its_start(
    tmp_path: Path,
) -> None:
    """Issue 17, item 1: a kept prompt longer than the sliding window has lost the states
    of its opening in the sliding layers; a later prompt sharing that opening must not crop
    it (``crop`` raised) but run from its start, and answer as a backend without reuse."""
    from tiny_models import WORDS, build_tiny_sliding

    from newsbrief.backends import decoding

    window = 64
    backend = load_backend(str(build_tiny_sliding(tmp_path / "sliding", window=window)))
    assert decoding.supported(backend.model) and backend.prefix_cache is not None
    opening = " ".join(WORDS[:40]) + " "
    long = opening + " ".join(["the minister said that the talks"] * 6)
    short = [opening + "paris is the capital", opening + "yes the minister said"]
    config = GenerationConfig(max_new_tokens=8)
    order = [long, short[0], short[1]]
    assert backend.count_tokens(long) > window > backend.count_tokens(short[1])
    answers = [backend.generate([p], config)[0] for p in order]
    cache = backend.prefix_cache
    # short[0] after long: no reuse (past the window); short[1] after short[0]: reused.
    assert (cache.hits, cache.reused_tokens) == (1, len(opening.split()) + 1)
    plain = HFBackend(backend.model, backend.tokenizer, model_id="plain", prefix_cache=False)
    expected = [plain.generate([p], config)[0] for p in order]
    assert [(g.text, g.finish_reason) for g in answers] == [
        (g.text, g.finish_reason) for g in expected
    ]


def test_can_cut_a_cache_only_while_its_layers_hold_every_state(tmp_path: Path) -> None:
    from tiny_models import build_tiny_sliding

    from newsbrief.backends import decoding

    backend = load_backend(str(build_tiny_sliding(tmp_path / "sliding", window=8)))

    def prefill(n: int) -> object:
        ids = torch.arange(4, 4 + n)[None]
        with torch.inference_mode():
            return decoding.returned_cache(backend.model(input_ids=ids, use_cache=True))

    inside, past = prefill(7), prefill(12)
    assert decoding.can_cut(inside, 3) and decoding.can_cut(past, 12)
    assert not decoding.can_cut(past, 11) and not decoding.can_cut(past, 3)
    inside.crop(-4)  # what can_cut allows, crop does
    assert inside.get_seq_length() == 3
    with pytest.raises(RuntimeError, match="does not track past states"):
        past.crop(-1)


def test_memory_bounds_on_scoring_give_the_same_scores(
    causal: HFBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Prompts split into one-prompt prefix passes and options run one row at a time (the
    bounds that keep the peak memory down) score as the batched passes do; every score and
    generate call first gives the C heaps' free pages back."""
    from newsbrief.backends import hf_generate, hf_score

    prompts = ["the capital of france is", "a b c", "one two three four five six"]
    options = [["paris", "banana the city"], ["d e f", "x"], ["seven", "eight nine ten"]]
    batched = causal.score(prompts, options)
    released: list[str] = []
    monkeypatch.setattr(hf_score, "release_free_memory", lambda: released.append("score"))
    monkeypatch.setattr(hf_generate, "release_free_memory", lambda: released.append("gen"))
    monkeypatch.setattr(hf_score, "PREFIX_POSITIONS", 1)
    monkeypatch.setattr(hf_score, "OPTION_CACHE_POSITIONS", 1)
    bounded = causal.score(prompts, options)
    for row, expected in zip(bounded, batched, strict=True):
        assert row == pytest.approx(expected, abs=1e-4)
    causal.generate(["a b"], GenerationConfig(max_new_tokens=2))
    assert released == ["score", "gen"]
