"""Finding statements: direct quotes, mixed quotes and indirect reported speech, with cues."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from newsbrief.models import QuoteKind
from newsbrief.quotes.cues import Cue, find_cues
from newsbrief.quotes.mentions import (
    SUBJECT_REACH,
    Mention,
    can_speak,
    find_names,
    mention_after,
    mention_before,
    sentence_subject,
)
from newsbrief.quotes.spans import MarkedSpan, find_marked_spans
from newsbrief.text.document import Document
from newsbrief.text.layout import Segment
from newsbrief.text.lexicon import (
    AUXILIARIES,
    CUE_ADVERBIALS,
    CUE_TIME_ADVERBS,
    DESCRIPTION_OPENERS,
    DESCRIPTION_QUANTIFIERS,
    DOCUMENT_HEADS,
    MEDIUM_HEADS,
    NOT_BARE_CLAUSE_OPENERS,
    NOUN_DETERMINERS,
    OBJECT_REPORT_ACTS,
    OBJECT_REPORT_BLOCKERS,
    OBJECT_REPORT_VERBS,
    PARTICIPLES,
    SOURCE_PLACE_PREPOSITIONS,
    SPEECH_VERBS,
    SUBORDINATE_TAIL_OPENERS,
    TITLE_CASE_SMALL_WORDS,
    TITLE_LEAD_WORDS,
    UNNAMED_PRONOUN_SUBJECTS,
    alternation,
)

# A quoted fragment this short, with no speech cue in its sentence, is a scare quote or title.
_MAX_SCARE_QUOTE_WORDS = 4
# Longest quoted fragment read as part of a sentence rather than a quote of its own.
_MAX_FRAGMENT_WORDS = 12
_DESCRIBING = ("described", "describing", "describes", "characterized", "characterised")


@dataclass(frozen=True)
class Statement:
    """A quote or reported statement before its speaker is resolved.

    Attributes:
        start: offset of the statement text.
        end: end of the statement text.
        kind: "direct", "mixed" or "indirect".
        cue: the cue the attribution rests on, if any.
        subject: the mention the cue attributes it to (a name, pronoun or description).
        opens_paragraph: whether the statement's quotation mark starts its paragraph.
    """

    start: int
    end: int
    kind: QuoteKind
    cue: Cue | None
    subject: Mention | None
    opens_paragraph: bool = False


#: Longest stretch read as one sentence. A "sentence" without a break (an unpunctuated
#: transcript, a pasted page on one line) is read in pieces of about this many characters,
#: cut at a space, so that every cue and quote looks at a bounded window and the quote step
#: stays linear in the article's length. The longest sentence of the gold and of PolNeAR
#: dev has 504 characters.
MAX_SENTENCE_CHARS = 1000
#: How far before a quotation mark its lead-in is read ("so-called", a colon, a comma).
_LEAD_REACH = 300
#: How far after a quote a cue is looked for ('"...," Lam said'): eight words fit in it.
_TAIL_REACH = 200
_WORD_CHAR = re.compile(r"\w")
#: A lowercase word of four letters or more: three of them make a sentence prose, not a
#: headline in Title Case.
_LOWERCASE_WORD = re.compile(r"\b[a-z]{4,}\b")


def _cut(text: str, sentence: Segment, k: int) -> int:
    """Offset of the ``k``-th cut (``k >= 1``) of a long sentence: after the last space
    before ``k * MAX_SENTENCE_CHARS`` (or there, when the 100 characters before hold none)."""
    nominal = sentence.start + k * MAX_SENTENCE_CHARS
    if nominal >= sentence.end:
        return sentence.end
    space = text.rfind(" ", nominal - 100, nominal)
    return space + 1 if space >= 0 else nominal


def sentence_piece(text: str, sentence: Segment, position: int) -> Segment:
    """The piece of ``sentence`` around ``position``: the sentence itself unless it is
    longer than :data:`MAX_SENTENCE_CHARS`, else the piece between two cuts."""
    if sentence.end - sentence.start <= MAX_SENTENCE_CHARS:
        return sentence
    k = max(0, (position - sentence.start) // MAX_SENTENCE_CHARS)
    start = sentence.start if k == 0 else _cut(text, sentence, k)
    end = _cut(text, sentence, k + 1)
    if position >= end:
        start, end = end, _cut(text, sentence, k + 2)
    return Segment(start, end)


def sentence_pieces(text: str, sentence: Segment) -> list[Segment]:
    """``sentence`` cut into pieces of at most about :data:`MAX_SENTENCE_CHARS`."""
    if sentence.end - sentence.start <= MAX_SENTENCE_CHARS:
        return [sentence]
    pieces = []
    start, k = sentence.start, 1
    while start < sentence.end:
        end = _cut(text, sentence, k)
        if end > start:
            pieces.append(Segment(start, end))
            start = end
        k += 1
    return pieces


_WORD_RUN = re.compile(r"\S+")


def _has_words(text: str, start: int, end: int, count: int) -> bool:
    """Whether ``text[start:end]`` holds at least ``count`` words (stops reading early)."""
    words = _WORD_RUN.finditer(text, start, end)
    return next(itertools.islice(words, count - 1, None), None) is not None


class _Article:
    """Look-ups shared by the statement finders for one article."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.text = document.text
        self.spans = [
            s
            for s in find_marked_spans(document)
            if document.prose[document.paragraph_index(s.open_at)]
        ]
        self._opens = [s.open_at for s in self.spans]
        self._closes = [s.close_at for s in self.spans]
        self._cues: dict[tuple[int, int], list[Cue]] = {}
        self._subjects: dict[tuple[int, int], Mention | None] = {}

    def sentence_at(self, position: int) -> Segment:
        """The sentence around ``position`` (its piece, for a sentence without a break)."""
        return sentence_piece(self.text, self.document.sentence_bounds(position), position)

    def closes_before(self, lo: int, position: int) -> Iterator[int]:
        """Offsets of the closing marks in ``[lo, position)``, nearest first."""
        i = bisect.bisect_left(self._closes, lo)
        for k in range(bisect.bisect_left(self._closes, position) - 1, i - 1, -1):
            yield self._closes[k]

    def inside_span(self, position: int) -> bool:
        i = bisect.bisect_right(self._opens, position) - 1
        return i >= 0 and self.spans[i].open_at < position <= self.spans[i].close_at

    def outside_quote(self, sentence: Segment) -> Segment | None:
        """Return the part of a sentence after the quote it starts in (None if all quoted)."""
        i = bisect.bisect_right(self._opens, sentence.start) - 1
        if i >= 0 and self.spans[i].open_at < sentence.start <= self.spans[i].close_at:
            start = self.spans[i].close_at + 1
            return Segment(start, sentence.end) if start < sentence.end else None
        return sentence

    def spans_between(self, start: int, end: int) -> list[MarkedSpan]:
        i = bisect.bisect_left(self._opens, start)
        j = bisect.bisect_left(self._opens, end)
        return self.spans[i:j]

    def cues(self, sentence: Segment) -> list[Cue]:
        """The cues of a sentence outside quotation marks (found once per sentence)."""
        key = (sentence.start, sentence.end)
        if key not in self._cues:
            self._cues[key] = [
                c
                for c in find_cues(self.text, sentence.start, sentence.end)
                if not self.inside_span(c.start) and not self._in_name(c, sentence)
            ]
        return self._cues[key]

    def _in_name(self, cue: Cue, sentence: Segment) -> bool:
        """Whether a capitalised cue word inside a sentence of prose is part of a name
        ("the United States troops"): a cue word opening its sentence or a quote ("Said
        Hill", "According to") is capitalised as any first word is, and a headline in
        Title Case ("Lindsey Graham Says Trump Could Act") capitalises its verbs."""
        text = self.text
        if (
            not text[cue.start].isupper()
            or _WORD_CHAR.search(text, sentence.start, cue.start) is None
        ):
            return False
        if re.search(r"[.!?:;\"“”‘’(\n—–-]\s*$", text[max(0, cue.start - 20) : cue.start]):
            return False
        lowercase = _LOWERCASE_WORD.finditer(
            text, sentence.start, min(sentence.end, cue.start + 300)
        )
        return next(itertools.islice(lowercase, 2, None), None) is not None

    def last_cue_before(self, sentence: Segment, position: int) -> Cue | None:
        """The last cue of ``sentence`` before ``position``, read as if the sentence ended
        there (its addressee and clause stop at ``position``)."""
        cues = self.cues(sentence)
        starts = [c.start for c in cues]
        i = bisect.bisect_left(starts, position) - 1
        while i >= 0:
            word_end = min(position, cues[i].start + 60)
            found = find_cues(self.text, cues[i].start, position, search_end=word_end)
            if found and found[0].start == cues[i].start:
                return found[0]
            i -= 1  # the cue word runs past ``position``
        return None

    def first_cue_after(self, position: int, sentence_end: int) -> Cue | None:
        """The first cue within :data:`_TAIL_REACH` after ``position``, outside quotes."""
        search_end = min(sentence_end, position + _TAIL_REACH)
        for cue in find_cues(self.text, position, sentence_end, search_end=search_end):
            if not self.inside_span(cue.start):
                return cue
        return None

    def subject(self, cue: Cue, sentence: Segment, earlier: Mention | None) -> Mention | None:
        """Return who a cue attributes speech to, within its sentence."""
        text = self.text
        if cue.kind == "according":
            return mention_after(text, cue.end, sentence.end)
        if _WORD_CHAR.search(text, sentence.start, cue.start) is None:
            return mention_after(text, cue.end, sentence.end)  # inverted: "Said Hill, ..."
        found = mention_before(text, sentence.start, cue.start)
        if cue.verb in PARTICIPLES and (found is None or "," in text[found.end : cue.start]):
            found = None  # "X congratulated Pelosi, saying": the subject is X, not Pelosi
        return found or earlier or self.sentence_subject(sentence.start, cue.start)

    def sentence_subject(self, start: int, position: int) -> Mention | None:
        """:func:`sentence_subject` of ``text[start:position]``, read once per sentence
        for the cues past the stretch it reads."""
        end = min(position, start + SUBJECT_REACH)
        key = (start, end)
        if key not in self._subjects:
            self._subjects[key] = sentence_subject(self.text, start, end)
        return self._subjects[key]


