"""The lead: the opening sentences that carry an article's news, chosen for coverage.

News is written top-down: the first sentence says what happened, and the next few say who
did it, with whom and where. :func:`lead_sentences` takes the first prose sentence and
then the earliest of the next few that brings in a name the lead has not mentioned yet (an
actor, a place), so a two-sentence summary covers both the event and the people in it.
"""

from __future__ import annotations

import itertools
import re

from newsbrief.text.layout import Layout

#: Sentences after the first that may complete the lead.
LEAD_WINDOW = 4
#: Shortest sentence (in words) that can carry news; shorter ones are datelines, bylines.
MIN_WORDS = 6
_NAME = re.compile(r"(?<![\w'’])[A-Z][\w'’\-]*[a-z][\w'’\-]*")
_QUOTE_MARKS = '"“”'
_MARKUP_BOUNDARY = re.compile(r"[.!?][\"”’']?(?=(?:<[^<>]{0,200}>)+\s*\S)")
#: Capitalised words that are not actors.
_CALENDAR = frozenset(
    " ".join(
        [
            "monday tuesday wednesday thursday friday saturday sunday january february march",
            "april may june july august september october november december",
        ]
    ).split()
)


def prose_sentences(article: str) -> list[str]:
    """Every sentence of the article's prose paragraphs, in order, whitespace-normalised."""
    return [" ".join(article[a:b].split()) for a, b in prose_sentence_spans(article)]


def split_sentences(text: str) -> list[str]:
    """Every sentence of ``text`` (any line), whitespace-normalised; initials, dotted
    acronyms and abbreviations ("Emily W. Murphy", "U.S.", "Gov.") end no sentence."""
    return _sentences(Layout.of(text), prose_only=False)


def _sentences(layout: Layout, *, prose_only: bool) -> list[str]:
    return [
        sentence
        for start, end in _spans(layout, prose_only=prose_only)
        if (sentence := " ".join(layout.text[start:end].split()))
    ]


def prose_sentence_spans(article: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every sentence of the article's prose paragraphs, in order.

    A sentence also ends where an end mark meets markup (``said <a>Lopez</a>.</p><div>Tom
    Grey said ...``): text pasted from HTML has no space there, and a summary sentence must
    never join the words of two sentences.
    """
    return _spans(Layout.of(article), prose_only=True)


def _spans(layout: Layout, *, prose_only: bool) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    starts = layout.sentence_starts
    for paragraph, prose in zip(layout.paragraphs, layout.prose, strict=True):
        if prose_only and not prose:
            continue
        inside = [s for s in starts if paragraph.start <= s < paragraph.end]
        for i, start in enumerate(inside):
            end = inside[i + 1] if i + 1 < len(inside) else paragraph.end
            for a, b in _split_at_markup(layout.text, start, end):
                if layout.text[a:b].strip():
                    spans.append((a, b))
    return spans


def _split_at_markup(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut after every end mark that markup follows (``.</p><div>``)."""
    cuts = [start]
    for match in _MARKUP_BOUNDARY.finditer(text, start, end):
        if start < match.start() + 1 < end:
            cuts.append(match.start() + 1)
    cuts.append(end)
    return list(itertools.pairwise(cuts))


def sentences_naming(article: str, name: str, limit: int) -> list[str]:
    """The first ``limit`` prose sentences that name ``name`` by its last word (a surname,
    or the head of "the Supreme Court", "some Democrats"), as a whole, capitalised word."""
    words = name.split()
    if not words:
        return []
    pattern = re.compile(rf"(?<![\w-]){re.escape(words[-1])}(?![\w-])")
    return [s for s in prose_sentences(article) if pattern.search(s)][:limit]


def names_in(sentence: str) -> set[str]:
    """Capitalised words of ``sentence`` other than its first word (names, mostly)."""
    found = {m.group(0).lower() for m in _NAME.finditer(sentence)} - _CALENDAR
    first = _NAME.match(sentence.lstrip(_QUOTE_MARKS))
    if first:
        found.discard(first.group(0).lower())
    return found


def lead_sentences(article: str, n: int = 2) -> list[str]:
    """Up to ``n`` sentences that tell the news: the first real prose sentence, then the
    earliest among the next :data:`LEAD_WINDOW` that adds a name not yet covered (the next
    sentence when none does), in article order. A direct quote is not news prose: sentences
    that open with a quotation mark are passed over while others remain."""
    return [" ".join(article[a:b].split()) for a, b in lead_spans(article, n)]


def lead_spans(article: str, n: int = 2) -> list[tuple[int, int]]:
    """:func:`lead_sentences` as ``(start, end)`` spans of ``article``."""
    if n < 1:
        raise ValueError("n must be at least 1")
    spans = [
        (a, b) for a, b in prose_sentence_spans(article) if len(article[a:b].split()) >= MIN_WORDS
    ]
    if not spans:
        return []
    text = {span: " ".join(article[span[0] : span[1]].split()) for span in spans}
    first, rest = spans[0], spans[1 : 1 + LEAD_WINDOW]
    chosen = [first]
    covered = names_in(text[first]) | {w.lower() for w in text[first].split()[:1]}
    while len(chosen) < n and rest:
        prose = [s for s in rest if text[s][0] not in _QUOTE_MARKS] or rest
        best = next((s for s in prose if names_in(text[s]) - covered), prose[0])
        chosen.append(best)
        covered |= names_in(text[best])
        rest.remove(best)
    return sorted(chosen)
