"""Clustering name variants ("Coale", "Coal", "The US envoy") to one canonical name."""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence

from newsbrief.quotes.mentions import Mention
from newsbrief.text.lexicon import DESCRIPTION_DETERMINERS, ORGANISATION_ENDS


def fold(word: str) -> str:
    """Lower-case a word and strip its accents and invisible characters ("Erdoğan" ->
    "erdogan"; a soft hyphen or zero-width joiner inside a name is dropped)."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(
        ch
        for ch in decomposed
        if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf"
    )


def within_edit_distance(a: str, b: str, limit: int) -> bool:
    """Tell whether the Levenshtein distance between ``a`` and ``b`` is at most ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


def same_surname(a: str, b: str) -> bool:
    """Tell whether two folded surnames are one name, allowing a misspelling in long ones."""
    if a == b:
        return True
    if a[:1] != b[:1] or min(len(a), len(b)) < 4:
        return False
    return within_edit_distance(a, b, 2 if min(len(a), len(b)) >= 9 else 1)


def _words(name: str) -> list[str]:
    return [fold(w).rstrip(".") for w in name.split()]


def _word_matches(short: str, full: str) -> bool:
    return short == full or (len(short) == 1 and full.startswith(short))


def is_variant(short: str, full: str) -> bool:
    """Tell whether ``short`` can name the same person as the fuller name ``full``.

    The short form's last word must be one of the full name's surnames (a misspelling of
    the final one is tolerated); with a first name, the first names must agree, so two
    different people named in full ("Joe Biden", "Hunter Biden") never merge.
    """
    return _is_variant_words(_words(short), _words(full))


def _is_variant_words(s: Sequence[str], f: Sequence[str]) -> bool:
    """:func:`is_variant` on folded words."""
    if len(s) > len(f) or len(f) < 2:
        return False
    if len(s) >= 2 and not _word_matches(s[0], f[0]):
        return False  # the cheaper test first: first names that differ
    surname_matches = s[-1] in f[1:-1] or same_surname(s[-1], f[-1])
    if not surname_matches:
        return False
    if len(s) == 1:
        return True
    rest = f[1:]
    return all(any(_word_matches(word, r) for r in rest) for word in s[1:-1])


@functools.lru_cache(maxsize=4096)
def _deletions(word: str) -> frozenset[str]:
    """``word`` with up to as many letters deleted as :func:`same_surname` forgives (one,
    two from nine letters on; none under four): every pair of words that
    :func:`same_surname` accepts shares one of these forms."""
    forms = {word}
    if len(word) < 4 or len(word) > 40:
        return frozenset(forms)
    for _ in range(2 if len(word) >= 9 else 1):
        forms |= {form[:i] + form[i + 1 :] for form in forms for i in range(len(form))}
    return frozenset(forms)


def is_named_by(candidate: str | None, wanted: str) -> bool:
    """Whether ``wanted`` names the speaker ``candidate``: equal ignoring case, or a shorter
    variant of it (:func:`is_variant`); no name (``None``) is never named."""
    if candidate is None:
        return False
    a, b = candidate.casefold().strip(), wanted.casefold().strip()
    return a == b or is_variant(wanted, candidate)


#: Most fuller names a name is compared with (the best-ranked of those sharing its surname
#: or a near spelling of it), and most names kept under one spelling with letters deleted:
#: an article rarely has more than a handful, and the bound keeps an article of thousands
#: of similar names linear.
_MAX_VARIANT_CHECKS = 8


#: Longest full name a first name alone is read as ("Mary Ann Smith Jones"): a longer
#: capitalised run is a headline or a list, not a person.
_MAX_PERSON_NAME_WORDS = 4


#: A name and the acronym defined for it in brackets: "the National Emergency Operation
#: Centre (NEOC)", "Pacific Gas and Electric Company (PG&E)".
_DEFINED_ACRONYM = re.compile(
    r"((?:[A-Z][\w’'\-]*\s+(?:(?:and|of|for|the|&)\s+)*){1,9}[A-Z][\w’'\-]*)"
    r"\s+\(([A-Z][A-Z&.]{1,9})\)"
)


def defined_acronyms(text: str) -> dict[str, str]:
    """The acronyms ``text`` defines in brackets after a name whose capitalised words give
    its letters in order, a body's last word allowed out ("National Emergency Operation
    Centre (NEOC)", "Pacific Gas and Electric Company (PG&E)"), each mapped to the longest
    such run of capitalised words before the bracket."""
    found: dict[str, str] = {}
    for match in _DEFINED_ACRONYM.finditer(text):
        acronym = match.group(2)
        letters = [c for c in acronym if c.isalpha()]
        words = match.group(1).split()
        # A body's last word may stay out of its letters: "... Electric Company (PG&E)".
        ends = [len(words), len(words) - 1] if words[-1] in ORGANISATION_ENDS else [len(words)]
        for k in range(len(words)):
            if any([w[0] for w in words[k:end] if w[0].isupper()] == letters for end in ends):
                found.setdefault(acronym, " ".join(words[k:]))
                break
    return found


