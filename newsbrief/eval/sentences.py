"""A rule-based English sentence splitter for news copy that keeps "U.S." and "Mr." whole."""

from __future__ import annotations

import re

# Words that end in a full stop but do not end a sentence: titles before names and
# other short forms followed by a capitalised word ("Mr. Coale", "Gen. Smith", "Jan. 4").
# fmt: off
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "sen", "rep", "gov", "lt", "col",
    "capt", "sgt", "maj", "adm", "cmdr", "rev", "hon", "pres", "supt", "insp", "messrs", "mt",
    "ft", "no", "nos", "vs", "v", "approx", "dept", "univ", "fig", "est", "inc", "corp", "ltd",
    "co", "bros", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec"
})
# fmt: on

# After a dotted acronym ("U.S.", "D.C.", "p.m.") a capitalised word usually continues the
# sentence ("the U.S. Congress"); only these common sentence openers start a new one.
# fmt: off
_SENTENCE_STARTERS = frozenset({
    "the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "this", "that", "these",
    "those", "there", "his", "her", "their", "its", "our", "in", "on", "at", "but", "and", "so",
    "if", "when", "while", "after", "before", "however", "meanwhile", "according", "some",
    "many", "both", "all", "no", "yes", "what", "who", "why", "how"
})
# fmt: on

# A candidate end: terminal punctuation, closing quotes or brackets, then whitespace.
_END = re.compile(r"""[.!?…]+["'”’»)\]]*(?=\s)""")
_ACRONYM = re.compile(r"(?:[^\W\d_]\.){2,}")
_OPENERS = "\"'“‘«([¿¡"


def split_sentences(text: str) -> list[str]:
    """Split text into sentences.

    Every line break ends a sentence (news copy puts paragraphs on their own lines).
    Within a line, ``.``, ``!``, ``?`` or ``…`` (with any closing quotes) followed by
    whitespace ends a sentence when the next word starts with a capital letter, a digit
    or an opening quote, except after a title or short form ("Mr.", "Gen.", "Jan."), a
    single initial ("John F. Kennedy"), or a dotted acronym ("U.S.", "D.C.") that is not
    followed by a common sentence opener ("the U.S. Congress" stays whole, "to the
    U.S. The President" is split).

    Args:
        text: the text to split.

    Returns:
        The sentences, stripped of surrounding whitespace; no empty ones.
    """
    sentences: list[str] = []
    for line in text.split("\n"):
        start = 0
        for match in _END.finditer(line):
            if _ends_sentence(line, match):
                sentences.append(line[start : match.end()])
                start = match.end()
        sentences.append(line[start:])
    return [s.strip() for s in sentences if s.strip()]


def _ends_sentence(line: str, match: re.Match[str]) -> bool:
    following = line[match.end() :].lstrip()
    if not following or not (
        following[0].isupper() or following[0].isdigit() or following[0] in _OPENERS
    ):
        return False
    if not match.group().startswith("."):
        return True
    before = line[: match.start()].split()
    last_word = before[-1].lstrip(_OPENERS) if before else ""
    if last_word.lower() in _ABBREVIATIONS:
        return False
    if len(last_word) == 1 and last_word.isupper():
        return False
    if _ACRONYM.fullmatch(last_word + "."):
        next_word = re.match(r"\w+", following.lstrip(_OPENERS))
        return next_word is not None and next_word.group().lower() in _SENTENCE_STARTERS
    return True
