"""Batch inputs: a JSONL file (or standard input) or a directory of ``.txt``/``.html`` files.

Each article has an id: the JSONL ``id`` field or the file's stem. A record without one gets
its line number (``"5"``), or ``"line-5"`` when another record names ``"5"`` explicitly. A
lone surrogate in an id (a string cut mid-character) is written as the six characters
``\\ud83d``; in a text or title it makes a ``BadInput`` (an error record).
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from newsbrief.errors import InputError
from newsbrief.surfaces.html_input import extract_article, is_html_path, looks_like_html
from newsbrief.text.inputs import check_article, check_no_surrogates, escape_surrogates

TEXT_SUFFIXES = frozenset({".txt"})


@dataclass(frozen=True)
class Article:
    """One article to brief: its id, text, optional title and where it came from."""

    id: str
    text: str
    title: str | None = None
    where: str = ""
    line_id: bool = field(default=False, compare=False)
    """The id is the line number (the record has no id of its own)."""
    meta: dict[str, Any] = field(default_factory=dict, compare=False)
    """The input record's other fields (``url``, ``date``, ``outlet``...): carried to its
    output record."""
    extracted: bool = field(default=False, compare=False)
    """``text`` was extracted from an HTML page: the brief carries it (``extracted_text``)."""


@dataclass(frozen=True)
class BadInput:
    """An input that could not be read as an article (bad line, bad file).

    ``record`` is false for a duplicate id: its error must not shadow the first article.
    """

    id: str
    where: str
    message: str
    record: bool = True
    line_id: bool = field(default=False, compare=False)
    """The id is the line number (the record has no id of its own)."""


Item = Article | BadInput


@dataclass(frozen=True)
class InputOptions:
    """Where the fields of a JSONL record are, and whether texts are HTML pages.

    Attributes:
        text_field: the field holding the article text.
        id_field: the field holding the id (the line number when a record lacks it).
        title_field: the field holding the headline (optional in each record).
        html: ``True`` treats every text as HTML, ``None`` decides per text (file suffix,
            or a text opening with ``<!DOCTYPE html>``/``<html>``), ``False`` never.
    """

    text_field: str = "text"
    id_field: str = "id"
    title_field: str = "title"
    html: bool | None = None


# -- reading inputs -------------------------------------------------------------------


def read_inputs(
    source: str,
    options: InputOptions = InputOptions(),
    *,
    stdin: IO[bytes] | None = None,
    output: Path | None = None,
) -> list[Item]:
    """Read every article of a batch input, with a ``BadInput`` for each unusable one.

    Args:
        source: a JSONL file, a directory of ``.txt``/``.html`` files, or ``-`` (JSONL on
            standard input).
        options: field names and HTML handling.
        stdin: the byte stream read for ``-`` (default: ``sys.stdin.buffer``).
        output: the batch's output: a directory input does not read it as an article
            (``--batch articles --out articles/briefs.txt``).

    Raises:
        InputError: the source does not exist, or a directory holds no text files.
    """
    fix = f"give every record its own {options.id_field!r} (--id-field names the field)"
    if source == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        items = list(read_jsonl(stream, name="<stdin>", options=options))
    else:
        path = Path(source)
        if path.is_dir():
            fix = "rename one of the files (the id is the file name without its suffix)"
            items = list(read_directory(path, options=options, skip=output))
        elif path.is_file():
            with path.open("rb") as handle:
                items = list(read_jsonl(handle, name=str(path), options=options))
        else:
            raise InputError(f"{source}: no such file or directory")
    return _mark_duplicates(_line_ids_apart(items), fix)


def read_jsonl(lines: Iterable[bytes], *, name: str, options: InputOptions) -> Iterator[Item]:
    """Articles from JSONL lines; blank lines are skipped, bad lines become ``BadInput``."""
    for number, raw in enumerate(lines, start=1):
        where = f"{name}:{number}"
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            message = f"not UTF-8 ({exc.reason} at byte {exc.start})"
            yield BadInput(str(number), where, message, line_id=True)
            continue
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            # Some messages end in "at" ("Invalid control character at"): no "at at".
            reason = exc.msg.removesuffix(" at")
            message = f"not JSON ({reason} at column {exc.colno})"
            yield BadInput(str(number), where, message, line_id=True)
            continue
        except RecursionError:  # json's decoder recurses once per bracket
            message = "not usable JSON (nested too deeply)"
            yield BadInput(str(number), where, message, line_id=True)
            continue
        yield _article_from_record(data, number, where, options)


def read_directory(
    path: Path, *, options: InputOptions, skip: Path | None = None
) -> Iterator[Item]:
    """Articles from the ``.txt`` and ``.html`` files of a directory (not recursive),
    leaving out ``skip`` (the batch's own output)."""
    skipped = os.path.realpath(skip) if skip is not None else None
    files = sorted(
        p
        for p in path.iterdir()
        if p.is_file()
        and (p.suffix.lower() in TEXT_SUFFIXES or is_html_path(p))
        and os.path.realpath(p) != skipped
    )
    if not files:
        raise InputError(f"{path}: no .txt or .html files in this directory")
    for file in files:
        where = str(file)
        try:
            text = file.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            yield BadInput(file.stem, where, f"not UTF-8 ({exc.reason} at byte {exc.start})")
            continue
        except OSError as exc:
            yield BadInput(file.stem, where, f"cannot read: {exc.strerror or exc}")
            continue
        html = options.html if options.html is not None else is_html_path(file) or None
        yield _article(escape_surrogates(file.stem), text, None, where, html)


def _article_from_record(data: Any, number: int, where: str, options: InputOptions) -> Item:
    if not isinstance(data, dict):
        message = f"expected a JSON object, got {type(data).__name__}"
        return BadInput(str(number), where, message, line_id=True)
    line_id = options.id_field not in data
    raw_id = data.get(options.id_field, number)
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int) or raw_id == "":
        message = f"field {options.id_field!r} must be a string or int"
        return BadInput(str(number), where, message, line_id=True)
    article_id = escape_surrogates(str(raw_id))
    if options.text_field not in data:
        fields = ", ".join(sorted(data)) or "none"
        return BadInput(
            article_id,
            where,
            f"no {options.text_field!r} field (fields: {fields}); choose one with --text-field",
            line_id=line_id,
        )
    text = data[options.text_field]
    if not isinstance(text, str):
        message = f"field {options.text_field!r} is {type(text).__name__}, not text"
        return BadInput(article_id, where, message, line_id=line_id)
    title = data.get(options.title_field)
    title = title if isinstance(title, str) else None
    try:
        if title is not None:
            check_no_surrogates(title, name=f"field {options.title_field!r}")
    except InputError as exc:
        return BadInput(article_id, where, str(exc), line_id=line_id)
    article = _article(article_id, text, title, where, options.html)
    if isinstance(article, BadInput):
        return dataclasses.replace(article, line_id=line_id)
    meta = {k: v for k, v in data.items() if k not in (options.text_field, options.id_field)}
    return dataclasses.replace(article, line_id=line_id, meta=meta)


