"""The one sentence splitter: news-copy rules that keep "U.S.", "Mr." and initials whole.

Every line break ends a sentence (news copy puts paragraphs on their own lines). Within a
line, ``.``, ``!``, ``?`` or ``…`` (with any closing quotes or brackets) followed by
whitespace ends a sentence when the next word starts with a capital letter, a digit or an
opening quote, except after a title or short form ("Mr.", "Maj.", "Jan.": see
:data:`newsbrief.text.lexicon.ABBREVIATIONS`), a single initial ("John F. Kennedy"), or a
dotted acronym ("U.S.", "D.C.", "p.m.") that is not followed by a common sentence opener
("the U.S. Congress" stays whole, "to the U.S. Some analysts ..." is split). An end mark
that markup follows with no space (``said.</p><div>Tom``, text pasted from HTML) also
ends a sentence.

Why these rules and not a library: measured on the 37 hand-labelled passages of
``tests/unit/sentence_cases.py`` (real Wikinews/GUM sentences around every kind of hard
full stop found in the gold and Wikinews articles, plus the cases the two former splitters
disagreed on), boundary precision/recall over the passages' inner boundaries, and time per
article over the 60 gold articles (``benchmarks/bench_sentences.py``; a shared
2-core machine, so times compare within one run only)::

    splitter                          passages  boundary P  boundary R  ms/article
    former text/layout.py (lead)        30/37       0.938       0.714     1.7
    former eval/sentences.py            36/37       1.000       0.952     0.4
    pysbd 0.3.4 (clean=False)           24/37       0.733       0.524     21-66
    this module (the eval rules         36/37       1.000       0.952     0.3-0.6
      on offsets, + markup ends)

pysbd splits "a.m. Tongan time", "p.m. EDT" and "King Jr. Day" and misses "D.C. It", so
it is both worse and 70-150x slower here: not a dependency. This module reproduces the former
eval splitter on all 330 gold and Wikinews articles; it differs from the former layout
splitter on 7 of them, each a split the old one missed ("2.0. So", "Rs.30. So",
"p.m. \"No", "[…] We"). The one miss left is "at 4 p.m. Officials said ...": after "p.m."
only common openers start a sentence, because "p.m. Friday" continues one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsbrief.text.layout import Segment, find_paragraphs
from newsbrief.text.lexicon import ABBREVIATIONS, SENTENCE_OPENERS

# A candidate end: terminal punctuation, closing quotes or brackets, then whitespace.
_END = re.compile(r"""[.!?…]+["'”’»)\]]*(?=\s)""")
# An end mark directly followed by markup, then text: ``said.</p><div>Tom``.
_MARKUP_END = re.compile(r"[.!?][\"”’']?(?=(?:<[^<>]{0,200}>)+\s*\S)")
_ACRONYM = re.compile(r"(?:[^\W\d_]\.){2,}")
_LAST_TOKEN = re.compile(r"\S*$")
_FIRST_WORD = re.compile(r"\w+")
_OPENERS = "\"'“‘«([¿¡"


def find_sentence_starts(text: str, paragraphs: Sequence[Segment]) -> list[int]:
    """The sorted offsets where sentences of ``text`` start (every paragraph starts one).

    Args:
        text: the whole text.
        paragraphs: its paragraphs (:func:`newsbrief.text.layout.find_paragraphs`); no
            sentence crosses one.
    """
    starts: list[int] = []
    for paragraph in paragraphs:
        starts.append(paragraph.start)
        for match in _END.finditer(text, paragraph.start, paragraph.end):
            after = match.end()
            while after < paragraph.end and text[after].isspace():
                after += 1
            if after < paragraph.end and _ends_sentence(text, paragraph.start, match, after):
                starts.append(after)
        for match in _MARKUP_END.finditer(text, paragraph.start, paragraph.end):
            cut = match.start() + 1
            if paragraph.start < cut < paragraph.end:
                starts.append(cut)
    return sorted(set(starts))


def sentence_segments(
    text: str, paragraphs: Sequence[Segment], starts: Sequence[int]
) -> list[Segment]:
    """Every non-blank sentence as a :class:`Segment` of ``text``, in order: from its start
    to the next start or its paragraph's end (whitespace before the next start included)."""
    segments: list[Segment] = []
    i = 0
    for paragraph in paragraphs:
        while i < len(starts) and starts[i] < paragraph.start:
            i += 1
        j = i
        while j < len(starts) and starts[j] < paragraph.end:
            j += 1
        inside = list(starts[i:j])
        for k, start in enumerate(inside):
            end = inside[k + 1] if k + 1 < len(inside) else paragraph.end
            if text[start:end].strip():
                segments.append(Segment(start, end))
        i = j
    return segments


def split_sentences(text: str) -> list[str]:
    """The sentences of any text (a model's answer, a summary), whitespace-normalised.

    An article is split once, by :class:`newsbrief.text.document.Document`; this is for
    other text.

    Args:
        text: the text to split.

    Returns:
        The sentences, their whitespace runs made single spaces; no empty ones.
    """
    paragraphs = find_paragraphs(text)
    segments = sentence_segments(text, paragraphs, find_sentence_starts(text, paragraphs))
    return [" ".join(text[s.start : s.end].split()) for s in segments]


def _ends_sentence(text: str, line_start: int, match: re.Match[str], following: int) -> bool:
    """Decide whether the end mark ``match`` ends a sentence whose successor would start
    at ``following``."""
    first = text[following]
    if not (first.isupper() or first.isdigit() or first in _OPENERS):
        return False
    if not match.group().startswith("."):
        return True
    token = _LAST_TOKEN.search(text, max(line_start, match.start() - 60), match.start())
    last_word = token.group().lstrip(_OPENERS) if token else ""
    if last_word.lower() in ABBREVIATIONS:
        return False
    if len(last_word) == 1 and last_word.isupper():
        return False  # an initial: "Pedro R. Pierluisi"
    if _ACRONYM.fullmatch(last_word + "."):
        word = _FIRST_WORD.match(text, _skip_openers(text, following))
        return word is not None and word.group().lower() in SENTENCE_OPENERS
    return True


def _skip_openers(text: str, position: int) -> int:
    while position < len(text) and text[position] in _OPENERS:
        position += 1
    return position
