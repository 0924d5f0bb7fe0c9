"""Gold records (hand-written reference briefs): pydantic models, JSONL and Dataset loaders."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, ValidationInfo, model_validator

from newsbrief.errors import InputError
from newsbrief.eval.polnear import is_polnear, polnear_fields
from newsbrief.models import DEFAULT_LABELS, FrozenModel, QuoteKind

PathLike = str | os.PathLike[str]


class GoldQuote(FrozenModel):
    """A quote as annotated: a verbatim span of the record's text and its speaker."""

    text: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    speaker: str | None
    kind: QuoteKind
    cue: str | None = None
    """The words that signal the attribution ("said"), where the gold has them (PolNeAR)."""


class GoldStance(FrozenModel):
    """Where a speaker (``None``: the article's author) stands on the article's issue."""

    speaker: str | None
    target: str = Field(min_length=1)
    label: str


class GoldRecord(FrozenModel):
    """One article with its reference summaries, quotes and stances.

    Validate with ``GoldRecord.model_validate(data, context={"labels": labels})`` to check
    stance labels against ``labels`` (default: supportive, opposed, cautious, neutral).
    Every quote must be the exact span ``text[start:end]`` of the record's text.
    """

    id: str = Field(min_length=1)
    title: str | None = None
    text: str = Field(min_length=1)
    source: str
    licence: str
    credit: str | None = None
    summaries: tuple[str, ...] = ()
    quotes: tuple[GoldQuote, ...] = ()
    stances: tuple[GoldStance, ...] = ()
    annotator: str
    notes: str = ""
    reference_systems: dict[str, str] = Field(default_factory=dict)
    """Summaries by reference systems (system name -> summary), e.g. LLM summaries."""

    @model_validator(mode="after")
    def _check_spans_and_labels(self, info: ValidationInfo) -> GoldRecord:
        for index, quote in enumerate(self.quotes):
            if quote.end > len(self.text) or quote.start >= quote.end:
                raise ValueError(
                    f"quotes[{index}]: span [{quote.start}, {quote.end}) is not a non-empty "
                    f"span of the text (length {len(self.text)})"
                )
            found = self.text[quote.start : quote.end]
            if found != quote.text:
                raise ValueError(
                    f"quotes[{index}]: text[{quote.start}:{quote.end}] is {_clip(found)!r}, "
                    f"not the quote text {_clip(quote.text)!r}"
                )
        context = info.context if isinstance(info.context, dict) else {}
        labels = tuple(context.get("labels", DEFAULT_LABELS))
        for index, stance in enumerate(self.stances):
            if stance.label not in labels:
                raise ValueError(
                    f"stances[{index}]: label {stance.label!r} is not one of {', '.join(labels)}"
                )
        return self


@dataclass(frozen=True)
class GoldSet:
    """Gold records with unique ids, in file order.

    Iterate over it for records, index it by id (``gold["wikinews-2019-001"]``).
    """

    records: tuple[GoldRecord, ...]
    labels: tuple[str, ...] = DEFAULT_LABELS
    _by_id: Mapping[str, GoldRecord] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id = {record.id: record for record in self.records}
        if len(by_id) != len(self.records):
            raise ValueError("gold record ids must be unique")
        object.__setattr__(self, "_by_id", by_id)

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[GoldRecord]:
        return iter(self.records)

    def __getitem__(self, record_id: str) -> GoldRecord:
        return self._by_id[record_id]

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._by_id

    @property
    def ids(self) -> tuple[str, ...]:
        """Record ids in order."""
        return tuple(record.id for record in self.records)


def load_gold(
    paths: PathLike | Sequence[PathLike], *, labels: Sequence[str] = DEFAULT_LABELS
) -> GoldSet:
    """Load gold records from JSONL files (one record per line; blank lines are skipped).

    Args:
        paths: a file, a directory (all its ``*.jsonl`` files, sorted by name), or a
            sequence of them.
        labels: the allowed stance labels.

    Returns:
        The records of all files in order; ids are unique across all files.

    Raises:
        InputError: a file is missing, unreadable or empty, a line is not a JSON object or
            not a valid record (bad field, quote span that does not match the text,
            unknown stance label), or an id repeats. The message names the file and line.
    """
    label_set = _check_labels(labels)
    files = _expand(paths)
    records: list[GoldRecord] = []
    seen: dict[str, str] = {}
    for file in files:
        count_before = len(records)
        for lineno, line in _read_lines(file):
            where = f"{file}:{lineno}"
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{where}: broken JSON: {exc.msg} (column {exc.colno})") from exc
            except RecursionError:  # json's decoder recurses once per bracket
                raise InputError(f"{where}: broken JSON: nested too deeply") from None
            records.append(_parse(data, where, label_set, seen))
        if len(records) == count_before:
            raise InputError(f"{file}: no gold records (the file is empty)")
    return GoldSet(tuple(records), label_set)


