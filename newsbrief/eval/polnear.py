"""PolNeAR attribution records read as gold for the quotes task (never copied into the repo).

PolNeAR (Newell, Margolin and Ruths 2018) annotates every attribution of US election news
with its ``source``, ``cue`` and ``content`` as character spans. A record
``{id, text, attributions: [{source, cue, content}]}`` becomes the fields of a gold record
(the gold loader validates them as a :class:`~newsbrief.eval.gold.GoldRecord`) whose
quotes are the attributions' contents: the span from the first content span's start to
the last one's end, the source's text as speaker, the cue kept for the verb-of-saying
recall. Attributions without content are left out; ``kind`` is ``direct`` when the
content is wholly inside quotation marks, ``indirect`` otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: ``GoldRecord.source`` of a PolNeAR record (the runner matches speakers by variant).
POLNEAR_SOURCE = "PolNeAR"
_OPENING = "\"“‘'«"
_CLOSING = "\"”’'»"


def is_polnear(data: object) -> bool:
    """Whether a JSON object is a PolNeAR record rather than a gold record."""
    return isinstance(data, Mapping) and "attributions" in data and "licence" not in data


def _attributions(
    data: Mapping[str, Any],
) -> tuple[str, list[tuple[dict[str, Any], tuple[int, int] | None]]]:
    """The text and, per attribution with content, its quote fields and its source span."""
    text = data.get("text")
    if not isinstance(text, str) or not text:
        raise ValueError("a PolNeAR record needs a non-empty text")
    found: list[tuple[dict[str, Any], tuple[int, int] | None]] = []
    for attribution in data.get("attributions") or []:
        content = (attribution or {}).get("content")
        if not content or not content.get("spans"):
            continue
        spans = [(int(a), int(b)) for a, b in content["spans"]]
        start, end = min(a for a, _ in spans), max(b for _, b in spans)
        if not 0 <= start < end <= len(text):
            raise ValueError(f"content span [{start}, {end}) lies outside the text")
        # Trim the whitespace PolNeAR spans sometimes carry at their ends.
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            continue  # whitespace only
        source = attribution.get("source") or {}
        cue = attribution.get("cue") or {}
        body = text[start:end]
        direct = body[0] in _OPENING and body.rstrip(".,")[-1:] in _CLOSING
        quote = {
            "text": body,
            "start": start,
            "end": end,
            "speaker": source.get("text") or None,
            "kind": "direct" if direct else "indirect",
            "cue": cue.get("text") or None,
        }
        source_spans = [(int(a), int(b)) for a, b in source.get("spans") or []]
        found.append((quote, (source_spans[0][0], source_spans[-1][1]) if source_spans else None))
    return text, found


def polnear_source_spans(data: Mapping[str, Any]) -> list[tuple[int, int] | None]:
    """Where each quote's source lies in the text (first span's start to last span's end),
    in the order of the quotes of :func:`polnear_fields`; ``None`` without a source span.
    Scorers use it to resolve a pronoun source ("he said") from the annotation alone."""
    return [span for _, span in _attributions(data)[1]]


def polnear_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a gold record (quotes only) from a PolNeAR record.

    Raises:
        ValueError: spans outside the text or a malformed attribution (the caller names
            the file and line).
    """
    text, found = _attributions(data)
    quotes = [quote for quote, _ in found]
    return {
        "id": str(data.get("id")),
        "title": None,
        "text": text,
        "source": POLNEAR_SOURCE,
        "licence": "PolNeAR research data: read at run time, never copied",
        "credit": "Newell, Margolin and Ruths 2018",
        "quotes": quotes,
        "annotator": "PolNeAR annotators",
    }
