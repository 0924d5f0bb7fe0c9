"""The embedded model's tokenizer, built straight from the cache's tokenizer.json, is the one
``AutoTokenizer.from_pretrained`` builds from the same cache: same ids, text, special tokens."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from newsbrief.backends.embedded import _embedded_tokenizer
from newsbrief.errors import ModelLoadError

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "evals" / "gold" / "wikinews_politics.jsonl"
EXAMPLE = REPO / "examples" / "belarus_potash.txt"

EDGE_TEXTS = [
    "",
    " ",
    "   ",
    "\t",
    "\n",
    "\n\n\n",
    "\r\n",
    " \t \n ",
    "  leading and trailing  ",
    "tabs\tinside\tand\nnewlines\n",
    "<bos>",
    "<eos>",
    "<pad>",
    "<unk>",
    "<mask>",
    "<bos>text<eos>",
    "<start_of_turn>user\nSummarise this.<end_of_turn>\n<start_of_turn>model\n",
    " <start_of_turn> spaced <end_of_turn> ",
    "<start_of_image>",
    "[multimodal]",
    "<unused0><unused1>",
    "<bos",
    "Zürich — naïve café, Ελλάδα, Москва, 東京, القاهرة, עברית",
    "e\u0301 vs \u00e9, \u200bzero\u200bwidth, non\u00a0breaking",
    "emoji 🚀 and 👩\u200d👩\u200d👧 and 🇧🇾",
    "\x00\x01\x7f control bytes",
    "“curly quotes” ‘single’ … – —",
    "Numbers: 1,234.56 2019-01-04 $3bn 45%",
    "a" * 500,
    " ".join(["word"] * 200),
]


def _texts() -> list[str]:
    texts = list(EDGE_TEXTS)
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        texts += [record["title"], record["text"]]
    texts.append(EXAMPLE.read_text(encoding="utf-8"))
    return texts


TEXTS = _texts()


@pytest.fixture(scope="module")
def cache(embedded_backend: Any) -> Path:
    """The converted cache directory (the session's embedded backend made sure it exists)."""
    from newsbrief.backends.embedded import embedded_cache_path

    return embedded_cache_path()


@pytest.fixture(scope="module")
def fast(embedded_backend: Any) -> Any:
    """The tokenizer the embedded backend was loaded with (the fast path)."""
    return embedded_backend.tokenizer


@pytest.fixture(scope="module")
def reference(cache: Path) -> Any:
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(cache), local_files_only=True)


@pytest.mark.embedded
def test_the_embedded_backend_loads_the_fast_tokenizer(fast: Any, reference: Any) -> None:
    assert type(reference).__name__ == "GemmaTokenizer"
    assert type(fast).__name__ != "GemmaTokenizer"  # built from tokenizer.json, not rebuilt
    assert fast.is_fast
    assert fast.padding_side == reference.padding_side == "left"


def test_texts_cover_the_articles() -> None:
    assert len(TEXTS) > 100
    assert sum(len(t) > 1000 for t in TEXTS) >= 40


@pytest.mark.embedded
@pytest.mark.parametrize("add_special_tokens", [True, False])
def test_ids_equal_autotokenizer(fast: Any, reference: Any, add_special_tokens: bool) -> None:
    for text in TEXTS:
        got = fast(text, add_special_tokens=add_special_tokens)
        want = reference(text, add_special_tokens=add_special_tokens)
        assert got["input_ids"] == want["input_ids"], repr(text[:80])
        assert got["attention_mask"] == want["attention_mask"], repr(text[:80])
        assert fast.tokenize(text) == reference.tokenize(text), repr(text[:80])


@pytest.mark.embedded
def test_special_token_strings_encode_to_their_ids(fast: Any, reference: Any) -> None:
    ids = fast("<start_of_turn>user\nhi<end_of_turn>", add_special_tokens=False)["input_ids"]
    assert ids[0] == reference.convert_tokens_to_ids("<start_of_turn>")
    assert fast("<bos>", add_special_tokens=False)["input_ids"] == [fast.bos_token_id]
    assert fast("x")["input_ids"][0] == fast.bos_token_id


@pytest.mark.embedded
def test_batches_pad_on_the_left_as_autotokenizer(fast: Any, reference: Any) -> None:
    batch = ["The mayor said", "", "Officials told reporters that the storm", TEXTS[40][:300]]
    for add_special_tokens in (True, False):
        got = fast(batch, padding=True, add_special_tokens=add_special_tokens)
        want = reference(batch, padding=True, add_special_tokens=add_special_tokens)
        assert got["input_ids"] == want["input_ids"]
        assert got["attention_mask"] == want["attention_mask"]
    tensors = fast(batch, padding=True, return_tensors="pt")
    assert tensors["input_ids"][1, 0].item() == fast.pad_token_id  # left padding


@pytest.mark.embedded
@pytest.mark.parametrize("skip_special_tokens", [True, False])
def test_decode_equals_autotokenizer(fast: Any, reference: Any, skip_special_tokens: bool) -> None:
    sequences = [reference(text)["input_ids"] for text in TEXTS]
    rng = random.Random(7)
    size = len(reference)
    sequences += [
        list(range(0, 400)),  # special, unused and byte-fallback tokens
        list(range(size - 300, size)),
        [rng.randrange(size) for _ in range(2000)],
    ]
    for ids in sequences:
        got = fast.decode(ids, skip_special_tokens=skip_special_tokens)
        want = reference.decode(ids, skip_special_tokens=skip_special_tokens)
        assert got == want, ids[:20]
    assert fast.batch_decode(sequences[:5], skip_special_tokens=skip_special_tokens) == (
        reference.batch_decode(sequences[:5], skip_special_tokens=skip_special_tokens)
    )
    assert fast.convert_ids_to_tokens(sequences[-1]) == reference.convert_ids_to_tokens(
        sequences[-1]
    )


