"""Rule-based quote extraction: quote spans, kinds, cues and speakers (no model)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from newsbrief.models import Quote
from newsbrief.quotes.attribution import QuoteCandidates, SpeakerCandidate, attribute_quotes
from newsbrief.text.document import Document

__all__ = [
    "QuoteCandidates",
    "SpeakerCandidate",
    "find_quotes",
    "find_quotes_with_candidates",
    "quoted_speakers",
    "speaker_description",
]


def find_quotes_with_candidates(text: str | Document) -> list[QuoteCandidates]:
    """Return each quote of ``text`` with the speakers a later step could choose among.

    Args:
        text: the article, already checked by ``newsbrief.text.inputs.check_article``, or
            its :class:`~newsbrief.text.document.Document`.
    """
    return attribute_quotes(text)


def find_quotes(text: str | Document) -> list[Quote]:
    """Return the direct, mixed and indirect quotes of ``text`` and its reported statements
    (kind ``"reported"``: "X denied the allegations", "X announced plans to ...") in text
    order.

    Every quote is a verbatim span (``text[q.start:q.end] == q.text``); its speaker is a
    name the article gives (or a pronoun resolved to one), or None when there is none.

    Args:
        text: the article, already checked by ``newsbrief.text.inputs.check_article``, or
            its :class:`~newsbrief.text.document.Document`.
    """
    return [item.quote for item in attribute_quotes(text)]


def quoted_speakers(quotes: Sequence[Quote]) -> list[str]:
    """The quoted speakers, most quoted first (ties: first quoted first). A statement of
    kind ``"reported"`` ("X denied the allegations": what was said named by a verb's
    object) quotes nobody: a speaker with only those is not a quoted speaker."""
    quotes = [q for q in quotes if q.kind != "reported"]
    counts = Counter(q.speaker for q in quotes if q.speaker)
    first: dict[str, int] = {}
    for i, q in enumerate(quotes):
        if q.speaker and q.speaker not in first:
            first[q.speaker] = i
    return sorted(counts, key=lambda s: (-counts[s], first[s]))


def speaker_description(quotes: Sequence[Quote], speaker: str | None) -> str | None:
    """The article's description of ``speaker`` (role, affiliation) as its first quote
    that has one gives it (``Quote.speaker_description``); None for none or no speaker."""
    if speaker is None:
        return None
    for quote in quotes:
        if quote.speaker == speaker and quote.speaker_description:
            return quote.speaker_description
    return None