def _trim_clause(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim whitespace, trailing commas and the sentence-final full stop from a clause."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;"):
        end -= 1
    if end > start and text[end - 1] == ".":
        end -= 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _words(text: str, start: int, end: int) -> int:
    return len(text[start:end].split())


def _reported_clauses(article: _Article, sentence: Segment, cues: list[Cue]) -> list[Statement]:
    """Find "X said (that) ..." and "according to X, ..." statements in one sentence."""
    text = article.text
    found: list[Statement] = []
    earlier: Mention | None = None
    # For each cue, the next participle cue with a clause ("..., saying ..."), found in
    # one backward pass rather than by a scan of the later cues per cue.
    next_participle: list[Cue | None] = [None] * len(cues)
    following: Cue | None = None
    for index in range(len(cues) - 1, -1, -1):
        next_participle[index] = following
        if cues[index].verb in PARTICIPLES and cues[index].content_start is not None:
            following = cues[index]
    for index, cue in enumerate(cues):
        if cue.kind == "speech" and cue.content_start is not None:
            if index == len(cues) - 1 and _inverted(article, sentence, cue) is not None:
                continue  # "..., said Ann Lee, a nurse.": the source, no clause

            has_that = "that" in text[cue.end : cue.content_start]
            content = cue.content_start
            opening = article.spans_between(content, content + 2)
            if not has_that and opening:
                continue  # 'saying "..."': a direct quote, found from its marks
            if not has_that and _attributes_quote(article, sentence, cue):
                continue  # '"...," Lam said in a statement': the attribution of a quote
            end = sentence.end
            later = next_participle[index]
            if later is not None:
                end = text.rfind(",", content, later.start) + 1 or later.start
            end = _clause_end(article, cues[index + 1 :], content, end)
            end = _aside_end(text, sentence.start, cue.start, content, end)
            for span in article.spans_between(content, end):
                end = max(end, span.close_at + 1)
            start, end = _trim_clause(text, content, end)
            subject = article.subject(cue, sentence, earlier)
            earlier = subject or earlier
            if subject is None:
                subject = _subject_naming_nobody(text, sentence, cue, has_that)
            if subject is None or not _has_words(text, start, end, 2):
                continue
            mixed = bool(article.spans_between(start, end))
            found.append(Statement(start, end, "mixed" if mixed else "indirect", cue, subject))
        elif cue.kind == "according":
            subject = mention_after(text, cue.end, sentence.end) or _according_source(
                text, cue.end, sentence.end
            )
            closes = article.closes_before(sentence.start - 1, cue.start)
            if subject is None or next(closes, None) is not None:
                continue
            before_end = cue.start
            while before_end > sentence.start and text[before_end - 1].isspace():
                before_end -= 1
            source_end = _source_end(text, subject, sentence.end)
            after_start = source_end + 2
            before = (
                before_end > sentence.start
                and text[before_end - 1] == ","
                and _has_words(text, sentence.start, cue.start, 3)
            )
            after = text[source_end : source_end + 1] == "," and _has_words(
                text, after_start, sentence.end, 3
            )
            if before and after and not article.spans_between(after_start, after_start + 2):
                # "CONTENT, according to X, CONTENT": the statement runs on both sides of
                # its attribution, the whole sentence ('..., according to X, "..."' is a
                # direct quote after it, found from its marks).
                start, end = _trim_clause(text, sentence.start, sentence.end)
            elif after:
                start, end = _trim_clause(text, after_start, sentence.end)
            elif before:
                start, end = _trim_clause(text, sentence.start, before_end)
            else:
                continue
            inner = article.spans_between(start, end)
            if inner and inner[0].open_at <= start:
                continue  # the quote is direct; "according to" attributes it
            kind: QuoteKind = "mixed" if inner else "indirect"
            found.append(Statement(start, end, kind, cue, _owner_of_medium(text, subject)))
    return found


