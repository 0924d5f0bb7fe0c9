"""Tying statements to speakers: names, descriptions, pronouns and continued quotes."""

from __future__ import annotations

import bisect
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass

from newsbrief.models import Quote, SpeakerKind
from newsbrief.quotes.clusters import NameClusters, defined_acronyms
from newsbrief.quotes.mentions import (
    Mention,
    can_speak,
    describe,
    find_names,
    is_document,
    sentence_subject,
)
from newsbrief.quotes.pronouns import (
    Gender,
    GenderCue,
    Referent,
    gender_cues,
    genders,
    resolve_pronoun,
)
from newsbrief.quotes.statements import Statement, find_statements
from newsbrief.text.document import Document, as_document

# Most alternative speakers offered for one quote.
_MAX_CANDIDATES = 5


@dataclass(frozen=True)
class SpeakerCandidate:
    """A possible speaker: canonical name and the mention of it the choice would rest on."""

    name: str
    start: int
    end: int


@dataclass(frozen=True)
class QuoteCandidates:
    """A quote as the rules attribute it, with ranked alternative speakers.

    Attributes:
        quote: the rule choice (``quote.speaker`` may be None).
        candidates: possible speakers, best first; the rule choice, when any, comes first.
        certain: whether the rules read the speaker off an explicit name at the cue, so a
            model need not re-rank.
    """

    quote: Quote
    candidates: list[SpeakerCandidate]
    certain: bool


#: A name a description ties its people to: "Associates of Navalny", "lawyers for the Trust".
_TIED_TO_NAME = re.compile(r"\b(?:of|for)\s+(?:the\s+)?[A-Z]")
#: What follows a dateline's place in capitals: "LOS ANGELES (AP) —", "KABUL —".
_DATELINE_AFTER = re.compile(r"\s*(?:\([^()]{1,20}\)\s*)?[—–\-,]")


