"""Resolving pronoun subjects ("he said", "And she added") to an earlier speaker."""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from newsbrief.text.lexicon import (
    FEMININE_FIRST_NAMES,
    FEMININE_WORDS,
    GENDERED_COURTESY_TITLES,
    GENDERED_PRONOUNS,
    MASCULINE_FIRST_NAMES,
    MASCULINE_WORDS,
    alternation,
)

# How far back (in characters) a pronoun may reach for its speaker.
_REACH = 1500
# How many of the latest speakers a pronoun is compared with (speakers are attributed in
# text order, so the ones in reach are among the latest; a bound keeps a long article
# linear).
_RECENT = 50

Gender = Literal["masculine", "feminine"]
_PRONOUN_GENDER: dict[str, Gender] = {"he": "masculine", "she": "feminine"}
#: Weights of the kinds of evidence for a person's gender: a title or role noun at the
#: name says it outright, a first name nearly always, the next pronoun usually.
_TITLE_WEIGHT, _FIRST_NAME_WEIGHT, _PRONOUN_WEIGHT = 3, 2, 1
_GENDERED = re.compile(r"[A-Za-z]+")
_COURTESY_BEFORE = re.compile(r"\b(" + alternation(GENDERED_COURTESY_TITLES) + r")\.?\s*$")
_APPOSITION_AFTER = re.compile(r",\s+(?:a|an|the|his|her)\s+[^,.;:!?]{0,80}?(?=,|\.|$)")
_NEXT_PRONOUN = re.compile(r"\b" + alternation(GENDERED_PRONOUNS) + r"\b", re.IGNORECASE)


@dataclass(frozen=True)
class Referent:
    """A resolved speaker: canonical name and the mention that names it."""

    name: str
    start: int
    end: int
    organisation: bool
    document: bool = False


def word_gender(word: str) -> Gender | None:
    """The gender a word shows ("chairwoman", "Mr", "his"), or None."""
    lower = word.lower().rstrip(".")
    if lower in MASCULINE_WORDS:
        return "masculine"
    if lower in FEMININE_WORDS:
        return "feminine"
    return None


@dataclass(frozen=True)
class GenderCue:
    """One piece of evidence of a named person's gender.

    Attributes:
        name: the canonical name it is about.
        gender: the gender it shows.
        weight: how much it counts (a title 3, a first name 2, a following pronoun 1).
    """

    name: str
    gender: Gender
    weight: int


def gender_cues(
    text: str,
    mention: tuple[int, int, str, tuple[str, ...]],
    canonical: str,
    next_names_at: int,
) -> Iterable[GenderCue]:
    """The evidence one name mention gives of its person's gender.

    Args:
        text: the article.
        mention: the mention's start, end, text and title words.
        canonical: the name it is clustered under.
        next_names_at: where the next person name after it starts (a pronoun past it may
            be about that person instead).
    """
    start, end, name_text, titles = mention
    if len(canonical.split()) < 2:
        return  # a person is named in full at least once; a lone capitalised word may be none
    before = _COURTESY_BEFORE.search(text, max(0, start - 8), start)
    words = list(titles) + ([before.group(1)] if before else [])
    apposition = _APPOSITION_AFTER.match(text, end, min(len(text), end + 100))
    if apposition is not None:
        words += _GENDERED.findall(apposition.group(0))[1:]
    for word in words:
        gender = word_gender(word)
        if gender is not None and word.lower() not in ("his", "her"):
            yield GenderCue(canonical, gender, _TITLE_WEIGHT)
    first = name_text.split()[0] if name_text.split() else ""
    if len(canonical.split()) >= 2 and first == canonical.split()[0]:
        if first in MASCULINE_FIRST_NAMES:
            yield GenderCue(canonical, "masculine", _FIRST_NAME_WEIGHT)
        elif first in FEMININE_FIRST_NAMES:
            yield GenderCue(canonical, "feminine", _FIRST_NAME_WEIGHT)
    pronoun = _NEXT_PRONOUN.search(text, end, min(next_names_at, end + 300))
    if pronoun is not None:
        gender = word_gender(pronoun.group(0))
        if gender is not None:
            yield GenderCue(canonical, gender, _PRONOUN_WEIGHT)


def genders(cues: Iterable[GenderCue]) -> dict[str, Gender]:
    """Each name's gender where its evidence leans one way (ties: none)."""
    votes: dict[str, Counter[Gender]] = defaultdict(Counter)
    for cue in cues:
        votes[cue.name][cue.gender] += cue.weight
    found: dict[str, Gender] = {}
    for name, counts in votes.items():
        (best, top), *rest = counts.most_common()
        if not rest or rest[0][1] < top:
            found[name] = best
    return found


def _group_word(name: str) -> bool:
    """Whether a name is one plural word ("Demonstrators", "Republicans", "Latinos"): a
    group, never "he" or "she". A surname ending in s ("Sanders", "Jones") is told apart
    only by the gender the article shows for it, which the caller checks first."""
    return " " not in name and name.endswith("s") and not name.endswith(("ss", "us", "is"))


def resolve_pronoun(
    pronoun: str,
    position: int,
    speakers: Sequence[Referent],
    names: Sequence[Referent],
    gender_of: Callable[[str], Gender | None] = lambda name: None,
) -> Referent | None:
    """Return who a pronoun subject refers to.

    The latest speaker wins over a nearer name: news prose that goes on with "he added"
    continues the previous speaker's words. A speaker or name whose gender the article
    shows to differ from "he" / "she" is passed over (``gender_of``: titles, first names,
    earlier pronouns) for another person it could be; one whose gender it does not show
    may be either; with nobody else in reach, the latest speaker continues.

    Args:
        pronoun: the pronoun as written.
        position: offset of the pronoun.
        speakers: speakers already attributed, in text order.
        names: person names before the pronoun, nearest first.
        gender_of: the gender the article shows for a canonical name, or None.
    """
    lower = pronoun.lower()
    wants_organisation = lower in ("it", "they")
    wanted = _PRONOUN_GENDER.get(lower)

    def agrees(referent: Referent) -> bool:
        found = gender_of(referent.name)
        if wanted is not None and found is None and _group_word(referent.name):
            return False  # "he" is one person, not "Demonstrators" or "Republicans"
        return wanted is None or found is None or found == wanted

    in_reach = [
        s
        for s in itertools.islice(reversed(speakers), _RECENT)
        if s.start < position and position - s.end <= _REACH
    ]
    for speaker in in_reach[:1]:
        if (speaker.organisation == wants_organisation or lower == "they") and agrees(speaker):
            return speaker
    if wants_organisation:
        return None
    nearby = [n for n in names if position - n.end <= _REACH]
    if wanted is not None and in_reach:
        # The latest speaker is of the other gender: the nearest person the article
        # shows to be of the pronoun's gender, a name first, then an earlier speaker,
        # else the nearest person named in full whose gender it does not show.
        for referent in nearby + [s for s in in_reach[1:] if not s.organisation]:
            if gender_of(referent.name) == wanted:
                return referent
        nearby = [n for n in nearby if len(n.name.split()) >= 2]
    for name in nearby:
        if agrees(name):
            return name
    if wanted is not None and in_reach and not in_reach[0].organisation:
        return in_reach[0]  # nobody else it could be: the prose goes on with the speaker
    return None