#: A participle clause that ends a reported clause: ", citing the costs", ", noting ..."
#: (not "including", "according", which go on with the clause's noun phrase).
_PARTICIPLE_TAIL = re.compile(r",\s+(?!(?:including|according|excluding|following)\b)[a-z]+ing\b")
#: A conjunction and at most three words before a later cue: "... but noted that",
#: ", and he added that": the first reported clause ends at the conjunction.
_BEFORE_LATER_CUE = re.compile(r",?\s+(?:and|but)(?:\s+[\w’'\-]+){0,3}\s+$")


def _clause_end(article: _Article, later: list[Cue], content: int, end: int) -> int:
    """Where a reported clause starting at ``content`` ends, at most ``end``: before a
    participle clause (", citing ...") or before a conjunction that brings another cue
    with its own clause ("... but noted that ...", ", and she added that ...")."""
    text = article.text
    for cue in later:
        if cue.start >= end:
            break
        if cue.kind == "speech" and cue.content_start is not None:
            joined = _BEFORE_LATER_CUE.search(text, max(content, cue.start - 60), cue.start)
            if joined is not None and joined.start() > content:
                end = joined.start()
                break
    participle = _PARTICIPLE_TAIL.search(text, content, end)
    if participle is not None and not article.spans_between(content, participle.start()):
        end = participle.start()
    return end


#: A dash that opens or closes an aside: " — ", " – ", " -- ", " ― ".
_ASIDE_DASH = re.compile(r"\s(?:[—–―]|--)\s")


def _aside_end(text: str, start: int, cue: int, content: int, end: int) -> int:
    """Where a clause whose cue stands inside an aside between dashes ends: at the dash
    that closes the aside ("Ann Lee — who’s called for a new levy — spoke"); ``end``
    otherwise."""
    if len(_ASIDE_DASH.findall(text, start, cue)) % 2 == 0:
        return end
    closing = _ASIDE_DASH.search(text, content, end)
    return closing.start() if closing else end


#: The word right before a cue, its subject when nothing else is ("all agreed that").
_WORD_BEFORE = re.compile(r"([\w’'\-]+)\s+$")


def _unnamed_subject(text: str, sentence: Segment, cue: Cue) -> Mention | None:
    """The quantifier before a cue with a "that" clause, a subject that names nobody ("all
    agreed that", "many insist that"): a description that gives no speaker, so the
    statement is kept without one."""
    word = _WORD_BEFORE.search(text, max(sentence.start, cue.start - 40), cue.start)
    if word is None or word.group(1).lower() not in DESCRIPTION_QUANTIFIERS:
        return None  # "The states that held ...": a noun, no cue
    return Mention(
        word.start(1), word.end(1), word.group(1), "description", (word.group(1).lower(),)
    )


def _subject_naming_nobody(
    text: str, sentence: Segment, cue: Cue, has_that: bool
) -> Mention | None:
    """A cue's subject that names nobody, when no name or speaking description is found:
    the writer, the reader or someone unnamed ("We asked whether", "someone asked how"), a
    quantifier or a plain noun phrase before "that" ("all agreed that", "Those close to
    him say that") or a share of those polled ("52 percent of voters say")."""
    word = _WORD_BEFORE.search(text, max(sentence.start, cue.start - 40), cue.start)
    if word is not None and word.group(1).lower() in UNNAMED_PRONOUN_SUBJECTS:
        # "We asked whether ...", "Then someone asked how ...": nobody to name.
        return Mention(word.start(1), word.end(1), word.group(1), "description", ())
    if has_that:
        found = _unnamed_subject(text, sentence, cue)
        if found is not None:
            return found
    share = _share_subject(text, sentence, cue)
    if share is not None or not has_that:
        return share
    return _plain_subject(text, sentence, cue)


#: The words that open a clause and end at a cue, its subject when they are no name nor
#: speaking description ("Those close to him say that ..."): at most six words after the
#: sentence's start, a comma or a conjunction, none a verb of saying or a relative word.
_PLAIN_SUBJECT = re.compile(
    r"(?:^|[,;]\s+|\s(?:and|but)\s+)((?:(?!(?:who|which|that|and|but)\b)[\w’'\-]+\s+){1,6})$"
)


def _plain_subject(text: str, sentence: Segment, cue: Cue) -> Mention | None:
    """The plain noun phrase before a cue with a "that" clause ("Those close to him say
    that"): a description that gives no speaker, so the statement is kept without one."""
    found = _PLAIN_SUBJECT.search(text[max(sentence.start, cue.start - 80) : cue.start])
    if found is None:
        return None
    offset = max(sentence.start, cue.start - 80)
    words = tuple(w.lower() for w in found.group(1).split())
    if any(w in SPEECH_VERBS for w in words):
        return None
    start = offset + found.start(1)
    end = offset + found.end(1) - (len(found.group(1)) - len(found.group(1).rstrip()))
    return Mention(start, end, text[start:end], "description", words)


