"""Cue words that introduce speech ("said", "told reporters", "according to", "called")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from newsbrief.text.lexicon import (
    ADDRESSEE_VERBS,
    ADVERBIAL_BREAKERS,
    AUXILIARIES,
    BARE_CLAUSE_VERBS,
    BASE_FORM_BLOCKERS,
    BASE_FORM_SPEECH_VERBS,
    CLAUSE_ADVERBIAL_PREPOSITIONS,
    CLAUSE_SUBJECT_PRONOUNS,
    CUE_ADVERBIALS,
    CUE_TIME_ADVERBS,
    IF_QUESTION_VERBS,
    INFINITIVE_VERBS,
    NAMING_VERBS,
    NARROW_CLAUSE_VERBS,
    NOT_BARE_CLAUSE_OPENERS,
    NOT_NAMING_COMPLEMENTS,
    NOT_REPORTED_CLAUSE_OPENERS,
    NOUN_DETERMINERS,
    PRONOUN_CLAUSE_VERBS,
    QUESTION_VERBS,
    QUESTION_WORDS,
    SPEECH_VERBS,
    TIME_NOUNS,
    TOLD_QUESTION_WORDS,
    WEEKDAYS,
    alternation,
)

CueKind = Literal["speech", "naming", "according"]


_CUE_WORD = re.compile(
    r"\b(?:according to|"
    + "|".join(sorted(SPEECH_VERBS | NAMING_VERBS, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)
# Words that may stand between a cue and its "that": time, manner and place adverbials.
_ADVERBIAL = (
    "(?:" + alternation(CUE_ADVERBIALS | {day.capitalize() for day in WEEKDAYS}) + r"|[\w’'\-]+day)"
)
#: "that" and the space after it, or its comma ("joked that, among voters, ...").
_THAT = r"that(?:\s+|,\s+)(?=\S)"
_THAT_AFTER_ADVERBIALS = re.compile(
    rf"(?:\s+{_ADVERBIAL}(?:\s+(?!that\b)[\w’'\-\.]+){{0,5}}?)?,?\s+{_THAT}"
)
#: The same with commas inside the adverbial: "says at a stop in Dover, Delaware, that".
_THAT_AFTER_PLACE = re.compile(
    rf"\s+{_ADVERBIAL}(?:,?\s+(?!that\b)[\w’'\-\.]+){{0,5}}?,?\s+{_THAT}"
)
#: A longer adverbial (six to twelve words) before "that": "said in an interview with The
#: Associated Press last week that", "said Thursday during a taping in Buffalo, New York,
#: that". No conjunction inside, and no verb right after "that" ("agreed on a line as
#: their border that would ...": a relative clause): see :func:`_far_that`.
_FAR_THAT = re.compile(
    rf"\s+{_ADVERBIAL}(?:,?\s+(?!{alternation(ADVERBIAL_BREAKERS)}\b)"
    rf"[\w’'\-\.]+){{5,12}}?,?\s+{_THAT}"
)
_RELATIVE_VERB = re.compile(r"\s*(?:" + alternation(AUXILIARIES) + r"|[a-z]+(?:ed|es))\b")
#: An aside between commas or dashes before "that": "testified, for example, that",
#: "said — on Twitter, as it happens — that", "now says, however, that".
_THAT_AFTER_ASIDE = re.compile(
    r"\s*(?:,|\s[—–-])\s+(?!that\b)[^,;:!?\"“”—–.]{1,60}?(?:,\s+[^,;:!?\"“”—–.]{1,30}?)?"
    rf"\s*(?:,|\s[—–-])\s+{_THAT}"
)
_THAT_AFTER_ADDRESSEE = re.compile(r"(\s+(?!that\b)[^\s,;:]+){0,8}?,?\s+" + _THAT)
#: An addressee (at most six words, a time among them) and a clause opened by a subject
#: pronoun and a lowercase word: "told reporters he would run", "told the Star last week
#: she had".
_PRONOUN_CLAUSE_AFTER_ADDRESSEE = re.compile(
    r"(?:\s+(?!"
    + alternation(CLAUSE_SUBJECT_PRONOUNS | QUESTION_WORDS | {"that"})
    + r"\b)[^\s,.;:!?\"“”]+){1,6}?(\s+)"
    + alternation(CLAUSE_SUBJECT_PRONOUNS)
    + r"\s+[a-z’']"
)
#: An infinitive after a verb: "to" and a word that is no determiner ("vowed to rebuild",
#: not "pledged to the fund").
_INFINITIVE = re.compile(r"\s+to\s+(?!" + alternation(NOUN_DETERMINERS) + r"\b)[a-z]")
#: An addressee and the infinitive after it: "urged the board to", "urged Ann Lee to".
_INFINITIVE_AFTER_ADDRESSEE = re.compile(
    r"(?:\s+(?!to\b)[^\s,.;:!?\"“”]+){1,5}?\s+to\s+(?!"
    + alternation(NOUN_DETERMINERS)
    + r"\b)[a-z]"
)
#: A question word that opens an indirect question: "asked whether", "explained how".
_QUESTION_WORD = alternation(QUESTION_WORDS) + r"\s+(?=[A-Za-z\d])"
_QUESTION = re.compile(r"\s+" + _QUESTION_WORD)
#: An addressee (at most five words) and the question after it: "asked the court whether".
_QUESTION_AFTER_ADDRESSEE = re.compile(
    r"(?:\s+(?!" + alternation(QUESTION_WORDS) + r"\b)[^\s,.;:!?\"“”]+){0,5}?(\s+)" + _QUESTION_WORD
)
#: The same for "told": "told reporters how surprised he was".
_TOLD_QUESTION_AFTER_ADDRESSEE = re.compile(
    r"(?:\s+(?!"
    + alternation(QUESTION_WORDS)
    + r"\b)[^\s,.;:!?\"“”]+){1,8}?(\s+)"
    + alternation(TOLD_QUESTION_WORDS)
    + r"\s+(?=[A-Za-z\d])"
)
#: The same with "if": "asked the court if the loan was repaid".
_IF_AFTER_ADDRESSEE = re.compile(
    r"(?:\s+(?!(?:if|that)\b)[^\s,.;:!?\"“”]+){0,5}?(\s+)if\s+(?=[A-Za-z\d])"
)
#: Text after a naming verb with no quotation mark before the sentence's next stop: the
#: naming is reported in the article's words ('called it "a disgrace"' is a quote).
_NAMED_WITHOUT_MARKS = re.compile(r"[^\"“”‘’.;:!?\n]*(?:[.;:!?\n]|$)")
#: "described the showdown as ominous": an object of at most eight words, then "as".
_DESCRIBED_AS = re.compile(r"(?:\s+[^\s,.;:!?]+){1,8}?\s+as\s+[a-z\d]")
#: "called it a disgrace", "called them liars": a pronoun object and its complement (not a
#: preposition or particle: "called him on Tuesday", "called her back").
_CALLED_IT = re.compile(
    r"\s+(?:it|them|him|her|this|that)\s+(?!" + alternation(NOT_NAMING_COMPLEMENTS) + r"\b)[a-z]"
)
#: "called climate change a hoax", "called Oz a quack": a noun phrase object (one to
#: twelve words, no article first, no time or place inside) and "a"/"an" with the name
#: given ("called a meeting", "called the board on Friday" are no naming).
_CALLED_X_A = re.compile(
    r"\s+(?!(?:a|an)\b)(?:(?!"
    + alternation((NOT_BARE_CLAUSE_OPENERS - {"for", "of"}) | {"a", "an"})
    + r"\b)[^\s,.;:!?\"“”]+\s+){1,12}?(?:a|an)\s+[a-z]"
)
#: "continue(s) to" right before a base form: "continues to insist that" is a statement.
_CONTINUES_TO = re.compile(r"\bcontinu(?:e|es|ed|ing)\s+to\s+$")
#: The word right before a cue word ("n't" apart: "didn't").
_PREVIOUS_WORD = re.compile(r"([\w’']+)\s+$")
#: "call" and its forms, whose "for" or "on" makes a demand of it.
_CALL_VERBS = frozenset({"call", "called", "calling", "calls"})
#: What follows "called" in a demand: "for" (and what is demanded) or "on" (an addressee
#: and an infinitive: "called on the board to resign").
_CALL_FOR = re.compile(
    r"((?:\s+[A-Z][a-z]+day)?\s+for)\s+(?=[A-Za-z\d])"
    r"|(\s+on)\s+(?=(?:[^\s,.;:!?\"“”]+\s+){1,5}?to\s+[a-z])"
)
#: A determiner or possessive before "call(s)": the noun ("the call for cooperation").
_NOUN_BEFORE = re.compile(
    r"\b(?:"
    + alternation(NOUN_DETERMINERS)
    + r"|(?!(?:who|he|she|it|that|there)[’']s)[\w]+[’']s)\s+$",  # "who’s called for"
    re.IGNORECASE,
)
_ADDRESSEE = re.compile(r"(?:\s+(?!that\b|on\b|in\b|at\b)[^\s,.;:!?\"“”‘]+){1,4}")
_NARROW_CLAUSE = re.compile(
    r"\s+(?:(?:it|he|she|they|we|there)\s|[A-Z][\w\-]+\s+(?:"
    + alternation(AUXILIARIES)
    + r"|\w+ed)\b)"
)
_TIME_ADVERBIAL = re.compile(
    r"(?:\s+(?:" + alternation(CUE_TIME_ADVERBS) + r"|on\s+\w+day|last\s+\w+|this\s+\w+))*"
)
#: A weekday without "on" and its part of the day: "said Friday afternoon" (not one that
#: owns what follows, "said Thursday's accident was ...": the clause's subject).
_BARE_WEEKDAY = re.compile(
    r"\s+"
    + alternation({day.capitalize() for day in WEEKDAYS})
    + r"(?![’']s\b)(?:\s+"
    + alternation(TIME_NOUNS)
    + r")?\b"
)
_BARE_CLAUSE = re.compile(
    r"\s+(?!(?:" + alternation(NOT_BARE_CLAUSE_OPENERS) + r"|\w+ly)\b)[\w“\"‘']"
)
#: "about" and a number open a clause ("has said about 20 people have applied"), not a
#: topic ("said about the plan").
_ABOUT_NUMBER = re.compile(r"\s+about\s+\d")
#: A time or place adverbial (a preposition and at most five words) and a clause opened by a
#: subject pronoun and a lowercase word: "said after the convention he would ...", "said
#: in an interview she had ...".
_PRONOUN_CLAUSE_AFTER_ADVERBIAL = re.compile(
    r"\s+"
    + alternation(CLAUSE_ADVERBIAL_PREPOSITIONS)
    + r"\s+(?:[^\s,.;:!?\"“”]+\s+){1,5}?(\s*)"
    + alternation(CLAUSE_SUBJECT_PRONOUNS - {"there", "it"})
    + r"\s+[a-z’']"
)
#: A first word that opens no clause reported without "that" (:data:`NOT_REPORTED_CLAUSE_OPENERS`).
_NOT_A_CLAUSE = re.compile(r"\s+" + alternation(NOT_REPORTED_CLAUSE_OPENERS) + r"\b")


@dataclass(frozen=True)
class Cue:
    """One speech cue in the article.

    Attributes:
        start: offset of the cue phrase.
        end: end of the cue phrase ("told reporters" covers the addressee).
        verb: the cue word, lower-cased ("said", "according to").
        kind: "speech", "naming" (called / described as) or "according".
        content_start: where the reported clause begins, when the cue introduces one.
    """

    start: int
    end: int
    verb: str
    kind: CueKind
    content_start: int | None

    def phrase(self, text: str) -> str:
        """Return the cue as written in ``text``."""
        return text[self.start : self.end]


#: How far past a cue word its addressee and "that" are looked for: the patterns above
#: reach at most about eight words, so a sentence without a break is never read whole.
_LOOKAHEAD = 300


def _far_that(text: str, end: int, window: str) -> re.Match[str] | None:
    """A "that" clause after a long adverbial (:data:`_FAR_THAT`), for a cue that is a verb:
    not after a determiner ("had no say in ... that"), not a relative clause after it."""
    found = _FAR_THAT.match(window)
    if found is None or _RELATIVE_VERB.match(window, found.end()):
        return None
    words = text[max(0, end - 60) : end].split()
    noun = len(words) >= 2 and words[-2].lower() in NOUN_DETERMINERS | {"no"}
    return None if noun else found


def _clause_start(text: str, verb: str, end: int, limit: int) -> tuple[int, int | None]:
    """Return the cue end (after any addressee) and the start of its reported clause."""
    window = text[end : min(limit, end + _LOOKAHEAD)]
    if verb in ADDRESSEE_VERBS:
        with_that = _THAT_AFTER_ADDRESSEE.match(window)
        addressee = _ADDRESSEE.match(window)
        cue_end = end + (addressee.end() if addressee else 0)
        if with_that:
            return cue_end, end + with_that.end()
        question = _QUESTION_AFTER_ADDRESSEE.match(window) if verb in QUESTION_VERBS else None
        if question is None and verb in IF_QUESTION_VERBS:
            question = _IF_AFTER_ADDRESSEE.match(window)  # "asked the court if"
        if question is None and verb in PRONOUN_CLAUSE_VERBS:
            question = _TOLD_QUESTION_AFTER_ADDRESSEE.match(window)  # "told us how"
        if question is not None:
            return end + question.start(1), end + question.end(1)  # "asked the court whether"
        if verb in INFINITIVE_VERBS and _INFINITIVE_AFTER_ADDRESSEE.match(window):
            return end, end + 1  # "urged the board to resign": the addressee is part of it
        clause = (
            _PRONOUN_CLAUSE_AFTER_ADDRESSEE.match(window) if verb in PRONOUN_CLAUSE_VERBS else None
        )
        if clause is not None:
            return end + clause.start(1), end + clause.end(1)  # "told reporters he would"
        return cue_end, None
    if verb in INFINITIVE_VERBS and _INFINITIVE.match(window):
        return end, end + 1  # "vowed to rebuild the pier"
    if verb in QUESTION_VERBS and _QUESTION.match(window):
        return end, end + 1  # "explained how the fund works"
    with_that = (
        _THAT_AFTER_ADVERBIALS.match(window)
        or _THAT_AFTER_PLACE.match(window)
        or _THAT_AFTER_ASIDE.match(window)
        or _far_that(text, end, window)
    )
    if with_that:
        return end, end + with_that.end()
    skip = _TIME_ADVERBIAL.match(window)
    offset = skip.end() if skip else 0
    weekday = _BARE_WEEKDAY.match(window, offset)
    if weekday is not None:  # "said Friday the levy ...": a time, not the clause's subject
        skip = _TIME_ADVERBIAL.match(window, weekday.end())
        offset = skip.end() if skip else weekday.end()
    if verb in BARE_CLAUSE_VERBS and (
        (_BARE_CLAUSE.match(window, offset) and not _NOT_A_CLAUSE.match(window, offset))
        or _ABOUT_NUMBER.match(window, offset)
    ):
        return end, end + offset + 1
    if verb in BARE_CLAUSE_VERBS:
        after_place = _PRONOUN_CLAUSE_AFTER_ADVERBIAL.match(window, offset)
        if after_place is not None:
            return end, end + after_place.end(1)  # "said after the vote he would run"
    if verb in NARROW_CLAUSE_VERBS and _NARROW_CLAUSE.match(window, offset):
        return end, end + offset + 1
    return end, None


def find_cues(text: str, start: int, end: int, *, search_end: int | None = None) -> list[Cue]:
    """Return the speech cues in ``text[start:end]`` (one sentence or paragraph), in order.

    Args:
        text: the article.
        start: where the sentence (or the part of it searched) starts.
        end: where the sentence ends: a cue's addressee and clause stop there.
        search_end: where cue words are looked for up to (default ``end``), for a search
            near a position in a long sentence.
    """
    cues = []
    for match in _CUE_WORD.finditer(text, start, end if search_end is None else search_end):
        verb = match.group(0).lower()
        if verb == "according to":
            cues.append(Cue(match.start(), match.end(), verb, "according", None))
            continue
        if verb in NAMING_VERBS:
            demand = None
            if verb in _CALL_VERBS and not _NOUN_BEFORE.search(
                text, max(0, match.start() - 12), match.start()
            ):
                demand = _CALL_FOR.match(text, match.end(), end)
            if demand is not None:
                # "called for the repeal of the levy", "called on the board to resign":
                # a demand, reported as what the speaker called for.
                cue_end = match.end() + len(demand.group(1) or demand.group(2))
                cues.append(Cue(match.start(), cue_end, verb, "speech", demand.end()))
                continue
            if _NAMED_WITHOUT_MARKS.match(text, match.end(), end) and (
                verb in _CALL_VERBS or verb.startswith(("descri", "characteri"))
            ):
                # "described the talks as productive", "called it a disgrace": a naming
                # without quotation marks reports what the speaker said it was.
                pattern = _CALLED_IT if verb in _CALL_VERBS else _DESCRIBED_AS
                if pattern.match(text, match.end(), end) or (
                    verb in _CALL_VERBS and _CALLED_X_A.match(text, match.end(), end)
                ):
                    cues.append(Cue(match.start(), match.end(), verb, "speech", match.end() + 1))
                    continue
            cues.append(Cue(match.start(), match.end(), verb, "naming", None))
            continue
        before = _PREVIOUS_WORD.search(text, max(0, match.start() - 30), match.start())
        previous = before.group(1).lower() if before is not None else ""
        if previous in NOUN_DETERMINERS - {"that"}:
            continue  # "the continued questions", "his stated aim": an adjective or a noun
        blocked = before is None or (
            previous in BASE_FORM_BLOCKERS
            and not _CONTINUES_TO.search(text, max(0, match.start() - 20), match.start())
        )
        if verb in BASE_FORM_SPEECH_VERBS and blocked:
            continue  # "refused to concede", "did not admit": no statement made
        cue_end, content = _clause_start(text, verb, match.end(), end)
        cues.append(Cue(match.start(), cue_end, verb, "speech", content))
    return cues