class _Resolver:
    """Resolves statement subjects in text order, remembering who spoke last."""

    def __init__(self, document: Document) -> None:
        self.document = document
        names: list[Mention] = []
        for paragraph, prose in zip(document.paragraphs, document.prose, strict=True):
            if prose:
                names.extend(find_names(document.text, paragraph.start, paragraph.end))
        self.clusters = NameClusters(names, defined_acronyms(document.text))
        self.genders = self._genders(names)
        self._mentions_of: dict[str, list[Mention]] = defaultdict(list)
        for name in names:
            self._mentions_of[self.clusters.canonical(name.text)].append(name)
        self._descriptions: dict[str, tuple[int, int] | None] = {}
        self.speakers: list[Referent] = []
        self.subjects = self._sentence_subjects()
        self._subject_starts = [subject.start for subject in self.subjects]

    def _sentence_subjects(self) -> list[Mention]:
        """Return the person names that open sentences: the likely referents of pronouns."""
        subjects = []
        document = self.document
        for k, start in enumerate(document.sentence_starts):
            paragraph = document.paragraph_index(start)
            if not document.prose[paragraph]:
                continue
            end = document.paragraphs[paragraph].end
            if k + 1 < len(document.sentence_starts):
                end = min(end, document.sentence_starts[k + 1])
            subject = sentence_subject(document.text, start, end)
            if subject is not None and subject.kind == "name" and not subject.organisation:
                subjects.append(subject)
        return subjects

    def _genders(self, names: list[Mention]) -> dict[str, Gender]:
        """The gender the article shows for each person it names (pronoun agreement)."""
        persons = [n for n in names if not n.organisation]
        cues: list[GenderCue] = []
        for k, name in enumerate(persons):
            next_at = persons[k + 1].start if k + 1 < len(persons) else len(self.document.text)
            canonical = self.clusters.canonical(name.text)
            mention = (name.start, name.end, name.text, name.titles)
            cues.extend(gender_cues(self.document.text, mention, canonical, next_at))
        return genders(cues)

    def _referent(self, mention: Mention) -> Referent:
        canonical = self.clusters.canonical(mention.text)
        return Referent(canonical, mention.start, mention.end, mention.organisation)

    def _nearby_names(self, position: int) -> list[Referent]:
        i = bisect.bisect_left(self._subject_starts, position)
        subjects = [self._referent(n) for n in reversed(self.subjects[max(0, i - 5) : i])]
        return subjects + [self._referent(n) for n in self.clusters.persons_before(position)]

    def _continued(self, statement: Statement) -> Referent | None:
        """Return the speaker a quote with no cue continues (same or previous paragraph)."""
        if not self.speakers:
            return None
        last = self.speakers[-1]
        here = self.document.paragraph_index(statement.start)
        there = self.document.paragraph_index(last.start)
        if here == there or (statement.opens_paragraph and here - there <= 2):
            return last
        return None

    def _previous_subject(self, statement: Statement) -> Referent | None:
        """The person the sentence before a quote with no cue is about, when that sentence
        is in the quote's paragraph or ends the paragraph before one the quote opens:
        "Sarah Jones defended the budget. She rejected the criticism. 'It is fair.'"."""
        document = self.document
        here = document.paragraph_index(statement.start)
        sentence = document.sentence_bounds(statement.start)
        if sentence.start <= document.paragraphs[here].start:
            if not statement.opens_paragraph or here == 0:
                return None
            before = document.paragraphs[here - 1].end - 1
        else:
            before = sentence.start - 1
        previous = document.sentence_bounds(before)
        if not document.prose[document.paragraph_index(previous.start)]:
            return None
        subject = sentence_subject(document.text, previous.start, previous.end)
        if subject is None:
            return None
        if subject.kind == "name" and subject.organisation and statement.kind == "direct":
            # "The GFT released a statement. It read, '...'" (not a dateline: "LOS ANGELES —").
            dateline = subject.text.isupper() and _DATELINE_AFTER.match(document.text, subject.end)
            return None if dateline else self._referent(subject)
        if subject.kind == "name" and not subject.organisation:
            named = self._referent(subject)
            # A person: named in full, or one the article gives a gender ("Illegal",
            # "Impeachment" open sentences too).
            known = len(named.name.split()) >= 2 or named.name in self.genders
            return named if known and named.name[:1].isupper() else None
        if subject.kind == "pronoun" and subject.text.lower() in ("he", "she"):
            found = self._pronoun(subject)
            return found if found is not None and not found.organisation else None
        return None

    def _previous_body(self, subject: Mention) -> Referent | None:
        """The body an "it" or "they" refers to when the sentence before it, in the same
        paragraph, has a named organisation as its subject ("The NBA did not release the
        name. They did say ..."): before the latest speaker, who spoke further back."""
        if subject.text.lower() not in ("it", "they"):
            return None
        document = self.document
        sentence = document.sentence_bounds(subject.start)
        paragraph = document.paragraphs[document.paragraph_index(subject.start)]
        if sentence.start <= paragraph.start:
            return None
        previous = document.sentence_bounds(sentence.start - 1)
        before = sentence_subject(document.text, max(previous.start, paragraph.start), previous.end)
        if before is None or before.kind != "name" or not before.organisation:
            return None
        return self._referent(before)

    def _pronoun(self, subject: Mention) -> Referent | None:
        """The speaker a pronoun subject refers to (:func:`resolve_pronoun` over the
        speakers so far, the names near it and the article's genders), if any."""
        return resolve_pronoun(
            subject.text,
            subject.start,
            self.speakers,
            self._nearby_names(subject.start),
            self.genders.get,
        )

    def resolve(self, statement: Statement) -> tuple[Referent | None, bool]:
        """Return the speaker of a statement and whether it was named at the cue."""
        subject = statement.subject
        speaker: Referent | None = None
        certain = False
        if subject is None:
            speaker = self._continued(statement)
            if speaker is None and statement.cue is None:
                speaker = self._previous_subject(statement)
        elif subject.kind == "pronoun":
            speaker = self._previous_body(subject) or self._pronoun(subject)
            if speaker is not None:
                speaker = Referent(speaker.name, subject.start, subject.end, speaker.organisation)
        elif subject.kind == "description":
            # "Associates of Navalny" names people tied to Navalny, not Navalny.
            tied = _TIED_TO_NAME.search(subject.text) is not None
            named = None if tied else self.clusters.resolve_description(subject)
            if named is not None:
                speaker = Referent(
                    self.clusters.canonical(named.text), subject.start, subject.end, False
                )
            elif can_speak(subject):
                speaker = Referent(
                    subject.text,
                    subject.start,
                    subject.end,
                    subject.organisation,
                    is_document(subject),
                )
        else:
            speaker = self._referent(subject)
            certain = True
        if speaker is not None:
            self.speakers.append(speaker)
        return speaker, certain

    def kind_of(self, speaker: Referent) -> SpeakerKind | None:
        """What a speaker is: a document, an organisation, a person (a name given in full,
        or one the article shows a gender for), or None when the rules cannot tell."""
        if speaker.document:
            return "document"
        if speaker.organisation:
            return "organisation"
        if len(speaker.name.split()) >= 2 or speaker.name in self.genders:
            return "person"
        return None

    def description_of(self, speaker: Referent) -> tuple[int, int] | None:
        """The span of the article's description of a named speaker (role, affiliation):
        at the first mention of the person that has one, apposition or role words."""
        if speaker.name not in self._descriptions:
            found = None
            for mention in self._mentions_of.get(speaker.name, ()):
                found = describe(self.document.text, mention)
                if found is not None:
                    break
            self._descriptions[speaker.name] = found
        return self._descriptions[speaker.name]

    def candidates(self, statement: Statement, chosen: Referent | None) -> list[SpeakerCandidate]:
        """Rank possible speakers: the rule choice, recent speakers, then nearby names."""
        ranked: list[SpeakerCandidate] = []
        seen: set[str] = set()
        # The latest speakers first, read lazily: a long article's speakers are not all
        # walked for each quote once enough candidates are found.
        recent = (s for s in reversed(self.speakers) if s.start < statement.start)
        pool = itertools.chain(
            [chosen] if chosen else [],
            itertools.islice(recent, 4 * _MAX_CANDIDATES),
            self._nearby_names(statement.start),
        )
        for referent in pool:
            if referent.name.lower() not in seen:
                seen.add(referent.name.lower())
                ranked.append(SpeakerCandidate(referent.name, referent.start, referent.end))
                if len(ranked) == _MAX_CANDIDATES:
                    break
        return ranked


def attribute_quotes(article: str | Document) -> list[QuoteCandidates]:
    """Find the quotes of an article with their speakers and alternative candidates."""
    document = as_document(article)
    text = document.text
    resolver = _Resolver(document)
    results = []
    for statement in find_statements(document):
        speaker, certain = resolver.resolve(statement)
        data: dict[str, object] = {
            "text": text[statement.start : statement.end],
            "start": statement.start,
            "end": statement.end,
            "kind": statement.kind,
            "speaker": speaker.name if speaker else None,
            "speaker_start": speaker.start if speaker else None,
            "speaker_end": speaker.end if speaker else None,
            "cue": statement.cue.phrase(text) if statement.cue else None,
        }
        if speaker is not None:
            data["speaker_kind"] = resolver.kind_of(speaker)
            described = resolver.description_of(speaker)
            if described is not None:
                start, end = described
                data["speaker_description"] = text[start:end]
                data["speaker_description_start"] = start
                data["speaker_description_end"] = end
        quote = Quote.model_validate(data, context={"text": text})
        results.append(QuoteCandidates(quote, resolver.candidates(statement, speaker), certain))
    return results
