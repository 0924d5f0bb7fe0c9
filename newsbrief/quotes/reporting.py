"""Reporting sentences: the article's own sentences that say, by name, what someone said."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsbrief.models import Quote
from newsbrief.text.document import Document, as_document
from newsbrief.text.lexicon import REPORTING_PRONOUNS

#: Reported speech reads like a summary already; a direct quote cannot be cut verbatim.
_KIND_ORDER = {"indirect": 0, "mixed": 1, "direct": 2}


@dataclass(frozen=True)
class ReportingSentence:
    """A sentence (whitespace-normalised) and the words in it that name the speaker.

    ``start``/``end`` locate the sentence in the article and ``mention_start``/
    ``mention_end`` the name (``None`` when the sentence was not taken from an article).
    """

    text: str
    mention: str
    start: int | None = None
    end: int | None = None
    mention_start: int | None = None
    mention_end: int | None = None


def reporting_sentences(
    article: str | Document, quotes: Sequence[Quote]
) -> list[ReportingSentence]:
    """The sentences of ``article`` in which one of ``quotes`` is attributed to its speaker
    by name (not by a pronoun): reported statements first, then mixed, then direct quotes;
    in article order within each kind, without repeats."""
    document = as_document(article)
    text = document.text
    found: list[tuple[int, int, ReportingSentence]] = []
    for quote in quotes:
        if quote.speaker_start is None or quote.speaker_end is None:
            continue
        raw = text[quote.speaker_start : quote.speaker_end]
        mention = raw.strip()
        mention_start = quote.speaker_start + (len(raw) - len(raw.lstrip()))
        if not mention[:1].isupper() or mention.lower() in REPORTING_PRONOUNS:
            continue
        bounds = document.sentence_bounds(quote.start)
        if not bounds.start <= quote.speaker_start < bounds.end:
            continue  # the name is in another sentence: this one does not say who
        sentence = document.normalized(bounds)
        found.append(
            (
                _KIND_ORDER.get(quote.kind, 3),
                bounds.start,
                ReportingSentence(
                    sentence,
                    mention,
                    bounds.start,
                    bounds.end,
                    mention_start,
                    mention_start + len(mention),
                ),
            )
        )
    found.sort(key=lambda item: item[:2])
    return list(dict.fromkeys(item[2] for item in found))
