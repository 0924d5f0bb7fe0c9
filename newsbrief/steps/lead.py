"""The lead: the opening sentences that carry an article's news, chosen for coverage.

News is written top-down: the first sentence says what happened, and the next few say who
did it, with whom and where. :func:`lead_sentences` takes the first prose sentence and
then the earliest of the next few that brings in a name the lead has not mentioned yet (an
actor, a place), so a two-sentence summary covers both the event and the people in it.
"""

from __future__ import annotations

import re

from newsbrief.text.document import Document, as_document
from newsbrief.text.lexicon import CALENDAR_WORDS
from newsbrief.text.quotation_marks import DOUBLE_MARKS
from newsbrief.text.sentences import split_sentences

__all__ = [
    "lead_sentences",
    "lead_spans",
    "names_in",
    "prose_sentence_spans",
    "prose_sentences",
    "sentences_naming",
    "split_sentences",
]

#: Sentences after the first that may complete the lead.
LEAD_WINDOW = 4
#: Shortest sentence (in words) that can carry news; shorter ones are datelines, bylines.
MIN_WORDS = 6
_NAME = re.compile(r"(?<![\w'’])[A-Z][\w'’\-]*[a-z][\w'’\-]*")


def prose_sentences(article: str | Document) -> list[str]:
    """Every sentence of the article's prose paragraphs, in order, whitespace-normalised."""
    document = as_document(article)
    return [document.normalized(s) for s in document.prose_sentences]


def prose_sentence_spans(article: str | Document) -> list[tuple[int, int]]:
    """``(start, end)`` of every sentence of the article's prose paragraphs, in order.

    A sentence also ends where an end mark meets markup (``said <a>Lopez</a>.</p><div>Tom
    Grey said ...``): text pasted from HTML has no space there, and a summary sentence must
    never join the words of two sentences (:mod:`newsbrief.text.sentences`).
    """
    return [(s.start, s.end) for s in as_document(article).prose_sentences]


def sentences_naming(article: str | Document, name: str, limit: int) -> list[str]:
    """The first ``limit`` prose sentences that name ``name`` by its last word (a surname,
    or the head of "the Supreme Court", "some Democrats"), as a whole, capitalised word."""
    words = name.split()
    if not words:
        return []
    pattern = re.compile(rf"(?<![\w-]){re.escape(words[-1])}(?![\w-])")
    return [s for s in prose_sentences(article) if pattern.search(s)][:limit]


def names_in(sentence: str) -> set[str]:
    """Capitalised words of ``sentence`` other than its first word (names, mostly)."""
    found = {m.group(0).lower() for m in _NAME.finditer(sentence)} - CALENDAR_WORDS
    first = _NAME.match(sentence.lstrip(DOUBLE_MARKS))
    if first:
        found.discard(first.group(0).lower())
    return found


def lead_sentences(article: str | Document, n: int = 2) -> list[str]:
    """Up to ``n`` sentences that tell the news: the first real prose sentence, then the
    earliest among the next :data:`LEAD_WINDOW` that adds a name not yet covered (the next
    sentence when none does), in article order. A direct quote is not news prose: sentences
    that open with a quotation mark are passed over while others remain."""
    document = as_document(article)
    return [" ".join(document.text[a:b].split()) for a, b in lead_spans(document, n)]


def lead_spans(article: str | Document, n: int = 2) -> list[tuple[int, int]]:
    """:func:`lead_sentences` as ``(start, end)`` spans of the article."""
    if n < 1:
        raise ValueError("n must be at least 1")
    document = as_document(article)
    text = document.text
    spans = [
        (a, b) for a, b in prose_sentence_spans(document) if len(text[a:b].split()) >= MIN_WORDS
    ]
    if not spans:
        return []
    normal = {span: " ".join(text[span[0] : span[1]].split()) for span in spans}
    first, rest = spans[0], spans[1 : 1 + LEAD_WINDOW]
    chosen = [first]
    covered = names_in(normal[first]) | {w.lower() for w in normal[first].split()[:1]}
    while len(chosen) < n and rest:
        prose = [s for s in rest if normal[s][0] not in DOUBLE_MARKS] or rest
        best = next((s for s in prose if names_in(normal[s]) - covered), prose[0])
        chosen.append(best)
        covered |= names_in(normal[best])
        rest.remove(best)
    return sorted(chosen)
