"""Batch briefing: many articles in, one JSONL record per article out, resumable.

Inputs are a JSONL file (or standard input) with one article per line, or a directory of
``.txt`` (and ``.html``) files. Each article has an id: the JSONL ``id`` field or the file's
stem. A record without one gets its line number (``"5"``), or ``"line-5"`` when another
record names ``"5"`` explicitly. A lone surrogate in an id (a string cut mid-character) is
written as the six characters ``\\ud83d``; in a text or title it makes an error record.

Every finished record is appended, flushed and fsynced at once, so a crash or Ctrl-C
loses nothing finished; a rerun reads the ids already in the output and skips them. Records::

    {"id": "a1", "brief": {...}}                                  # a Brief as JSON
    {"id": "a2", "error": {"type": "InputError", "message": "..."}}

An output named ``*.parquet`` is a directory of Parquet part files instead, with the same
records as rows (``id``; ``brief`` as JSON text, or null; ``error`` as a struct, or null),
written a part at a time (see :class:`ParquetRecordWriter`).
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import logging
import os
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from newsbrief.errors import InputError, NewsbriefError
from newsbrief.models import Brief
from newsbrief.surfaces.html_input import extract_article, is_html_path, looks_like_html
from newsbrief.text.inputs import check_article, check_no_surrogates, escape_surrogates

logger = logging.getLogger(__name__)

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
    fix = f"give every record its own {options.id_field!r} (--id-field names the field)"
    if source == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        items = list(read_jsonl(stream, name="<stdin>", options=options))
    else:
        path = Path(source)
        if path.is_dir():
            fix = "rename one of the files (the id is the file name without its suffix)"
            items = list(read_directory(path, options=options))
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
    return dataclasses.replace(article, line_id=line_id)


def _article(article_id: str, text: str, title: str | None, where: str, html: bool | None) -> Item:
    """The article, or a ``BadInput`` when its text is unusable (found before any model loads)."""
    try:
        if html or (html is None and looks_like_html(text)):
            page = extract_article(text, source=where)
            text, title = page.text, title or page.title
        check_article(text)
    except InputError as exc:
        return BadInput(article_id, where, str(exc).removeprefix(f"{where}: "))
    return Article(article_id, text, title, where)


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


# -- the output -----------------------------------------------------------------------

#: An output whose name ends so is a directory of Parquet part files, not a JSONL file.
PARQUET_SUFFIX = ".parquet"


def is_parquet_output(out: Path) -> bool:
    """Whether ``out`` names a Parquet output (a directory ending in ``.parquet``)."""
    return out.suffix.lower() == PARQUET_SUFFIX


def check_output(out: Path, source: str | None = None) -> None:
    """Refuse an output that cannot hold records: the input itself, or not a regular file.

    A JSONL output must be a regular file (or not exist yet): a device (``/dev/full``,
    ``/dev/stdout``), a pipe or a socket cannot be resumed from, and appending to the input
    would brief the records being written. A Parquet output is a directory.

    Raises:
        InputError: ``out`` is the input, or exists and is not a regular file (a directory
            for a Parquet output).
    """
    if source is not None and source != "-" and out.exists():
        try:
            same = os.path.samefile(source, out)
        except OSError:
            same = False
        if same:
            raise InputError(f"--out {out} is the input file; write the records to another file")
    if is_parquet_output(out):
        if out.exists() and not out.is_dir():
            raise InputError(f"{out}: a Parquet output is a directory of part files, not a file")
        return
    try:
        mode = out.stat().st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        kind = "a directory" if stat.S_ISDIR(mode) else "not a regular file (a device or pipe)"
        raise InputError(
            f"--out {out} is {kind}: records are appended to a regular file that a rerun "
            "resumes from; write to a file and read it from there"
        )


def finished_ids(out: Path, *, retry_failed: bool = False) -> set[str]:
    """Ids that already have a record in ``out`` (only briefs when ``retry_failed``).

    ``out`` is a JSONL file, or a Parquet output directory (see :func:`is_parquet_output`).
    A last JSONL line cut off by a crash mid-write is removed from the file, so the next
    append starts on a fresh line; a Parquet part left half-written is removed likewise.

    Raises:
        InputError: ``out`` exists and is not a regular file (see :func:`check_output`).
    """
    return {record_id for record_id, ok in recorded_ids(out).items() if ok or not retry_failed}


def recorded_ids(out: Path) -> dict[str, bool]:
    """Each id with a record in ``out``: ``True`` for a brief, ``False`` for an error.

    The file is read a line at a time (never whole) and only when it is a regular file,
    so a device or a huge output cannot exhaust memory; see :func:`finished_ids` for
    what happens to a cut-off last line.
    """
    if is_parquet_output(out):
        return _recorded_parquet_ids(out)
    check_output(out)
    if not out.exists():
        return {}
    recorded: dict[str, bool] = {}
    with out.open("r+b") as handle:
        start = 0
        for number, line in enumerate(handle, start=1):
            if not line.endswith(b"\n"):
                logger.warning("%s: dropping an incomplete last record (interrupted write)", out)
                handle.truncate(start)
                break
            start += len(line)
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                record_id = str(record["id"])
            except (ValueError, KeyError, TypeError):
                logger.warning("%s:%d: not a newsbrief record; ignored", out, number)
                continue
            # A brief anywhere wins over an error (a retried id has both).
            recorded[record_id] = recorded.get(record_id, False) or "brief" in record
    return recorded


def _recorded_parquet_ids(out: Path) -> dict[str, bool]:
    check_output(out)
    if not out.exists():
        return {}
    for unfinished in out.glob(f".*{PARQUET_SUFFIX}.tmp"):
        logger.warning("%s: removing a part cut off by an interrupted write", unfinished)
        unfinished.unlink()
    recorded: dict[str, bool] = {}
    for record in read_parquet_records(out):
        recorded[record["id"]] = recorded.get(record["id"], False) or "brief" in record
    return recorded


class RecordWriter:
    """Appends one JSON record per line, flushed and fsynced before ``write`` returns."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] = path.open("a", encoding="utf-8")
        self._start = self._handle.tell()

    def write(self, record: dict[str, Any]) -> None:
        """Append ``record``; once this returns it survives a crash."""
        line = json.dumps(record, ensure_ascii=False)
        try:
            line.encode("utf-8")
        except UnicodeEncodeError:
            # A lone surrogate that reached a record: JSON's \\u escapes still write it.
            line = json.dumps(record)
        self._handle.write(line + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def written(self) -> list[dict[str, Any]]:
        """The records this writer added to the file, read back from it."""
        with self.path.open("rb") as handle:
            handle.seek(self._start)
            lines = handle.read().splitlines()
        records = []
        for line in lines:
            try:
                records.append(json.loads(line))
            except ValueError:
                continue
        return records

    def close(self) -> None:
        """Close the file."""
        self._handle.close()

    def __enter__(self) -> RecordWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ParquetRecordWriter:
    """Writes records into a directory of Parquet part files (see :func:`parquet_schema`).

    Records are buffered and written as one part when ``rows_per_part`` have arrived, when
    the oldest buffered one has waited ``seconds_per_part`` (checked on each ``write``), and
    on ``close``. A part is written under a hidden temporary name, fsynced and renamed, so
    a reader never sees half a part; a crash loses only the buffered records (about
    ``seconds_per_part`` of work), which a rerun briefs again.
    """

    def __init__(
        self, path: Path, *, rows_per_part: int = 1000, seconds_per_part: float = 60.0
    ) -> None:
        if path.exists() and not path.is_dir():
            raise InputError(f"{path}: a Parquet output is a directory of part files, not a file")
        path.mkdir(exist_ok=True)
        self.path = path
        self.rows_per_part = rows_per_part
        self.seconds_per_part = seconds_per_part
        self.parts: list[Path] = []
        self._buffer: list[dict[str, Any]] = []
        self._oldest = 0.0

    def write(self, record: dict[str, Any]) -> None:
        """Buffer ``record``; write a part when the buffer is full or old enough."""
        if not self._buffer:
            self._oldest = time.monotonic()
        self._buffer.append(record)
        waited = time.monotonic() - self._oldest
        if len(self._buffer) >= self.rows_per_part or waited >= self.seconds_per_part:
            self.flush()

    def flush(self) -> None:
        """Write the buffered records as one part file (nothing when none are buffered)."""
        if not self._buffer:
            return
        import pyarrow.parquet as pq

        name = f"part-{time.time_ns()}-{os.getpid()}{PARQUET_SUFFIX}"
        temporary = self.path / f".{name}.tmp"
        pq.write_table(records_table(self._buffer), temporary)
        with temporary.open("rb") as handle:
            os.fsync(handle.fileno())
        temporary.replace(self.path / name)
        directory = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(directory)  # the rename itself survives a crash
        finally:
            os.close(directory)
        self.parts.append(self.path / name)
        self._buffer = []

    def written(self) -> list[dict[str, Any]]:
        """The records this writer added to the directory, read back from its parts."""
        return [record for part in self.parts for record in _parquet_part_records(part)]

    def close(self) -> None:
        """Write what is buffered."""
        self.flush()

    def __enter__(self) -> ParquetRecordWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_records(out: Path) -> RecordWriter | ParquetRecordWriter:
    """The writer for ``out``: Parquet parts for a ``.parquet`` directory, else JSONL."""
    return ParquetRecordWriter(out) if is_parquet_output(out) else RecordWriter(out)


def brief_record(article_id: str, brief: Brief) -> dict[str, Any]:
    """The output record of a finished brief (with ``brief.failures``: steps that failed)."""
    return {"id": escape_surrogates(article_id), "brief": brief.model_dump(mode="json")}


def error_record(article_id: str, error_type: str, message: str) -> dict[str, Any]:
    """The output record of an article that failed (lone surrogates escaped, so it writes)."""
    error = {"type": error_type, "message": escape_surrogates(message)}
    return {"id": escape_surrogates(article_id), "error": error}


# -- records as Parquet rows ----------------------------------------------------------


def parquet_schema() -> Any:
    """The ``pyarrow`` schema of records as rows: ``id``, ``brief``, ``error``.

    ``brief`` is the Brief as JSON text (``json.loads`` gives the JSONL record's ``brief``,
    ``Brief.model_validate_json`` the Brief), null in an error row; ``error`` is a struct
    of ``type`` and ``message``, null in a brief row.
    """
    import pyarrow as pa

    error = pa.struct([pa.field("type", pa.string()), pa.field("message", pa.string())])
    return pa.schema(
        [
            pa.field("id", pa.string(), nullable=False),
            pa.field("brief", pa.string()),
            pa.field("error", error),
        ]
    )


def record_to_row(record: dict[str, Any]) -> dict[str, Any]:
    """A JSONL record as a Parquet row (the brief as JSON text)."""
    brief = record.get("brief")
    return {
        "id": record["id"],
        "brief": None if brief is None else json.dumps(brief, ensure_ascii=False),
        "error": record.get("error"),
    }


def row_to_record(row: dict[str, Any]) -> dict[str, Any]:
    """A Parquet row as the JSONL record it stands for."""
    if row["brief"] is not None:
        return {"id": row["id"], "brief": json.loads(row["brief"])}
    return {"id": row["id"], "error": dict(row["error"])}


def records_table(records: Sequence[dict[str, Any]]) -> Any:
    """Records as a ``pyarrow.Table`` with :func:`parquet_schema`."""
    import pyarrow as pa

    rows = [record_to_row(record) for record in records]
    return pa.Table.from_pylist(rows, schema=parquet_schema())


def read_parquet_records(path: Path) -> Iterator[dict[str, Any]]:
    """The records of a Parquet output directory, part by part (in name order)."""
    for part in sorted(path.glob(f"*{PARQUET_SUFFIX}")):
        if not part.name.startswith((".", "_")):
            yield from _parquet_part_records(part)


def _parquet_part_records(part: Path) -> Iterator[dict[str, Any]]:
    import pyarrow.parquet as pq

    for row in pq.read_table(part, schema=parquet_schema()).to_pylist():
        yield row_to_record(row)


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
    kept_failed: int = 0
    """Skipped ids whose record in the output is an error (``--retry-failed`` retries them)."""
    partial: int = 0
    """Briefs written with a failed step (``brief.failures``)."""

    def line(self) -> str:
        """One line for the end of a run: done, skipped, failed, time."""
        attempted = self.done + self.failed  # a failed article took time too
        rate = f", {self.seconds / attempted:.1f} s/article" if attempted else ""
        state = "interrupted: " if self.interrupted else ""
        partial = f" ({self.partial} with a failed step)" if self.partial else ""
        kept = (
            f"; {self.kept_failed} failed record{'s' * (self.kept_failed != 1)} kept; "
            "--retry-failed to retry"
            if self.kept_failed
            else ""
        )
        return (
            f"{state}{self.done} done{partial}, {self.skipped} skipped, {self.failed} failed "
            f"in {_duration(self.seconds)}{rate}{kept}"
        )

    @property
    def ok(self) -> bool:
        """Whether every article of the input has a brief (none failed, none kept failed)."""
        return not (self.failed or self.kept_failed or self.interrupted)


@dataclass(frozen=True)
class BatchPlan:
    """The work left: articles to brief, bad inputs to record, and how many are done."""

    articles: list[Article]
    bad: list[BadInput]
    skipped: int
    kept_failed: int = 0
    """How many of the skipped ids have an error record (kept without ``retry_failed``)."""


def plan_batch(items: Sequence[Item], out: Path, *, retry_failed: bool = False) -> BatchPlan:
    """Split the inputs into what is still to do and what ``out`` already holds."""
    recorded = recorded_ids(out)
    articles: list[Article] = []
    bad: list[BadInput] = []
    skipped = kept_failed = 0
    for item in items:
        if isinstance(item, BadInput) and not item.record:
            bad.append(item)
        elif item.id in recorded and (recorded[item.id] or not retry_failed):
            skipped += 1
            kept_failed += not recorded[item.id]
        elif isinstance(item, Article):
            articles.append(item)
        else:
            bad.append(item)
    return BatchPlan(articles, bad, skipped, kept_failed)


def article_record(article: Article, brief: Callable[[Article], Brief]) -> dict[str, Any]:
    """The record of one article: its brief, or an error record when ``brief`` raises.

    Any exception becomes an error record (one article must not end a run); Ctrl-C
    (``KeyboardInterrupt``) is not an exception of that kind and still stops the run.
    """
    try:
        result = brief(article)
    except (NewsbriefError, ValueError, TypeError) as exc:
        return error_record(article.id, type(exc).__name__, f"{article.where}: {exc}")
    except Exception as exc:
        logger.debug("unexpected failure on %s", article.where, exc_info=True)
        return error_record(article.id, type(exc).__name__, f"{article.where}: {exc}")
    return brief_record(article.id, result)


def run_batch(
    plan: BatchPlan,
    brief: Callable[[Article], Brief],
    out: Path,
    *,
    progress: bool | None = None,
) -> BatchSummary:
    """Brief every pending article of ``plan``, appending one record each to ``out``.

    An article that fails gets an error record and the run goes on; Ctrl-C stops after
    the records already written (``summary.interrupted``).

    Args:
        plan: from :func:`plan_batch`.
        brief: makes the brief of one article (raising on failure).
        out: the JSONL output (appended to), or a Parquet output directory.
        progress: show a progress bar with rate and ETA on standard error (``None``: only
            when standard error is a terminal).
    """
    records = (article_record(article, brief) for article in plan.articles)
    return write_batch(plan, records, out, progress=progress)


def write_batch(
    plan: BatchPlan,
    records: Iterable[dict[str, Any]],
    out: Path,
    *,
    progress: bool | None = None,
) -> BatchSummary:
    """Write the error records of ``plan.bad``, then each of ``records`` as it arrives.

    ``records`` are the records of ``plan.articles`` (one each, in any order), made
    lazily: by :func:`run_batch` in this process, or by workers elsewhere
    (``newsbrief.surfaces.distributed``). Ctrl-C while waiting for one stops the run after the
    records already written (``summary.interrupted``). ``progress`` is as for
    :func:`run_batch`; no bar is drawn when nothing is left to brief.
    """
    summary = BatchSummary(skipped=plan.skipped, kept_failed=plan.kept_failed)
    started = time.monotonic()
    with open_records(out) as writer:
        for bad in plan.bad:
            message = f"{bad.where}: {bad.message}"
            if bad.record:
                writer.write(error_record(bad.id, "InputError", message))
            _count_failure(summary, message)
        bar = _tqdm()(
            total=len(plan.articles),
            desc="briefing",
            unit="article",
            disable=bar_disabled(progress, len(plan.articles)),
            file=sys.stderr,
            dynamic_ncols=True,
        )
        try:
            for record in records:
                writer.write(record)
                if "brief" in record:
                    summary.done += 1
                    summary.partial += bool(record["brief"].get("failures"))
                else:
                    _count_failure(summary, record["error"]["message"])
                bar.update(1)
                bar.set_postfix(failed=summary.failed, refresh=False)
        except KeyboardInterrupt:
            summary.interrupted = True
        finally:
            bar.close()
    if summary.interrupted:
        # Ctrl-C may land between a record reaching the output and the count: recount.
        written = writer.written()
        summary.done = sum(1 for record in written if "brief" in record)
        unrecorded = sum(1 for b in plan.bad if not b.record)
        summary.failed = unrecorded + len(written) - summary.done
    summary.seconds = time.monotonic() - started
    return summary


def _count_failure(summary: BatchSummary, message: str) -> None:
    logger.warning("%s", message)
    summary.failed += 1
    summary.failures.append(message)


def bar_disabled(progress: bool | None, total: int) -> bool | None:
    """tqdm's ``disable`` for a bar of ``total`` items: ``None`` draws it only on a terminal.

    ``progress`` ``True`` forces the bar, ``False`` hides it, ``None`` leaves it to tqdm's
    terminal check; a bar with nothing to count is never drawn.
    """
    if total == 0 or progress is False:
        return True
    return False if progress else None


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