#: A share of those polled right before a cue, its subject: "52 percent of voters",
#: "Only 7 percent", "43% of Republicans" (a year is no share: "in 2015 said").
_SHARE_BEFORE = re.compile(
    r"(?:^|[\s,;(])((?:\d[\d,.]*\s*(?:%|percent\b|per\s+cent\b)|(?!(?:19|20)\d\d\b)\d+\b)"
    r"(?:\s+of\s+(?:[\w’'\-]+\s+){0,4}?[\w’'\-]+)?)\s+(?:also\s+|still\s+)?$"
)


def _share_subject(text: str, sentence: Segment, cue: Cue) -> Mention | None:
    """The share of those polled that is a cue's subject ("52 percent of voters say they
    would ..."): a description that names nobody, so the statement has no speaker."""
    found = _SHARE_BEFORE.search(text, max(sentence.start, cue.start - 80), cue.start)
    if found is None:
        return None
    words = tuple(w.lower() for w in found.group(1).split())
    return Mention(found.start(1), found.end(1), found.group(1), "description", words)


#: A name, then the lowercase head of a medium or document of it, ending a description:
#: "Vox website", "BBC's website", "Johns Hopkins University data".
_MEDIUM_OF_NAME = re.compile(
    r"(?:[’']s)?(?:\s+[a-z][\w\-]*){0,2}?\s+" + alternation(DOCUMENT_HEADS | MEDIUM_HEADS)
)
#: The same right after a name, ending the source: "('s) website,", " data.".
_MEDIUM_AFTER_NAME = re.compile(_MEDIUM_OF_NAME.pattern + r"\b(?=\s*[,;:!?.])")


def _source_end(text: str, source: Mention, limit: int) -> int:
    """Where the source after "according to" ends: after the name's medium or document
    when one follows it ("according to Johns Hopkins University data, ...")."""
    medium = _MEDIUM_AFTER_NAME.match(text, source.end, limit)
    return medium.end() if medium is not None else source.end


def _owner_of_medium(text: str, source: Mention) -> Mention:
    """The name whose medium a description ``source`` is ("according to the Vox website":
    Vox), or whose document it is when the name opens it ("Johns Hopkins University
    data": the university; "a new Marist poll" stays the poll), else ``source`` itself."""
    if source.kind != "description":
        return source
    names = find_names(text, source.start, source.end)
    if not names or not _MEDIUM_OF_NAME.fullmatch(text, names[-1].end, source.end):
        return source
    head = text[source.start : source.end].split()[-1].lower()
    if head in MEDIUM_HEADS or not text[source.start : names[-1].start].strip():
        return names[-1]
    return source  # "according to a new Marist poll": the poll, a document, is the source


#: The source after "according to" up to the next comma or stop, when it is no name or
#: speaking description: "according to people close to the campaign", "according to
#: media buying sources".
_ACCORDING_SOURCE = re.compile(
    r"\s+([\w’'$][^,;:!?\"“”()\n]{0,118}?)\s*(?=[,;:!?\"“”(\n]|\.\s|\.$|$)"
)


def _according_source(text: str, position: int, end: int) -> Mention | None:
    """The words after "according to" as a description (at most fifteen words), read as
    the statement's source: whatever follows "according to" is one."""
    found = _ACCORDING_SOURCE.match(text, position, end)
    if found is None or len(found.group(1).split()) > 15:
        return None
    words = tuple(w.lower() for w in found.group(1).split())
    return Mention(found.start(1), found.end(1), found.group(1), "description", words, True)


def _attributes_quote(article: _Article, sentence: Segment, cue: Cue) -> bool:
    """Whether a cue attributes a quote that closes at most eight words before it, with no
    "and"/"but"/"who" between ('"...," Lam said in a statement')."""
    text = article.text
    for close in article.closes_before(sentence.start - 1, cue.start):
        if _has_words(text, close, cue.start, 9):
            return False  # nearest first: the ones further back are further still
        if _titled_before(article, close):
            return False  # 'on CBS's "Face the Nation," Ann Lee said the ...': a title
        return not re.search(r"\b(?:and|but|then|who|which)\b", text[close : cue.start])
    return False


def _titled_before(article: _Article, close: int) -> bool:
    """Whether the quote closing at ``close`` is the title of a work after a preposition or
    an owner, the sentence's comma or full stop inside its marks ('on CBS's "Face the
    Nation,"')."""
    text = article.text
    i = bisect.bisect_left(article._closes, close)
    if i >= len(article.spans) or article.spans[i].close_at != close:
        return False
    span = article.spans[i]
    inner = text[span.start : span.end]
    lead = text[max(0, span.open_at - 40) : span.open_at]
    return inner[-1:] in ",." and is_title(inner[:-1]) and _TITLE_LEAD.search(lead) is not None


def _inverted(article: _Article, sentence: Segment, cue: Cue) -> Mention | None:
    """The source named right after a cue that closes its sentence after a comma: "...,
    said Ann Lee, a nurse.", "..., said one union source." (the words after the cue are
    the source, not a reported clause); None otherwise."""
    text = article.text
    if not text[sentence.start : cue.start].rstrip().endswith(","):
        return None
    if _has_words(text, cue.end, sentence.end, _MAX_INVERTED_WORDS + 1):
        return None
    place = _PLACE_START.search(text, cue.end, sentence.end)
    subject = mention_after(text, cue.end, place.start() if place else sentence.end)
    if subject is None or _has_words(text, cue.end, subject.start, 3):
        return None
    if subject.kind == "description" and not can_speak(subject):
        return None  # "..., said the levy would close it"
    rest = text[subject.end : sentence.end].strip()
    clause_after = rest and rest[0] not in ",.(" and not re.fullmatch(r"[\W\d]*", rest)
    if clause_after and not _PLACE_AFTER_SOURCE.match(rest):
        return None  # "..., said the levy would close it": a clause goes on after it
    return subject


