"""Where a model's weights are and how they load safely into an ``HFBackend``.

Sources: a hub id (cached or reachable), a local directory with ``config.json``, or a
``.gguf`` file. Pickle checkpoints are refused unless the caller allows them, remote code
is off unless asked for, and an unreachable hub fails in seconds instead of retrying.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsbrief.backends.devices import resolve_device, resolve_dtype
from newsbrief.backends.gguf_check import GGUFFormatError, check_gguf_structure
from newsbrief.backends.hf import HFBackend
from newsbrief.backends.options import LoadOptions
from newsbrief.errors import ModelLoadError

logger = logging.getLogger(__name__)

PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".ckpt", ".pkl")
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.\-]*(/[A-Za-z0-9][\w.\-]*)?$")


@dataclass(frozen=True)
class ModelSource:
    """Where to load from: a directory or hub id, and the GGUF file inside it if any."""

    location: str
    gguf_file: str | None = None
    local_files_only: bool = True
    revision: str | None = None
    """The commit a hub look-up pinned (it overrides the revision asked for)."""


def resolve_source(name: str, *, allow_pickle: bool, revision: str | None = None) -> ModelSource:
    """Decide where ``name`` loads from, failing fast with a message that says what to do."""
    path = Path(name).expanduser()
    if path.exists():
        if path.is_file():
            return _file_source(path)
        return _directory_source(path, allow_pickle=allow_pickle)
    if _looks_like_path(name):
        raise ModelLoadError(
            f"no such file or directory: {name!r}; pass an existing model directory, a .gguf "
            "file, or a hub id such as 'google/flan-t5-large'",
            model_id=name,
        )
    if not _HUB_ID.match(name):
        raise ModelLoadError(
            f"{name!r} is neither an existing path nor a valid hub id ('org/name')",
            model_id=name,
        )
    return _hub_source(name, revision=revision)


def _looks_like_path(name: str) -> bool:
    return (
        name.startswith((".", "/", "~", "\\"))
        or name.endswith(".gguf")
        or name.count("/") > 1
        or "\\" in name
        or (len(name) > 1 and name[1] == ":")
    )


def _file_source(path: Path) -> ModelSource:
    if path.suffix.lower() in PICKLE_SUFFIXES:
        raise ModelLoadError(
            f"{path} is a pickle checkpoint; newsbrief loads a model directory (config.json + "
            "safetensors) or a .gguf file. Pass the directory (with allow_pickle=True if you "
            "trust a pickle checkpoint: loading one can run code)",
            model_id=str(path),
        )
    if path.suffix.lower() != ".gguf":
        raise ModelLoadError(
            f"{path} is a file but not a .gguf model; pass a model directory or a .gguf file",
            model_id=str(path),
        )
    check_gguf(path)
    return ModelSource(str(path.parent.resolve()), gguf_file=path.name)


def check_gguf(path: Path) -> None:
    """Fail in well under a second on a file that is not a complete GGUF model."""
    try:
        check_gguf_structure(path)
    except ImportError as exc:  # the tensor type table comes from the gguf package
        raise ModelLoadError(
            "loading .gguf files needs the 'gguf' package: pip install gguf", model_id=str(path)
        ) from exc
    except GGUFFormatError as exc:
        raise ModelLoadError(
            f"{path} is not a complete GGUF model ({exc}); the file is damaged or truncated: "
            "download or assemble it again",
            model_id=str(path),
        ) from exc
    except OSError as exc:
        raise ModelLoadError(f"cannot read {path}: {exc}", model_id=str(path)) from exc


def _directory_source(path: Path, *, allow_pickle: bool) -> ModelSource:
    if not (path / "config.json").is_file():
        ggufs = sorted(path.glob("*.gguf"))
        hint = (
            f"; it holds {ggufs[0].name}: pass that file instead"
            if ggufs
            else "; pass a directory written by save_pretrained, or a .gguf file"
        )
        raise ModelLoadError(f"{path} has no config.json{hint}", model_id=str(path))
    has_safetensors = any(path.glob("*.safetensors"))
    pickles = [p.name for p in path.iterdir() if p.suffix.lower() in PICKLE_SUFFIXES]
    if not has_safetensors and pickles and not allow_pickle:
        raise ModelLoadError(
            f"{path} holds only pickle weights ({', '.join(sorted(pickles))}), which can run "
            "code when loaded; convert them to safetensors, or pass allow_pickle=True if you "
            "trust the source",
            model_id=str(path),
        )
    if not has_safetensors and not pickles:
        raise ModelLoadError(f"{path} has no model weights (*.safetensors)", model_id=str(path))
    return ModelSource(str(path.resolve()))


def hub_timeout() -> float:
    """Seconds one hub metadata request may take: ``HF_HUB_ETAG_TIMEOUT`` (the hub library's
    own setting for metadata requests, 10 by default)."""
    from huggingface_hub import constants

    return float(constants.HF_HUB_ETAG_TIMEOUT)


def _hub_source(repo_id: str, *, revision: str | None) -> ModelSource:
    """A cached hub id loads with no network; an uncached one is looked up on the hub in one
    request bounded by :func:`hub_timeout`, which pins the revision to a commit.

    The look-up goes through the hub library's own client (proxies, token, endpoint), so an
    offline machine, a refused connection, an endpoint that accepts connections but never
    answers, an unknown or gated repository all fail in seconds. Pinning the commit means
    the load that follows makes no revision request of its own: ``huggingface_hub`` 2.x
    sends those without a timeout, and one to a silent endpoint waited for over 25 minutes.
    Files are then fetched under the hub's ``HF_HUB_ETAG_TIMEOUT`` and
    ``HF_HUB_DOWNLOAD_TIMEOUT``.
    """
    from huggingface_hub import HfApi, constants, try_to_load_from_cache
    from huggingface_hub.errors import (
        GatedRepoError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    cached = try_to_load_from_cache(repo_id, "config.json", revision=revision)
    if isinstance(cached, str):
        # Cached: load without touching the network at all.
        return ModelSource(repo_id, local_files_only=True)
    if constants.HF_HUB_OFFLINE:
        raise ModelLoadError(
            f"{repo_id!r} is not in the Hugging Face cache and HF_HUB_OFFLINE is set; "
            "download it on a connected machine (huggingface-cli download "
            f"{repo_id}) or pass a local directory or .gguf file",
            model_id=repo_id,
        )
    timeout = hub_timeout()
    try:
        info = HfApi().model_info(repo_id, revision=revision, timeout=timeout)
    except GatedRepoError as exc:
        raise ModelLoadError(
            f"{repo_id!r} is gated on the hub: accept its terms on the model page and log in "
            "(hf auth login or HF_TOKEN)",
            model_id=repo_id,
        ) from exc
    except RevisionNotFoundError as exc:
        raise ModelLoadError(
            f"{repo_id!r} has no revision {revision!r} on the hub", model_id=repo_id
        ) from exc
    except RepositoryNotFoundError as exc:
        raise ModelLoadError(
            f"no model {repo_id!r} on the hub ({constants.ENDPOINT}), or it is private: check "
            "the id, or log in (hf auth login or HF_TOKEN)",
            model_id=repo_id,
        ) from exc
    except Exception as exc:  # the client's transport errors: refused, timed out, proxy, TLS
        message = " ".join(str(exc).split())[:300] or type(exc).__name__
        raise ModelLoadError(
            f"{repo_id!r} is not cached and the model hub ({constants.ENDPOINT}) cannot be "
            f"reached within {timeout:g} s ({type(exc).__name__}: {message}); download it "
            "where there is network, pass a local directory or .gguf file, or use the "
            "embedded default (Briefer() with no model). HF_HUB_ETAG_TIMEOUT sets the wait",
            model_id=repo_id,
        ) from exc
    return ModelSource(repo_id, local_files_only=False, revision=info.sha or revision)


def load_from_source(
    source: ModelSource,
    *,
    model_id: str,
    options: LoadOptions | None = None,
    tokenizer: Any = None,
) -> HFBackend:
    """Load config, model class (from the config) and tokenizer from ``source``.

    Args:
        source: where the weights are (:func:`resolve_source`).
        model_id: the name the backend reports.
        options: device, dtype and the rest (``None``: the defaults of
            :class:`~newsbrief.backends.options.LoadOptions`).
        tokenizer: used as is instead of ``AutoTokenizer.from_pretrained`` when given
            (the embedded model's cache builds its tokenizer faster itself).
    """
    from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer

    options = options or LoadOptions()
    allow_pickle = options.allow_pickle
    trust_remote_code = options.trust_remote_code
    target_device = resolve_device(options.device)
    torch_dtype = resolve_dtype(options.dtype, target_device)
    common: dict[str, Any] = {
        "trust_remote_code": trust_remote_code,
        "local_files_only": source.local_files_only,
        "revision": source.revision or options.revision,
    }
    if source.gguf_file:
        common["gguf_file"] = source.gguf_file
    try:
        config = AutoConfig.from_pretrained(source.location, **common)
        is_seq2seq = bool(getattr(config, "is_encoder_decoder", False))
        model_class = AutoModelForSeq2SeqLM if is_seq2seq else AutoModelForCausalLM
        weights: dict[str, Any] = {}
        if not source.gguf_file:
            # Prefer safetensors; refuse pickle unless the caller allowed it.
            weights["use_safetensors"] = None if allow_pickle else True
        model: Any = model_class.from_pretrained(
            source.location, config=config, dtype=torch_dtype, **common, **weights
        )
        if tokenizer is None:
            tokenizer = AutoTokenizer.from_pretrained(source.location, **common)
    except ModelLoadError:
        raise
    except Exception as exc:  # safetensors' SafetensorError is a bare Exception subclass
        message = " ".join(str(exc).split())[:800] or type(exc).__name__
        hint = ""
        if "safetensors" in message.lower() and not allow_pickle:
            hint = (
                "; the checkpoint seems to have only pickle weights: pass allow_pickle=True "
                "if you trust it"
            )
        if "trust_remote_code" in message and not trust_remote_code:
            hint = (
                "; the checkpoint ships its own code: pass trust_remote_code=True only if you "
                "trust it"
            )
        raise ModelLoadError(
            f"could not load {model_id!r}: {type(exc).__name__}: {message}{hint}",
            model_id=model_id,
        ) from exc
    model.to(target_device)
    logger.info(
        "loaded %s (%s) on %s as %s", model_id, type(model).__name__, target_device, torch_dtype
    )
    return HFBackend(
        model,
        tokenizer,
        model_id=model_id,
        use_chat_template=options.use_chat_template,
        loaded_from=source.location
        if not source.gguf_file
        else str(Path(source.location) / source.gguf_file),
    )
