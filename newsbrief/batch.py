"""Batch briefing: many articles in, one JSONL record per article out, resumable.

Inputs are a JSONL file (or standard input) with one article per line, or a directory of
``.txt`` (and ``.html``) files. Each article has an id: the JSONL ``id`` field (or the line
number) or the file's stem. Every finished record is appended, flushed and fsynced at once,
so a crash or Ctrl-C loses nothing finished; a rerun reads the ids already in the output and
skips them. Records::

    {"id": "a1", "brief": {...}}                                  # a Brief as JSON
    {"id": "a2", "error": {"type": "InputError", "message": "..."}}
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from newsbrief.errors import InputError, NewsbriefError
from newsbrief.html_input import extract_article, is_html_path, looks_like_html
from newsbrief.models import Brief

logger = logging.getLogger(__name__)

TEXT_SUFFIXES = frozenset({".txt"})


@dataclass(frozen=True)
class Article:
    """One article to brief: its id, text, optional title and where it came from."""

    id: str
    text: str
    title: str | None = None
    where: str = ""


@dataclass(frozen=True)
class BadInput:
    """An input that could not be read as an article (bad line, bad file).

    ``record`` is false for a duplicate id: its error must not shadow the first article.
    """

    id: str
    where: str
    message: str
    record: bool = True


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
    source: str, options: InputOptions = InputOptions(), *, stdin: IO[bytes] | None = None
) -> list[Item]:
    """Read every article of a batch input, with a ``BadInput`` for each unusable one.

    Args:
        source: a JSONL file, a directory of ``.txt``/``.html`` files, or ``-`` (JSONL on
            standard input).
        options: field names and HTML handling.
        stdin: the byte stream read for ``-`` (default: ``sys.stdin.buffer``).

    Raises:
        InputError: the source does not exist, or a directory holds no text files.
    """
    if source == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        items = list(read_jsonl(stream, name="<stdin>", options=options))
    else:
        path = Path(source)
        if path.is_dir():
            items = list(read_directory(path, options=options))
        elif path.is_file():
            with path.open("rb") as handle:
                items = list(read_jsonl(handle, name=str(path), options=options))
        else:
            raise InputError(f"{source}: no such file or directory")
    return _mark_duplicates(items)


def read_jsonl(lines: Iterable[bytes], *, name: str, options: InputOptions) -> Iterator[Item]:
    """Articles from JSONL lines; blank lines are skipped, bad lines become ``BadInput``."""
    for number, raw in enumerate(lines, start=1):
        where = f"{name}:{number}"
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield BadInput(str(number), where, f"not UTF-8 ({exc.reason} at byte {exc.start})")
            continue
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield BadInput(str(number), where, f"not JSON ({exc.msg} at column {exc.colno})")
            continue
        yield _article_from_record(data, number, where, options)


def read_directory(path: Path, *, options: InputOptions) -> Iterator[Item]:
    """Articles from the ``.txt`` and ``.html`` files of a directory (not recursive)."""
    files = sorted(
        p
        for p in path.iterdir()
        if p.is_file() and (p.suffix.lower() in TEXT_SUFFIXES or is_html_path(p))
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
        yield _article(file.stem, text, None, where, html)


def _article_from_record(data: Any, number: int, where: str, options: InputOptions) -> Item:
    if not isinstance(data, dict):
        return BadInput(str(number), where, f"expected a JSON object, got {type(data).__name__}")
    raw_id = data.get(options.id_field, number)
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int) or raw_id == "":
        return BadInput(str(number), where, f"field {options.id_field!r} must be a string or int")
    article_id = str(raw_id)
    if options.text_field not in data:
        fields = ", ".join(sorted(data)) or "none"
        return BadInput(
            article_id,
            where,
            f"no {options.text_field!r} field (fields: {fields}); choose one with --text-field",
        )
    text = data[options.text_field]
    if not isinstance(text, str):
        return BadInput(
            article_id, where, f"field {options.text_field!r} is {type(text).__name__}, not text"
        )
    title = data.get(options.title_field)
    title = title if isinstance(title, str) else None
    return _article(article_id, text, title, where, options.html)


def _article(article_id: str, text: str, title: str | None, where: str, html: bool | None) -> Item:
    if html or (html is None and looks_like_html(text)):
        try:
            page = extract_article(text, source=where)
        except InputError as exc:
            return BadInput(article_id, where, str(exc).removeprefix(f"{where}: "))
        return Article(article_id, page.text, title or page.title, where)
    return Article(article_id, text, title, where)


def _mark_duplicates(items: list[Item]) -> list[Item]:
    first: dict[str, str] = {}
    out: list[Item] = []
    for item in items:
        if item.id in first:
            out.append(
                BadInput(
                    item.id,
                    item.where,
                    f"duplicate id {item.id!r} (first at {first[item.id]}); skipped",
                    record=False,
                )
            )
        else:
            first[item.id] = item.where
            out.append(item)
    return out


# -- the output file ------------------------------------------------------------------


def finished_ids(out: Path, *, retry_failed: bool = False) -> set[str]:
    """Ids that already have a record in ``out`` (only briefs when ``retry_failed``).

    A last line cut off by a crash mid-write is removed from the file, so the next
    append starts on a fresh line.
    """
    if not out.exists():
        return set()
    data = out.read_bytes()
    if data and not data.endswith(b"\n"):
        keep = data.rfind(b"\n") + 1
        logger.warning("%s: dropping an incomplete last record (interrupted write)", out)
        with out.open("r+b") as handle:
            handle.truncate(keep)
        data = data[:keep]
    done: set[str] = set()
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            record_id = str(record["id"])
        except (ValueError, KeyError, TypeError):
            logger.warning("%s:%d: not a newsbrief record; ignored", out, number)
            continue
        if "brief" in record or not retry_failed:
            done.add(record_id)
    return done


class RecordWriter:
    """Appends one JSON record per line, flushed and fsynced before ``write`` returns."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] = path.open("a", encoding="utf-8")

    def write(self, record: dict[str, Any]) -> None:
        """Append ``record``; once this returns it survives a crash."""
        self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def close(self) -> None:
        """Close the file."""
        self._handle.close()

    def __enter__(self) -> RecordWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def brief_record(article_id: str, brief: Brief) -> dict[str, Any]:
    """The output record of a finished brief."""
    return {"id": article_id, "brief": brief.model_dump(mode="json")}


