"""Brief a Hugging Face ``datasets.Dataset`` column in batches, into flat columns.

Example::

    from datasets import load_dataset
    from newsbrief import Briefer
    from newsbrief.surfaces.hf_datasets import brief_dataset

    articles = load_dataset("json", data_files="articles.jsonl", split="train")
    briefed = brief_dataset(articles, Briefer(), text_column="text", batch_size=8)
    briefed.select_columns(["summary", "quote_speakers", "stance_labels"])[0]

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
that decides the briefs: the dataset, these options, the Briefer's settings, the model
(id, device, dtype) and every prompt template's hash (see :func:`brief_fingerprint`).
"""

from __future__ import annotations

import hashlib
import json
import uuid
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from newsbrief.errors import NewsbriefError
from newsbrief.models import Brief

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
    """The ``datasets.Features`` of the columns :func:`brief_dataset` adds."""
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
    *,
    text_column: str = "text",
    title_column: str | None = None,
    target: str | None = None,
    summary: bool = True,
    stances: bool = True,
    on_error: OnError = "record",
) -> Callable[[dict[str, list[Any]]], dict[str, list[Any]]]:
    """A function for ``dataset.map(fn, batched=True)`` that adds the brief columns.

    Use :func:`brief_dataset` unless you need to pass your own ``map`` arguments; then
    also pass ``features=brief_features_for(dataset)``.

    Args:
        briefer: made once, reused for every article.
        text_column: the column holding the article text.
        title_column: a column holding headlines, if any.
        target: the issue to take stances on (inferred per article when ``None``).
        summary: write summaries.
        stances: score stances.
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
        columns: dict[str, list[Any]] = {name: [] for name in BRIEF_COLUMNS}
        for text, title in zip(texts, titles, strict=True):
            try:
                row = brief_to_columns(
                    briefer.brief(text, title, target, summary=summary, stances=stances)
                )
            except (NewsbriefError, ValueError, TypeError) as exc:
                if on_error == "raise":
                    raise
                row = brief_to_columns(None, f"{type(exc).__name__}: {exc}")
            for name in BRIEF_COLUMNS:
                columns[name].append(row[name])
        return columns

    return add_brief_columns


def brief_dataset(
    dataset: Any,
    briefer: Briefer,
    *,
    text_column: str = "text",
    title_column: str | None = None,
    target: str | None = None,
    batch_size: int = 8,
    summary: bool = True,
    stances: bool = True,
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
        text_column: the column holding the article text.
        title_column: a column holding headlines, if any.
        target: the issue to take stances on (inferred per article when ``None``).
        batch_size: articles per ``map`` batch.
        summary: write summaries.
        stances: score stances.
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
    options = {
        "text_column": text_column,
        "title_column": title_column,
        "target": target,
        "summary": summary,
        "stances": stances,
        "on_error": on_error,
    }
    fingerprint = brief_fingerprint(briefer, options, getattr(dataset, "_fingerprint", ""))
    fn = brief_batch_fn(
        briefer,
        text_column=text_column,
        title_column=title_column,
        target=target,
        summary=summary,
        stances=stances,
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


def brief_fingerprint(briefer: Briefer, options: dict[str, Any], dataset_fingerprint: str) -> str:
    """The cache key of briefing a dataset: a hash of everything that decides the briefs.

    It covers the dataset's own fingerprint, the options of the call, the package version,
    the Briefer's settings (style, seed, attempts, summary sentences), the model (id,
    family, device and dtype of a transformers model) and the hash of every prompt
    template. A backend that is not a transformers model (a ``ScriptedBackend``, your
    own) cannot be named by what it answers, so only the same object reuses the cache.
    """
    from newsbrief import __version__
    from newsbrief.steps.prompts import available_templates

    summarizer = getattr(briefer, "_summarizer", None)
    settings = {
        "dataset": dataset_fingerprint,
        "options": options,
        "version": __version__,
        "style": briefer.style,
        "seed": briefer.seed,
        "max_attempts": briefer.max_attempts,
        "summary_sentences": getattr(summarizer, "max_sentences", None),
        "summary_words": getattr(summarizer, "max_words", None),
        "model_id": briefer.backend.model_id,
        "backend": _backend_identity(briefer.backend),
        "prompts": sorted(f"{t.id}:{t.sha256}" for t in available_templates()),
    }
    text = json.dumps(settings, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _backend_identity(backend: Any) -> str:
    from newsbrief.backends.hf import HFBackend

    if isinstance(backend, HFBackend):
        return repr(backend)  # model id, family, device, dtype
    try:
        return _INSTANCE_TOKENS.setdefault(backend, uuid.uuid4().hex)
    except TypeError:  # neither hashable nor weakly referable: never reuse a cache
        return uuid.uuid4().hex
