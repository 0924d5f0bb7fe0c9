"""Resuming a batch: the ids an output already holds, and the work left."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsbrief.errors import InputError
from newsbrief.surfaces.batch.readers import Article, BadInput, Item
from newsbrief.surfaces.batch.writers import (
    PARQUET_SUFFIX,
    check_output,
    is_parquet_output,
    output_lock,
    read_parquet_records,
)

logger = logging.getLogger(__name__)


def finished_ids(out: Path, *, retry_failed: bool = False) -> set[str]:
    """Ids that already have a record in ``out`` (only briefs when ``retry_failed``).

    ``out`` is a JSONL file, or a Parquet output directory (see :func:`is_parquet_output`).
    Only a run's own cut-off write is ever removed: a last JSONL line that is the start of
    a record (``{"id": ...``, a crash mid-write) is dropped, so the next append starts on a
    fresh line; a whole record that lacks its final newline is kept and the newline added;
    a Parquet part left half-written (a hidden ``.tmp`` file) is removed. The output is
    locked meanwhile (:func:`~newsbrief.surfaces.batch.output_lock`), so the half line of
    a run still writing is never taken for a crash.

    Raises:
        InputError: ``out`` exists and is not a regular file (see :func:`check_output`),
            holds a line that is not a record (nothing is changed then), or another run
            holds its lock.
    """
    return {record_id for record_id, ok in recorded_ids(out).items() if ok or not retry_failed}


def recorded_ids(out: Path) -> dict[str, bool]:
    """Each id with a record in ``out``: ``True`` for a brief, ``False`` for an error.

    The file is read a line at a time (never whole) and only when it is a regular file,
    so a device or a huge output cannot exhaust memory; see :func:`finished_ids` for
    what happens to a cut-off last line and to lines that are not records.
    """
    if is_parquet_output(out):
        return _recorded_parquet_ids(out)
    check_output(out)
    if not out.exists():
        return {}
    with output_lock(out):
        return _recorded_jsonl_ids(out)


def _recorded_jsonl_ids(out: Path) -> dict[str, bool]:
    recorded: dict[str, bool] = {}
    with out.open("r+b") as handle:
        start = 0
        unterminated = False
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                start += len(line)
                continue
            record, problem = parse_record(line)
            if record is None:
                if not line.endswith(b"\n") and _starts_a_record(line):
                    logger.warning(
                        "%s: dropping an incomplete last record (interrupted write)", out
                    )
                    handle.truncate(start)
                    break
                raise InputError(
                    f"--out {out}:{number}: not a newsbrief record ({problem}); records are "
                    "appended only to a file of records: give --out a new file name"
                )
            unterminated = not line.endswith(b"\n")
            start += len(line)
            # A brief anywhere wins over an error (a retried id has both).
            record_id = str(record["id"])
            recorded[record_id] = recorded.get(record_id, False) or "brief" in record
        if unterminated:  # a whole record, only its newline lost: keep it
            logger.warning("%s: adding the newline the last record lacked", out)
            handle.seek(0, 2)
            handle.write(b"\n")
    return recorded


#: How every record line starts (``BriefRecord.json_line``).
_RECORD_START = b'{"id": '


def _starts_a_record(line: bytes) -> bool:
    """Whether a cut-off line is the start of a record as newsbrief writes them."""
    return line.startswith(_RECORD_START) or _RECORD_START.startswith(line)


def parse_record(line: bytes | str) -> tuple[dict[str, Any] | None, str]:
    """A batch output line as a record (a JSON object with an ``id`` and a ``brief`` or an
    ``error``), or ``None`` and why it is not one."""
    try:
        record = json.loads(line)
    except RecursionError:
        return None, "nested too deeply"
    except ValueError as exc:
        return None, f"not JSON: {getattr(exc, 'msg', exc)}"
    if not isinstance(record, dict):
        return None, f"a JSON {type(record).__name__}, not an object"
    if not isinstance(record.get("id"), str | int) or isinstance(record.get("id"), bool):
        return None, "no id"
    if "brief" not in record and "error" not in record:
        return None, "neither a brief nor an error"
    return record, ""


def _recorded_parquet_ids(out: Path) -> dict[str, bool]:
    check_output(out)
    if not out.exists():
        return {}
    with output_lock(out):
        return _read_parquet_ids(out)


def _read_parquet_ids(out: Path) -> dict[str, bool]:
    for unfinished in out.glob(f".*{PARQUET_SUFFIX}.tmp"):
        logger.warning("%s: removing a part cut off by an interrupted write", unfinished)
        unfinished.unlink()
    recorded: dict[str, bool] = {}
    for record in read_parquet_records(out):
        recorded[record["id"]] = recorded.get(record["id"], False) or "brief" in record
    return recorded


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
