"""Speaker names as keys: titles, post-nominals and determiners dropped, descriptions kept
inside their article; and the record of one merge decision."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Literal

from newsbrief.quotes.clusters import fold
from newsbrief.text.lexicon import (
    DESCRIPTION_HEADS,
    DESCRIPTION_OPENERS,
    NAME_TITLES,
    ORGANISATION_ENDS,
    POST_NOMINALS,
)

SpeakerKind = Literal["name", "description"]
_TITLES = frozenset(fold(t) for t in NAME_TITLES)
_HEADS = frozenset(fold(h) for h in DESCRIPTION_HEADS) | DESCRIPTION_OPENERS
_POST_NOMINALS = frozenset(fold(w) for w in POST_NOMINALS)
#: The lexicon's organisation ends as they stand in a key ("times" of "new york times").
ORGANISATION_END_KEYS = frozenset(fold(w) for w in ORGANISATION_ENDS)


@dataclass(frozen=True)
class Merge:
    """One merge decision (or a refused one): which key joined which, by which rule."""

    rule: str
    merged: str
    into: str
    detail: str = ""


def name_key(name: str, article_id: str) -> tuple[str, SpeakerKind, list[str]]:
    """The deterministic key of a speaker name, its kind and the title words dropped.

    >>> name_key("Prime Minister Boris Johnson", "a1")
    ('boris johnson', 'name', ['Prime', 'Minister'])
    >>> name_key("police", "a1")
    ('police@a1', 'description', [])
    """
    words = _without_openers(name.split())
    base = list(words)
    words, titles = _without_titles(words)
    folded = [fold(w) for w in words]
    capitalised = any(w[:1].isupper() for w in words)
    if not folded or not capitalised or all(w in _HEADS for w in folded):
        text = " ".join(fold(w) for w in base or name.split())
        return f"{text}@{article_id}", "description", []
    return " ".join(folded), "name", titles


def name_words(names: Counter[str]) -> list[str]:
    """The words of the most used form of a name, without leading titles or determiners."""
    name = most_used(names)
    words, _ = _without_titles(_without_openers(name.split()))
    return words or name.split()


def _without_openers(words: list[str]) -> list[str]:
    """The words without the determiners that open them ("the", "a")."""
    while words and fold(words[0]) in DESCRIPTION_OPENERS:
        words = words[1:]
    return words


def _without_titles(words: list[str]) -> tuple[list[str], list[str]]:
    """The words without leading titles and trailing post-nominals (one word always
    stays; "State Department", all description heads after the title, stays whole), and
    the words dropped: the titles in order, then the post-nominals from the last."""
    words = list(words)
    dropped: list[str] = []
    while (
        len(words) > 1
        and fold(words[0]).rstrip(".") in _TITLES
        and not all(fold(w) in _HEADS for w in words[1:])
    ):
        dropped.append(words.pop(0))
    while len(words) > 1 and fold(words[-1]).rstrip(".,") in _POST_NOMINALS:
        dropped.append(words.pop())
    return words, dropped


def most_used(names: Counter[str]) -> str:
    """The most used name; ties go to the alphabetically first (never to input order)."""
    return min(names.items(), key=lambda item: (-item[1], item[0]))[0]
