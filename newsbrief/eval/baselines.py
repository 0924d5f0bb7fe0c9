"""Baselines scored beside the model: lead-k summary, nearest-name speaker, majority stance."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Protocol

from newsbrief.text.document import DATE_LINE, POSSESSIVE, WORD, Document, as_document
from newsbrief.text.lexicon import BASELINE_NOT_NAMES


class Span(Protocol):
    """A character span of the article: quotes of any type fit."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


def lead_k(text: str | Document, k: int, *, title: str | None = None) -> str:
    """The first ``k`` sentences of the article body, the classic lead baseline.

    Leading blank lines, a dateline ("Friday, January 4, 2019") and, when given, a first
    line equal to ``title`` are skipped, in any order, before counting sentences.

    Args:
        text: the article, or its parsed Document (whose sentences are taken).
        k: how many sentences, at least 1.
        title: the article's title, skipped when the text starts with it.

    Returns:
        The sentences joined by single spaces; fewer than ``k`` if the body is shorter.
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    document = as_document(text)
    paragraphs = document.paragraphs
    skip = 0
    while skip < len(paragraphs) and _is_header(
        document.text[paragraphs[skip].start : paragraphs[skip].end], title
    ):
        skip += 1
    if skip == len(paragraphs):
        return ""
    body = paragraphs[skip].start
    return " ".join([document.normalized(s) for s in document.sentences if s.start >= body][:k])


def nearest_name_speaker(text: str, quotes: Sequence[Span]) -> list[str | None]:
    """For each quote, the nearest capitalised name that ends before it starts.

    A name is a run of capitalised words joined by single spaces ("Nancy Pelosi",
    "Coale"), with leading function words, titles, days and months dropped ("President
    Donald Trump" gives "Donald Trump", "The" alone gives nothing) and a trailing
    possessive removed. A one-word name is expanded to the longest name in the article
    ending with it ("Pelosi" to "Nancy Pelosi"), since speakers are compared by their
    fullest name. Names inside earlier quotes count too: this is a baseline.

    Args:
        text: the article the quote spans index into.
        quotes: spans with ``start`` and ``end``.

    Returns:
        One speaker name per quote, ``None`` when no name precedes it.
    """
    names = list(_find_names(text))
    full_names: dict[str, str] = {}
    for _, name in names:
        surname = name.split()[-1]
        if len(name.split()) > len(full_names.get(surname, "").split()):
            full_names[surname] = name
    names = [(end, full_names.get(name, name)) for end, name in names]
    ends = [end for end, _ in names]
    speakers: list[str | None] = []
    for quote in quotes:
        index = bisect.bisect_right(ends, quote.start)
        speakers.append(names[index - 1][1] if index else None)
    return speakers


def majority_stance(train_labels: Iterable[str]) -> str:
    """The most frequent label; a tie goes to the label seen first.

    Raises:
        ValueError: no labels.
    """
    counts = Counter(train_labels)
    if not counts:
        raise ValueError("no training labels: cannot pick a majority stance")
    # most_common keeps first-seen order among equal counts.
    return counts.most_common(1)[0][0]


def _is_header(line: str, title: str | None) -> bool:
    stripped = line.strip()
    if not stripped or DATE_LINE.fullmatch(stripped):
        return True
    return title is not None and stripped == title.strip()


def _find_names(text: str) -> Iterable[tuple[int, str]]:
    """Yield ``(end offset, name)`` for each capitalised run, in text order."""
    run: list[re.Match[str]] = []
    for match in WORD.finditer(text):
        if not match.group()[0].isupper():
            yield from _name_of(run)
            run = []
            continue
        if run and text[run[-1].end() : match.start()] not in (" ", "\u00a0"):
            yield from _name_of(run)
            run = []
        run.append(match)
    yield from _name_of(run)


def _name_of(run: list[re.Match[str]]) -> Iterable[tuple[int, str]]:
    words = [m.group() for m in run]
    while words and words[0].lower() in BASELINE_NOT_NAMES:
        words.pop(0)
    if words:
        words[-1] = POSSESSIVE.sub("", words[-1]) or words[-1]
        yield run[-1].end(), " ".join(words)
