"""Spans of text between quotation marks: pairing marks, nesting, multi-paragraph quotes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from newsbrief.text.document import Document
from newsbrief.text.quotation_marks import QUOTATION_MARK


class _Role(Enum):
    OPEN = "open"
    CLOSE = "close"
    TOGGLE = "toggle"  # a straight mark: opens when nothing is open, closes otherwise


# Mark families: a quote opened by one family is closed only by the same family, and marks
# of other families inside it are nested quotes that stay part of the outer quote.
_DOUBLE = "double"
_SINGLE = "single"
_ANGLE = "angle"
# Elisions written with a leading apostrophe: 'tis, 'em, 'til, rock 'n' roll, '90s.
_LEADING_ELISION = re.compile(r"(?:tis|twas|em|til|n|cause)\b|\d", re.IGNORECASE)


@dataclass(frozen=True)
class MarkedSpan:
    """Text between a pair of quotation marks.

    Attributes:
        open_at: offset of the opening mark.
        close_at: offset of the closing mark.
        start: first character inside the marks (surrounding whitespace skipped).
        end: end of the text inside the marks (surrounding whitespace skipped).
    """

    open_at: int
    close_at: int
    start: int
    end: int


def _is_boundary(ch: str) -> bool:
    return not ch or ch.isspace() or ch in '([{—–-/"“„«‘'


def _classify_mark(text: str, i: int) -> tuple[str, _Role] | None:
    """Return the family and role of the mark at ``i``, or None when it is no quote mark."""
    ch = text[i]
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if ch in "“„":
        return _DOUBLE, _Role.OPEN
    if ch == "”":
        return _DOUBLE, _Role.CLOSE
    if ch == "«":
        return _ANGLE, _Role.OPEN
    if ch == "»":
        return _ANGLE, _Role.CLOSE
    if ch == '"':
        return _DOUBLE, _Role.TOGGLE
    # Single marks double as apostrophes: don't, Trump's, '90s, the voters' choice.
    if before.isalnum() and after.isalnum():
        return None
    if _is_boundary(before):
        if not after or after.isspace() or _LEADING_ELISION.match(text, i + 1):
            return None
        return _SINGLE, _Role.OPEN
    if not after or after.isspace() or after in '.,;:!?)]}—–"”»':
        return _SINGLE, _Role.CLOSE
    return None


def _starts_paragraph(document: Document, position: int) -> bool:
    return document.paragraphs[document.paragraph_index(position)].start == position


def _inner(text: str, open_at: int, close_at: int) -> MarkedSpan | None:
    start, end = open_at + 1, close_at
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    return MarkedSpan(open_at, close_at, start, end)


def find_marked_spans(document: Document) -> list[MarkedSpan]:
    """Pair the quotation marks of an article into quoted spans, in text order.

    Unbalanced marks are dropped, never guessed: a quote still open at the end of its
    paragraph continues only when the next paragraph starts with the same opening mark
    (the convention for quotes running over several paragraphs).
    """
    text = document.text
    spans: list[MarkedSpan] = []
    family: str | None = None  # family of the open quote
    open_at = -1
    open_paragraph = -1  # paragraph where the open quote currently runs
    for match in QUOTATION_MARK.finditer(text):
        i = match.start()
        kind = _classify_mark(text, i)
        if kind is None:
            continue
        mark_family, role = kind
        paragraph = document.paragraph_index(i)
        if family is not None and paragraph != open_paragraph:
            continues = (
                mark_family == family
                and role is not _Role.CLOSE
                and paragraph == open_paragraph + 1
                and _starts_paragraph(document, i)
            )
            if continues:
                open_paragraph = paragraph
                continue
            family = None  # unbalanced: the quote never closed
        if family is None:
            if role is not _Role.CLOSE:
                family, open_at, open_paragraph = mark_family, i, paragraph
            continue
        if mark_family != family or (role is _Role.TOGGLE and text[open_at] != '"'):
            continue  # a nested quote of another family stays inside the outer one
        if role is _Role.OPEN:
            open_at = i  # the earlier opening mark was never closed
            continue
        inner = _inner(text, open_at, i)
        if inner is not None:
            spans.append(inner)
        family = None
    return spans
