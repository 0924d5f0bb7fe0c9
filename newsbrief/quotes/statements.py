"""Finding statements: direct quotes, mixed quotes and indirect reported speech, with cues."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from newsbrief.models import QuoteKind
from newsbrief.quotes.cues import Cue, find_cues
from newsbrief.quotes.mentions import Mention, mention_after, mention_before, sentence_subject
from newsbrief.quotes.spans import MarkedSpan, find_marked_spans
from newsbrief.text.document import Document
from newsbrief.text.layout import Segment
from newsbrief.text.lexicon import PARTICIPLES

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
        return [
            c
            for c in find_cues(self.text, sentence.start, sentence.end)
            if not self.inside_span(c.start)
        ]

    def subject(self, cue: Cue, sentence: Segment, earlier: Mention | None) -> Mention | None:
        """Return who a cue attributes speech to, within its sentence."""
        text = self.text
        if cue.kind == "according":
            return mention_after(text, cue.end, sentence.end)
        if re.fullmatch(r"\W*", text[sentence.start : cue.start]):
            return mention_after(text, cue.end, sentence.end)  # inverted: "Said Hill, ..."
        found = mention_before(text, sentence.start, cue.start)
        if cue.verb in PARTICIPLES and (found is None or "," in text[found.end : cue.start]):
            found = None  # "X congratulated Pelosi, saying": the subject is X, not Pelosi
        return found or earlier or sentence_subject(text, sentence.start, cue.start)


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
    closes = [s.close_at for s in article.spans_between(sentence.start - 2000, sentence.end)]
    for index, cue in enumerate(cues):
        if cue.kind == "speech" and cue.content_start is not None:
            has_that = "that" in text[cue.end : cue.content_start]
            content = cue.content_start
            opening = article.spans_between(content, content + 2)
            if not has_that and opening:
                continue  # 'saying "..."': a direct quote, found from its marks
            attributes_quote = any(
                sentence.start - 1 <= c < cue.start
                and _words(text, c, cue.start) <= 8
                and not re.search(r"\b(?:and|but|then|who|which)\b", text[c : cue.start])
                for c in closes
            )
            if not has_that and attributes_quote:
                continue  # '"...," Lam said in a statement': the attribution of a quote
            end = sentence.end
            for later in cues[index + 1 :]:
                if later.verb in PARTICIPLES and later.content_start is not None:
                    end = text.rfind(",", content, later.start) + 1 or later.start
                    break
            for span in article.spans_between(content, end):
                end = max(end, span.close_at + 1)
            start, end = _trim_clause(text, content, end)
            subject = article.subject(cue, sentence, earlier)
            earlier = subject or earlier
            if subject is None or _words(text, start, end) < 2:
                continue
            mixed = bool(article.spans_between(start, end))
            found.append(Statement(start, end, "mixed" if mixed else "indirect", cue, subject))
        elif cue.kind == "according":
            subject = mention_after(text, cue.end, sentence.end)
            if subject is None or any(sentence.start - 1 <= c < cue.start for c in closes):
                continue
            before = text[sentence.start : cue.start].rstrip()
            after_start = subject.end + 2
            if (
                text[subject.end : subject.end + 1] == ","
                and _words(text, after_start, sentence.end) >= 3
            ):
                start, end = _trim_clause(text, after_start, sentence.end)
            elif before.endswith(",") and _words(text, sentence.start, cue.start) >= 3:
                start, end = _trim_clause(text, sentence.start, sentence.start + len(before))
            else:
                continue
            inner = article.spans_between(start, end)
            if inner and inner[0].open_at <= start:
                continue  # the quote is direct; "according to" attributes it
            kind: QuoteKind = "mixed" if inner else "indirect"
            found.append(Statement(start, end, kind, cue, subject))
    return found


def _clause_final_report(article: _Article, sentence: Segment, cues: list[Cue]) -> Statement | None:
    """Find "CONTENT, X said." (reported content first, attribution last) in one sentence."""
    text = article.text
    speech = [c for c in cues if c.kind == "speech" and c.content_start is None]
    inner = article.spans_between(sentence.start, sentence.end)
    if not speech or (inner and inner[0].open_at <= sentence.start):
        return None
    cue = speech[-1]
    if _words(text, cue.end, sentence.end) > 5:
        return None
    subject = mention_before(text, sentence.start, cue.start)
    comma_end = subject.start if subject else cue.start
    if subject is None:
        subject = mention_after(text, cue.end, sentence.end)
        if subject is None:
            return None
    before = text[sentence.start : comma_end].rstrip()
    if not before.endswith(",") or _words(text, sentence.start, comma_end) < 4:
        return None
    if subject.kind == "name" and subject.start < comma_end and before.count(",") == 0:
        return None
    start, end = _trim_clause(text, sentence.start, sentence.start + len(before))
    if any(span.close_at >= end for span in inner):
        return None
    return Statement(start, end, "mixed" if inner else "indirect", cue, subject)


def _quoted(article: _Article, span: MarkedSpan) -> Statement | None:
    """Classify one quoted span as a direct quote or mixed fragment and find its cue."""
    text, document = article.text, article.document
    sentence = document.sentence_bounds(span.open_at)
    lead = text[sentence.start : span.open_at]
    words = _words(text, span.start, span.end)
    opens_paragraph = (
        document.paragraphs[document.paragraph_index(span.open_at)].start == span.open_at
    )
    if re.search(r"so-called\s*$", lead, re.IGNORECASE):
        return None
    cues = article.cues(Segment(sentence.start, span.open_at))
    last = cues[-1] if cues else None
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
        subject = sentence_subject(text, sentence.start, span.open_at)
        return Statement(span.start, span.end, "direct", None, subject, opens_paragraph)
    tail_end = document.sentence_bounds(span.close_at + 1).end
    after = article.cues(Segment(span.close_at + 1, tail_end))
    if after and _words(text, span.close_at + 1, after[0].start) <= 8:
        cue = after[0]
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
            subject = sentence_subject(text, sentence.start, span.open_at)
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
            sentence = article.outside_quote(Segment(starts[k], end))
            if sentence is None:
                continue
            cues = article.cues(sentence)
            statements.extend(_reported_clauses(article, sentence, cues))
            final = _clause_final_report(article, sentence, cues)
            if final is not None:
                statements.append(final)
    covered = [(s.start, s.end) for s in statements]
    for span in article.spans:
        if any(start <= span.open_at and span.close_at < end + 1 for start, end in covered):
            continue
        quoted = _quoted(article, span)
        if quoted is not None:
            statements.append(quoted)
    statements.sort(key=lambda s: s.start)
    return statements
