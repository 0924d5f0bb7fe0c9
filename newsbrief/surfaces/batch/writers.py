"""Batch outputs: a JSONL file of records, or a directory of Parquet part files.

Every record (:class:`newsbrief.options.BriefRecord`) is appended, flushed and fsynced at
once, so a crash or Ctrl-C loses nothing finished; a write that fails (a full disk) is
undone, so no half line is left behind. One process at a time writes an output: a run
holds an advisory lock on it (:func:`output_lock`) while it resumes and writes. An
output named ``*.parquet`` is a directory of Parquet part files instead, with the same
records as rows (``id``; ``brief`` as JSON text, or null; ``error`` as a struct, or
null), written a part at a time (see :class:`ParquetRecordWriter`).
"""

from __future__ import annotations

import json
import logging
import os
import stat
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from newsbrief.errors import InputError
from newsbrief.options import BriefRecord

logger = logging.getLogger(__name__)

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


class RecordWriter:
    """Appends one JSON record per line, fsynced before ``write`` returns.

    A write that fails part way (a full disk, Ctrl-C) is cut back to where it started, so
    the file never ends in half a record.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
        except OSError as exc:
            raise InputError(f"{path}: cannot open the output ({exc.strerror or exc})") from None
        self._start = os.lseek(self._fd, 0, os.SEEK_END)

    def write(self, record: BriefRecord) -> None:
        """Append ``record``; once this returns it survives a crash.

        Raises:
            InputError: the record could not be written (nothing of it is left in the file).
        """
        line = (record.json_line() + "\n").encode("utf-8")
        end = os.lseek(self._fd, 0, os.SEEK_END)
        try:
            data = memoryview(line)
            while data:
                data = data[os.write(self._fd, data) :]
            os.fsync(self._fd)
        except OSError as exc:
            self._cut_back(end)
            raise InputError(
                f"{self.path}: cannot write the record of {record.id!r} "
                f"({exc.strerror or exc}); the records before it are kept: make room and "
                "rerun to resume"
            ) from None
        except BaseException:  # Ctrl-C: keep the record if whole, else leave no half line
            if os.fstat(self._fd).st_size != end + len(line):
                self._cut_back(end)
            raise

    def _cut_back(self, end: int) -> None:
        try:
            os.ftruncate(self._fd, end)
        except OSError as exc:  # the resume drops a cut-off record anyway
            logger.warning("%s: could not remove a half-written record: %s", self.path, exc)

    def written(self) -> list[dict[str, Any]]:
        """The records this writer added to the file, read back from it (as JSON objects)."""
        with self.path.open("rb") as handle:
            handle.seek(self._start)
            lines = handle.read().split(b"\n")
        records = []
        for line in lines:
            try:
                records.append(json.loads(line))
            except (ValueError, RecursionError):
                continue
        return records

    def close(self) -> None:
        """Close the file."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

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
        self._buffer: list[BriefRecord] = []
        self._oldest = 0.0

    def write(self, record: BriefRecord) -> None:
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
        try:
            pq.write_table(records_table(self._buffer), temporary)
            with temporary.open("rb") as handle:
                os.fsync(handle.fileno())
            temporary.replace(self.path / name)
        except OSError as exc:  # a full disk: no half part left behind
            temporary.unlink(missing_ok=True)
            raise InputError(
                f"{self.path}: cannot write a part of {len(self._buffer)} records "
                f"({exc.strerror or exc}); the parts before it are kept: make room and rerun "
                "to resume"
            ) from None
        directory = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(directory)  # the rename itself survives a crash
        finally:
            os.close(directory)
        self.parts.append(self.path / name)
        self._buffer = []

    def written(self) -> list[dict[str, Any]]:
        """The records this writer added to the directory, read back from its parts (as
        JSON objects)."""
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