def error_record(article_id: str, error_type: str, message: str) -> dict[str, Any]:
    """The output record of an article that failed."""
    return {"id": article_id, "error": {"type": error_type, "message": message}}


# -- running --------------------------------------------------------------------------


@dataclass
class BatchSummary:
    """What a batch run did."""

    done: int = 0
    skipped: int = 0
    failed: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One line for the end of a run: done, skipped, failed, time."""
        attempted = self.done + self.failed  # a failed article took time too
        rate = f", {self.seconds / attempted:.1f} s/article" if attempted else ""
        state = "interrupted: " if self.interrupted else ""
        return (
            f"{state}{self.done} done, {self.skipped} skipped, {self.failed} failed "
            f"in {_duration(self.seconds)}{rate}"
        )


@dataclass(frozen=True)
class BatchPlan:
    """The work left: articles to brief, bad inputs to record, and how many are done."""

    articles: list[Article]
    bad: list[BadInput]
    skipped: int


def plan_batch(items: Sequence[Item], out: Path, *, retry_failed: bool = False) -> BatchPlan:
    """Split the inputs into what is still to do and what ``out`` already holds."""
    done = finished_ids(out, retry_failed=retry_failed)
    articles: list[Article] = []
    bad: list[BadInput] = []
    skipped = 0
    for item in items:
        if isinstance(item, BadInput) and not item.record:
            bad.append(item)
        elif item.id in done:
            skipped += 1
        elif isinstance(item, Article):
            articles.append(item)
        else:
            bad.append(item)
    return BatchPlan(articles, bad, skipped)


def run_batch(
    plan: BatchPlan,
    brief: Callable[[Article], Brief],
    out: Path,
    *,
    progress: bool = True,
) -> BatchSummary:
    """Brief every pending article of ``plan``, appending one record each to ``out``.

    An article that fails gets an error record and the run goes on; Ctrl-C stops after
    the records already written (``summary.interrupted``).

    Args:
        plan: from :func:`plan_batch`.
        brief: makes the brief of one article (raising on failure).
        out: the JSONL output, appended to.
        progress: show a progress bar with rate and ETA on standard error.
    """
    summary = BatchSummary(skipped=plan.skipped)
    started = time.monotonic()
    offset = out.stat().st_size if out.exists() else 0
    with RecordWriter(out) as writer:
        for bad in plan.bad:
            _fail(summary, writer, bad.id, "InputError", f"{bad.where}: {bad.message}", bad.record)
        bar = _tqdm()(
            total=len(plan.articles),
            desc="briefing",
            unit="article",
            disable=not progress,
            file=sys.stderr,
            dynamic_ncols=True,
        )
        try:
            for article in plan.articles:
                try:
                    result = brief(article)
                except (NewsbriefError, ValueError, TypeError) as exc:
                    message = f"{article.where}: {exc}"
                    _fail(summary, writer, article.id, type(exc).__name__, message, True)
                except Exception as exc:  # one article must not end the run
                    logger.debug("unexpected failure on %s", article.where, exc_info=True)
                    message = f"{article.where}: {exc}"
                    _fail(summary, writer, article.id, type(exc).__name__, message, True)
                else:
                    writer.write(brief_record(article.id, result))
                    summary.done += 1
                bar.update(1)
                bar.set_postfix(failed=summary.failed, refresh=False)
        except KeyboardInterrupt:
            summary.interrupted = True
        finally:
            bar.close()
    if summary.interrupted:
        # Ctrl-C may land between a record reaching the file and the count: recount.
        _recount(summary, out, offset, unrecorded=sum(1 for b in plan.bad if not b.record))
    summary.seconds = time.monotonic() - started
    return summary


def _recount(summary: BatchSummary, out: Path, offset: int, *, unrecorded: int) -> None:
    with out.open("rb") as handle:
        handle.seek(offset)
        lines = handle.read().splitlines()
    kinds = []
    for line in lines:
        try:
            kinds.append("brief" if "brief" in json.loads(line) else "error")
        except ValueError:
            continue
    summary.done = kinds.count("brief")
    summary.failed = unrecorded + kinds.count("error")


def _fail(
    summary: BatchSummary,
    writer: RecordWriter,
    article_id: str,
    error_type: str,
    message: str,
    record: bool,
) -> None:
    logger.warning("%s", message)
    summary.failed += 1
    summary.failures.append(message)
    if record:
        writer.write(error_record(article_id, error_type, message))


def _tqdm() -> Any:
    # tqdm ships no type information; its bar is used through ``Any``.
    return importlib.import_module("tqdm").tqdm


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}h{minutes:02d}m{secs:02d}s"
    if minutes:
        return f"{minutes}m{secs:02d}s"
    return f"{seconds:.1f}s"