@pytest.mark.embedded
def test_special_tokens_and_vocabulary_equal_autotokenizer(fast: Any, reference: Any) -> None:
    for name in ("bos", "eos", "pad", "unk", "mask"):
        assert getattr(fast, f"{name}_token") == getattr(reference, f"{name}_token"), name
        assert getattr(fast, f"{name}_token_id") == getattr(reference, f"{name}_token_id"), name
    assert (fast.pad_token_id, fast.eos_token_id, fast.bos_token_id) == (0, 1, 2)
    assert fast.all_special_ids == reference.all_special_ids
    assert fast.all_special_tokens == reference.all_special_tokens
    assert len(fast) == len(reference) == 262144
    assert fast.vocab_size == reference.vocab_size
    assert fast.get_vocab() == reference.get_vocab()
    assert fast.added_tokens_decoder == reference.added_tokens_decoder
    assert fast.chat_template == reference.chat_template
    assert fast.chat_template is None
    assert fast.model_max_length == reference.model_max_length
    assert fast.add_bos_token == reference.add_bos_token
    assert fast.add_eos_token == reference.add_eos_token


# Without the model: the fast path's fallbacks and errors.


def _fake_cache(tmp_path: Path, config: dict[str, Any], tokenizer_json: str = "{}") -> Path:
    (tmp_path / "tokenizer_config.json").write_text(json.dumps(config))
    (tmp_path / "tokenizer.json").write_text(tokenizer_json)
    return tmp_path


GEMMA_CONFIG = {
    "backend": "tokenizers",
    "bos_token": "<bos>",
    "eos_token": "<eos>",
    "mask_token": "<mask>",
    "pad_token": "<pad>",
    "tokenizer_class": "GemmaTokenizer",
    "unk_token": "<unk>",
}


def test_a_damaged_tokenizer_json_is_a_model_load_error(tmp_path: Path) -> None:
    cache = _fake_cache(tmp_path, GEMMA_CONFIG, tokenizer_json='{"model": 1')
    with pytest.raises(ModelLoadError, match="delete that directory") as info:
        _embedded_tokenizer(cache)
    assert str(cache) in str(info.value)


def test_a_damaged_tokenizer_config_is_a_model_load_error(tmp_path: Path) -> None:
    (tmp_path / "tokenizer_config.json").write_text("{not json")
    with pytest.raises(ModelLoadError, match="tokenizer from the cache"):
        _embedded_tokenizer(tmp_path)
    (tmp_path / "tokenizer_config.json").unlink()
    with pytest.raises(ModelLoadError, match="FileNotFoundError"):
        _embedded_tokenizer(tmp_path)


@pytest.mark.parametrize(
    "change",
    [
        {"tokenizer_class": "LlamaTokenizer"},
        {"chat_template": "{{ messages }}"},
        {"added_tokens_decoder": {}},
        {"bos_token": {"content": "<bos>", "__type": "AddedToken"}},
    ],
)
def test_an_unexpected_config_loads_through_autotokenizer(
    tmp_path: Path, change: dict[str, Any]
) -> None:
    cache = _fake_cache(tmp_path, {**GEMMA_CONFIG, **change}, tokenizer_json='{"model": 1')
    assert _embedded_tokenizer(cache) is None


def test_an_extra_tokenizer_file_loads_through_autotokenizer(tmp_path: Path) -> None:
    cache = _fake_cache(tmp_path, GEMMA_CONFIG, tokenizer_json='{"model": 1')
    (cache / "chat_template.jinja").write_text("{{ messages }}")
    assert _embedded_tokenizer(cache) is None


@pytest.mark.embedded
def test_a_preloaded_tokenizer_is_used_and_equals_autotokenizer(
    cache: Path, reference: Any
) -> None:
    from newsbrief.backends import embedded

    embedded.preload_embedded_tokenizer()
    preload = embedded._PRELOADS[cache / "tokenizer.json"]
    tokenizer = embedded._embedded_tokenizer(cache)
    assert not embedded._PRELOADS  # taken, not kept
    assert tokenizer.backend_tokenizer is preload.result  # no second parse, no copy
    assert tokenizer.padding_side == "left"
    for text in TEXTS[:40]:
        assert tokenizer(text)["input_ids"] == reference(text)["input_ids"], repr(text[:80])


def test_a_tokenizer_file_changed_after_its_preload_is_read_again(
    tiny_causal_dir: Path, tmp_path: Path
) -> None:
    from newsbrief.backends import embedded

    path = tmp_path / "tokenizer.json"
    path.write_bytes((tiny_causal_dir / "tokenizer.json").read_bytes())
    preload = embedded._TokenizerPreload(path)
    preload.thread.join()
    assert preload.result is not None
    path.write_bytes(path.read_bytes() + b" ")  # rewritten (another size)
    assert preload.take() is None
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert embedded._TokenizerPreload(broken).take() is None  # the reader reports it
