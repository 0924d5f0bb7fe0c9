"""The regexes rebuilt from the lexicon match exactly what their spelled-out originals did."""

from __future__ import annotations

import re

import pytest

from newsbrief.quotes import cues, mentions
from newsbrief.steps import shorten
from newsbrief.steps.heads import stance
from newsbrief.text import lexicon
from newsbrief.text.document import DATE_LINE

# The patterns as they were written before their words moved into the lexicon (issue 15).
_OLD_ADVERBIAL = (
    r"(?:on|in|at|during|to|last|this|earlier|later|late|early|yesterday|today|also|again|"
    r"repeatedly|publicly|previously|recently|further|then|separately|via|through|from|"
    r"before|after|over|with|a|an|the|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday|[\w’'\-]+day)"
)
_OLD_CUES = {
    "_THAT_AFTER_ADVERBIALS": re.compile(
        rf"(?:\s+{_OLD_ADVERBIAL}(?:\s+(?!that\b)[\w’'\-\.]+){{0,5}}?)?,?\s+that\s+(?=\S)"
    ),
    "_TIME_ADVERBIAL": re.compile(
        r"(?:\s+(?:earlier|later|yesterday|today|previously|also|again|on\s+\w+day|last\s+\w+|"
        r"this\s+\w+))*"
    ),
    "_BARE_CLAUSE": re.compile(
        r"\s+(?!(?:on|in|at|during|to|by|from|with|for|of|after|before|about|over|through|via|"
        r"as|when|while|according|last|this|earlier|later|yesterday|today|\w+ly)\b)[\w“\"‘']"
    ),
    "_NARROW_CLAUSE": re.compile(
        r"\s+(?:(?:it|he|she|they|we|there)\s|[A-Z][\w\-]+\s+(?:was|is|were|are|will|would|had|has|"
        r"could|can|should|might|may|must|\w+ed)\b)"
    ),
}
_OLD_MENTIONS = {
    "_TIME_NOUN": re.compile(
        r"\s+(?:week|month|year|morning|afternoon|evening|night|weekend|time|spring|summer|"
        r"autumn|fall|winter|season|quarter|term)\b"
    ),
    "_DESCRIPTION": re.compile(
        r".*(?:^|\s)(?:the|The|a|A|an|An|one|One|its|Its|his|His|her|Her|their|Their)"
        r"((?:\s+[\w’'\-.]+){0,4}?\s+([\w\-]+))$",
        re.DOTALL,
    ),
    "_BEFORE_CUE_FILLER": re.compile(
        r"(?:\s+(?:also|has|have|had|later|earlier|further|then|previously|reportedly|publicly|"
        r"once|again|would|will|did|does|do|recently|repeatedly|separately|additionally|"
        r"however|had|has|been|was|is|always|never|often|subsequently|then|yet|not|just|"
        r"similarly|likewise|herself|himself|themselves|itself|too|who|\w+ly|went on to|"
        r"goes on to|go on to|,))*\s*$"
    ),
    "_LEADING_PHRASE": re.compile(
        r"(?:(?:On|In|At|During|After|Before|Last|Earlier|Later|Following|Since|While|When|As|"
        r"With|Despite|For|Under|This|That|Speaking|Asked|According)\b[^,]{0,100},\s*"
        r"|[A-Z]\w*ing\b[^,]{0,80},\s*)?"
    ),
}
_OLD_NEGATION = re.compile(
    r"\b(not|no|never|nobody|nothing|neither|nor|none|den(y|ies|ied)|false)\b|n't\b",
    re.IGNORECASE,
)
_OLD_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_OLD_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_OLD_TRAIL_OPENERS = (
    r"(?:who|which|whose|where|while|whereas|after|before|as|with|including|according|"
    r"although|though|because|since|following|amid|despite|but|adding|saying|citing|"
    r"[a-z]+ing)\b"
)
_OLD_LEADING = (
    r"^(?:After|Following|Despite|In|On|At|With|As|While|Although|Since|Amid|During|"
    r"Yesterday|Today|Earlier|Last|This|According to)\b[^,\"“”]{0,100},\s+"
)
_OLD_DATE_LINE = re.compile(
    rf"(?:{_OLD_DAY},?\s+)?(?:{_OLD_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_OLD_MONTH},?\s+\d{{4}})",
    re.IGNORECASE,
)

