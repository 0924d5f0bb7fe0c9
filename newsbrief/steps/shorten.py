"""Shorter versions of one article sentence, made by deleting whole structures of it.

A sentence's deletable parts are found by its surface structure: parentheticals,
appositions and relative clauses between commas, time and place adjuncts, trailing
participial clauses, and leading clauses ("After the vote, ..."). Who said something is
never deleted ("..., a spokesman said", "Police said that ..."): a claim keeps its owner. Every
candidate is the sentence with some of them removed, so its words are the sentence's words
in order; no deletion cuts into a quotation or a protected span (the speaker's name), and
no candidate reaches past its sentence. Which candidate a summary uses is decided by the
model's scores (see :mod:`newsbrief.steps.summarize`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from newsbrief.steps.checks import word_out_of_order
from newsbrief.text.lexicon import (
    LEADING_CLAUSE_OPENERS,
    MONTHS,
    TRAILING_CLAUSE_OPENERS,
    WEEKDAYS,
    alternation,
)
from newsbrief.text.quotation_marks import QUOTATION

#: Most atomic deletions combined in one candidate.
MAX_COMBINED = 3
#: Most candidates per sentence (the whole sentence first).
MAX_CANDIDATES = 16
#: Share of the sentence's words a candidate keeps at least.
MIN_KEPT = 0.4
#: Fewest words a candidate keeps.
MIN_WORDS = 6

_DAY = alternation(day.capitalize() for day in WEEKDAYS)
_MONTH = alternation(month.capitalize() for month in MONTHS)
_PART = r"(?:\s+(?:morning|afternoon|evening|night|Night))?"
_CAP = r"[A-Z][\w.'’\-]*"
_NAME_RUN = rf"{_CAP}(?:\s+(?:(?:of|de|for)\s+(?:the\s+)?)?{_CAP})*"
# Words that open a clause that can go: relative and subordinate clauses, participles.
_TRAIL_OPENERS = "(?:" + alternation(TRAILING_CLAUSE_OPENERS) + r"|[a-z]+ing)\b"
_TIME = (
    rf",?\s+(?:on|by|from|since)\s+{_DAY}{_PART}(?:,\s+{_MONTH}\s+\d{{1,2}})?",
    rf"\s+(?:last|this|next|earlier\s+this|later\s+this)\s+(?:week(?:end)?|month|year|{_DAY})"
    + _PART,
    rf",?\s+(?:on|in)\s+(?:{_MONTH}(?:\s+\d{{1,2}})?(?:,?\s+\d{{4}})?|\d{{4}})",
    r"\s+(?:yesterday|today|tonight)\b",
)
_LEADING = ("^" + alternation(LEADING_CLAUSE_OPENERS) + r"\b[^,\"“”]{0,100},\s+",)
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("parenthetical", re.compile(r"\s*\([^()]{1,200}\)")),
    *(("time", re.compile(p)) for p in _TIME),
    ("place", re.compile(rf"\s+(?:in|at)\s+(?:the\s+)?{_NAME_RUN}(?:,\s+{_NAME_RUN})?")),
    ("insertion", re.compile(r",\s+[^,;()\"“”]{3,160}?,(?=\s+[a-z])")),
    (
        "trailing clause",
        re.compile(rf"(?:,|;|\s+-+|\s+–)\s+{_TRAIL_OPENERS}[^;]*?(?=[.!?]?[\"”’]?\s*$)"),
    ),
    *(("leading clause", re.compile(p)) for p in _LEADING),
)
_WORD = re.compile(r"\w+")
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")


@dataclass(frozen=True)
class Deletion:
    """A deletable part of a sentence: ``[start, end)`` offsets into the article."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Candidate:
    """One version of a sentence: the article ranges it keeps and its text.

    ``start``/``end`` are the source sentence's span; ``deleted`` the parts left out (empty
    for the whole sentence).
    """

    text: str
    start: int
    end: int
    deleted: tuple[Deletion, ...]

    @property
    def words(self) -> int:
        """Number of words."""
        return len(self.text.split())

    @property
    def shortened(self) -> bool:
        """Whether any words were left out."""
        return bool(self.deleted)


