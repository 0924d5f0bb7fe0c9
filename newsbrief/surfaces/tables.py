"""Briefs as pandas DataFrames: one row per brief, per quote or per stance.

Each function takes one ``Brief``, a list of them (ids are their positions) or a mapping of
id to ``Brief`` (what :func:`read_briefs` returns for a batch output). Offsets stay integers
(``int64``; a missing speaker mention is ``<NA>`` in a nullable ``Int64`` column, not a
float NaN). pandas is imported when a function is called: ``pip install 'newsbrief[pandas]'``.
A frame's ``to_csv`` writes text cells that spreadsheets will not run as formulas
(:func:`csv_safe`); the values in the frame stay verbatim.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from newsbrief.errors import InputError
from newsbrief.models import DEFAULT_LABELS, Brief, Stance
from newsbrief.surfaces.display import evidence_quotes

Briefs = Brief | Sequence[Brief] | Mapping[Any, Brief]


def briefs_frame(briefs: Briefs) -> Any:
    """One row per brief: ``id``, ``title``, ``summary``, ``issue``, counts, failed steps.

    Columns: ``id``, ``title``, ``summary``, ``issue``, ``quotes`` and ``stances`` (how
    many, int64), ``failed_steps`` (the steps in ``brief.failures``, a list) and
    ``model_id``.
    """
    rows = [
        {
            "id": key,
            "title": brief.title,
            "summary": brief.summary,
            "issue": brief.issue,
            "quotes": len(brief.quotes),
            "stances": len(brief.stances),
            "failed_steps": [f.step for f in brief.failures],
            "model_id": brief.provenance.model_id,
        }
        for key, brief in _keyed(briefs)
    ]
    return _frame(
        rows,
        {
            "id": "object",
            "title": "object",
            "summary": "object",
            "issue": "object",
            "quotes": "int64",
            "stances": "int64",
            "failed_steps": "object",
            "model_id": "object",
        },
    )


def quotes_frame(briefs: Briefs) -> Any:
    """One row per quote: where it is in the article, what kind it is, who said it.

    Columns: ``id`` (the brief's), ``quote`` (its index in ``brief.quotes``), ``quote_id``
    (its stable id, ``Quote.id``), ``text``,
    ``start``, ``end`` (int64), ``kind``, ``speaker``, ``speaker_start``, ``speaker_end``
    (nullable Int64) and ``cue``.
    """
    rows = [
        {"id": key, "quote": i, "quote_id": quote.id, **quote.model_dump(exclude={"id"})}
        for key, brief in _keyed(briefs)
        for i, quote in enumerate(brief.quotes)
    ]
    return _frame(
        rows,
        {
            "id": "object",
            "quote": "int64",
            "quote_id": "object",
            "text": "object",
            "start": "int64",
            "end": "int64",
            "kind": "object",
            "speaker": "object",
            "speaker_start": "Int64",
            "speaker_end": "Int64",
            "cue": "object",
        },
    )


def stances_frame(briefs: Briefs) -> Any:
    """One row per stance, with one ``score_<label>`` column per label scored.

    Columns: ``id`` (the brief's), ``speaker`` (None for the author), ``target``,
    ``label`` (``"abstained"`` when newsbrief abstained, as in every view), ``abstained``,
    ``confidence``, ``evidence_text`` (the evidence quotes' words, numbered as in the brief:
    ``[2] "..." [5] "..."``), ``evidence`` (indices into ``brief.quotes``, a list),
    ``evidence_ids`` (the same quotes' ids), then ``score_supportive`` ... (float64; the
    default labels always, other labels when a stance has them).
    """
    rows: list[dict[str, Any]] = []
    labels: dict[str, None] = dict.fromkeys(DEFAULT_LABELS)
    for key, brief in _keyed(briefs):
        for stance in brief.stances:
            labels.update(dict.fromkeys(stance.scores))
            rows.append(
                {
                    "id": key,
                    "speaker": stance.speaker,
                    "target": stance.target,
                    "label": stance.verdict,
                    "abstained": stance.abstained,
                    "confidence": stance.confidence,
                    "evidence_text": _evidence_text(stance, brief),
                    "evidence": list(stance.evidence),
                    "evidence_ids": list(stance.evidence_ids),
                    **{f"score_{name}": score for name, score in stance.scores.items()},
                }
            )
    dtypes = {
        "id": "object",
        "speaker": "object",
        "target": "object",
        "label": "object",
        "abstained": "bool",
        "confidence": "float64",
        "evidence_text": "object",
        "evidence": "object",
        "evidence_ids": "object",
        **{f"score_{name}": "float64" for name in labels},
    }
    return _frame(rows, dtypes)


def brief_csv(brief: Brief) -> str:
    """A brief as CSV for a spreadsheet: one row per quote, with its speaker's stance.

    Columns: ``quote`` (its number in the brief), ``speaker``, ``stance`` (the speaker's
    label on ``issue``, ``abstained``, or empty when the speaker has no stance), ``confidence``,
    ``kind``, ``cue``, ``text``, ``start``, ``end``, ``issue``; then one row per stance
    without quotes (the author). Every cell is safe to open in a spreadsheet (see
    :func:`spreadsheet_safe`).
    """
    stances = {stance.speaker: stance for stance in brief.stances}
    columns = ["quote", "speaker", "stance", "confidence", "kind", "cue", "text"]
    columns += ["start", "end", "issue"]
    rows: list[list[object]] = []
    for number, quote in enumerate(brief.quotes, start=1):
        stance = stances.get(quote.speaker) if quote.speaker else None
        rows.append(
            [
                number,
                quote.speaker or "",
                stance.verdict if stance else "",
                f"{stance.confidence:.2f}" if stance else "",
                quote.kind,
                quote.cue or "",
                quote.text,
                quote.start,
                quote.end,
                brief.issue,
            ]
        )
    quoted = {quote.speaker for quote in brief.quotes if quote.speaker}
    for stance in brief.stances:
        if stance.speaker is None or stance.speaker not in quoted:
            who = stance.speaker or "the author"
            rows.append(
                ["", who, stance.verdict, f"{stance.confidence:.2f}", *[""] * 5, brief.issue]
            )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([[spreadsheet_safe(cell) for cell in row] for row in rows])
    return out.getvalue()


def spreadsheet_safe(value: object) -> str:
    """A cell's text that a spreadsheet shows as text, never runs as a formula.

    A text starting with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return, or their
    full-width forms) gets a leading apostrophe, as OWASP advises for CSV injection; numbers
    stay numbers (``-0.5`` is not text).
    """
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int | float):
        return str(value)
    return str(_csv_cell(str(value)))


def _evidence_text(stance: Stance, brief: Brief) -> str:
    """The evidence quotes of a stance, numbered as in the brief: ``[2] "..." [5] "..."``."""
    return " ".join(f'[{i + 1}] "{brief.quotes[i].text}"' for i in evidence_quotes(stance, brief))


def read_briefs(path: str | Path) -> dict[str, Brief]:
    """The briefs of a batch output (JSONL file or ``.parquet`` directory), by id.

    Error records are left out (see :func:`read_errors`); for an id recorded more than
    once (an error, then a brief from ``--retry-failed``) the last brief wins.

    Raises:
        InputError: ``path`` does not exist or holds a line that is not a record.
    """
    from pydantic import ValidationError

    briefs: dict[str, Brief] = {}
    for record in _records(Path(path)):
        if record.get("brief") is None:
            continue
        try:
            briefs[record["id"]] = Brief.model_validate(record["brief"])
        except ValidationError as exc:
            raise InputError(
                f"{path}: the brief of {record['id']!r} is not a Brief ({exc})"
            ) from None
    return briefs


def read_errors(path: str | Path) -> Any:
    """The error records of a batch output as a DataFrame: ``id``, ``type``, ``message``.

    An id that has a brief later in the output (retried successfully) is left out.
    """
    errors: dict[str, dict[str, Any]] = {}
    for record in _records(Path(path)):
        if record.get("brief") is not None:
            errors.pop(record["id"], None)
        elif isinstance(record.get("error"), dict):
            errors[record["id"]] = {"id": record["id"], **record["error"]}
        else:
            raise InputError(f"{path}: record {record['id']!r} has neither a brief nor an error")
    return _frame(list(errors.values()), {"id": "object", "type": "object", "message": "object"})


def _records(path: Path) -> Iterator[dict[str, Any]]:
    from newsbrief.surfaces.batch import is_parquet_output, read_parquet_records

    if not path.exists():
        raise InputError(f"{path}: no such batch output")
    if is_parquet_output(path):
        yield from read_parquet_records(path)
        return
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                raise InputError(f"{path}:{number}: not a newsbrief record ({exc})") from None
            except RecursionError:
                raise InputError(
                    f"{path}:{number}: not a newsbrief record (nested too deeply)"
                ) from None
            if not isinstance(record, dict) or "id" not in record:
                raise InputError(f"{path}:{number}: not a newsbrief record (no id)")
            yield record


def _keyed(briefs: Briefs) -> Iterator[tuple[Any, Brief]]:
    pairs: Iterator[tuple[Any, Any]]
    if isinstance(briefs, Brief):
        pairs = iter([(0, briefs)])
    elif isinstance(briefs, Mapping):
        pairs = iter(briefs.items())
    elif isinstance(briefs, Sequence) and not isinstance(briefs, str | bytes):
        pairs = enumerate(briefs)
    else:
        raise TypeError(
            "expected a Brief, a list of them or a mapping of id to Brief, got "
            f"{type(briefs).__name__}"
        )
    for key, brief in pairs:
        if not isinstance(brief, Brief):
            raise TypeError(f"item {key!r} is {type(brief).__name__}, not a Brief")
        yield key, brief


def _frame(rows: list[dict[str, Any]], dtypes: dict[str, str]) -> Any:
    _pandas()  # without pandas: say what to install (the class below is made once)
    frame = _brief_frame_class()(rows, columns=list(dtypes))
    return frame.astype(dtypes)


#: What a spreadsheet takes for the start of a formula (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""The last four: the full-width ``=``, ``+``, ``-``, ``@``, which spreadsheets also read."""


def csv_safe(frame: Any) -> Any:
    """A copy of ``frame`` whose text cells a spreadsheet will not run: a cell starting with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'`` (the
    frames of this module do this in ``to_csv`` themselves)."""
    pandas = _pandas()
    safe = pandas.DataFrame(frame).copy()
    for column in safe.columns:
        # Text columns are ``object`` or, under pandas 3, the ``str`` dtype: check both.
        if safe[column].dtype == object or pandas.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].astype(object).map(_csv_cell)
    return safe


def _csv_cell(value: Any) -> Any:
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


@cache
def _brief_frame_class() -> Any:
    pandas = _pandas()
    base: Any = pandas.DataFrame

    class BriefFrame(base):  # type: ignore[misc]  # pandas is imported lazily, as Any
        """A DataFrame whose ``to_csv`` writes text cells no spreadsheet runs as a formula
        (quotes are article text: ``=HYPERLINK(...)`` is a quote, not a link to follow).
        The frame's own values stay verbatim."""

        @property
        def _constructor(self) -> Any:
            return BriefFrame

        def to_csv(self, *args: Any, **kwargs: Any) -> Any:
            return pandas.DataFrame.to_csv(csv_safe(self), *args, **kwargs)

    return BriefFrame


def _pandas() -> Any:
    try:
        return importlib.import_module("pandas")
    except ImportError:
        raise ImportError(
            "newsbrief.surfaces.tables needs pandas: pip install 'newsbrief[pandas]' (or pandas)"
        ) from None
