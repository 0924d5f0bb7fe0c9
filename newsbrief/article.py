"""The article as prompts see it: prose paragraphs only, split into chunks that fit."""

from __future__ import annotations

from collections.abc import Callable

from newsbrief.quotes.layout import find_paragraphs, is_prose


def prose_paragraphs(text: str) -> list[str]:
    """The article's running-text paragraphs: captions, credits and headlines dropped."""
    return [text[p.start : p.end] for p in find_paragraphs(text) if is_prose(text, p)]


def caption_lines(text: str) -> list[str]:
    """The lines that are captions, credits or headlines rather than prose."""
    return [text[p.start : p.end] for p in find_paragraphs(text) if not is_prose(text, p)]


def prose_text(text: str) -> str:
    """Prose paragraphs joined by newlines (the whole text if nothing counts as prose)."""
    paragraphs = prose_paragraphs(text)
    return "\n".join(paragraphs) if paragraphs else text.strip()


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
            continue
        # Count word by word (linear), not the growing prefix (quadratic).
        current: list[str] = []
        used = 0
        for word in paragraph.split():
            size = count_tokens(" " + word)
            if current and used + size > budget:
                pieces.append(" ".join(current))
                current, used = [], 0
            current.append(word)
            used += size
        if current:
            pieces.append(" ".join(current))
    chunks: list[str] = []
    current_chunk: list[str] = []
    used = 0
    for piece in pieces:
        size = count_tokens(piece) + 1
        if current_chunk and used + size > budget:
            chunks.append("\n".join(current_chunk))
            current_chunk, used = [], 0
        current_chunk.append(piece)
        used += size
    if current_chunk:
        chunks.append("\n".join(current_chunk))
    return chunks