_WORDS = sorted(
    lexicon.CUE_ADVERBIALS
    | lexicon.CUE_TIME_ADVERBS
    | lexicon.NOT_BARE_CLAUSE_OPENERS
    | lexicon.TRAILING_CLAUSE_OPENERS
    | {w.lower() for w in lexicon.LEADING_CLAUSE_OPENERS}
    | lexicon.CALENDAR_WORDS
    | lexicon.AUXILIARIES
    | lexicon.TIME_NOUNS
    | lexicon.DESCRIPTION_OPENERS
    | lexicon.BEFORE_CUE_FILLERS
    | {w.lower() for w in lexicon.SUBJECT_LEADING_OPENERS}
    | lexicon.NEGATION_WORDS
    | {"the", "Mondays", "holiday", "lately", "whereby", "asking", "accordingly", "ask"}
)
_SENTENCES = [
    "The minister said on Monday that the plan would go ahead.",
    "Police said earlier this week, that nobody was hurt.",
    "She told reporters yesterday the vote was fair, adding that she would stay.",
    "He said in a statement the talks had failed, according to officials.",
    "After the vote on Tuesday, March 3, the party, which won, said it would govern.",
    "Last year, the group said previously that it recently met in Paris on Sunday morning.",
    "According to the report, sales fell in May 2019 and again on Friday, January 4.",
    "Earlier, officials said today that they would meet whereas others, citing costs, left.",
    "Friday, January 4, 2019",
    "4 january 2019",
    "Sept 4, 2019",
    "Officials in the state news agency said",
    "Coale has also previously went on to",
    "He did not deny it, and nobody denied that none of it was false; they didn't.",
    "Apple this week said Smith would go, Jones was there and they could not.",
    "On Monday, Speaking to reporters, the Acting minister, his spokesman",
]


def _probes() -> list[str]:
    probes = list(_SENTENCES)
    for word in _WORDS:
        for form in (word, word.capitalize(), word.upper()):
            probes += [
                f"said {form} that it", f"said, {form} the rest", f"{form}, he said that x",
                f"{form} 4, 2019", f"x, {form} y z.", f"on {form} morning, June 1",
            ]  # fmt: skip
    return probes


def _matches(pattern: re.Pattern[str], text: str) -> list[object]:
    """Each position's match (span and groups, or none), the full match and the search hit
    at each position."""
    found: list[object] = []
    for start in range(len(text) + 1):
        for match in (pattern.match(text, start), pattern.search(text, start)):
            found.append((match.span(), match.groups()) if match else None)
    full = pattern.fullmatch(text)
    found.append(full.span() if full else None)
    found.append(pattern.findall(text))
    return found


def _same(old: re.Pattern[str], new: re.Pattern[str]) -> None:
    assert old.flags == new.flags
    for text in _probes():
        assert _matches(old, text) == _matches(new, text), text


@pytest.mark.parametrize("name", sorted(_OLD_CUES))
def test_cue_patterns_match_as_before(name: str) -> None:
    _same(_OLD_CUES[name], getattr(cues, name))


@pytest.mark.parametrize("name", sorted(_OLD_MENTIONS))
def test_mention_patterns_match_as_before(name: str) -> None:
    _same(_OLD_MENTIONS[name], getattr(mentions, name))


def test_the_negation_feature_matches_as_before() -> None:
    _same(_OLD_NEGATION, stance._NEGATION)


def test_shortening_patterns_match_as_before() -> None:
    old_time = [
        re.compile(rf",?\s+(?:on|by|from|since)\s+{_OLD_DAY}{shorten._PART}"
                   rf"(?:,\s+{_OLD_MONTH}\s+\d{{1,2}})?"),
        re.compile(rf"\s+(?:last|this|next|earlier\s+this|later\s+this)\s+"
                   rf"(?:week(?:end)?|month|year|{_OLD_DAY})" + shorten._PART),
        re.compile(rf",?\s+(?:on|in)\s+(?:{_OLD_MONTH}(?:\s+\d{{1,2}})?(?:,?\s+\d{{4}})?|\d{{4}})"),
    ]  # fmt: skip
    new_time = [p for kind, p in shorten._PATTERNS if kind == "time"]
    for old, new in zip(old_time, new_time, strict=False):
        _same(old, new)
    (trailing,) = [p for kind, p in shorten._PATTERNS if kind == "trailing clause"]
    _same(
        re.compile(rf"(?:,|;|\s+-+|\s+–)\s+{_OLD_TRAIL_OPENERS}[^;]*?(?=[.!?]?[\"”’]?\s*$)"),
        trailing,
    )
    (leading,) = [p for kind, p in shorten._PATTERNS if kind == "leading clause"]
    _same(re.compile(_OLD_LEADING), leading)


def test_the_date_line_matches_as_the_baseline_did() -> None:
    _same(_OLD_DATE_LINE, DATE_LINE)
    assert DATE_LINE.fullmatch("Friday, January 4, 2019")
    assert not DATE_LINE.fullmatch("Sept 4, 2019")
