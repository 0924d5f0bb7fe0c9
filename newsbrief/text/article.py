"""The article as prompts see it: prose paragraphs only, split into chunks that fit."""

from __future__ import annotations

from collections.abc import Callable

from newsbrief.text.document import Document, as_document


def prose_paragraphs(text: str | Document) -> list[str]:
    """The article's running-text paragraphs: captions, credits and headlines dropped."""
    return list(as_document(text).prose_paragraphs)


def caption_lines(text: str | Document) -> list[str]:
    """The lines that are captions, credits or headlines rather than prose."""
    return list(as_document(text).caption_lines)


def headline_of(text: str | Document, title: str | None = None) -> str | None:
    """The article's headline: ``title`` when given, else its first line when that line is
    a headline (not prose, not a date line, not a credit, at least three words, before any
    prose paragraph); ``None`` when there is none."""
    if title is not None and title.strip():
        return " ".join(title.split())
    return as_document(text).headline


def chunk_paragraphs(
    paragraphs: list[str], *, budget: int, count_tokens: Callable[[str], int]
) -> list[str]:
    """Group paragraphs into chunks of at most ``budget`` tokens, in order.

    A paragraph longer than the budget is cut at word boundaries into pieces that fit.
    """
    if budget < 1:
        raise ValueError("budget must be positive")
    pieces: list[str] = []
    for paragraph in paragraphs:
        if count_tokens(paragraph) <= budget:
            pieces.append(paragraph)
        else:
            # Count word by word (linear), not the growing prefix (quadratic).
            words = paragraph.split()
            sizes = [count_tokens(" " + word) for word in words]
            pieces.extend(_pack(words, sizes, budget, " "))
    return _pack(pieces, [count_tokens(p) + 1 for p in pieces], budget, "\n")


def _pack(items: list[str], sizes: list[int], budget: int, joiner: str) -> list[str]:
    """Join consecutive items greedily into groups whose sizes add up to at most ``budget``
    (an item larger than the budget forms a group of its own)."""
    groups: list[str] = []
    current: list[str] = []
    used = 0
    for item, size in zip(items, sizes, strict=True):
        if current and used + size > budget:
            groups.append(joiner.join(current))
            current, used = [], 0
        current.append(item)
        used += size
    if current:
        groups.append(joiner.join(current))
    return groups
