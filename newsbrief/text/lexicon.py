"""Every word list of newsbrief, each named for what it is used for (English news copy)."""

from __future__ import annotations

# -- sentence boundaries (newsbrief.text.sentences) -----------------------------------------

#: Words that end in a full stop but do not end a sentence: titles before names and other
#: short forms followed by a capitalised word ("Mr. Coale", "Maj. Gen. Ryder", "Jan. 4").
#: Lowercase, without the full stop.
# fmt: off
ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "sen", "rep", "gov", "lt", "col",
    "capt", "sgt", "maj", "adm", "cmdr", "rev", "hon", "pres", "supt", "insp", "messrs", "mt",
    "ft", "no", "nos", "vs", "v", "approx", "dept", "univ", "fig", "est", "inc", "corp", "ltd",
    "co", "bros", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec",
})
# fmt: on

#: After a dotted acronym ("U.S.", "D.C.", "p.m.") a capitalised word usually continues the
#: sentence ("the U.S. Congress"); only these common sentence openers start a new one.
#: Lowercase.
# fmt: off
SENTENCE_OPENERS = frozenset({
    "the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "this", "that", "these",
    "those", "there", "his", "her", "their", "its", "our", "in", "on", "at", "but", "and", "so",
    "if", "when", "while", "after", "before", "however", "meanwhile", "according", "some",
    "many", "both", "all", "no", "yes", "what", "who", "why", "how",
})
# fmt: on
