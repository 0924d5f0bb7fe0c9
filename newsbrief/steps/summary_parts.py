"""What both summary strategies share: the voices a summary reports and the result it fills.

The strategies are :mod:`newsbrief.steps.compress` (few-shot base models: the article's own
sentences, shortened by deletion) and :mod:`newsbrief.steps.write` (instruction-tuned and
seq2seq models: written freely, checked); :mod:`newsbrief.steps.summarize` chooses.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from newsbrief.models import PromptRecord, Quote, SummarySentence
from newsbrief.quotes import quoted_speakers
from newsbrief.quotes.reporting import ReportingSentence, reporting_sentences
from newsbrief.text.document import Document, as_document


@dataclass(frozen=True)
class Voice:
    """A speaker and their own quoted words, for one summary sentence.

    ``sentences`` are the article's sentences that report the speaker by name (reported
    speech first): a base model's summary takes the first of them.
    """

    speaker: str
    quotes: tuple[str, ...]
    sentences: tuple[ReportingSentence, ...] = ()


@dataclass
class SummaryResult:
    """The summary, sentence by sentence, the prompts that made it and what was rejected.

    ``shortened``/``candidates`` count the sentences the model changed and the versions it
    scored; ``rejected`` counts versions the faithfulness checks refused, by reason.
    """

    text: str
    prompts: list[PromptRecord] = field(default_factory=list)
    attempts: int = 0
    notes: list[str] = field(default_factory=list)
    sentences: list[SummarySentence] = field(default_factory=list)
    candidates: int = 0
    rejected: dict[str, int] = field(default_factory=dict)


def voices_of(article: str | Document, quotes: Sequence[Quote]) -> list[Voice]:
    """One :class:`Voice` per quoted speaker, most quoted first: their own words and the
    sentences that report them by name."""
    # Start-up time: steps.stance brings the stance head module (~50 ms of `import`).
    from newsbrief.steps.stance import pick_evidence

    document = as_document(article)
    return [
        Voice(
            speaker,
            tuple(
                pick_evidence([q for q in quotes if q.speaker == speaker], limit=3, own_words=True)
            ),
            tuple(reporting_sentences(document, [q for q in quotes if q.speaker == speaker])),
        )
        for speaker in quoted_speakers(quotes)
    ]


def unnamed(voices: Sequence[Voice], written: str) -> list[Voice]:
    """The ``voices`` that ``written`` does not name yet, in order: a summary that already
    says what one speaker did gains more from another speaker."""
    return [v for v in voices if not _names(v.speaker, written)]


def _names(speaker: str, text: str) -> bool:
    """``text`` names ``speaker``: it has the name's last word (news repeats surnames)."""
    words = speaker.split()
    last = words[-1] if words else speaker
    return bool(last) and re.search(rf"\b{re.escape(last)}\b", text) is not None


#: How many sentences a summary may have.
SUMMARY_SENTENCES = (1, 2, 3)


def check_summary_sentences(value: object, *, name: str = "summary_sentences") -> None:
    """Refuse a sentence count outside :data:`SUMMARY_SENTENCES` (``ValueError`` naming
    ``name``, the option as its caller spells it)."""
    if value not in SUMMARY_SENTENCES:
        raise ValueError(f"{name} must be 1, 2 or 3")
