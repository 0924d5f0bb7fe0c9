"""Article layout: paragraphs, sentence boundaries, and lines that are captions, not prose."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

# Words after which a full stop does not end a sentence (titles, initials, dates).
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "sen",
        "rep",
        "gov",
        "gen",
        "lt",
        "col",
        "sgt",
        "capt",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "corp",
        "vs",
        "no",
        "jan",
        "feb",
        "mar",
        "apr",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "approx",
        "fig",
        "rev",
        "hon",
    ]
)
# Words that start a new sentence even after a dotted acronym such as "U.S.".
_SENTENCE_STARTERS = frozenset(
    [
        "The",
        "He",
        "She",
        "It",
        "In",
        "But",
        "This",
        "They",
        "We",
        "A",
        "An",
        "And",
        "On",
        "At",
        "After",
        "Before",
        "However",
    ]
)
_END_MARK = re.compile(r"[.!?]+[\"”’'»)\]]*(?=\s)")
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


def _ends_sentence(text: str, mark_start: int, next_start: int) -> bool:
    """Decide whether the full stop at ``mark_start`` ends a sentence."""
    if text[mark_start] != ".":
        return True
    word = re.search(r"[\w.]*$", text[max(0, mark_start - 20) : mark_start])
    before = word.group(0) if word else ""
    next_word = re.match(r"\w+", text[next_start : next_start + 20])
    if before.lower() in _ABBREVIATIONS:
        return False
    if len(before) == 1 and before.isupper():
        return False  # an initial: "Pedro R. Pierluisi"
    if "." in before:  # a dotted acronym: "U.S." ends a sentence only before a clear starter
        return next_word is not None and next_word.group(0) in _SENTENCE_STARTERS
    return True


def find_sentence_starts(text: str, paragraphs: list[Segment]) -> list[int]:
    """Return the sorted offsets where sentences start (every paragraph starts one)."""
    starts: list[int] = []
    for paragraph in paragraphs:
        starts.append(paragraph.start)
        for match in _END_MARK.finditer(text, paragraph.start, paragraph.end):
            after = match.end()
            while after < paragraph.end and text[after].isspace():
                after += 1
            if after >= paragraph.end:
                break
            nxt = text[after]
            if (nxt.isupper() or nxt.isdigit() or nxt in "\"“‘'«([") and _ends_sentence(
                text, match.start(), after
            ):
                starts.append(after)
    return starts


@dataclass(frozen=True)
class Layout:
    """Paragraphs and sentence boundaries of one article, with fast position look-ups."""

    text: str
    paragraphs: list[Segment]
    prose: list[bool]
    paragraph_starts: list[int]
    sentence_starts: list[int]

    @classmethod
    def of(cls, text: str) -> Layout:
        """Analyse ``text`` once."""
        paragraphs = find_paragraphs(text)
        prose = [is_prose(text, paragraph) for paragraph in paragraphs]
        starts = [paragraph.start for paragraph in paragraphs]
        return cls(text, paragraphs, prose, starts, find_sentence_starts(text, paragraphs))

    def paragraph_index(self, position: int) -> int:
        """Return the index of the paragraph containing (or last starting before) ``position``."""
        return max(0, bisect.bisect_right(self.paragraph_starts, position) - 1)

    def sentence_bounds(self, position: int) -> Segment:
        """Return the sentence around ``position``, never crossing its paragraph."""
        paragraph = self.paragraphs[self.paragraph_index(position)]
        i = bisect.bisect_right(self.sentence_starts, position) - 1
        start = max(self.sentence_starts[i] if i >= 0 else 0, paragraph.start)
        end = paragraph.end
        if i + 1 < len(self.sentence_starts):
            end = min(end, self.sentence_starts[i + 1])
        return Segment(start, end)