#: Most words after an inverted cue that closes its sentence: the source and an apposition
#: ("said Mr. Barrett, the lawyer for the state's environmental agency").
_MAX_INVERTED_WORDS = 20
#: A place or an affiliation after an inverted cue's source: "said one source in the room",
#: "said a spokesman for the board" (no verb after it).
_PLACE_START = re.compile(r"\s" + alternation(SOURCE_PLACE_PREPOSITIONS) + r"\s")
_PLACE_AFTER_SOURCE = re.compile(
    alternation(SOURCE_PLACE_PREPOSITIONS) + r"\s[^,;:!?\"“”]{0,60}[.!?\"”’)\s]*$"
)
#: The words between a comma and the source that ends a sentence: a determiner, a number,
#: a title ("..., a source said", "..., two officials said", "..., the IMF said").
_SOURCE_OPENER = re.compile(
    r"(?<=,)(?:\s+(?:"
    + alternation(DESCRIPTION_OPENERS | DESCRIPTION_QUANTIFIERS | {"of"})
    + r"|\d+|[A-Z][\w’'.\-]*)){1,4}\s+$"
)
#: What may follow a cue that ends its sentence ("..., the IMF said on Tuesday."): nothing
#: or a time, place or manner adverbial; an object ("the AU announced a new payment
#: system") makes the cue a verb of its own clause.
_FINAL_TAIL = re.compile(
    r"(?:\s+(?:"
    + alternation(NOT_BARE_CLAUSE_OPENERS | CUE_TIME_ADVERBS)
    + r"|[\w’'\-]+day)\b[^,;:!?\"“”]{0,60})?"
    + r"(?:,\s+(?:"
    + alternation(SUBORDINATE_TAIL_OPENERS)
    + r")\b[^;:!?\"“”]*)?[\s.!?\"“”’)]*"
)


#: "as" between the comma and the source of a final cue: "..., as police have said."
_AS_BEFORE_SOURCE = re.compile(r",\s+as$")


def _clause_final_report(article: _Article, sentence: Segment, cues: list[Cue]) -> Statement | None:
    """Find "CONTENT, X said." and "CONTENT, said X." (reported content first,
    attribution last) in one sentence."""
    text = article.text
    inner = article.spans_between(sentence.start, sentence.end)
    if inner and inner[0].open_at <= sentence.start:
        return None
    speech = [c for c in cues if c.kind == "speech"]
    if not speech:
        return None
    cue = speech[-1]
    subject = _inverted(article, sentence, cue)
    if subject is not None:
        comma_end = cue.start
    else:
        comma = text.find(",", cue.end, sentence.end)
        adverbial_end = sentence.end if comma < 0 else comma
        if cue.content_start is not None or _words(text, cue.end, adverbial_end) > 5:
            return None  # at most five words of time or place after the cue
        if not _FINAL_TAIL.fullmatch(text, cue.end, sentence.end):
            return None  # "..., the AU announced a new payment system": an object
        subject = mention_before(text, sentence.start, cue.start)
        if subject is not None and "," in text[subject.end : cue.start]:
            subject = None  # "..., the gains, said X": no subject before the cue
        comma_end = subject.start if subject else cue.start
        if subject is not None:
            # A source's mention starts after its determiner, number or title: ", a
            # source said", ", two city officials said", ", the IMF said".
            opener = _SOURCE_OPENER.search(text, max(sentence.start, comma_end - 40), comma_end)
            comma_end = opener.start() if opener else comma_end
        if subject is None:
            subject = mention_after(text, cue.end, sentence.end)
            if subject is None:
                return None
    before = text[sentence.start : comma_end].rstrip()
    as_source = _AS_BEFORE_SOURCE.search(before)
    if as_source is not None:
        before = before[: as_source.start() + 1]  # "..., as police have said."
        comma_end = sentence.start + len(before)
    if not before.endswith(",") or not _has_words(text, sentence.start, comma_end, 4):
        return None
    if subject.kind == "name" and subject.start < comma_end and before.count(",") == 0:
        return None
    start, end = _trim_clause(text, sentence.start, sentence.start + len(before))
    if any(span.close_at >= end for span in inner):
        return None
    if inner and any(c.start < inner[0].open_at for c in cues if start <= c.start < end):
        # 'X described the talks as "very productive", the agency said': the agency
        # relays X's words; the quote is X's, found from its marks and its own cue.
        return None
    return Statement(start, end, "mixed" if inner else "indirect", cue, subject)


#: What may stand between a parenthetical cue and the comma that closes it: a time, place or
#: manner ("on Friday", "in an interview", "last week"), no clause; no quotation mark may
#: open after the comma ('Ann Lee said, "..."' is a direct quote).
_PARENTHETICAL_TAIL = re.compile(
    r"(?:\s+(?:"
    + alternation(NOT_BARE_CLAUSE_OPENERS | CUE_ADVERBIALS)
    + r"|[\w’'\-]+day)\b[^,.;:!?\"“”‘’()\n]{0,50})?,\s+(?![\"“‘'])"
)


def _parenthetical_report(
    article: _Article, sentence: Segment, cues: list[Cue]
) -> Statement | None:
    """Find a statement with its attribution set inside it between commas: "The bridge,
    Ms. Ortiz said, will close for a year", "Back home, he told me on Friday, he decided
    to run". The statement is the whole sentence, attribution included (its content runs
    on both sides of it); the sentence must not open with a quotation mark (a direct
    quote and its cue are found from the marks)."""
    text = article.text
    inner = article.spans_between(sentence.start, sentence.end)
    if inner and inner[0].open_at <= sentence.start + 1:
        return None
    for cue in cues:
        if cue.kind != "speech" or cue.content_start is not None or text[cue.start].isupper():
            continue  # a capitalised cue word mid-sentence is a name ("United States")
        comma = text.rfind(",", sentence.start, cue.start)
        if comma < 0 or not _has_words(text, sentence.start, comma, 1):
            continue
        subject = mention_before(text, comma + 1, cue.start)
        if subject is None or _has_words(text, comma + 1, subject.start, 4):
            continue  # the words before the cue are a clause, not its subject
        tail = _PARENTHETICAL_TAIL.match(text, cue.end, sentence.end)
        if tail is None or not _has_words(text, tail.end(), sentence.end, 3):
            continue
        if any(c.start >= tail.end() and c.kind == "speech" for c in cues):
            continue  # another attribution follows: the sentence is not one statement
        start, end = _trim_clause(text, sentence.start, sentence.end)
        if any(span.close_at >= end for span in inner):
            return None
        kind: QuoteKind = "mixed" if inner else "indirect"
        return Statement(start, end, kind, cue, subject)
    return None


