"""Brief a Hugging Face ``datasets.Dataset`` column in batches, into flat columns.

Example::

    from datasets import load_dataset
    from newsbrief import Briefer, BriefOptions
    from newsbrief.surfaces.hf_datasets import brief_hf_dataset

    articles = load_dataset("json", data_files="articles.jsonl", split="train")
    briefed = brief_hf_dataset(articles, Briefer(), BriefOptions(target="the sanctions"))
    briefed.select_columns(["summary", "quote_speakers", "stance_labels"])[0]

Ray's ``newsbrief.surfaces.distributed.brief_ray_dataset`` briefs a Ray Dataset into records.

The new columns (one value per article; lists are aligned within a row):

- ``summary`` (str), ``issue`` (str)
- ``quote_texts``, ``quote_speakers`` (None when unattributed), ``quote_kinds`` (str lists),
  ``quote_starts``, ``quote_ends`` (int lists: character offsets into the text column)
- ``stance_speakers`` (None for the author), ``stance_labels`` (str lists),
  ``stance_confidences`` (float list)
- ``failed_steps`` (str list): steps of a brief that failed (``Brief.failures``; the rest
  of the brief stands; details in ``brief_json``)
- ``brief_json`` (str): the whole ``Brief`` as JSON (``Brief.model_validate_json``)
- ``brief_error`` (str or None): why the article failed, with ``on_error="record"``

``datasets`` caches the result of ``map``; its fingerprint here is a hash of everything
that decides the briefs: the dataset, every ``BriefOptions`` field (the Briefer's own
settings filling those left ``None``), the model (id, device, dtype, its local files' sizes
and times, every loading option of ``Briefer.load_options``), the stance head and every
prompt template's hash (see :func:`brief_fingerprint`).
"""

from __future__ import annotations

import hashlib
import json
import uuid
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from newsbrief.errors import InputError
from newsbrief.models import Brief
from newsbrief.options import BriefOptions, BriefRecord

if TYPE_CHECKING:
    from newsbrief.briefer import Briefer

OnError = Literal["raise", "record"]

BRIEF_COLUMNS: tuple[str, ...] = (
    "summary",
    "issue",
    "quote_texts",
    "quote_speakers",
    "quote_kinds",
    "quote_starts",
    "quote_ends",
    "stance_speakers",
    "stance_labels",
    "stance_confidences",
    "failed_steps",
    "brief_json",
    "brief_error",
)


def brief_features() -> Any:
    """The ``datasets.Features`` of the columns :func:`brief_hf_dataset` adds."""
    from datasets import Features, Value

    try:
        from datasets import List
    except ImportError:  # datasets < 4 names list features Sequence
        from datasets import Sequence as List

    return Features(
        {
            "summary": Value("string"),
            "issue": Value("string"),
            "quote_texts": List(Value("string")),
            "quote_speakers": List(Value("string")),
            "quote_kinds": List(Value("string")),
            "quote_starts": List(Value("int64")),
            "quote_ends": List(Value("int64")),
            "stance_speakers": List(Value("string")),
            "stance_labels": List(Value("string")),
            "stance_confidences": List(Value("float64")),
            "failed_steps": List(Value("string")),
            "brief_json": Value("string"),
            "brief_error": Value("string"),
        }
    )


def brief_features_for(dataset: Any) -> Any:
    """The features of ``dataset`` with the brief columns added."""
    from datasets import Features

    return Features({**dataset.features, **brief_features()})


def record_columns(record: BriefRecord) -> dict[str, Any]:
    """One row's values of the brief columns for an article's record."""
    if record.error is not None:
        return brief_to_columns(None, f"{record.error.type}: {record.error.message}")
    return brief_to_columns(record.brief)


def brief_to_columns(brief: Brief | None, error: str | None = None) -> dict[str, Any]:
    """One row's values of the brief columns (empty values and ``error`` for a failure)."""
    if brief is None:
        empty: dict[str, Any] = {name: [] for name in BRIEF_COLUMNS}
        empty.update(summary="", issue="", brief_json="", brief_error=error)
        return empty
    return {
        "summary": brief.summary,
        "issue": brief.issue,
        "quote_texts": [q.text for q in brief.quotes],
        "quote_speakers": [q.speaker for q in brief.quotes],
        "quote_kinds": [q.kind for q in brief.quotes],
        "quote_starts": [q.start for q in brief.quotes],
        "quote_ends": [q.end for q in brief.quotes],
        "stance_speakers": [s.speaker for s in brief.stances],
        "stance_labels": [s.label for s in brief.stances],
        "stance_confidences": [s.confidence for s in brief.stances],
        "failed_steps": [f.step for f in brief.failures],
        "brief_json": brief.model_dump_json(),
        "brief_error": None,
    }


