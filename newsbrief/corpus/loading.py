"""Reading briefs into a corpus: batch outputs, lists of briefs, briefed datasets, metadata.

A batch output is read record by record and nothing in it stops the load: an error record,
a line that is not a record (a last line cut off by a crash), a brief of another record
version that does not validate, or an id recorded twice is counted in a :class:`LoadReport`
with its reason, and the rest loads. Article metadata (date, outlet, url, title) comes from
the batch *input* (the JSONL the briefs were made from) when it is given; a date that cannot
be read is reported, never guessed.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from newsbrief.errors import InputError
from newsbrief.models import Brief

logger = logging.getLogger(__name__)

#: Metadata fields read from an article record, first match wins.
DATE_FIELDS = ("date", "published", "published_at", "publish_date", "datetime")
OUTLET_FIELDS = ("outlet", "source", "publisher", "site", "media")


@dataclass(frozen=True)
class ArticleInfo:
    """What the corpus knows about one article besides its brief."""

    id: str
    title: str | None = None
    date: dt.date | None = None
    outlet: str | None = None
    url: str | None = None


@dataclass
class LoadReport:
    """What a load kept and what it skipped, with the reason for each skip.

    Attributes:
        loaded: briefs kept.
        skipped: reason -> how many records were skipped for it.
        examples: reason -> the first place it happened (``file:line`` or an id).
        bad_dates: article id -> the date text that could not be read (the article stays,
            without a date).
    """

    loaded: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    bad_dates: dict[str, str] = field(default_factory=dict)

    def skip(self, reason: str, where: str) -> None:
        self.skipped[reason] += 1
        self.examples.setdefault(reason, where)

    def lines(self) -> list[str]:
        """The report as short lines (for the CLI and the HTML report)."""
        out = [f"{self.loaded} briefs loaded"]
        for reason, count in sorted(self.skipped.items()):
            out.append(f"{count} skipped: {reason} (first: {self.examples[reason]})")
        for article_id, text in sorted(self.bad_dates.items()):
            out.append(f"date not read for {article_id!r}: {text!r} (kept without a date)")
        return out


def read_batch(path: str | Path, report: LoadReport) -> dict[str, Brief]:
    """The briefs of a batch output (JSONL file or ``.parquet`` directory), by id.

    Like :func:`newsbrief.surfaces.tables.read_briefs` (the last brief of an id wins; an
    error followed by a brief is a retried article) but every unusable record is counted
    in ``report`` instead of stopping the load.

    Raises:
        InputError: ``path`` does not exist.
    """
    from pydantic import ValidationError

    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such batch output")
    briefs: dict[str, Brief] = {}
    errors: dict[str, str] = {}
    for where, record in _records(path, report):
        record_id = str(record["id"])
        if record.get("brief") is None:
            error = record.get("error")
            if not isinstance(error, dict):
                report.skip("record with neither a brief nor an error", where)
            elif record_id not in briefs:
                errors[record_id] = str(error.get("type", "error"))
            continue
        try:
            brief = Brief.model_validate(record["brief"])
        except ValidationError as exc:
            first = exc.errors()[0]
            place = ".".join(str(p) for p in first["loc"]) or "brief"
            report.skip(f"brief does not validate (another record version?): {place}", where)
            continue
        if record_id in briefs:
            report.skip("duplicate id (the later brief kept)", where)
        briefs[record_id] = brief
        errors.pop(record_id, None)
    for record_id, kind in errors.items():
        report.skip(f"error record ({kind})", record_id)
    report.loaded += len(briefs)
    return briefs


def _records(path: Path, report: LoadReport) -> Iterator[tuple[str, dict[str, Any]]]:
    from newsbrief.surfaces.batch import is_parquet_output, read_parquet_records

    if is_parquet_output(path):
        for number, record in enumerate(read_parquet_records(path), start=1):
            yield f"{path} row {number}", record
        return
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            where = f"{path}:{number}"
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                last = not line.endswith(b"\n")
                report.skip("truncated last line" if last else "line is not JSON", where)
                continue
            if not isinstance(record, dict) or "id" not in record:
                report.skip("not a newsbrief record (no id)", where)
                continue
            yield where, record


def read_article_info(
    path: str | Path, report: LoadReport, *, id_field: str = "id"
) -> dict[str, ArticleInfo]:
    """Metadata of the articles of a batch input (JSONL), by id; unreadable lines are skipped.

    Fields: ``title``; a date from the first of :data:`DATE_FIELDS`; an outlet from the first
    of :data:`OUTLET_FIELDS`, else the url's host (``en.wikinews.org``); ``url``.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such article file")
    infos: dict[str, ArticleInfo] = {}
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except ValueError:
                report.skip("article line is not JSON", f"{path}:{number}")
                continue
            if not isinstance(data, dict):
                report.skip("article line is not an object", f"{path}:{number}")
                continue
            article_id = str(data.get(id_field, number))
            infos[article_id] = article_info(article_id, data, report)
    return infos


def article_info(article_id: str, data: Mapping[str, Any], report: LoadReport) -> ArticleInfo:
    """An :class:`ArticleInfo` from a record's fields (a bad date goes to ``report``)."""
    url = _text(data.get("url"))
    outlet = next((_text(data[k]) for k in OUTLET_FIELDS if _text(data.get(k))), None)
    if outlet is None and url:
        outlet = urlparse(url).hostname or None
    raw_date = next((data[k] for k in DATE_FIELDS if data.get(k) not in (None, "")), None)
    date = parse_date(raw_date)
    if raw_date is not None and date is None:
        report.bad_dates[article_id] = str(raw_date)
    return ArticleInfo(article_id, _text(data.get("title")), date, outlet, url)


def parse_date(value: Any) -> dt.date | None:
    """An ISO 8601 date or date-time (``2019-01-04``, ``2019-01-04T10:00:00Z``), a
    ``date``/``datetime``, else ``None``: no other format is guessed (``04/01/2019`` is
    read differently in Europe and the US)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        return (
            dt.date.fromisoformat(text[:10])
            if len(text) == 10
            else (dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date())
        )
    except ValueError:
        return None


def briefs_of_dataset(
    dataset: Iterable[Mapping[str, Any]], report: LoadReport, *, id_column: str = "id"
) -> tuple[dict[str, Brief], dict[str, ArticleInfo]]:
    """Briefs and metadata of a ``datasets.Dataset`` briefed with ``brief_hf_dataset``.

    Rows without a brief (``brief_error``) are counted in ``report``; the other columns of
    a row (date, outlet, url, title) are its metadata.
    """
    from pydantic import ValidationError

    briefs: dict[str, Brief] = {}
    infos: dict[str, ArticleInfo] = {}
    for number, row in enumerate(dataset):
        article_id = str(row.get(id_column, number))
        where = f"row {number}"
        if not row.get("brief_json"):
            report.skip("row without a brief (brief_error)", where)
            continue
        try:
            brief = Brief.model_validate_json(row["brief_json"])
        except ValidationError:
            report.skip("brief_json does not validate (another record version?)", where)
            continue
        if article_id in briefs:
            report.skip("duplicate id (the later brief kept)", where)
        briefs[article_id] = brief
        infos[article_id] = article_info(article_id, row, report)
    report.loaded += len(briefs)
    return briefs, infos


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