def _bodies_by_first_word(names: Sequence[Mention], first: dict[str, int]) -> dict[str, str]:
    """A body named in full first and by its first word later ("Ford Motor Company" ...
    "Ford said"): each such first word with its only full name that ends as a body's does
    (``first``: where each name text first occurs)."""
    bodies: dict[str, set[str]] = defaultdict(set)
    for name in names:
        words = name.text.split()
        body = len(words) >= 2 and words[-1] in ORGANISATION_ENDS and words[0][:1].isupper()
        if body and first.get(words[0], name.start) >= name.start:
            bodies[words[0]].add(name.text)
    return {word: next(iter(full)) for word, full in bodies.items() if len(full) == 1}


class NameClusters:
    """The article's name mentions grouped by the person or body they name.

    Args:
        names: every name mention of the article, in text order.
        aliases: names the article gives another, fuller name for (an acronym it defines,
            :func:`defined_acronyms`), each with that name.
    """

    def __init__(self, names: Sequence[Mention], aliases: dict[str, str] | None = None) -> None:
        self._names = list(names)
        self._positions = [name.start for name in self._names]
        counts: dict[str, int] = defaultdict(int)
        for name in self._names:
            counts[name.text] += 1
        first: dict[str, int] = {}
        for name in self._names:
            first.setdefault(name.text, name.start)
        self._aliases = {**_bodies_by_first_word(self._names, first), **(aliases or {})}
        full = sorted(
            {n.text for n in self._names if len(n.text.split()) >= 2 and not n.organisation},
            key=lambda t: (-len(t.split()), -counts[t], first[t]),
        )
        # Indexes instead of a comparison of every pair of names: a short form's last word
        # is one of a full name's later words, or a misspelling of its final one; two
        # words within edit distance k share a form with k letters deleted.
        self._rank = {name_text: rank for rank, name_text in enumerate(full)}
        self._first = first
        self._folded = {name_text: _words(name_text) for name_text in full}
        self._by_word: dict[str, list[str]] = defaultdict(list)
        self._by_deletion: dict[str, list[str]] = defaultdict(list)
        self._by_first: dict[str, list[str]] = defaultdict(list)
        for name_text in full:
            words = self._folded[name_text]
            if len(words) <= _MAX_PERSON_NAME_WORDS:
                self._by_first[words[0]].append(name_text)
            for word in dict.fromkeys(words[1:]):
                self._by_word[word].append(name_text)
            for form in _deletions(words[-1]):
                bucket = self._by_deletion[form]
                if len(bucket) < _MAX_VARIANT_CHECKS:
                    bucket.append(name_text)
        self._cache: dict[str, str] = {}
        self._titles: dict[str, set[str]] = defaultdict(set)
        for name in self._names:
            self._titles[self.canonical(name.text)].update(name.titles)

    def canonical(self, name_text: str) -> str:
        """Return the fullest form the article gives of the name ``name_text``."""
        if name_text not in self._cache:
            words = _words(name_text)
            last = words[-1] if words else ""
            candidates = set(self._by_word.get(last, ()))
            for form in _deletions(last):
                candidates.update(self._by_deletion.get(form, ()))
            best = name_text
            ranked = sorted(candidates, key=self._rank.__getitem__)
            for candidate in ranked[:_MAX_VARIANT_CHECKS]:
                if candidate != name_text and _is_variant_words(words, self._folded[candidate]):
                    best = candidate
                    break
            if best == name_text and len(words) == 1:
                fuller = self._only_full_name_with_first_name(words[0])
                if fuller is not None and self._first[fuller] < self._first.get(name_text, 0):
                    best = fuller  # named in full first, then by first name
            if best == name_text and name_text in self._aliases:
                best = self._aliases[name_text]
            self._cache[name_text] = best
        return self._cache[name_text]

    def _only_full_name_with_first_name(self, word: str) -> str | None:
        """The one person the article names in full with first name ``word`` ("Kevin" ->
        "Kevin Conolly"), or None when it names none or several ("Kevin McCarthy" too)."""
        fuller = self._by_first.get(word, [])
        if not fuller:
            return None
        best = fuller[0]  # the fullest form ranks first
        if all(_is_variant_words(self._folded[other], self._folded[best]) for other in fuller[1:4]):
            return best if len(fuller) <= 4 else None
        return None

    def persons_before(self, position: int) -> list[Mention]:
        """Return the person-name mentions before ``position``, nearest first."""
        found: list[Mention] = []
        i = bisect.bisect_left(self._positions, position) - 1
        while i >= 0 and len(found) < 20:
            if not self._names[i].organisation:
                found.append(self._names[i])
            i -= 1
        return found

    def resolve_description(self, description: Mention) -> Mention | None:
        """Return the nearest earlier name whose titles fit a description ("the US envoy")."""
        head = description.titles[-1] if description.titles else ""
        if not head or head in DESCRIPTION_DETERMINERS or not any(c.isalpha() for c in head):
            return None  # "The", "a": a description that describes nobody
        for name in self.persons_before(description.start):
            if head in self._titles[self.canonical(name.text)]:
                return name
        return None
