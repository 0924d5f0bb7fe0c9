"""Scores of the ``brief`` task: inferred issue vs gold target, speakers found vs gold."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from newsbrief.eval.scoring import PRF
from newsbrief.eval.tokenize import tokenize
from newsbrief.quotes.clusters import fold, is_variant
from newsbrief.text.lexicon import (
    COURTESY_TITLES,
    ISSUE_METRIC_STOPWORDS,
    NAME_TITLES,
    ORGANISATION_ENDS,
)

#: An inferred issue is judged *equivalent* to the gold target when the F1 of their
#: content words (see :func:`content_words`) reaches this value: with a 3-word target, two
#: shared words of three on each side (F1 0.67) pass, one of three (0.33) does not.
EQUIVALENT_F1 = 0.5

#: Words that carry no content of an issue phrase (the shared lexicon's list).
STOPWORDS = ISSUE_METRIC_STOPWORDS


def content_words(text: str) -> list[str]:
    """The words of an issue phrase that are compared: tokens (lowercased, accents folded)
    without :data:`STOPWORDS`, a plural or possessive ``s`` cut from words over 3 letters
    ("sanctions" and "sanction" agree; "US" stays "us")."""
    words = []
    for token in tokenize(text):
        word = fold(token)
        if word in STOPWORDS:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.append(word)
    return words


def issue_f1(predicted: str, gold: str) -> float:
    """Token F1 of the content words of two issue phrases (multiset overlap); 0 when
    either has none."""
    p, g = Counter(content_words(predicted)), Counter(content_words(gold))
    shared = sum((p & g).values())
    return PRF.from_counts(shared, p.total(), g.total()).f1


def issue_equivalent(predicted: str, gold: str) -> bool:
    """The documented rule: content-word F1 of at least :data:`EQUIVALENT_F1`."""
    return issue_f1(predicted, gold) >= EQUIVALENT_F1


def same_person(a: str, b: str) -> bool:
    """Two speaker names name the same speaker: equal ignoring case, accents, spacing and a
    leading "the", or one a variant of the other (``"Pelosi"`` and ``"Nancy Pelosi"``; the
    quote step's own rule, :func:`newsbrief.quotes.clusters.is_variant`), either once the
    title words before a name are dropped ("Mr. Trump" and "Donald Trump", "President
    Obama" and "Barack Obama")."""
    x, y = _plain(a), _plain(b)
    if not x or not y:
        return False
    if x == y or is_variant(a, b) or is_variant(b, a):
        return True
    if any(n.split()[-1] in ORGANISATION_ENDS for n in (a, b)):
        return False  # a body's name: "Foreign Affairs" is no title before "Affairs"
    a, b = _untitled(a), _untitled(b)
    return bool(a and b) and (is_variant(a, b) or is_variant(b, a) or _plain(a) == _plain(b))


#: Title words that may stand before a name (lowercase, without a full stop).
_TITLES = frozenset(t.lower() for t in NAME_TITLES) | COURTESY_TITLES


def _untitled(name: str) -> str:
    """``name`` without the title words before it ("Mr. Trump" -> "Trump", "President
    Barack Obama" -> "Barack Obama"); the name itself when it is all titles."""
    words = name.split()
    i = 0
    while i < len(words) - 1 and fold(words[i]).rstrip(".") in _TITLES:
        i += 1
    return " ".join(words[i:])


@dataclass(frozen=True)
class SpeakerMatch:
    """Gold and found speakers paired one-to-one."""

    pairs: list[tuple[int, int]]
    """``(gold index, found index)``."""
    n_gold: int
    n_found: int

    @property
    def scores(self) -> PRF:
        """Precision over found speakers, recall over gold speakers."""
        return PRF.from_counts(len(self.pairs), self.n_found, self.n_gold)


def match_speakers(gold: Sequence[str], found: Sequence[str]) -> SpeakerMatch:
    """Pair gold speakers with found ones by :func:`same_person`, one-to-one.

    Exact matches (after normalising) are paired first, then variants, each in gold order
    taking the first unused found name, so "Biden" goes to "Joe Biden" before a later
    "Hunter Biden" can take it only when "Joe Biden" is not itself found.
    """
    pairs: list[tuple[int, int]] = []
    used: set[int] = set()
    done: set[int] = set()
    for exact in (True, False):
        for i, name in enumerate(gold):
            if i in done:
                continue
            for j, other in enumerate(found):
                if j in used:
                    continue
                ok = _plain(name) == _plain(other) if exact else same_person(name, other)
                if ok:
                    pairs.append((i, j))
                    used.add(j)
                    done.add(i)
                    break
    return SpeakerMatch(pairs=sorted(pairs), n_gold=len(gold), n_found=len(found))


def _plain(name: str) -> str:
    words = fold(" ".join(name.split())).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)
