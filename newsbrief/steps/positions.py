"""Who takes a position in an article without being quoted, and under which name.

News reports many positions without a quote: "Angela Merkel demanded an explanation", "the
Russian government dismissed the claim", "the High Court of Kenya ruled the law void", "with
Spano calling the process \"a coup\"". :func:`position_takers` finds their subjects in the
prose; :func:`plain_speaker` and :func:`merge_name` put every speaker under one name (a role
word written before a name dropped, "Mr. Brown" and "Brown" merged into "Gordon Brown").
The stance step (:func:`newsbrief.steps.stance.stance_speakers`) gives each a stance.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from newsbrief.models import Quote
from newsbrief.text.document import Document, as_document
from newsbrief.text.lexicon import (
    CALENDAR_WORDS,
    DESCRIPTION_HEADS,
    NAME_TITLES,
    NOT_SPEAKER_NAMES,
    ORGANISATION_ENDS,
    POSITION_ADJUNCT_OPENERS,
    POSITION_BODY_NOUNS,
    POSITION_NAME_LINKS,
    POSITION_NAMING_VERBS,
    POSITION_OBJECT_PREPOSITIONS,
    POSITION_PARTICIPLES,
    POSITION_VERB_PRELUDES,
    POSITION_VERBS,
    ROLE_WORDS_BEFORE_NAMES,
    SENTENCE_OPENERS,
    SPEECH_VERBS,
    alternation,
)
from newsbrief.text.quotation_marks import DOUBLE_MARKS

#: A word of a name: capitalised with a lower-case letter, an initial, or an acronym.
_NAME_WORD = r"(?:[A-Z][\w'’\-]*[a-z][\w'’\-]*|[A-Z]\.|[A-Z][A-Z\d]+\b)"
#: A name of one to five words, particles and links inside it allowed.
_NAME_RUN = rf"{_NAME_WORD}(?:\s+(?:{alternation(POSITION_NAME_LINKS)}\s+)?{_NAME_WORD}){{0,6}}"


def _phrases(words: Sequence[str] | frozenset[str]) -> str:
    """:func:`alternation` with the spaces inside a phrase matching any whitespace run."""
    return alternation(words).replace(r"\ ", r"\s+")


@functools.cache
def _position_pattern() -> re.Pattern[str]:
    """A subject (a name, "the" + capitalised words + a body noun, a street address after
    "for"), what may stand between it and its verb (an acronym in brackets, an apposition
    between commas, "in <Place>", "speaking to ..."), the auxiliaries and adverbs of
    ``POSITION_VERB_PRELUDES``, then a position verb, participle or naming verb, or a
    speech verb (kept only after a body named with a common noun: "German officials said";
    the quote step attributes what people say)."""
    return re.compile(
        rf"(?<![\w'’])(?P<name>(?:[Tt]he\s+)?(?:(?<=for )\d+\s+)?{_NAME_RUN}"
        rf"(?:\s+{alternation(POSITION_BODY_NOUNS)})?)"
        r"(?:\s*\([A-Z][A-Za-z.&]{1,12}\))?"  # "(NFU)"
        r"(?:\s*,\s*[^,.;:\"“”]{2,90}?,)?"  # an apposition: ", the Chancellor of Germany,"
        rf"(?:\s+in\s+{_NAME_WORD}(?:\s+{_NAME_WORD})?)?"  # "the Court of Session in Scotland"
        rf"(?:\s+{_phrases(POSITION_ADJUNCT_OPENERS)}\s+[^,.;:\"“”]{{1,50}}?)?"
        r"(?P<closing>\s*,)?"  # the name in an apposition: "his deputy, Tom Reed, backed"
        rf"(?:\s+{alternation(POSITION_VERB_PRELUDES)})*"
        rf"\s+(?:(?P<verb>{_phrases(POSITION_VERBS)})"
        rf"|(?P<participle>{_phrases(POSITION_PARTICIPLES)})"
        rf"|(?P<naming>{_phrases(POSITION_NAMING_VERBS)})"
        rf"|(?P<speech>{alternation(v for v in SPEECH_VERBS if not v.endswith('ing'))}))\b"
    )


def plain_speaker(name: str) -> str:
    """``name`` without a role word written capitalised before it ("Voter Kitty Mak" ->
    "Kitty Mak"; ``ROLE_WORDS_BEFORE_NAMES``), kept when nothing else would be left."""
    words = name.split()
    if len(words) >= 3 and words[0] in ROLE_WORDS_BEFORE_NAMES:
        return " ".join(words[1:])
    return name


def speaker_names(speakers: Sequence[str]) -> dict[str, str]:
    """Each of ``speakers`` (the quote step's names, most important first) under its one
    name: :func:`plain_speaker`'s, and a body called by its common noun alone ("the
    administration") under the name that ends with it ("Trump administration")."""
    plain = {name: plain_speaker(name) for name in speakers}
    named = [n for n in plain.values() if len(n.split()) > 1]
    for name, one in plain.items():
        words = one.split()
        if len(words) == 1 and words[0].islower():
            full = [n for n in named if n.split()[-1].lower() == words[0]]
            if full:
                plain[name] = full[0]
    return plain


def _untitled(name: str) -> str:
    """``name`` without the titles before it ("Mr. Brown" -> "Brown", "Turkish President
    Recep Tayyip Erdoğan" -> "Recep Tayyip Erdoğan"); a body's name is kept whole
    ("Ministry of Foreign Affairs": "Foreign" is no title there)."""
    words = name.split()
    if words[-1] in ORGANISATION_ENDS or words[-1].lower() in POSITION_BODY_NOUNS:
        return name
    titles = [k for k, w in enumerate(words) if w.rstrip(".") in NAME_TITLES]
    if titles and titles[-1] < len(words) - 1:
        words = words[titles[-1] + 1 :]
    return " ".join(words)


def merge_name(name: str, names: list[str]) -> bool:
    """Put ``name`` among ``names`` (in place): left out when it is a variant of one of
    them ("Brown", "Mr. Brown" after "Gordon Brown"), put in place of the one it is a
    fuller form of ("Gordon Brown" after "Brown"), else added. Whether it was added."""
    from newsbrief.quotes.clusters import is_named_by

    bare = _untitled(name)
    for k, known in enumerate(names):
        if is_named_by(known, bare) or is_named_by(known, name):
            return False
        if is_named_by(bare, known):
            names[k] = bare
            return False
    names.append(bare)
    return True


def _subject(match: re.Match[str], sentence: str) -> str | None:
    """The name a position-pattern match gives, or None when it names nobody (a day, a
    sentence opener, a common noun, a possessive, a naming verb without quoted words)."""
    # a naming verb takes a position only with the speaker's words in double quotation marks
    if match.group("naming") and not any(m in sentence[match.end() :] for m in DOUBLE_MARKS):
        return None
    words = match.group("name").split()
    if match.group("speech") and words[-1] not in POSITION_BODY_NOUNS:
        return None
    before = sentence[: match.start()].split()
    if before and before[-1].lower() in POSITION_OBJECT_PREPOSITIONS:
        return None  # "ministers in Cairo denounced": Cairo is where, not who
    if match.group("closing") and not (before and before[-1].endswith(",")):
        return None  # "Reed, backed" is a name in an apposition only after a comma
    # "the German government": a body only with a capitalised word before its noun.
    if words[0].lower() == "the" and len(words) < 3 and not words[-1][:1].isupper():
        return None
    while words and words[0].lower() in SENTENCE_OPENERS | CALENDAR_WORDS | {"the"}:
        words = words[1:]
    if not words or words[-1].endswith(("'s", "’s")):
        return None  # "May's government": the subject is not the name
    for k, word in enumerate(words[1:], 1):
        if word.lower() in CALENDAR_WORDS:  # "Smith on Monday"
            words = words[: k - 1] if words[k - 1] in POSITION_NAME_LINKS else []
            break
    words = _without_home(words)
    if not words:
        return None
    if len(words) == 1 and (
        words[0] in NOT_SPEAKER_NAMES
        or words[0].lower() in DESCRIPTION_HEADS | POSITION_BODY_NOUNS
        or words[0] in ROLE_WORDS_BEFORE_NAMES
    ):
        return None
    return _untitled(plain_speaker(" ".join(words)))


def _without_home(words: list[str]) -> list[str]:
    """A person's name without the place after it ("Dana Whitfield of Ohio" -> "Dana
    Whitfield"); a body's name keeps it ("High Court of Kenya", "Bank of England")."""
    if "of" not in words:
        return words
    head = words[: words.index("of")]
    if len(head) < 2 or any(
        w in ORGANISATION_ENDS or w.rstrip(".") in NAME_TITLES or w.lower() in POSITION_BODY_NOUNS
        for w in head
    ):
        return words
    return head


def position_takers(article: str | Document, quotes: Sequence[Quote]) -> list[str]:
    """Named people and bodies the article reports taking a position without being quoted
    ("Angela Merkel, the Chancellor of Germany, demanded an explanation"; "the Russian
    government dismissed the claim"; "with Spano calling the process \"a coup\""): the
    subject of a position verb, participle or naming verb in a prose sentence, in text
    order, then the sources of statements of kind ``"reported"`` ("X denied the
    allegations"); variants of a quoted speaker or of an earlier name merged
    (:func:`merge_name`).
    A rejected subject ("On Tuesday, ...") does not hide a later one in the same words."""
    article = as_document(article)
    pattern = _position_pattern()
    # Quoted speakers only: a "reported" statement ("Priya Nair denied the allegations")
    # quotes nobody, and its subject takes a position as any other.
    spoken = list(dict.fromkeys(q.speaker for q in quotes if q.speaker and q.kind != "reported"))
    known = list(dict.fromkeys(speaker_names(spoken).values()))
    names = list(known)
    for segment in article.prose_sentences:
        sentence = article.normalized(segment)
        position = 0
        while (match := pattern.search(sentence, position)) is not None:
            name = _subject(match, sentence)
            if name is None:
                position = match.start() + 1
                continue
            merge_name(name, names)
            position = match.end()
    # The source of a reported statement ("the National Hurricane Center reported the
    # depression had ...") takes a position, whatever its verb.
    for q in quotes:
        if q.kind == "reported" and q.speaker:
            merge_name(plain_speaker(q.speaker), names)
    quoted = set(known)
    return [n for n in names[len(known) :] if n not in quoted]


def speaker_quotes(quotes: Sequence[Quote], speaker: str) -> list[int]:
    """The indices of the quotes of ``speaker`` (a name :func:`speaker_names` or
    :func:`merge_name` gave): its own name, a variant of it, or a name put under it."""
    from newsbrief.quotes.clusters import is_named_by

    names = speaker_names(list(dict.fromkeys(q.speaker for q in quotes if q.speaker)))
    return [
        i
        for i, q in enumerate(quotes)
        if q.speaker and (is_named_by(q.speaker, speaker) or is_named_by(names[q.speaker], speaker))
    ]


def sentences_about(article: str | Document, name: str, limit: int) -> list[str]:
    """The first ``limit`` prose sentences about ``name``: those that name it by its last
    word (:func:`newsbrief.steps.lead.sentences_naming`), or, for a body named with a
    common noun ("the Russian government"), those that name it whole, else (a description
    the article words otherwise: "Egyptian and Greek foreign ministers") by its last word."""
    from newsbrief.steps.lead import prose_sentences
    from newsbrief.steps.lead import sentences_naming as naming_last_word

    words = name.split()
    if not words or words[-1][:1].isupper() or len(words) < 2:
        return naming_last_word(article, name, limit)
    spelled = r"\s+".join(re.escape(w) for w in words)
    whole = re.compile(rf"(?<![\w-]){spelled}(?![\w-])", re.IGNORECASE)
    found = [s for s in prose_sentences(article) if whole.search(s)][:limit]
    return found or naming_last_word(article, name, limit)