#: A verb of saying that takes what was said as its object (:data:`OBJECT_REPORT_VERBS`),
#: lowercase (a capitalised one opens a headline in Title Case or is a name).
_OBJECT_VERB = re.compile(r"\b" + alternation(OBJECT_REPORT_VERBS) + r"\b")
#: A time right after the verb, before its object: "announced on Friday the arrest".
_TIME_BEFORE_OBJECT = re.compile(
    r"\s+(?:on\s+[A-Z]\w*day|(?:this|last)\s+(?:week|month|year)|today|yesterday|[A-Z]\w*day)\b"
)
#: A relative pronoun that is a verb's subject, after the antecedent and its comma, with
#: the auxiliaries and adverbs before the verb: ", which has strongly", " who’s", " that had".
_RELATIVE_BEFORE = re.compile(
    r",?\s+(?:who|which|that)(?:[’']s)?(?:\s+(?:has|have|had|also|[a-z]+ly))*\s+$"
)
#: The first word of an object (or the preposition that opens it).
_OBJECT_OPENER = re.compile(r"\s+([\w’'$]+)")
#: A verb after "to" (an adverb may come first): "agreed to (effectively) lend ...".
_INFINITIVE_OBJECT = re.compile(
    r"\s*(?:[a-z]+ly\s+)?(?!" + alternation(NOUN_DETERMINERS) + r"\b)[a-z]+\b(?![\-’']|\s+of\b)"
)
#: The conjunction and the words before a later statement's cue, closing an object:
#: " and said", ", and she added".
_BEFORE_LATER_CUE_WORD = re.compile(r",?\s+(?:and|but)(?:\s+[\w’'\-]+){0,4}\s*$")
#: Where an object ends: a comma (not one inside a number, "12,000"), a colon or
#: semicolon, a dash or a bracket.
_OBJECT_END = re.compile(
    r"\s*(?:[;:(]|,(?!\d{3}\b)|\s[—–-]{1,2}\s)|\s+(?:and|but)\s+(?:also\s+|then\s+|[a-z]+ly\s+)?"
    + alternation(SPEECH_VERBS | set(OBJECT_REPORT_VERBS))
    + r"\b"
)
#: The gap between a subject and its verb: words and adverbs, no clause punctuation.
_SUBJECT_GAP = re.compile(r"[\s\w’'\-]*")
#: After an object that ends at a comma, what makes it the subject of a clause without
#: "that": an aside, then a verb ("reported a government source, whom they did not name,
#: said ...": that source's statement; "Rudaw reports Mahan's director, Hamid Khanooki, has
#: alleged ties to ...": the clause is what Rudaw reports).
_CLAUSE_AFTER_OBJECT = re.compile(
    r"(?:,[^,;:]{1,80})?,\s+(?:(?P<aux>"
    + alternation(AUXILIARIES)
    + r")|"
    + alternation({v for v in SPEECH_VERBS if not v.endswith("ing")})
    + r")\b"
)
#: " but" and an auxiliary or a negation: the subject's next predicate ("agreed to add two
#: members but did not accede to ..."), which ends an object.
_OBJECT_END_BUT = re.compile(
    r"\s+but\s+(?:" + alternation(OBJECT_REPORT_BLOCKERS - {"to", "be", "been", "being"}) + r")\b"
)


#: How far into an object an act's noun is looked for ("a state of emergency").
_ACT_NOUN_WITHIN = 4


def _is_act(verb: str, said: str) -> bool:
    """Whether ``said``, the object of ``verb``, makes the verb an act rather than a
    statement (:data:`OBJECT_REPORT_ACTS`: "declared a state of emergency", "confirmed her
    nomination"): an act's noun among the object's words before its first preposition."""
    acts = OBJECT_REPORT_ACTS.get(verb)
    if not acts:
        return False
    words: list[str] = []
    for word in re.findall(r"[\w’'\-]+", said.lower())[:_ACT_NOUN_WITHIN]:
        if word != "of" and word in NOT_BARE_CLAUSE_OPENERS:
            break
        words.append(word)
    if words and words[0].endswith("ing") and words[0] not in acts:
        return False  # "recalled meeting the envoy": a gerund, what was recalled
    return re.search(r"\b(?:" + alternation(acts) + r")\b", " ".join(words)) is not None


def _object_statement(
    text: str, verb: str, span: tuple[int, int], sentence_end: int, main_clause: bool
) -> tuple[int, QuoteKind] | None:
    """The end and kind of the statement that ``text[start:end]`` (``span``), the object
    of the verb of saying ``verb``, opens: ``"reported"`` (the object names what was said),
    or ``"indirect"`` up to the sentence's end when the object is the subject of a clause
    without "that" (:data:`_CLAUSE_AFTER_OBJECT`); None for an act (:func:`_is_act`) or for
    an object that is someone else's source ("... a source, whom they did not name, said":
    that statement is found from its own verb). In a relative clause (``main_clause``
    false: "Crawford, who recalled taking the elevator up, said ...") the verb after the
    object is the sentence's own."""
    start, end = span
    if _is_act(verb, text[start:end]):
        return None
    clause = _CLAUSE_AFTER_OBJECT.match(text, end, sentence_end) if main_clause else None
    if clause is None:
        return end, "reported"
    if clause.group("aux") is None:
        return None
    return _trim_clause(text, start, sentence_end)[1], "indirect"


