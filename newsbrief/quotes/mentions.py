"""Mentions of people and organisations: names, titles, appositions, pronouns, descriptions."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal

from newsbrief.text.lexicon import (
    ABBREVIATIONS,
    APPOSITION_OPENERS,
    BEFORE_CUE_FILLERS,
    CLAUSE_CONJUNCTIONS,
    COMPOUND_DESCRIPTOR_ENDS,
    COURTESY_TITLES,
    DESCRIPTION_DETERMINERS,
    DESCRIPTION_HEADS,
    DESCRIPTION_OPENERS,
    DESCRIPTION_QUANTIFIERS,
    DISCOURSE_MARKERS,
    DOCUMENT_HEADS,
    FLOATING_QUANTIFIERS,
    GROUNDING_FUNCTION_WORDS,
    HEADLINE_FUNCTION_WORDS,
    IMPERATIVE_OBJECTS,
    MONTHS,
    NAME_PARTICLES,
    NAME_TITLES,
    NOT_SPEAKER_NAMES,
    NOT_TITLE_WORDS,
    NOUN_DETERMINERS,
    ORGANISATION_ENDS,
    PERSON_TITLES,
    ROLE_BREAKING_WORDS,
    ROLE_NOUN_ENDINGS,
    ROLE_WORDS_BEFORE_NAMES,
    SPEECH_VERBS,
    SUBJECT_LEADING_OPENERS,
    SUBJECT_PREPOSITIONS,
    TIME_NOUNS,
    TITLE_WORD_SURNAMES,
    VERB_PARTICLES,
    alternation,
)

MentionKind = Literal["name", "pronoun", "description"]

#: How far (in characters) a speaker mention is looked for before or after its cue, and
#: half the stretch read for a sentence's subject: a sentence without a break (a
#: transcript, a pasted page) is never read whole for one cue.
MENTION_REACH = 200
#: How much of a sentence is read for its subject (which opens it: at most eight words in).
SUBJECT_REACH = 2 * MENTION_REACH

#: "this week", "that morning": a time adverbial after a subject ("Apple this week said").
_TIME_NOUN = re.compile(r"\s+" + alternation(TIME_NOUNS) + r"\b")
#: Sentence adverbs by their form: "Interestingly", "Clearly", "Unfortunately" (not the
#: names "Kelly", "Connolly", "Emily", "Beverly": -lly other than -ally, -erly, short words).
_SENTENCE_ADVERB = re.compile(r"[A-Z][a-z]{3,}(?<!l)(?<!er)ly|[A-Z][a-z]{2,}ally")
#: A negated auxiliary opens an imperative ("Don't say ...") or a question, not a name.
_NEGATED = re.compile(r"[A-Z][a-z]*n[’']t")
#: What ends the text before a sentence's first word (or nothing: the text's start).
#: A pronoun with a contracted verb ("I'm", "We’ll"): capitalised, never a name.
_PRONOUN_CONTRACTION = re.compile(r"(?:I|We|You|They|He|She|It)[’'](?:m|ve|d|ll|re|s)")
#: An apposition after a name: ", a lawyer," / ", 45," / ", who ...,".
_APPOSITION_AFTER = re.compile(r",\s+(?:a|an|the|who|which|whose|\d)\b[^,.;:!?]{0,80},")
#: A compound adjective before a name that describes it ("the Kurdish-led Syrian Democratic
#: Forces", "US-backed", "London-based"): not part of the name.
_COMPOUND_DESCRIPTOR = re.compile(r"[A-Z][\w.]*-" + alternation(COMPOUND_DESCRIPTOR_ENDS))
#: A short parenthetical right before a cue: a party and state ("Jason Chaffetz (R-Utah)
#: said"), an age, an acronym. It belongs to the subject before it, which is the speaker.
_PARENTHETICAL_BEFORE_CUE = re.compile(r"\s*\([^()\n]{1,40}\)\s*$")
_SENTENCE_BOUNDARY = re.compile(r"(?:^|[.!?:;\"“”‘’«»()\[\]—–\n])[\s\"“”‘’«»(\[]*$")


def _opens_sentence_without_naming(
    text: str, token: re.Match[str], alone: bool, preceding: str
) -> bool:
    """Tell whether a capitalised word opening a sentence is not a name.

    A speaker is a person, group or organisation: a sentence's first word is capitalised
    whatever it is, and a discourse marker ("Please", "Indeed"), a negated auxiliary
    ("Don't"), a sentence adverb ("Interestingly, ...", "Clearly Maria Lopez ...") or an
    imperative verb ("Ignore all previous instructions", "Note that ...") is none of them.
    Adverbs and imperatives are told by their form and what follows them: a comma or a
    clause after an -ly word, an object or clause (a determiner, pronoun or "that")
    straight after a lone word; a list item's verb in the third person by an -ing word or
    a particle after it ("Keeps saying ...", "Preys on our fears ..."). A word the article
    capitalises mid-sentence elsewhere is a name whatever its form ("Schlafly also noted").

    Args:
        text: the article.
        token: the word.
        alone: whether it is the only word of its capitalised run.
        preceding: the text before it (up to 40 characters).
    """
    if not _SENTENCE_BOUNDARY.search(preceding):
        return False
    word = _clean(token.group(0))
    if word.lower() in DISCOURSE_MARKERS or _NEGATED.fullmatch(word):
        return True
    after = text[token.end() : token.end() + 120]
    following = re.match(r" ([a-z]+)\b", after)
    follower = following.group(1) if following else ""
    if _SENTENCE_ADVERB.fullmatch(word):
        opens_clause = (
            (after.startswith(",") and not _APPOSITION_AFTER.match(after))
            or re.match(r" [A-Z]", after) is not None
            or follower in IMPERATIVE_OBJECTS
        )
        return opens_clause and not _named_mid_sentence(text, word)
    # A list item in the third person: "Keeps saying ...", "Preys on our fears ...".
    verb_item = word.endswith("s") and (follower.endswith("ing") or follower in VERB_PARTICLES)
    if not alone or (follower not in IMPERATIVE_OBJECTS | FLOATING_QUANTIFIERS and not verb_item):
        return False
    if follower in FLOATING_QUANTIFIERS and word.endswith("s"):
        return False  # "Democrats all voted"
    if following is not None and _TIME_NOUN.match(after, following.end()):
        return False  # "Apple this week said"
    return not _named_mid_sentence(text, word)


def _named_mid_sentence(text: str, word: str) -> bool:
    """Tell whether ``word`` is capitalised somewhere other than at a sentence start."""
    return word in _mid_sentence_words(text)


#: Longest word looked up by :func:`_named_mid_sentence` (longer ones are no names).
_MAX_INDEXED_WORD = 60
#: A word as :func:`_named_mid_sentence` finds it: not preceded by a letter, apostrophe or
#: hyphen; it may hold apostrophes, hyphens and full stops inside ("O'Brien", "U.S.").
_INDEXED_RUN = re.compile(r"(?<![\w’'\-])[^\W_][\w’'\-.\u0300-\u036f\u00ad\u200b-\u200d\u2060]*")


@functools.lru_cache(maxsize=4)
def _mid_sentence_words(text: str) -> frozenset[str]:
    """The words of ``text`` that occur somewhere other than at a sentence start.

    One pass over the text, so that telling a name from a sentence-opening adverb costs a
    look-up rather than a scan of the article per word. A word ends where the next
    character is neither a letter nor a hyphen ("Schlafly" in "Schlafly's").
    """
    found: set[str] = set()
    for match in _INDEXED_RUN.finditer(text):
        start = match.start()
        if _SENTENCE_BOUNDARY.search(text[max(0, start - 40) : start]):
            continue
        run = match.group(0)[:_MAX_INDEXED_WORD]
        for k in range(1, len(run)):
            if run[k] in "’'.":
                found.add(run[:k])
        if match.end() - start <= _MAX_INDEXED_WORD:
            found.add(run)
    return frozenset(found)


#: The characters of a word: letters and digits, combining accents (a name typed in NFD,
#: "José" as "Jose" + U+0301) and the invisible characters that may sit inside a word
#: (soft hyphen, zero-width space, non-joiner, joiner, word joiner), so none cuts a name.
_IN_WORD = (
    r"\w\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
    r"\u00ad\u200b-\u200d\u2060"
)
_TOKEN = re.compile(rf"[^\W_][{_IN_WORD}]*(?:[-’'.][{_IN_WORD}]+|(?<=[A-Z])&[A-Z]+)*\.?")
_PRONOUN = re.compile(r"\b(he|she|they|it)$", re.IGNORECASE)
_DESCRIPTION = re.compile(
    r".*(?:^|\s)"
    + alternation(
        DESCRIPTION_OPENERS
        | DESCRIPTION_QUANTIFIERS
        | {w.capitalize() for w in DESCRIPTION_OPENERS | DESCRIPTION_QUANTIFIERS}
    )
    + r"((?:\s+[\w’'\-.]+){0,4}?\s+([\w\-]+))$",
    re.DOTALL,
)
# Auxiliaries and adverbs between a subject and its cue: "Coale has also said".
# An adverb is lowercase: a capitalised -ly word is a name ("Kevin Conolly said").
_BEFORE_CUE_FILLER = re.compile(
    r"(?:\s+(?:" + alternation(BEFORE_CUE_FILLERS) + r"|[a-z]\w*ly|,))*\s*$"
)
_APPOSITION = re.compile(r",\s+(?:a|an|the|who|which|[a-z][\w’'\-]*)\b[^,;:\"“”]{0,90},$")


#: A conjunction right before a cue: the cue shares the subject of the clause before it
#: ("Her aides say ... but noted that ...").
_SHARED_SUBJECT = re.compile(r"\b(?:and|but|or)$")


@dataclass(frozen=True)
class Mention:
    """A span of the article that may refer to a speaker.

    Attributes:
        start: offset of the mention.
        end: end of the mention.
        text: the mention as written (the name itself, titles stripped).
        kind: "name", "pronoun" or "description".
        titles: lower-cased descriptor words seen with the name ("special", "envoy").
        organisation: whether the mention reads as an organisation rather than a person.
    """

    start: int
    end: int
    text: str
    kind: MentionKind
    titles: tuple[str, ...] = ()
    organisation: bool = False


def _is_capitalised(token: str) -> bool:
    return token[0].isupper()


def _clean(token: str) -> str:
    """Strip a possessive and a sentence-final full stop from a token."""
    for suffix in ("'s", "’s"):
        if token.endswith(suffix):
            return token[: -len(suffix)]
    if token.endswith(".") and not (len(token) == 2 or "." in token[:-1]):
        return token[:-1]
    return token


def _place_words(text: str, tokens: list[re.Match[str]]) -> int:
    """How many of a capitalised run's first words, after a title and its preposition, are
    the title's place: the most (two words of name left) whose words the article also
    writes elsewhere as they stand, else one."""
    for k in range(len(tokens) - 2, 1, -1):
        place = text[tokens[0].start() : tokens[k - 1].end()]
        before, after = text.find(place), text.rfind(place)
        if before != tokens[0].start() or after != tokens[0].start():
            return k
    return 1


def _name_from_run(text: str, tokens: list[re.Match[str]], preceding: str) -> Mention | None:
    """Strip titles and leading descriptors from a capitalised run and return the name."""
    if tokens and _opens_sentence_without_naming(text, tokens[0], len(tokens) == 1, preceding):
        if len(tokens) == 1:
            return None
        preceding, tokens = text[tokens[0].start() : tokens[1].start()], tokens[1:]
    words = [_clean(t.group(0)) for t in tokens]
    mid_sentence = bool(re.search(r"[a-z,]\s*$", preceding))
    keep_the = mid_sentence and words[0] == "The" and len(words) >= 2
    skip = 0
    while skip < len(words) and (
        (words[skip] in NOT_SPEAKER_NAMES and not (keep_the and words[skip] == "The"))
        or _PRONOUN_CONTRACTION.fullmatch(words[skip])
    ):
        skip += 1
    if skip:
        words, tokens = words[skip:], tokens[skip:]
    if keep_the and words and words[0] == "The":
        return _organisation(text, tokens, words)
    headline = next(
        (i for i, w in enumerate(words) if i and w.lower() in HEADLINE_FUNCTION_WORDS), None
    )
    if headline is not None:
        # A line in Title Case ("Voters Share Their Thoughts On Ann Lee"), not a name; a
        # short run keeps the name before the function word ("Lee On Monday").
        if len(words) >= 3:
            return None
        words, tokens = words[:headline], tokens[:headline]
    if not words:
        return None
    cut = 0
    inner_words = text[tokens[0].start() : tokens[-1].end()].split()
    if words[-1] in ORGANISATION_ENDS or "of" in inner_words or "for" in inner_words:
        return _organisation(text, tokens, words)
    for i, word in enumerate(words[:-1]):
        bare = word.rstrip(".")
        letters = bare.replace(".", "")
        all_caps_prefix = bare.isupper() and 2 <= len(letters) <= 3
        words_after = len(words) - i - 1
        if (
            bare in NAME_TITLES
            or (bare in ROLE_WORDS_BEFORE_NAMES and words_after >= 2)
            or all_caps_prefix
            or (word in ORGANISATION_ENDS and words_after >= 2)
            or _COMPOUND_DESCRIPTOR.fullmatch(word)
        ):
            cut = i + 1
    after_title_preposition = re.search(r"\b(?:to|of|for|from)\s*$", preceding) is not None
    if cut == 0 and after_title_preposition and len(words) >= 3:
        # "Envoy to Belarus John Coale": the first word is the title's object; a place of
        # more words is one the article names alone elsewhere ("Chief Executive of Hong
        # Kong Carrie Lam" ... "Hong Kong").
        cut = _place_words(text, tokens)
    if len(words) - cut >= 3 and re.search(r"(?:an|ese|ish)$", words[cut]):
        cut += 1  # "Republican Kevin McCarthy"
    name_words, name_tokens = words[cut:], tokens[cut:]
    if (
        not name_words
        or (
            name_words[-1] in NOT_SPEAKER_NAMES | NAME_TITLES
            and not _surname_of_a_title_word(text, words, cut, name_tokens)
        )
        or (name_words[0] in NAME_PARTICLES and cut == 0)
    ):
        return None
    start = name_tokens[0].start()
    end = name_tokens[-1].start() + len(name_words[-1])
    titles = tuple(w.lower().rstrip(".") for w in words[:cut]) + _titles_before(preceding)
    organisation = any(w in ORGANISATION_ENDS for w in name_words) or (
        len(name_words) == 1 and name_words[0].isupper() and len(name_words[0]) > 1
    )
    return Mention(start, end, text[start:end], "name", titles, organisation)


#: Surnames that are title words or months ("Larry King", "Mr. King", "Theresa May").
_NUMBER_AFTER = re.compile(r"\s*\d")
_TITLE_OR_MONTH_SURNAMES = TITLE_WORD_SURNAMES | frozenset(m.capitalize() for m in MONTHS)


def _surname_of_a_title_word(
    text: str, words: list[str], cut: int, tokens: list[re.Match[str]]
) -> bool:
    """Whether a name's last word, a title word or a month, is its surname: after a first
    name that is no title ("Larry King", "Theresa May") or after a courtesy title ("Mr.
    King"), and not before a number ("May 5": a date)."""
    last = words[-1]
    if last not in _TITLE_OR_MONTH_SURNAMES or _NUMBER_AFTER.match(text, tokens[-1].end()):
        return False
    if len(words) - cut >= 2:
        first = words[-2]
        return first[:1].isupper() and first not in NOT_SPEAKER_NAMES | NAME_TITLES
    before = text[max(0, tokens[0].start() - 5) : tokens[0].start()].split()
    return bool(before) and before[-1].rstrip(".").lower() in COURTESY_TITLES


def _titles_before(preceding: str) -> tuple[str, ...]:
    """Return the descriptor words right before a name ("opposition leader", "Envoy to")."""
    clause = re.split(r"[.,;:!?\"“”()]", preceding)[-1]
    titles: list[str] = []
    for word in reversed(clause.split()[-6:]):
        if word.lower() in NOT_TITLE_WORDS or (word.islower() and word.endswith("ed")):
            break
        titles.append(word.lower())
    return tuple(reversed(titles))


def _organisation(text: str, tokens: list[re.Match[str]], words: list[str]) -> Mention:
    """Return an organisation's name, keeping a capitalised "The" ("The New York Times")."""
    start = tokens[0].start()
    end = tokens[-1].start() + len(words[-1])
    return Mention(start, end, text[start:end], "name", (), True)


_ARABIC_PARTICLE = re.compile(r"(?:al|el|bin|ibn|abu)-[A-Z]")


def _runs(text: str, start: int, end: int) -> list[list[re.Match[str]]]:
    """Group the capitalised tokens of ``text[start:end]`` into runs (particles inside)."""
    runs: list[list[re.Match[str]]] = []
    current: list[re.Match[str]] = []
    pending: list[re.Match[str]] = []  # particles waiting for a capitalised word
    last_end = -1
    for token in _TOKEN.finditer(text, start, end):
        word = token.group(0)
        joined = last_end >= 0 and text[last_end : token.start()] == " "
        if word[0].isupper() or _ARABIC_PARTICLE.match(word):
            if current and joined and not current[-1].group(0).endswith(("'s", "’s")):
                current.extend(pending)
            elif current:
                runs.append(current)
                current = []
            pending = []
            current.append(token)
        elif current and joined and word in NAME_PARTICLES and not pending:
            pending = [token]
        else:
            if current:
                runs.append(current)
            current, pending = [], []
        last_end = token.end()
        if text[last_end : last_end + 1] in ',;:!?()"“”«»' or (
            word.endswith(".") and not _is_capitalised(word[-2:-1] or "a")
        ):
            last_end = -1  # punctuation ends a run
            if current:
                runs.append(current)
            current, pending = [], []
    if current:
        runs.append(current)
    return runs


def _join_organisations(text: str, runs: list[list[re.Match[str]]]) -> list[list[re.Match[str]]]:
    """Join "Foreign Ministry" + "of" + "Iraq" ("Office" + "for" + "National Statistics")
    and "Pacific Gas" + "and" + "Electric Company" into one organisation name."""
    joined: list[list[re.Match[str]]] = []
    for run in runs:
        if joined:
            previous = joined[-1]
            gap = text[previous[-1].end() : run[0].start()]
            joins = gap in (" of ", " on ", " for ")
            if joins and _clean(previous[-1].group(0)) in ORGANISATION_ENDS:
                previous.extend(run)  # in place: a long chain of "X of Y of ..." stays linear
                continue
            if gap in (" and ", " & ") and _one_body_with_and(previous, run):
                previous.extend(run)  # "National Search and Rescue Agency"
                continue
        joined.append(run)
    return joined


#: Organisation ends that close the name of a country, not of a body: "Russia and United
#: States" are two.
_COUNTRY_ENDS = frozenset({"Kingdom", "Nations", "States"})


def _one_body_with_and(before: list[re.Match[str]], after: list[re.Match[str]]) -> bool:
    """Whether two capitalised runs joined by "and" are one body's name: the second, of two
    words or more, ends as a body's name does (not a country's) and the first holds no such
    end ("Disaster and Emergency Management Presidency", "Bill and Melinda Gates
    Foundation"; not "Russia and United States"). Two bodies written without "the" before
    the second ("Reuters and Associated Press") are read as one: a known limit."""
    last = _clean(after[-1].group(0))
    if last not in ORGANISATION_ENDS or last in _COUNTRY_ENDS or len(after) < 2:
        return False
    return not any(_clean(t.group(0)) in ORGANISATION_ENDS for t in before)


#: Longest capitalised run read as a name, in words: the longest run in the gold has seven
#: ("This Wednesday Greek Foreign Minister George Katrougalos"); a longer one is a line in
#: Title Case or a list of names without punctuation, not one name.
MAX_NAME_WORDS = 16


#: A place before a state's abbreviation: "of Ashton, " (before "Md."), "from Dayton, ".
_PLACE_BEFORE_STATE = re.compile(
    r"\b(?:of|from|in|near)\s+(?:[A-Z][\w’'\-.]*\s+){0,3}[A-Z][\w’'\-.]*,\s*$"
)


def find_names(text: str, start: int, end: int) -> list[Mention]:
    """Return the name mentions (people and organisations) in ``text[start:end]``."""
    names = []
    for run in _join_organisations(text, _runs(text, start, end)):
        if len(run) > MAX_NAME_WORDS:
            continue
        if (
            len(run) == 1
            and run[0].group(0).endswith(".")
            and _PLACE_BEFORE_STATE.search(text, max(0, run[0].start() - 60), run[0].start())
        ):
            continue  # the state of "Tom Ridley, of Springfield, Va.,": a place, no name
        mention = _name_from_run(text, run, text[max(0, run[0].start() - 40) : run[0].start()])
        if mention is not None:
            names.append(mention)
    return names


def _description(text: str, lo: int, end: int) -> Mention | None:
    """Return a descriptive noun phrase ending at ``end`` ("the state news agency")."""
    offset = max(lo, end - 80)
    match = _DESCRIPTION.match(text[offset:end])
    if match is None or not match.group(2)[0].isalpha():
        return None
    phrase_start = offset + match.start(1) + len(match.group(1)) - len(match.group(1).lstrip())
    names = find_names(text, phrase_start, end)
    if names and names[-1].end == end and match.group(2) in ORGANISATION_ENDS:
        return names[-1]  # "the Investigative Committee": a name
    words = tuple(w.lower() for w in match.group(1).split())
    organisation = match.group(2).lower() not in PERSON_TITLES
    return Mention(phrase_start, end, text[phrase_start:end], "description", words, organisation)


def mention_before(text: str, lo: int, position: int) -> Mention | None:
    """Return the subject that ends just before a cue at ``position`` ("Hugh Hill, a doctor,").

    Args:
        text: the article.
        lo: how far back the subject may start (its sentence start).
        position: offset of the cue.
    """
    floor = max(lo, position - MENTION_REACH)
    window = text[floor:position]
    filler = _BEFORE_CUE_FILLER.search(window)
    end = floor + (filler.start() if filler else len(window))
    if _SHARED_SUBJECT.search(text, max(floor, end - 5), end):
        return None  # "... but noted that": the subject is the clause's before it
    parenthetical = _PARENTHETICAL_BEFORE_CUE.search(text, max(floor, end - 45), end)
    if parenthetical is not None and parenthetical.start() > floor:
        end = parenthetical.start()
    titles: tuple[str, ...] = ()
    named = re.search(r",\s+([^,]{2,60}),$", text[max(floor, end - 70) : end])
    if named is not None:
        offset = max(floor, end - 70)
        inner = find_names(text, offset + named.start(1), offset + named.end(1))
        if (
            inner
            and inner[-1].end == offset + named.end(1)
            and not inner[-1].organisation
            and not _object_of_phrase(text, offset + named.start(1), inner[-1].start)
        ):
            return inner[-1]  # "a Department of State spokesperson, Morgan Ortagus, said"
    before = _before_appositions(text, floor, end)
    if before is not None:
        end, titles = before  # "Ann Lee, a spokeswoman for the Union of X, said"
    apposition = _APPOSITION.search(text, max(floor, end - 200), end)
    if apposition is not None:
        titles = tuple(re.findall(r"[a-z][\w\-]*", apposition.group(0)))
        end = apposition.start()
    pronoun = _PRONOUN.search(text, max(lo, end - 5), end)
    if pronoun is not None and (pronoun.start() == lo or not text[pronoun.start() - 1].isalnum()):
        return Mention(pronoun.start(), end, pronoun.group(1), "pronoun")
    names = find_names(text, max(lo, end - 160), end)
    affiliated = _person_before_affiliation(text, names, end)
    if affiliated is not None:
        return affiliated
    group = _group_of(text, lo, names, end)
    if group is not None:
        return group  # "Associates of Navalny alleged": the associates, not Navalny
    if names and names[-1].end >= end - 2:
        name = names[-1]
        whole = _whole_proper_name(text, floor, name)
        if whole is not None:
            return whole
        if titles:
            return Mention(name.start, name.end, name.text, "name", name.titles + titles)
        return name
    described = _description(text, lo, end)
    if described is not None:
        preposition = _after_preposition(text, lo, described.start)
        if preposition is not None and not find_names(text, max(lo, preposition - 80), preposition):
            # "A spokesman for the board said": the spokesman speaks, not the board;
            # "People close to the mayor said": nobody the rules can name. (With a name
            # before it, "Kyriakos Mitsotakis speaking to the Atlantic Council", the
            # description is left for the attribution to resolve, as before.)
            head = _description(text, lo, preposition)
            if head is None:
                return None
            phrase = text[head.start : described.end]
            return Mention(head.start, described.end, phrase, "description", head.titles)
    return described or _bare_description(text, lo, end)


#: What joins a person to a place or body named after them: "Steve Scalise of Louisiana",
#: "Ryan Norris of the University of Guelph in Ontario", "Arnel dela Vega of the army's
#: Western Mindanao Command".
_AFFILIATION_LINK = re.compile(r"\s+(?:of|from|at|in|with)\s+(?:the\s+)?(?:[\w’'\-]+[’']s\s+)?")
#: An affiliation written in common nouns after a person, up to the cue: "Regina Ip from
#: the pro-Beijing camp said", "John Ode of the dockers' union said".
_AFFILIATION_PHRASE = re.compile(
    r"\s+(?:of|from|at|with)\s+(?:the|a|an)\s+[\w’'\-]+(?:\s+[\w’'\-]+){0,3}\s*"
)


#: People named by their tie to a name right before it: "Associates of", "lawyers for",
#: "supporters of the" (the head must be able to speak, :func:`can_speak`).
_GROUP_BEFORE_NAME = re.compile(r"(?<![\w’'])([A-Za-z][a-z]+s)\s+(?:of|for)\s+(?:the\s+)?$")


def _group_of(text: str, lo: int, names: list[Mention], end: int) -> Mention | None:
    """The description of people tied to the name that ends the subject ("Associates of
    Navalny", "lawyers for the Harbour Trust"), or None."""
    if not names or names[-1].end < end - 2:
        return None
    name = names[-1]
    group = _GROUP_BEFORE_NAME.search(text, max(lo, name.start - 30), name.start)
    if group is None:
        return None
    head = group.group(1).lower()
    mention = Mention(
        group.start(1), name.end, text[group.start(1) : name.end], "description", (head,), True
    )
    return mention if can_speak(mention) else None


#: Lowercase words after a body's name, ending the subject: "of the Northern Arapaho tribal
#: historic preservation office".
_LOWERCASE_TAIL = re.compile(r"(?:\s+[a-z][\w’'\-]*){1,4}\s*")


def _person_before_affiliation(text: str, names: list[Mention], end: int) -> Mention | None:
    """The person named before the places and bodies that end the subject, joined by
    :data:`_AFFILIATION_LINK` (the last one may end in lowercase words, "the Northern Arapaho
    tribal historic preservation office"; or before an affiliation in common nouns,
    :data:`_AFFILIATION_PHRASE`): the speaker is the person, not "Louisiana", "University of
    Guelph" or "the pro-Beijing camp"; None when the subject does not end so."""
    if not names:
        return None
    k = len(names) - 1
    if names[k].end < end - 2:
        if _AFFILIATION_PHRASE.fullmatch(text, names[k].end, end):
            person = not names[k].organisation and len(names[k].text.split()) >= 2
            return names[k] if person else None
        if not _LOWERCASE_TAIL.fullmatch(text, names[k].end, end):
            return None  # the last name is no body a person belongs to
    while k > 0 and _AFFILIATION_LINK.fullmatch(text, names[k - 1].end, names[k].start):
        k -= 1
        if not names[k].organisation and len(names[k].text.split()) >= 2:
            return names[k]
    return None


#: A word and the determiner after it, at the end of a stretch: "close to the".
_WORD_AND_DETERMINER = re.compile(
    r"(\w+)\s+(?:" + alternation(NOUN_DETERMINERS | {"an"}) + r"\s+)?$"
)


def _after_preposition(text: str, lo: int, start: int) -> int | None:
    """Where the preposition that the words before ``start`` end in starts (determiners
    aside; "of" is not one: "one of the engineers" are engineers), or None."""
    found = _WORD_AND_DETERMINER.search(text[max(lo, start - 40) : start])
    if found is None or found.group(1).lower() not in SUBJECT_PREPOSITIONS:
        return None
    position = max(lo, start - 40) + found.start(1)
    while position > lo and text[position - 1].isspace():
        position -= 1
    return position


#: A noun phrase without a determiner that opens a clause and ends at a cue: "Foreign policy
#: analysts said", "..., though critics say", "Federal and state officials said" (its
#: last part). Lowercase words only: a capitalised one is a name, found as such.
_CLAUSE_OPENERS = r"(?i:" + alternation(CLAUSE_CONJUNCTIONS) + r")"
_BARE_DESCRIPTION = re.compile(
    rf"(?:^(?:{_CLAUSE_OPENERS}\s+)?|[,;:(]\s*|\s{_CLAUSE_OPENERS}\s+)"
    rf"((?:(?!{_CLAUSE_OPENERS}\b)[A-Za-z][\w\-]*\s+)?"
    rf"(?:(?!{_CLAUSE_OPENERS}\b)[a-z][\w\-]*\s+){{0,2}}([a-z][\w\-]*))$"
)


def _bare_description(text: str, lo: int, end: int) -> Mention | None:
    """Return a noun phrase without a determiner that can speak, ending at ``end`` and
    opening its clause ("Foreign policy analysts", "critics"); None otherwise. Only its
    first word may be capitalised, and only where it opens the sentence (``lo``)."""
    floor = max(lo, end - 60)
    match = _BARE_DESCRIPTION.search(text[floor:end])
    if match is None or (match.start() == 0 and floor > lo and not text[floor - 1].isspace()):
        return None
    start = floor + match.start(1)
    if match.group(1)[0].isupper() and start != lo:
        return None  # capitalised inside a sentence: a name, not a description
    words = tuple(match.group(1).lower().split())
    if any(w in GROUNDING_FUNCTION_WORDS or w.endswith(("ed", "ing", "ly")) for w in words):
        return None  # a verb, an adverb or a preposition: a clause, not a noun phrase
    mention = Mention(start, end, text[start:end], "description", words, True)
    return mention if can_speak(mention) else None


#: One comma-closed part before a cue: ", a spokesman for the X of Y," ", R-Ky.,".
_TRAILING_PART = re.compile(r",\s+([^,;:!?\"“”()\n]{1,90}),\s*$")
#: Most comma-closed parts between a name and its cue (", 59, of Ashton, Md.,").
_MAX_APPOSITION_PARTS = 3


def _object_of_phrase(text: str, start: int, position: int) -> bool:
    """Whether the words from ``start`` to a name at ``position`` end in a preposition or
    determiner ("president of the", "a spokesman for"): the name is their object."""
    words = text[start:position].split()
    return bool(words) and words[-1].lower() in GROUNDING_FUNCTION_WORDS


def _before_appositions(text: str, floor: int, end: int) -> tuple[int, tuple[str, ...]] | None:
    """Where a person's name ends before the comma-closed parts that end at a cue, and the
    lowercase words of those parts: "Hal Berry, a spokesman for the Union of Miners,",
    "Ann Lee, Democrat of Oregon,", "Bob Kay, R-Ky.,", "Tom Ridley, of Springfield, Va.,"
    (a place or a party is an apposition, never the speaker). None when no person's name
    ends right before them."""
    position = end
    words: list[str] = []
    for _ in range(_MAX_APPOSITION_PARTS):
        part = _TRAILING_PART.search(text, max(floor, position - 100), position)
        if part is None:
            return None
        words = re.findall(r"[a-z][\w\-]*", part.group(1)) + words
        stop = part.start()
        parenthetical = _PARENTHETICAL_BEFORE_CUE.search(text, max(floor, stop - 45), stop)
        if parenthetical is not None and parenthetical.start() > floor:
            stop = parenthetical.start()  # "Ann Lee (D-N.C.), head of the caucus,"
        names = find_names(text, max(floor, stop - 80), stop)
        if names and names[-1].end == stop and not names[-1].organisation:
            clause = max(floor, text.rfind(",", floor, names[-1].start) + 1)
            if not _object_of_phrase(text, clause, names[-1].start):
                return stop, tuple(words)
        position = part.start() + 1  # "of Springfield," is a part too: read on before it
    return None


#: The head of a proper name coordinated inside an "of" phrase, right before its last part:
#: "Islamic State of Iraq and the " (before "Levant"), "Front for the Liberation of
#: Palestine and ".
_PROPER_NAME_HEAD = re.compile(
    r"(?:[A-Z][\w’'\-]*\s+(?:for\s+(?:the\s+)?)?)*[A-Z][\w’'\-]*\s+of\s+(?:the\s+)?"
    r"(?:[A-Z][\w’'\-]*\s+)*[A-Z][\w’'\-]*\s+and\s+(?:the\s+)?$"
)


def _whole_proper_name(text: str, floor: int, name: Mention) -> Mention | None:
    """The whole name a name is the last part of ("the Islamic State of Iraq and the
    Levant" for "Levant"): no speaker is a place or group inside a longer proper name."""
    head = _PROPER_NAME_HEAD.search(text, max(floor, name.start - 100), name.start)
    if head is None:
        return None
    start = head.start() + (4 if text.startswith("The ", head.start()) else 0)
    return Mention(start, name.end, text[start : name.end], "name", (), True)


def can_speak(description: Mention) -> bool:
    """Tell whether a description names a speaking role or body ("the agency", "an MP",
    "two dock workers", "one of the engineers": a role noun in the plural)."""
    head = description.titles[-1] if description.titles else ""
    singular = head[:-1] if head.endswith("s") else head
    return (
        head in DESCRIPTION_HEADS
        or head in DOCUMENT_HEADS
        or head.capitalize() in ORGANISATION_ENDS
        or (head != singular and len(singular) >= 5 and singular.endswith(ROLE_NOUN_ENDINGS))
    )


def is_document(description: Mention) -> bool:
    """Tell whether a description names a document ("the report", "a new poll")."""
    return (
        description.kind == "description"
        and bool(description.titles)
        and (description.titles[-1] in DOCUMENT_HEADS)
    )


_AFTER_CUE = re.compile(r"[^,.;:!?\"“”«»()\n]*")
_LAST_WORD = re.compile(r"(\w+)$")


def _after_cue_end(text: str, position: int, limit: int) -> int:
    """Where the stretch after an inverted cue ends: at the first comma or other stop,
    except the full stop of a short form before a capitalised word ("said Rep. Ken Park",
    "said Dr. Ann Lee", "said John F. Kelly")."""
    while True:
        match = _AFTER_CUE.match(text, position, limit)
        end = match.end() if match else position
        if end >= limit or text[end] != ".":
            return end
        word = _LAST_WORD.search(text, position, end)
        initial = word is not None and len(word.group(1)) == 1 and word.group(1).isupper()
        if re.match(r"[A-Z]\.", text[end + 1 : end + 3]) and initial:
            position = end + 1  # the initials "G.K." of "said Rep. G.K. Barrow"
            continue
        if not re.match(r" [A-Z]", text[end + 1 : end + 3]):
            return end
        short_form = word is not None and (word.group(1).lower() in ABBREVIATIONS or initial)
        if not short_form:
            return end
        position = end + 1


def mention_after(text: str, position: int, hi: int) -> Mention | None:
    """Return the speaker named right after an inverted cue ("said Hugh Hill, a doctor")."""
    stretch_end = _after_cue_end(text, position, min(hi, position + MENTION_REACH))
    words = text[position:stretch_end].split()
    description = None
    if words and words[0].lower() in DESCRIPTION_DETERMINERS:
        for end in range(stretch_end, position, -1):
            if text[end - 1].isalnum() and (end == stretch_end or not text[end].isalnum()):
                description = _description(text, position, end)
                if description is not None:
                    break
    by = re.search(r"\bby\s+", text[position:stretch_end])
    if by is not None:
        position = position + by.end()  # "according to a tweet on Monday by ..."
    names = find_names(text, position, stretch_end)
    if (
        len(names) >= 2
        and names[0].organisation
        and not names[1].organisation
        and re.fullmatch(r"[\s\w\-]*", text[names[0].end : names[1].start])
    ):
        names = names[1:]  # "Rutgers University political scholar Kelly Dittmar"
    elif len(names) >= 2 and _owner_or_modifier(text, names[0], names[1]):
        names = names[1:]  # "Democratic candidate Ann Lee", "Ann Lee's campaign manager Rob Mook"
    close_enough = bool(names) and len(text[position : names[0].start].split()) <= 6
    if close_enough and _NATIONALITY.fullmatch(names[0].text):
        body = _BODY_AFTER_ADJECTIVE.match(text, names[0].end, stretch_end)
        if body is not None and body.group(1) in DESCRIPTION_HEADS:
            # "according to Iraqi military": the military, not "Iraqi".
            phrase = text[names[0].start : body.end(1)]
            return Mention(
                names[0].start,
                body.end(1),
                phrase,
                "description",
                (names[0].text.lower(), body.group(1)),
                True,
            )
    if close_enough and (
        description is None
        or names[0].start >= description.end
        or names[0].end == description.end  # "the Pew Research Center": a name
    ):
        return names[0]
    if description is None and not names:
        return _bare_description_after(text, position, stretch_end)
    return description


#: The noun after a nationality adjective: "Iraqi military", "Syrian officials".
_BODY_AFTER_ADJECTIVE = re.compile(r"\s+([a-z]+)\b")


#: A noun phrase without a determiner right after a cue, up to a comma or the stretch's
#: end: "according to police", "according to federal statistics", "said union officials".
_BARE_AFTER = re.compile(r"\s*((?:[a-z][\w\-]*\s+){0,3}[a-z][\w\-]*)\s*(?:,|$)")


def _bare_description_after(text: str, position: int, end: int) -> Mention | None:
    """Return a noun phrase without a determiner that can speak (a role, a body or a
    document), right after a cue and alone up to a comma or ``end``; None otherwise."""
    match = _BARE_AFTER.match(text, position, end)
    if match is None:
        return None
    words = tuple(match.group(1).split())
    if any(w in GROUNDING_FUNCTION_WORDS or w.endswith(("ed", "ing", "ly")) for w in words):
        return None
    start, stop = match.span(1)
    mention = Mention(start, stop, text[start:stop], "description", words, True)
    return mention if can_speak(mention) else None


#: Lowercase role words between a modifier or owner and the name it describes ("campaign
#: manager", "presidential nominee"): at most four, none a function word.
_ROLE_GAP = re.compile(r"(?:\s+[a-z][\w\-]*){1,4}\s+")
#: A one-word party or nationality adjective: "Democratic", "Republican", "British".
_NATIONALITY = re.compile(r"[A-Z][a-z]+(?:an|ic|ish|ese|i)")


def _owner_or_modifier(text: str, first: Mention, second: Mention) -> bool:
    """Whether ``first`` only qualifies the person ``second`` after role nouns: an owner
    ("Ann Lee's campaign manager Rob Mook") or a one-word party or nationality adjective
    ("Democratic candidate Ann Lee", "British envoy Tom Hale"); not two people ("Ann Lee
    and Rob Mook") nor a clause ("Cruz urged Republicans", "Lee has met Park")."""
    if second.organisation or first.end >= second.start:
        return False
    owner = text.startswith(("'s", "’s"), first.end)
    if owner and not text[first.end + 2 : second.start].strip():
        return True  # "NBC’s Dante Chinni": the owner's person, no role between
    gap = _ROLE_GAP.fullmatch(text, first.end + (2 if owner else 0), second.start)
    if gap is None:
        return False
    for word in gap.group(0).split():
        if word in GROUNDING_FUNCTION_WORDS | BEFORE_CUE_FILLERS | SPEECH_VERBS or word.endswith(
            ("ed", "ing", "ly")
        ):
            return False  # a verb or a clause: "Cruz urged Republicans", "Lee and Park"
    return owner or bool(_NATIONALITY.fullmatch(first.text))


_LEADING_PHRASE = re.compile(
    r"(?:" + alternation(SUBJECT_LEADING_OPENERS) + r"\b[^,]{0,100},\s*"
    r"|[A-Z]\w*ing\b[^,]{0,80},\s*)?"
)


def sentence_subject(text: str, start: int, end: int) -> Mention | None:
    """Return the subject at the start of a sentence, past any leading adverbial phrase."""
    end = min(end, start + SUBJECT_REACH)
    lead = _LEADING_PHRASE.match(text, start, end)
    head = lead.end() if lead else start
    pronoun = re.match(r"(?:And\s+|But\s+)?(he|she|they|it)\b", text[head:end], re.IGNORECASE)
    if pronoun is not None:
        return Mention(head + pronoun.start(1), head + pronoun.end(1), pronoun.group(1), "pronoun")
    names = find_names(text, head, end)
    if names and len(names[0].text.split()) == 1:
        after = re.match(r"\s+[a-z]+\b", text[names[0].end : end])
        if after is not None:
            described = _description(text, head, names[0].end + after.end())
            if described is not None and can_speak(described):
                return described  # "The German government said ..."
    if not names or len(text[head : names[0].start].split()) > 8:
        return _description(text, head, _first_words_end(text, head, end))
    if (
        len(names) >= 2
        and re.fullmatch(r",\s+", text[names[0].end : names[1].start])
        and text[names[1].end : names[1].end + 1] == ","
        and not names[1].organisation
    ):
        return names[1]  # "a Republican, Mark Amodei, has ..."
    if len(names) >= 2 and _owner_or_modifier(text, names[0], names[1]):
        return names[1]  # "Ann Lee's campaign manager Rob Mook said as much, arguing ..."
    return names[0]


def _first_words_end(text: str, start: int, end: int) -> int:
    """Return the end of the noun phrase that opens ``text[start:end]`` (up to 5 words)."""
    match = re.match(
        r"(?:[\w’'\-]+\s+){0,4}?[\w\-]+(?=\s+(?:has|have|had|was|is|said|says))", text[start:end]
    )
    return start + match.end() if match else start


#: An apposition that describes the name before it: ", who chairs the Chamber of Commerce,"
#: ", a lawyer for the city," ", 45, a nurse," (closed by a comma or the sentence's end).
_DESCRIBING_APPOSITION = re.compile(
    r",\s+(?:\d{1,3},\s+)?(" + alternation(APPOSITION_OPENERS) + r"\b"
    r"[^,;:!?\"“”()\n]{2,120}?)(?=,|\.(?:\s|$)|;|$)"
)
#: Most words of a description (an apposition or the role words before a name).
_MAX_DESCRIPTION_WORDS = 10
_DESCRIPTION_WORD = re.compile(r"[\w’'\-&]+\.?")
#: Words inside a role before a name that join its capitalised parts ("Secretary of State").
_ROLE_JOINERS = frozenset({"of", "to", "for", "on"})


def describe(text: str, name: Mention) -> tuple[int, int] | None:
    """The span of the article's description of a named person or body at this mention:
    the apposition after it (", who chairs the Chamber of Commerce,") or else the role
    words right before it ("opposition leader Juan Guaidó", "Trump lawyer Marc Kasowitz",
    "US Special Envoy to Belarus John Coale"); None when there is neither."""
    after = _DESCRIBING_APPOSITION.match(text, name.end, min(len(text), name.end + 160))
    if after is not None and len(after.group(1).split()) <= _MAX_DESCRIPTION_WORDS:
        start, end = after.span(1)
        while end > start and text[end - 1] in " .":
            end -= 1
        return start, end
    return _role_before(text, name.start)


def _role_before(text: str, position: int) -> tuple[int, int] | None:
    """The role words that end right before ``position`` in the same clause: capitalised
    words and lowercase nouns, no verb, preposition or determiner at either end."""
    words = list(_DESCRIPTION_WORD.finditer(text, max(0, position - 100), position))
    start = position
    kept: list[str] = []
    breaker = ""
    for word in reversed(words[-_MAX_DESCRIPTION_WORDS:]):
        token = word.group(0)
        bare = token.rstrip(".")
        lower = bare.lower()
        if text[word.end() : start] not in (" ", ""):
            break  # a line break or punctuation: another clause
        if token.endswith(".") and lower not in ABBREVIATIONS:
            break  # a sentence's end
        stop = lower in NOT_TITLE_WORDS | DESCRIPTION_DETERMINERS | GROUNDING_FUNCTION_WORDS
        if stop and not (lower in _ROLE_JOINERS and kept and kept[-1][:1].isupper()):
            breaker = lower
            break
        if (
            bare in NOT_SPEAKER_NAMES
            or lower in SPEECH_VERBS
            or (bare.islower() and bare.endswith(("ed", "ing", "ly")))
        ):
            break
        if not kept and not _can_head_role(bare):
            return None
        start = word.start()
        kept.append(bare)
    while kept and kept[-1].lower() in _ROLE_JOINERS:  # never open on a joiner
        kept.pop()
        start = text.index(" ", start) + 1
    if not kept or breaker in ROLE_BREAKING_WORDS:
        return None  # "from Vermont", "as a member": not a role
    if all(w.lower() in COURTESY_TITLES for w in kept):
        return None
    return start, start + len(text[start:position].rstrip())


def _can_head_role(word: str) -> bool:
    """Whether a word can end the role words before a name: capitalised ("Senator",
    "Turkish President") or a lowercase role noun ("member", "scholar", "prosecutor")."""
    lower = word.lower()
    return (
        word[:1].isupper()
        or lower in PERSON_TITLES
        or lower in DESCRIPTION_HEADS
        or lower.endswith(ROLE_NOUN_ENDINGS)
    )
