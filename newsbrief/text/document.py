"""The article parsed once: paragraphs, captions, sentences with offsets, its words."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property

from newsbrief.text.layout import Segment, find_paragraphs, is_prose
from newsbrief.text.lexicon import MONTHS, WEEKDAYS, alternation
from newsbrief.text.sentences import find_sentence_starts, sentence_segments

#: A word: a letter, then letters, digits, apostrophes and hyphens ("O’Brien", "well-known").
WORD = re.compile(r"[^\W\d_][\w'’\-]*")
#: A possessive ending of a :data:`WORD` ("Putin's", "Jones’", "the Joneses'").
POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
#: A line that is only a date, as Wikinews writes it ("Friday, January 4, 2019") or
#: "4 January 2019"; matched whole (``fullmatch``), any case.
DATE_LINE = re.compile(
    rf"(?:{alternation(WEEKDAYS)},?\s+)?(?:{alternation(MONTHS)}\s+\d{{1,2}},?\s+\d{{4}}"
    rf"|\d{{1,2}}\s+{alternation(MONTHS)},?\s+\d{{4}})",
    re.IGNORECASE,
)
_CREDIT_WORDS = ("Image:", "Photo:", "Credit:", "via AP", "Reuters")


@dataclass(frozen=True, eq=False)
class Document:
    """One article, parsed once by :meth:`parse`; every step reads it instead of the text.

    Offsets index :attr:`text` exactly as the caller passed it. The paragraphs, their
    prose flags and the sentence boundaries are computed by :meth:`parse`; the rest
    (prose sentences, captions, headline, vocabulary) once, at first use.

    Attributes:
        text: the article.
        paragraphs: its non-blank lines, trimmed (:func:`newsbrief.text.layout.find_paragraphs`).
        prose: per paragraph, whether it is running text rather than a caption, credit or
            headline (:func:`newsbrief.text.layout.is_prose`).
        paragraph_starts: the paragraphs' start offsets.
        sentence_starts: sorted offsets where sentences start (every paragraph starts one;
            :mod:`newsbrief.text.sentences`).
        sentences: every non-blank sentence, from its start to the next start or its
            paragraph's end.
    """

    text: str
    paragraphs: tuple[Segment, ...]
    prose: tuple[bool, ...]
    paragraph_starts: tuple[int, ...]
    sentence_starts: tuple[int, ...]
    sentences: tuple[Segment, ...]

    @classmethod
    def parse(cls, text: str) -> Document:
        """Parse ``text`` (the article, already checked) once.

        Raises:
            TypeError: ``text`` is not a string.
        """
        if not isinstance(text, str):
            raise TypeError(f"a Document is parsed from a string, not {type(text).__name__}")
        paragraphs = find_paragraphs(text)
        starts = find_sentence_starts(text, paragraphs)
        return cls(
            text=text,
            paragraphs=tuple(paragraphs),
            prose=tuple(is_prose(text, p) for p in paragraphs),
            paragraph_starts=tuple(p.start for p in paragraphs),
            sentence_starts=tuple(starts),
            sentences=tuple(sentence_segments(text, paragraphs, starts)),
        )

    def __repr__(self) -> str:
        return (
            f"Document({len(self.text)} chars, {len(self.paragraphs)} paragraphs, "
            f"{len(self.sentences)} sentences)"
        )

    # -- positions ----------------------------------------------------------------------

    def paragraph_index(self, position: int) -> int:
        """The index of the paragraph containing (or last starting before) ``position``."""
        return max(0, bisect.bisect_right(self.paragraph_starts, position) - 1)

    def sentence_bounds(self, position: int) -> Segment:
        """The sentence around ``position``, never crossing its paragraph."""
        paragraph = self.paragraphs[self.paragraph_index(position)]
        i = bisect.bisect_right(self.sentence_starts, position) - 1
        start = max(self.sentence_starts[i] if i >= 0 else 0, paragraph.start)
        end = paragraph.end
        if i + 1 < len(self.sentence_starts):
            end = min(end, self.sentence_starts[i + 1])
        return Segment(start, end)

    def normalized(self, segment: Segment) -> str:
        """The text of ``segment`` with its whitespace runs made single spaces."""
        return " ".join(self.text[segment.start : segment.end].split())

    # -- computed at first use ----------------------------------------------------------

    @cached_property
    def prose_sentences(self) -> tuple[Segment, ...]:
        """The sentences of the prose paragraphs, in order."""
        prose_starts = [
            p.start for p, prose in zip(self.paragraphs, self.prose, strict=True) if prose
        ]
        prose_ends = [p.end for p, prose in zip(self.paragraphs, self.prose, strict=True) if prose]
        kept = []
        for sentence in self.sentences:
            i = bisect.bisect_right(prose_starts, sentence.start) - 1
            if i >= 0 and sentence.start < prose_ends[i]:
                kept.append(sentence)
        return tuple(kept)

    @cached_property
    def prose_paragraphs(self) -> tuple[str, ...]:
        """The running-text paragraphs: captions, credits and headlines dropped."""
        return tuple(
            self.text[p.start : p.end]
            for p, prose in zip(self.paragraphs, self.prose, strict=True)
            if prose
        )

    @cached_property
    def caption_lines(self) -> tuple[str, ...]:
        """The lines that are captions, credits or headlines rather than prose."""
        return tuple(
            self.text[p.start : p.end]
            for p, prose in zip(self.paragraphs, self.prose, strict=True)
            if not prose
        )

    @cached_property
    def headline(self) -> str | None:
        """The first line when it is a headline (not prose, not a date line, not a credit, at
        least three words), whitespace-normalised; ``None`` when there is none."""
        if not self.paragraphs or self.prose[0]:
            return None
        line = self.text[self.paragraphs[0].start : self.paragraphs[0].end]
        if DATE_LINE.fullmatch(line.strip()) or len(line.split()) < 3:
            return None
        if any(word in line for word in _CREDIT_WORDS):
            return None
        return " ".join(line.split())

    @cached_property
    def words(self) -> frozenset[str]:
        """The article's words, lowercased (letters first; hyphens and apostrophes kept)."""
        return word_set(self.text)

    @cached_property
    def bare_words(self) -> frozenset[str]:
        """:attr:`words` and the same words without a possessive ending ("coale's": also
        "coale"), for telling whether a name occurs in the article."""
        return self.words | {POSSESSIVE.sub("", w) for w in self.words}

    @cached_property
    def folded(self) -> str:
        """The article casefolded, its whitespace runs made single spaces."""
        return " ".join(self.text.split()).casefold()


def word_set(text: str) -> frozenset[str]:
    """The words of ``text``, lowercased, as :attr:`Document.words` reads them (for a
    passage that needs no parse of its own, such as one sentence)."""
    return frozenset(w.lower() for w in WORD.findall(text))


def as_document(source: str | Document) -> Document:
    """``source`` itself when it is a :class:`Document`, else ``source`` parsed."""
    return source if isinstance(source, Document) else Document.parse(source)
