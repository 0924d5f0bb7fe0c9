"""Convert GUM news articles with human and LLM summaries into gold records."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from newsbrief.errors import InputError
from newsbrief.eval.gold import GoldRecord, PathLike, describe_validation_error

GUM_LICENCE = "CC BY 2.5 (text); CC BY 4.0 (summaries)"
GUM_CREDIT = "Wikinews contributors; GUM corpus (Zeldes 2017)"
GUM_ANNOTATOR = "GUM corpus annotators (human summaries)"
GUM_NOTES = (
    "Converted from GUM news (amir-zeldes/gum) by newsbrief.eval.gum.gum_to_gold: text "
    "unchanged (it starts with the title and a date line), human summaries as gold "
    "summaries, LLM summaries as reference systems. Quotes and stances are not annotated."
)


def gum_to_gold(path: PathLike) -> list[GoldRecord]:
    """Read GUM news records (JSONL) and turn each into a summary-only gold record.

    Each input line has ``id``, ``title``, ``source_url``, ``text``, ``human_summaries``
    (list of strings) and ``model_summaries`` (list of ``{"by": system, "text": summary}``).
    Human summaries become ``summaries``; model summaries become ``reference_systems``
    keyed by system name. Quotes and stances stay empty.

    Args:
        path: a GUM news JSONL file such as ``gum_news_dev.jsonl``.

    Returns:
        The gold records in file order.

    Raises:
        InputError: the file cannot be read, is empty, or a line is not a GUM record
            (missing field, a system summarised twice); the message names the line.
    """
    file = Path(path)
    try:
        lines = file.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{file}: cannot read GUM file: {exc}") from exc
    records = []
    for lineno, line in enumerate(lines, start=1):
        if line.strip():
            records.append(_convert(line, f"{file}:{lineno}"))
    if not records:
        raise InputError(f"{file}: no GUM records (the file is empty)")
    return records


def _convert(line: str, where: str) -> GoldRecord:
    try:
        row = json.loads(line)
        systems: dict[str, str] = {}
        for summary in row["model_summaries"]:
            if summary["by"] in systems:
                raise InputError(f"{where}: system {summary['by']!r} has two summaries")
            systems[summary["by"]] = summary["text"]
        data = {
            "id": row["id"],
            "title": row.get("title"),
            "text": row["text"],
            "source": row["source_url"],
            "licence": GUM_LICENCE,
            "credit": GUM_CREDIT,
            "summaries": row["human_summaries"],
            "annotator": GUM_ANNOTATOR,
            "notes": GUM_NOTES,
            "reference_systems": systems,
        }
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: broken JSON: {exc.msg} (column {exc.colno})") from exc
    except (KeyError, TypeError) as exc:
        raise InputError(f"{where}: not a GUM news record: missing or malformed {exc}") from exc
    try:
        return GoldRecord.model_validate(data)
    except ValidationError as exc:
        raise InputError(
            f"{where}: cannot make a gold record: {describe_validation_error(exc)}"
        ) from None