def find_deletions(
    article: str, start: int, end: int, *, protected: Iterable[tuple[int, int]] = ()
) -> list[Deletion]:
    """The deletable parts of the sentence ``article[start:end]``, in order.

    A part that overlaps a ``protected`` span (the speaker's name) or cuts into a
    quotation is not deletable; a part that would leave fewer than :data:`MIN_WORDS`
    words is not either.
    """
    sentence = article[start:end]
    # Quotations found over the whole article (one may run across sentences): a deletion
    # never cuts into one, so a quote stays verbatim or goes whole.
    guarded = [
        (m.start(), m.end())
        for m in QUOTATION.finditer(article)
        if m.start() < end and start < m.end()
    ]
    keep = list(protected)
    total = len(_WORD.findall(sentence))
    found: dict[tuple[int, int], Deletion] = {}
    for kind, pattern in _PATTERNS:
        for match in _overlapping(pattern, sentence):
            a, b = start + match.start(), start + match.end()
            if b <= a or (a, b) in found:
                continue
            inside_word = article[b - 1 : b].isalnum() and article[b : b + 1].isalnum()
            if article[b : b + 1] in ("'", "’") or inside_word:
                continue  # "for this year's", "this years": the part ends inside a word
            if any(a < k_end and k_start < b for k_start, k_end in keep):
                continue
            # A quotation goes whole or stays whole: never cut into one.
            if any(
                a < q_end and q_start < b and not a <= q_start < q_end <= b
                for q_start, q_end in guarded
            ):
                continue
            if kind == "insertion" and not _deletable_insertion(article[a:b], article[b:end]):
                continue
            if total - len(_WORD.findall(article[a:b])) < MIN_WORDS:
                continue
            found[(a, b)] = Deletion(a, b, kind)
    return sorted(found.values(), key=lambda d: (d.start, d.end))


def candidates(
    article: str,
    start: int,
    end: int,
    *,
    protected: Iterable[tuple[int, int]] = (),
    limit: int = MAX_CANDIDATES,
) -> list[Candidate]:
    """The sentence ``article[start:end]`` whole, then versions of it with up to
    :data:`MAX_COMBINED` deletable parts left out (fewer parts first), without repeats,
    each keeping at least :data:`MIN_KEPT` of the words."""
    protected = list(protected)
    deletions = find_deletions(article, start, end, protected=protected)
    whole = render(article, start, end, ())
    total = len(whole.split())
    shortest = max(MIN_WORDS, int(total * MIN_KEPT + 0.999))
    found = [Candidate(whole, start, end, ())]
    seen = {whole}
    for size in range(1, MAX_COMBINED + 1):
        for combo in itertools.combinations(deletions, size):
            if any(x.end > y.start for x, y in itertools.pairwise(combo)):
                continue  # overlapping parts: the larger one alone covers it
            text = render(article, start, end, combo)
            if text in seen or len(text.split()) < shortest:
                continue
            seen.add(text)
            found.append(Candidate(text, start, end, combo))
            if len(found) >= limit:
                return found
    return found


def render(article: str, start: int, end: int, deleted: Sequence[Deletion]) -> str:
    """The sentence with ``deleted`` left out, whitespace normalised, capitalised and
    ending in a full stop (or its own final mark)."""
    pieces = []
    position = start
    for part in deleted:
        pieces.append(article[position : part.start])
        position = part.end
    pieces.append(article[position:end])
    text = " ".join(_TAG.sub(" ", "".join(pieces)).split())
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"^[,;:\s]+", "", text).rstrip(" ,;:-–")
    if text and text[-1] not in '.!?"”’':
        text += "."
    return text[:1].upper() + text[1:]


def words_in_order(text: str, source: str) -> bool:
    """Whether every word of ``text`` follows the previous one in ``source`` (case aside)."""
    return word_out_of_order(text, source) is None


def _overlapping(pattern: re.Pattern[str], text: str) -> Iterable[re.Match[str]]:
    """Every match of ``pattern`` in ``text``, one per start position (a trailing clause
    from the last comma, not only from the first)."""
    position = 0
    while (match := pattern.search(text, position)) is not None:
        yield match
        position = match.start() + 1


def _deletable_insertion(inside: str, after: str) -> bool:
    """Whether ``, inside,`` is an apposition or relative clause rather than a list item:
    it has a lowercase word and the text after it does not go on with "and"/"or"."""
    words = inside.strip(" ,").split()
    if len(words) < 2 or not any(w[:1].islower() for w in words):
        return False
    return re.match(r"\s*(?:and|or)\b", after) is None