def _object_reports(
    article: _Article, sentence: Segment, taken: list[Statement]
) -> list[Statement]:
    """Find "X denied the allegations", "X announced plans to ...", "X accused Y of ...":
    a verb of saying whose object names what was said (kind "reported"; the statement is
    the object, up to the next comma, colon, dash or the sentence's end). The verb must
    follow its subject (a name, a pronoun or a description that can speak) with at most
    auxiliaries and adverbs between them, neither a passive, a negation nor a modal; the
    object must hold no quotation mark (a quote is found from its marks) and overlap no
    statement found in the sentence already."""
    text = article.text
    found: list[Statement] = []
    for match in _OBJECT_VERB.finditer(text, sentence.start, sentence.end):
        verb = match.group(0)
        if article.inside_span(match.start()):
            continue
        words = text[max(sentence.start, match.start() - 60) : match.start()].split()
        if words and words[-1].lower() in NOUN_DETERMINERS:
            continue  # "the announced plans", "his vow": a noun or an adjective
        object_start = match.end()
        time = _TIME_BEFORE_OBJECT.match(text, object_start, sentence.end)
        if time is not None:
            object_start = time.end()
        prepositions = OBJECT_REPORT_VERBS[verb]
        opener = _OBJECT_OPENER.match(text, object_start, sentence.end)
        first = opener.group(1) if opener is not None else ""
        if first in prepositions and first:
            object_start = opener.end()  # type: ignore[union-attr]
            if first == "to" and not _INFINITIVE_OBJECT.match(text, object_start):
                continue  # "agreed to a new contract": an act, not a commitment said
        elif "" not in prepositions:
            continue  # "agreed to", "warned of": the preposition is part of the cue
        elif not first or first.lower() in NOT_BARE_CLAUSE_OPENERS | {"that"}:
            continue  # no object ("denied in a statement") or a clause (found as such)
        ends = (
            _OBJECT_END.search(text, object_start, sentence.end),
            _OBJECT_END_BUT.search(text, object_start, sentence.end),
        )
        object_end = min([m.start() for m in ends if m is not None] or [sentence.end])
        start, end = _trim_clause(text, object_start, object_end)
        for other in taken + found:
            if start < other.start < end:
                # "announced the arrest ... and said a curfew would ...": the object
                # ends before the conjunction that brings the next statement.
                joined = _BEFORE_LATER_CUE_WORD.search(text, start, other.start)
                start, end = _trim_clause(text, start, joined.start() if joined else other.start)
        if end <= start or article.spans_between(start, end + 1):
            continue
        relative = _RELATIVE_BEFORE.search(
            text, max(sentence.start, match.start() - 60), match.start()
        )
        statement = _object_statement(text, verb, (start, end), sentence.end, relative is None)
        if statement is None:
            continue
        end, kind = statement
        if any(s.start < end and start < s.end for s in taken + found):
            continue
        verb_at = match.start()
        if relative is not None:
            # "the Saudi government, which has strongly denied ...": the antecedent.
            verb_at = relative.start()
        subject = mention_before(text, sentence.start, verb_at)
        if subject is None or (subject.kind == "description" and not can_speak(subject)):
            continue
        gap = text[subject.end : verb_at]
        if not _SUBJECT_GAP.fullmatch(gap) and not re.fullmatch(r",[^;:]*,\s*", gap):
            continue
        if any(w.lower() in OBJECT_REPORT_BLOCKERS for w in re.findall(r"[\w’']+", gap)):
            continue  # "was announced", "did not comment", "could deny"
        if any(w.lower() in OBJECT_REPORT_BLOCKERS for w in words[-1:]):
            continue
        cue = Cue(match.start(), match.end(), verb, "speech", start)
        found.append(Statement(start, end, kind, cue, subject))
    return found


#: "As" opening a sentence whose source comes first: "As Ann Lee noted, ...".
_AS_OPENER = re.compile(r"(?:(?:But|And|Yet)\s+)?As\s+")
#: "by" or "in" after a cue right after "As": "As reported by the Post,", "As stated in
#: the report,".
_AS_BY = re.compile(r"\s+(?:by|in)\s+")


def _as_report(article: _Article, sentence: Segment, cues: list[Cue]) -> Statement | None:
    """Find "As X noted, CONTENT" and "As reported by X, CONTENT": the source and its cue
    in a clause of "as" that opens the sentence, the statement after its comma (at least
    three words; no quotation mark opening it: a direct quote is found from its marks)."""
    text = article.text
    opener = _AS_OPENER.match(text, sentence.start, sentence.end)
    if opener is None:
        return None
    cue = next((c for c in cues if c.kind == "speech"), None)
    if cue is None or cue.content_start is not None or _has_words(text, opener.end(), cue.start, 8):
        return None
    if cue.start == opener.end():
        by = _AS_BY.match(text, cue.end, sentence.end)
        if by is None:
            return None
        # The source runs to the comma: "As stated in Davis' commentary, ...".
        source = _according_source(text, by.end() - 1, sentence.end)
        subject = mention_after(text, by.end(), sentence.end) or source
        after = source.end if source is not None else subject.end if subject else cue.end
    else:
        subject = mention_before(text, opener.end(), cue.start)
        if subject is not None and _has_words(text, opener.end(), subject.start, 3):
            subject = None  # more than a determiner before the source: a clause
        after = cue.end
    if subject is None:
        return None
    tail = _PARENTHETICAL_TAIL.match(text, after, sentence.end)
    if tail is None or not _has_words(text, tail.end(), sentence.end, 3):
        return None
    start, end = _trim_clause(text, tail.end(), sentence.end)
    inner = article.spans_between(start, end)
    if any(span.close_at >= end for span in inner):
        return None
    return Statement(start, end, "mixed" if inner else "indirect", cue, subject)


#: Longest title of a work read as a title rather than a quote, in words.
_MAX_TITLE_WORDS = 12
_TITLE_WORD = re.compile(r"[\w’'\-]+")


def is_title(inner: str) -> bool:
    """Whether quoted text reads as the title of a work ("Reproductive Health Care Reform
    Bill 2019", "The Long Road Home"): two to twelve words in Title Case (every word
    capitalised or a number, short function words aside), with no punctuation that ends
    or splits a sentence."""
    if re.search(r"[.!?,;:]", inner):
        return False
    words = _TITLE_WORD.findall(inner)
    if not 2 <= len(words) <= _MAX_TITLE_WORDS or not words[0][0].isupper():
        return False
    return all(
        word[0].isupper() or word[0].isdigit() or word.lower() in TITLE_CASE_SMALL_WORDS
        for word in words
    )


#: A dash right after a closing quotation mark that signs the quote: '"..." ― Ann Lee'.
_SIGNATURE_DASH = re.compile(r"[ \t\u00a0]*[―—–][ \t\u00a0]*")
#: What may follow a signature's name on its line: nothing, or a short description after a
#: comma ("― Ann Lee, a nurse in Ohio").
_AFTER_SIGNATURE = re.compile(r"[ \t\u00a0]*(?:,[^\n\"“”]{0,100})?[ \t\u00a0.]*(?:\n|$)")


def _signature(text: str, position: int) -> Mention | None:
    """The name that signs a quote with a dash after its closing mark, alone on the rest
    of its line ('"We need a plan." ― Ann Lee', the form of reader comments, epigraphs
    and lists of voices); None otherwise."""
    dash = _SIGNATURE_DASH.match(text, position)
    if dash is None:
        return None
    line_end = text.find("\n", dash.end())
    line_end = len(text) if line_end < 0 else line_end
    names = find_names(text, dash.end(), min(line_end, dash.end() + 80))
    if not names or names[0].start != dash.end():
        return None
    if _AFTER_SIGNATURE.match(text, names[0].end) is None:
        return None
    return names[0]


#: What stands before the title of a work in quotation marks: a preposition or an owner
#: ('on CBS's "Face the Nation,"', 'in his book "Make Your Kid a Millionaire,"').
_TITLE_LEAD = re.compile(r"(?:\b" + alternation(TITLE_LEAD_WORDS) + r"|[’']s)\s*$")


