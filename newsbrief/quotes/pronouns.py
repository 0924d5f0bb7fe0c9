"""Resolving pronoun subjects ("he said", "And she added") to an earlier speaker."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

# How far back (in characters) a pronoun may reach for its speaker.
_REACH = 1500
# How many of the latest speakers a pronoun is compared with (speakers are attributed in
# text order, so the ones in reach are among the latest; a bound keeps a long article
# linear).
_RECENT = 50


@dataclass(frozen=True)
class Referent:
    """A resolved speaker: canonical name and the mention that names it."""

    name: str
    start: int
    end: int
    organisation: bool


def resolve_pronoun(
    pronoun: str,
    position: int,
    speakers: Sequence[Referent],
    names: Sequence[Referent],
) -> Referent | None:
    """Return who a pronoun subject refers to.

    The latest speaker wins over a nearer name: news prose that goes on with "he added"
    continues the previous speaker's words, even where the pronoun's gender looks wrong.

    Args:
        pronoun: the pronoun as written.
        position: offset of the pronoun.
        speakers: speakers already attributed, in text order.
        names: person names before the pronoun, nearest first.
    """
    wants_organisation = pronoun.lower() in ("it", "they")
    for speaker in itertools.islice(reversed(speakers), _RECENT):
        if speaker.start >= position or position - speaker.end > _REACH:
            continue
        if speaker.organisation == wants_organisation or pronoun.lower() == "they":
            return speaker
        break
    if wants_organisation:
        return None
    for name in names:
        if position - name.end <= _REACH:
            return name
    return None
