"""Tiny real models built in-process (config + tokenizer + random weights), saved to disk.

They exercise the real loading, generation and scoring code without any download.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

WORDS = [
    "the",
    "a",
    "of",
    "to",
    "in",
    "and",
    "is",
    "was",
    "said",
    "that",
    "on",
    "for",
    "with",
    "he",
    "she",
    "it",
    "they",
    "minister",
    "president",
    "sanctions",
    "talks",
    "government",
    "opposition",
    "leader",
    "news",
    "article",
    "capital",
    "france",
    "paris",
    "tokyo",
    "banana",
    "city",
    "country",
    "people",
    "told",
    "reporters",
    "summarize",
    "summary",
    "question",
    "answer",
    "yes",
    "no",
    "supportive",
    "opposed",
    "cautious",
    "neutral",
    "quote",
    "speaker",
    "stance",
]
SPECIALS = ["<pad>", "</s>", "<unk>", "<s>"]


def _tokenizer(*, add_bos: bool, add_eos: bool):  # type: ignore[no-untyped-def]
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    vocab = {tok: i for i, tok in enumerate(SPECIALS + WORDS)}
    core = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    core.pre_tokenizer = pre_tokenizers.Whitespace()
    core.decoder = decoders.WordPiece(prefix="##")  # joins words with spaces
    single = ("<s> " if add_bos else "") + "$A" + (" </s>" if add_eos else "")
    special = [(t, vocab[t]) for t in ("<s>", "</s>") if t in single]
    core.post_processor = processors.TemplateProcessing(single=single, special_tokens=special)
    return PreTrainedTokenizerFast(
        tokenizer_object=core,
        pad_token="<pad>",
        eos_token="</s>",
        unk_token="<unk>",
        bos_token="<s>",
    )


def _save(model_class: Any, config: Any, tokenizer: Any, directory: Path) -> Path:
    """A model of ``model_class`` with seeded random weights, saved with its tokenizer."""
    import torch

    torch.manual_seed(0)
    model = model_class(config)
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


def build_tiny_t5(directory: Path) -> Path:
    """A 2-layer T5 with a word-level tokenizer, saved with ``save_pretrained``."""
    from transformers import T5Config, T5ForConditionalGeneration

    tokenizer = _tokenizer(add_bos=False, add_eos=True)
    config = T5Config(
        vocab_size=len(tokenizer),
        d_model=32,
        d_ff=64,
        d_kv=16,
        num_layers=2,
        num_heads=2,
        pad_token_id=0,
        eos_token_id=1,
        decoder_start_token_id=0,
    )
    return _save(T5ForConditionalGeneration, config, tokenizer, directory)


def build_tiny_causal(directory: Path, *, chat_template: str | None = None) -> Path:
    """A 2-layer Llama-style decoder with a word-level tokenizer (BOS added)."""
    from transformers import LlamaConfig, LlamaForCausalLM

    tokenizer = _tokenizer(add_bos=True, add_eos=False)
    if chat_template is not None:
        tokenizer.chat_template = chat_template
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=256,
        pad_token_id=0,
        eos_token_id=1,
        bos_token_id=3,
        tie_word_embeddings=False,
    )
    return _save(LlamaForCausalLM, config, tokenizer, directory)


def build_tiny_sliding(directory: Path, *, window: int = 16) -> Path:
    """A 2-layer Gemma 3 decoder whose first layer attends over a sliding window of
    ``window`` tokens (the embedded model's layout: sliding layers and a full one)."""
    from transformers import Gemma3ForCausalLM, Gemma3TextConfig

    tokenizer = _tokenizer(add_bos=True, add_eos=False)
    config = Gemma3TextConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=2,
        num_key_value_heads=1,
        head_dim=16,
        sliding_window=window,
        layer_types=["sliding_attention", "full_attention"],
        max_position_embeddings=512,
        pad_token_id=0,
        eos_token_id=1,
        bos_token_id=3,
    )
    return _save(Gemma3ForCausalLM, config, tokenizer, directory)