def parquet_schema() -> Any:
    """The ``pyarrow`` schema of records as rows: ``id``, ``brief``, ``error``.

    ``brief`` is the Brief as JSON text (``json.loads`` gives the JSONL record's ``brief``,
    ``Brief.model_validate_json`` the Brief), null in an error row; ``error`` is a struct
    of ``type`` and ``message``, null in a brief row; ``meta`` the input record's other
    fields as JSON text (null when it had none; parts written before it read as null).
    """
    import pyarrow as pa

    error = pa.struct([pa.field("type", pa.string()), pa.field("message", pa.string())])
    return pa.schema(
        [
            pa.field("id", pa.string(), nullable=False),
            pa.field("brief", pa.string()),
            pa.field("error", error),
            pa.field("meta", pa.string()),
        ]
    )


def records_table(records: Iterable[BriefRecord]) -> Any:
    """Records as a ``pyarrow.Table`` with :func:`parquet_schema`."""
    import pyarrow as pa

    rows = [record.to_row() for record in records]
    return pa.Table.from_pylist(rows, schema=parquet_schema())


def read_parquet_records(path: Path) -> Iterator[dict[str, Any]]:
    """The records of a Parquet output directory as JSON objects (as a JSONL output's lines
    read with ``json.loads``), part by part (in name order)."""
    for part in sorted(path.glob(f"*{PARQUET_SUFFIX}")):
        if not part.name.startswith((".", "_")):
            yield from _parquet_part_records(part)


def _parquet_part_records(part: Path) -> Iterator[dict[str, Any]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        rows = pq.read_table(part, schema=parquet_schema()).to_pylist()
        records = [BriefRecord.json_of_row(row) for row in rows]
    except (pa.ArrowException, OSError, ValueError, TypeError, KeyError) as exc:
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise InputError(
            f"{part}: not a newsbrief Parquet part ({type(exc).__name__}: {reason}); a "
            f"{PARQUET_SUFFIX} output holds only the parts newsbrief writes: move this file "
            "out of the directory"
        ) from None
    yield from records


# -- one writer per output ------------------------------------------------------------

#: Outputs this process holds the lock of: resolved path -> [lock file descriptor, depth].
_HELD: dict[str, list[int]] = {}
_HELD_GUARD = threading.Lock()


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold the advisory lock of a batch output while inside (re-entrant in a process).

    The lock is an exclusive ``flock`` on the JSONL file (created empty if absent) or on
    the Parquet directory (created if absent): a second run on the same output, from any
    process, is refused at once instead of interleaving records or cutting the first run's
    half-written line. It is advisory: it binds newsbrief runs, not other programs, and it
    is released when the process ends, however it ends. Without ``fcntl`` (Windows)
    outputs are not locked.

    Raises:
        InputError: another process holds the lock, or the output cannot be opened.
    """
    key = os.path.realpath(out)
    with _HELD_GUARD:  # flock does not wait (LOCK_NB): holding the guard is brief
        held = _HELD.get(key)
        if held is None:
            held = _HELD[key] = [_lock(out), 0]
        held[1] += 1
    try:
        yield
    finally:
        with _HELD_GUARD:
            held[1] -= 1
            if held[1] == 0:
                del _HELD[key]
                if held[0] >= 0:
                    os.close(held[0])  # closing the descriptor releases the lock


def forget_inherited_locks() -> None:
    """In a forked child (a batch worker): close its copies of the parent's lock descriptors.

    The parent keeps its locks (a ``flock`` lives until every copy of its descriptor is
    closed); the child holds none, so a parent killed while its children run releases the
    output at once and a rerun is not refused.
    """
    with _HELD_GUARD:
        for fd, _ in _HELD.values():
            if fd >= 0:
                os.close(fd)
        _HELD.clear()


def _lock(out: Path) -> int:
    """The descriptor holding ``out``'s lock (-1 where there is no ``fcntl``)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return -1
    try:
        if is_parquet_output(out):
            out.mkdir(exist_ok=True)
            fd = os.open(out, os.O_RDONLY)
        else:
            fd = os.open(out, os.O_RDWR | os.O_CREAT | os.O_NONBLOCK, 0o666)
    except OSError as exc:
        raise InputError(f"--out {out}: cannot open the output ({exc.strerror or exc})") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise InputError(
            f"--out {out} is being written by another newsbrief run (it holds the output's "
            "lock); wait for that run to end, or write to another file"
        ) from None
    return fd