def _cue_right_after(article: _Article, span: MarkedSpan) -> bool:
    """Whether a speech cue follows a quote within four words ('"Thank You All," she
    said'): then the quote is words said, not a title."""
    after = span.close_at + 1
    sentence_end = article.sentence_at(min(after, len(article.text) - 1)).end
    cue = article.first_cue_after(after, max(sentence_end, after))
    return (
        cue is not None
        and cue.kind == "speech"
        and not _has_words(article.text, after, cue.start, 5)
    )


def _quoted(article: _Article, span: MarkedSpan) -> Statement | None:
    """Classify one quoted span as a direct quote or mixed fragment and find its cue."""
    text, document = article.text, article.document
    sentence = article.sentence_at(span.open_at)
    lead = text[max(sentence.start, span.open_at - _LEAD_REACH) : span.open_at]
    words = _words(text, span.start, span.end)
    opens_paragraph = (
        document.paragraphs[document.paragraph_index(span.open_at)].start == span.open_at
    )
    if re.search(r"so-called\s*$", lead, re.IGNORECASE):
        return None
    last = article.last_cue_before(sentence, span.open_at)
    # 'called it "Crooked Hillary"', 'referred to the vote as "The Impeachment Hoax"': a
    # name someone gave, which is their words; otherwise Title Case in quotation marks
    # is the title of a law, book, film or report, not words anyone said.
    named = last is not None and last.kind == "naming" and _words(text, last.end, span.open_at) <= 4
    introduced = re.search(r"(?:[,:]|\bas)\s*$", lead) is not None
    if is_title(text[span.start : span.end]) and not named and not introduced:
        return None
    inner_text = text[span.start : span.end]
    if (
        inner_text[-1:] in ",."
        and is_title(inner_text[:-1])
        and not named
        and not introduced
        and (_TITLE_LEAD.search(lead) or not _cue_right_after(article, span))
    ):
        return None  # 'on CBS's "Face the Nation,"': a title with the sentence's comma inside
    if last is not None and words <= _MAX_FRAGMENT_WORDS:
        gap = text[last.end : span.open_at]
        describing = last.verb in _DESCRIBING
        if (
            last.kind == "naming"
            and not re.search(r"[.;:!?]", gap)
            and _words(text, last.end, span.open_at) <= _MAX_FRAGMENT_WORDS
            and (not describing or re.search(r"\bas\b", gap))
        ):
            subject = article.subject(last, sentence, None)
            return Statement(span.start, span.end, "mixed", last, subject)
    if (
        last is not None
        and last.kind != "naming"
        and re.fullmatch(r"[^.!?\"“”]{0,60}?[,:]?\s*", text[last.end : span.open_at])
    ):
        subject = article.subject(last, sentence, None)
        return Statement(span.start, span.end, "direct", last, subject, opens_paragraph)
    if lead.rstrip().endswith(":") and words > _MAX_SCARE_QUOTE_WORDS:
        subject = article.sentence_subject(sentence.start, span.open_at)
        return Statement(span.start, span.end, "direct", None, subject, opens_paragraph)
    signed = _signature(text, span.close_at + 1)
    if signed is not None:
        return Statement(span.start, span.end, "direct", None, signed, opens_paragraph)
    # '"... first order in two days!" Macron told': a quote ending in "!" or "?" ends its
    # sentence, and the attribution after it starts the next one.
    after_start = span.close_at + 1
    while after_start < len(text) and text[after_start] in " \t":
        after_start += 1
    tail_end = article.sentence_at(after_start).end
    cue_after = article.first_cue_after(span.close_at + 1, tail_end)
    if cue_after is not None and _words(text, span.close_at + 1, cue_after.start) <= 8:
        cue = cue_after
        tail = Segment(span.close_at + 1, tail_end)
        if re.fullmatch(r"[\W]*", text[tail.start : cue.start]):
            subject = mention_after(text, cue.end, tail.end)
        else:
            subject = article.subject(cue, tail, None)
        if cue.kind != "naming" and subject is not None:
            return Statement(span.start, span.end, "direct", cue, subject, opens_paragraph)
    sentence_cues = [c for c in article.cues(sentence) if c.kind != "according"]
    if lead.strip() and not lead.rstrip().endswith((",", ":")) and words <= _MAX_FRAGMENT_WORDS:
        if not sentence_cues:
            if words <= _MAX_SCARE_QUOTE_WORDS:
                return None
            subject = article.sentence_subject(sentence.start, span.open_at)
            return Statement(span.start, span.end, "mixed", None, subject)
        cue = sentence_cues[0]
        return Statement(span.start, span.end, "mixed", cue, article.subject(cue, sentence, None))
    if words <= _MAX_SCARE_QUOTE_WORDS and not sentence_cues:
        return None
    return Statement(span.start, span.end, "direct", None, None, opens_paragraph)


def find_statements(document: Document) -> list[Statement]:
    """Return the article's quotes and reported statements in text order (speakers unresolved)."""
    article = _Article(document)
    statements: list[Statement] = []
    starts = document.sentence_starts
    for paragraph, prose in zip(document.paragraphs, document.prose, strict=True):
        if not prose:
            continue
        first = bisect.bisect_left(starts, paragraph.start)
        last = bisect.bisect_left(starts, paragraph.end)
        for k in range(first, last):
            end = starts[k + 1] if k + 1 < last else paragraph.end
            whole = article.outside_quote(Segment(starts[k], end))
            if whole is None:
                continue
            for sentence in sentence_pieces(article.text, whole):
                cues = article.cues(sentence)
                statements.extend(_reported_clauses(article, sentence, cues))
                final = _clause_final_report(article, sentence, cues)
                if final is None:
                    final = _parenthetical_report(article, sentence, cues)
                if final is None:
                    final = _as_report(article, sentence, cues)
                if final is not None:
                    statements.append(final)
                statements.extend(_object_reports(article, sentence, statements[-8:]))
    # A quote inside a reported clause is part of it: statements by start, with the
    # furthest end reached so far, answer "is this span covered?" by bisection.
    covered = sorted((s.start, s.end) for s in statements)
    covered_starts = [start for start, _ in covered]
    reach = list(itertools.accumulate((end for _, end in covered), max))
    for span in article.spans:
        i = bisect.bisect_right(covered_starts, span.open_at) - 1
        if i >= 0 and span.close_at < reach[i] + 1:
            continue
        quoted = _quoted(article, span)
        if quoted is not None:
            statements.append(quoted)
    statements.sort(key=lambda s: s.start)
    return statements