def brief_batch_fn(
    briefer: Briefer,
    options: BriefOptions | None = None,
    *,
    text_column: str = "text",
    title_column: str | None = None,
    on_error: OnError = "record",
) -> Callable[[dict[str, list[Any]]], dict[str, list[Any]]]:
    """A function for ``dataset.map(fn, batched=True)`` that adds the brief columns.

    Use :func:`brief_hf_dataset` unless you need to pass your own ``map`` arguments; then
    also pass ``features=brief_features_for(dataset)`` and ``new_fingerprint=``
    :func:`brief_fingerprint`.

    Args:
        briefer: made once, reused for every article.
        options: what to produce and the settings (``Briefer.brief_many``).
        text_column: the column holding the article text.
        title_column: a column holding headlines, if any.
        on_error: ``"record"`` puts the error message in ``brief_error`` and goes on;
            ``"raise"`` stops at the first article that fails.
    """
    if on_error not in ("raise", "record"):
        raise ValueError("on_error must be 'raise' or 'record'")

    def add_brief_columns(batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
        if text_column not in batch:
            raise KeyError(f"no column {text_column!r}; columns: {sorted(batch)}")
        texts = batch[text_column]
        titles = batch[title_column] if title_column else [None] * len(texts)
        items = []
        bad_titles: dict[str, BriefRecord] = {}
        for i, (text, title) in enumerate(zip(texts, titles, strict=True)):
            if title is None or isinstance(title, str):
                items.append((str(i), text, title))
                continue
            # A dataset's column is data, not an argument: an input error for its row.
            message = f"column {title_column!r} holds {type(title).__name__}, not a title"
            if on_error == "raise":
                raise InputError(f"row {i}: {message}")
            bad_titles[str(i)] = BriefRecord.failed(str(i), "InputError", message)
        briefed = iter(briefer.brief_many(items, options, on_error=on_error))
        columns: dict[str, list[Any]] = {name: [] for name in BRIEF_COLUMNS}
        for i in range(len(texts)):
            record = bad_titles.get(str(i)) or next(briefed)
            row = record_columns(record)
            for name in BRIEF_COLUMNS:
                columns[name].append(row[name])
        return columns

    return add_brief_columns


def brief_hf_dataset(
    dataset: Any,
    briefer: Briefer,
    options: BriefOptions | None = None,
    *,
    text_column: str = "text",
    title_column: str | None = None,
    batch_size: int = 8,
    on_error: OnError = "record",
) -> Any:
    """Brief every article of a ``datasets.Dataset``; returns it with the brief columns.

    Runs ``dataset.map(batched=True)`` with explicit features, so empty quote lists in a
    first batch do not fix a wrong column type. The map's cache fingerprint is
    :func:`brief_fingerprint` (hashing the model itself would serialise its weights). See
    the module docstring for the columns.

    Args:
        dataset: a ``datasets.Dataset``.
        briefer: the ``Briefer`` to use.
        options: what to produce (target, summary, stances, labels) and the settings;
            ``None``: the Briefer's (``Briefer.options``).
        text_column: the column holding the article text.
        title_column: a column holding headlines, if any.
        batch_size: articles per ``map`` batch.
        on_error: ``"record"`` (error text in ``brief_error``) or ``"raise"``.

    Raises:
        ValueError: ``text_column`` is missing, or a brief column already exists.
    """
    names = list(dataset.column_names)
    if text_column not in names:
        raise ValueError(f"no column {text_column!r} in the dataset; columns: {names}")
    if title_column is not None and title_column not in names:
        raise ValueError(f"no column {title_column!r} in the dataset; columns: {names}")
    clash = [c for c in BRIEF_COLUMNS if c in names]
    if clash:
        raise ValueError(f"the dataset already has brief columns {clash}; remove them first")
    fn = brief_batch_fn(
        briefer, options, text_column=text_column, title_column=title_column, on_error=on_error
    )
    fingerprint = brief_fingerprint(
        briefer,
        options,
        getattr(dataset, "_fingerprint", ""),
        text_column=text_column,
        title_column=title_column,
        on_error=on_error,
    )
    return dataset.map(
        fn,
        batched=True,
        batch_size=batch_size,
        features=brief_features_for(dataset),
        new_fingerprint=fingerprint,
        desc="briefing",
    )


#: Tokens for backends whose answers cannot be named (scripted, user-made): one per object.
_INSTANCE_TOKENS: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


def brief_fingerprint(
    briefer: Briefer,
    options: BriefOptions | None,
    dataset_fingerprint: str,
    **columns: Any,
) -> str:
    """The cache key of briefing a dataset: a hash of everything that decides the briefs.

    It covers the dataset's own fingerprint, every field of ``options`` with the Briefer's
    settings filling those left ``None`` (target, summary, stances, labels, summary
    sentences, attempts, seed, style), the other arguments of the call (``columns``), the
    package version, the model (id, family, device and dtype of a transformers model, the
    size and modification time of each file of a local model (:func:`weights_identity`),
    and every loading option of :attr:`Briefer.load_options <newsbrief.Briefer>`), the
    stance head (its file's hash, or zero-shot) and the hash of every prompt template. A
    backend that is not a transformers model (a ``ScriptedBackend``, your own) cannot be
    named by what it answers, so only the same object reuses the cache.
    """
    from newsbrief import __version__
    from newsbrief.steps.prompts import available_templates

    chosen = (options or BriefOptions()).resolved(briefer.options)
    settings = {
        "dataset": dataset_fingerprint,
        "options": chosen.as_dict(),
        "call": columns,
        "version": __version__,
        "model_id": briefer.backend.model_id,
        "backend": _backend_identity(briefer.backend),
        "weights": weights_identity(briefer.backend),
        "load_options": _load_options_identity(briefer),
        "stance_head": _stance_head_identity(getattr(briefer, "_stance_head_choice", None)),
        "prompts": sorted(f"{t.id}:{t.sha256}" for t in available_templates()),
    }
    text = json.dumps(settings, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _load_options_identity(briefer: Briefer) -> dict[str, Any] | None:
    """Every option the Briefer's model loaded with (``None``: it was handed a backend)."""
    options = getattr(briefer, "load_options", None)
    return None if options is None else options.as_dict()


def _stance_head_identity(choice: object) -> str:
    """What decides the stance head: zero-shot, or the hash of the head file chosen (the
    shipped one for ``None``; a model it does not belong to is named by the backend)."""
    if choice is False:
        return "zero-shot"
    from importlib import resources

    from newsbrief.steps.heads.stance import SHIPPED

    if choice is None or choice is True:
        path = Path(str(resources.files("newsbrief.steps.heads").joinpath(SHIPPED)))
    else:
        path = Path(str(choice))
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return f"unreadable:{path}"


def weights_identity(backend: Any) -> list[tuple[str, int, int]]:
    """The name, size and modification time (ns) of every file a local model loaded from
    (``backend.loaded_from``: its directory, or its .gguf file), so weights rewritten in
    place change the cache key. A ``stat`` per file, no read: microseconds for a model
    directory. Empty for a backend with no local files (a hub id, a scripted backend)."""
    where = getattr(backend, "loaded_from", None)
    if not isinstance(where, str) or not where:
        return []
    path = Path(where)
    try:
        files = [path] if path.is_file() else sorted(p for p in path.iterdir() if p.is_file())
        stats = [(file.name, file.stat()) for file in files]
    except OSError:
        return []
    return [(name, stat.st_size, stat.st_mtime_ns) for name, stat in stats]


def _backend_identity(backend: Any) -> str:
    from newsbrief.backends.hf import HFBackend

    if isinstance(backend, HFBackend):
        return repr(backend)  # model id, family, device, dtype
    try:
        return _INSTANCE_TOKENS.setdefault(backend, uuid.uuid4().hex)
    except TypeError:  # neither hashable nor weakly referable: never reuse a cache
        return uuid.uuid4().hex
