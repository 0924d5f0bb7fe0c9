"""Resuming a batch: the ids an output already holds, and the work left."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from newsbrief.surfaces.batch.readers import Article, BadInput, Item
from newsbrief.surfaces.batch.writers import (
    PARQUET_SUFFIX,
    check_output,
    is_parquet_output,
    read_parquet_records,
)

logger = logging.getLogger(__name__)


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