def gold_from_dataset(
    dataset: Iterable[Mapping[str, Any]], *, labels: Sequence[str] = DEFAULT_LABELS
) -> GoldSet:
    """Build a gold set from a ``datasets.Dataset`` (or any iterable of row dicts).

    Arrow stores a column of dicts as a struct of the union of their keys, so a row may
    carry ``None`` for a field it never had (``reference_systems`` of a record without
    them, or one system's missing summary): such ``None`` values are dropped before
    validation.

    Args:
        dataset: rows with the fields of ``GoldRecord``.
        labels: the allowed stance labels.

    Returns:
        The records in row order.

    Raises:
        InputError: a row is not a valid record or repeats an id (the message names the
            row, counted from 0), or there are no rows.
    """
    label_set = _check_labels(labels)
    records: list[GoldRecord] = []
    seen: dict[str, str] = {}
    for index, row in enumerate(dataset):
        records.append(_parse(_drop_arrow_nulls(row), f"row {index}", label_set, seen))
    if not records:
        raise InputError("the dataset has no rows: no gold records")
    return GoldSet(tuple(records), label_set)


def write_gold(records: Iterable[GoldRecord], path: PathLike) -> None:
    """Write records as JSONL, one per line, UTF-8 without ASCII escapes."""
    with open(path, "w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record.model_dump(mode="json"), ensure_ascii=False) + "\n")


def _parse(data: object, where: str, labels: tuple[str, ...], seen: dict[str, str]) -> GoldRecord:
    if not isinstance(data, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(data).__name__}")
    try:
        if is_polnear(data):
            data = polnear_fields(data)
        record = GoldRecord.model_validate(data, context={"labels": labels})
    except ValidationError as exc:
        raise InputError(
            f"{where}: invalid gold record: {describe_validation_error(exc)}"
        ) from None
    except ValueError as exc:
        raise InputError(f"{where}: invalid PolNeAR record: {exc}") from None
    if record.id in seen:
        raise InputError(f"{where}: duplicate id {record.id!r} (first at {seen[record.id]})")
    seen[record.id] = where
    return record


def describe_validation_error(exc: ValidationError) -> str:
    """One line naming each failing field and why, without pydantic's URLs."""
    problems = []
    for error in exc.errors(include_url=False):
        location = ".".join(str(part) for part in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        problems.append(f"{location}: {message}" if location else message)
    return "; ".join(problems)


def _expand(paths: PathLike | Sequence[PathLike]) -> list[Path]:
    items = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    if not items:
        raise ValueError("paths is empty: give at least one gold file or directory")
    files: list[Path] = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            found = sorted(path.glob("*.jsonl"))
            if not found:
                raise InputError(f"{path}: directory has no *.jsonl gold files")
            files.extend(found)
        else:
            files.append(path)
    return files


def _read_lines(path: Path) -> Iterator[tuple[int, str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such gold file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read gold file: {exc}") from exc
    # Split on "\n" only: str.splitlines() would also split on U+2028 or U+0085, which
    # JSON written with ensure_ascii=False may hold inside strings, and miscount lines.
    for lineno, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield lineno, line


def _drop_arrow_nulls(row: Mapping[str, Any]) -> dict[str, Any]:
    cleaned = {key: value for key, value in row.items() if value is not None}
    systems = cleaned.get("reference_systems")
    if isinstance(systems, Mapping):
        cleaned["reference_systems"] = {k: v for k, v in systems.items() if v is not None}
    return cleaned


def _check_labels(labels: Sequence[str]) -> tuple[str, ...]:
    if isinstance(labels, str) or not labels:
        raise ValueError("labels must be a non-empty sequence of label strings")
    return tuple(labels)


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