def _article(article_id: str, text: str, title: str | None, where: str, html: bool | None) -> Item:
    """The article, or a ``BadInput`` when its text is unusable (found before any model loads)."""
    extracted = False
    try:
        if html or (html is None and looks_like_html(text)):
            page = extract_article(text, source=where)
            text, title, extracted = page.text, title or page.title, True
        check_article(text)
    except InputError as exc:
        return BadInput(article_id, where, str(exc).removeprefix(f"{where}: "))
    return Article(article_id, text, title, where, extracted=extracted)


def _line_ids_apart(items: list[Item]) -> list[Item]:
    """Line-number ids that another record names explicitly become ``line-N``."""
    explicit = {item.id for item in items if not item.line_id}
    return [
        dataclasses.replace(item, id=f"line-{item.id}")
        if item.line_id and item.id in explicit
        else item
        for item in items
    ]


def _mark_duplicates(items: list[Item], fix: str) -> list[Item]:
    first: dict[str, str] = {}
    out: list[Item] = []
    for item in items:
        if item.id in first:
            out.append(
                BadInput(
                    item.id,
                    item.where,
                    f"duplicate id {item.id!r} (first at {first[item.id]}); skipped: {fix}, "
                    "or remove the repeat",
                    record=False,
                )
            )
        else:
            first[item.id] = item.where
            out.append(item)
    return out