def build_tiny_compact(directory: Path) -> Path:
    """The tiny Gemma 3 decoder (tied embeddings) in the embedded model's compact cache
    layout: its embedding rounded to ``Q8_0`` blocks first, so that the 8-bit copy gives
    it exactly, as the GGUF's blocks give the embedded model's."""
    import torch
    from transformers import Gemma3ForCausalLM

    from newsbrief.backends import compact

    plain = directory / "plain"
    build_tiny_sliding(plain)
    model = Gemma3ForCausalLM.from_pretrained(plain, dtype=torch.float32)
    weight = model.get_input_embeddings().weight
    q, scale = compact.quantize_q8_0(weight)
    with torch.no_grad():
        weight.copy_(compact.Q8Rows(q, scale, torch.float32).block(0, weight.shape[0]))
    model.save_pretrained(plain)  # the plain copy holds the rounded embedding too
    out = directory / "compact"
    compact.save_compact(model, q, scale, out)
    for path in plain.iterdir():
        if path.name.startswith(("tokenizer", "special_tokens")):
            (out / path.name).write_bytes(path.read_bytes())
    return out


def build_tiny_gguf(path: Path, compact_dir: Path, *, q8_embedding: bool = True) -> Path:
    """The tiny Gemma 3 decoder of :func:`build_tiny_compact` (``compact_dir``) written as a
    GGUF file the way llama.cpp writes the embedded model's: Gemma 3 metadata, a
    SentencePiece-style vocabulary, the token embedding as ``Q8_0`` blocks (the very blocks
    of the compact copy; ``q8_embedding=False``: float32 instead), the attention query
    ``Q5_0``, other matrices ``Q8_0``, the norm weights in float32 plus one (Gemma's
    convention in GGUF), no separate output layer."""
    import gguf
    import numpy as np
    import torch
    from transformers import Gemma3ForCausalLM

    from newsbrief.backends import compact

    model = Gemma3ForCausalLM.from_pretrained(compact_dir.parent / "plain", dtype=torch.float32)
    config = model.config
    writer = gguf.GGUFWriter(str(path), "gemma3")
    writer.add_name("tiny gemma 3")
    writer.add_context_length(config.max_position_embeddings)
    writer.add_embedding_length(config.hidden_size)
    writer.add_block_count(config.num_hidden_layers)
    writer.add_feed_forward_length(config.intermediate_size)
    writer.add_head_count(config.num_attention_heads)
    writer.add_head_count_kv(config.num_key_value_heads)
    writer.add_key_length(config.head_dim)
    writer.add_value_length(config.head_dim)
    writer.add_layer_norm_rms_eps(config.rms_norm_eps)
    writer.add_rope_freq_base(1_000_000.0)
    writer.add_sliding_window(config.sliding_window)
    tokens = ["<pad>", "<eos>", "<unk>", "<bos>"] + ["\u2581" + word for word in WORDS]
    assert len(tokens) == config.vocab_size
    writer.add_tokenizer_model("llama")
    writer.add_tokenizer_pre("default")
    writer.add_token_list(tokens)
    writer.add_token_scores([0.0] * len(tokens))
    writer.add_token_types([3, 3, 2, 3] + [1] * len(WORDS))
    writer.add_bos_token_id(3)
    writer.add_eos_token_id(1)
    writer.add_unk_token_id(2)
    writer.add_pad_token_id(0)
    writer.add_add_bos_token(True)
    writer.add_add_eos_token(False)
    names = gguf.get_tensor_name_map(gguf.MODEL_ARCH.GEMMA3, config.num_hidden_layers)
    q, scale = compact.q8_0_blocks_of(compact_dir)
    rows = q.shape[0]
    scale_bytes = scale.numpy().view(np.uint8).reshape(rows, -1, 2)
    q_bytes = q.numpy().view(np.uint8).reshape(rows, -1, compact.Q8_BLOCK)
    blocks = np.concatenate([scale_bytes, q_bytes], axis=-1).reshape(rows, -1)
    if q8_embedding:
        writer.add_tensor("token_embd.weight", blocks, raw_dtype=gguf.GGMLQuantizationType.Q8_0)
    else:
        writer.add_tensor("token_embd.weight", model.get_input_embeddings().weight.detach().numpy())
    for name, tensor in model.state_dict().items():
        if name in ("model.embed_tokens.weight", "lm_head.weight"):
            continue
        base, _, suffix = name.rpartition(".")
        gguf_name = f"{names.get_name(base)}.{suffix}"
        values = tensor.numpy()
        if "norm" in name:
            writer.add_tensor(gguf_name, values + 1)
            continue
        kind = gguf.GGMLQuantizationType.Q8_0
        if "q_proj" in name:
            kind = gguf.GGMLQuantizationType.Q5_0
        writer.add_tensor(gguf_name, gguf.quants.quantize(values, kind), raw_dtype=kind)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path
