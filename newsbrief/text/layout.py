"""Article layout: paragraphs, and the lines that are captions or credits rather than prose."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CREDIT = re.compile(
    r"(?:\b(?:Image|Photo|Picture|Credit|Source|Video)\s*:|\bvia\s+(?:AP|AFP|Reuters|Getty"
    r"(?:\s+Images)?)\W*$|\((?:AP|AFP|Reuters)\s+Photo\b)"
)
_PROSE_END = re.compile(r"[.!?:;\"”’'»)\]…]\s*$")
# A line this short and without final punctuation is a headline, dateline or credit.
_MAX_UNPUNCTUATED_WORDS = 25
# A line longer than this is running text even with a credit in it: an article whose
# paragraph breaks were lost holds its captions mid-text (the longest caption line in
# the gold, Wikinews and PolNeAR has 40 words).
_MAX_CAPTION_WORDS = 60


@dataclass(frozen=True)
class Segment:
    """A half-open character range ``[start, end)`` of the article."""

    start: int
    end: int


def find_paragraphs(text: str) -> list[Segment]:
    """Return the article's non-blank lines, trimmed of surrounding whitespace."""
    paragraphs = []
    for match in re.finditer(r"[^\n]+", text):
        line = match.group(0)
        stripped = line.strip()
        if stripped:
            start = match.start() + line.index(stripped)
            paragraphs.append(Segment(start, start + len(stripped)))
    return paragraphs


def is_prose(text: str, paragraph: Segment) -> bool:
    """Tell whether a paragraph is running text rather than a caption, credit or headline."""
    line = text[paragraph.start : paragraph.end]
    if _CREDIT.search(line) and len(line.split()) <= _MAX_CAPTION_WORDS:
        return False
    return bool(_PROSE_END.search(line)) or len(line.split()) > _MAX_UNPUNCTUATED_WORDS
