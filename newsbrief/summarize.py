"""The summary step: an event sentence plus the main voices, each validated and retried.

A summary is built from parts a small model can do well: what happened and who did it (up
to two sentences from the article's prose, as a news lead gives them; long articles are
chunked and the partial summaries summarised again), then one sentence per main speaker
from that speaker's own quotes, speakers the event part does not name first. Every part must
name only what the article names, not repeat itself, and copy neither a caption nor a
demonstration answer; a rejected part is retried with feedback and a new seed.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from newsbrief.article import caption_lines, chunk_paragraphs, prose_paragraphs
from newsbrief.asking import Answer, ask
from newsbrief.backends.base import Backend, GenerationConfig
from newsbrief.checks import (
    check_names_in_article,
    check_no_copied_lines,
    check_no_repetition,
    check_not_empty,
    check_quotes_are_verbatim,
    check_word_count,
    check_words_in_order,
)
from newsbrief.errors import OutputError, RetryExhaustedError
from newsbrief.lead import lead_sentences, split_sentences
from newsbrief.models import PromptRecord, Quote, SourceSpan, SummarySentence
from newsbrief.prompts import PromptStyle, demonstration_answers, load_template
from newsbrief.quotes.reporting import ReportingSentence

logger = logging.getLogger(__name__)

#: Tokens kept free for the template and the answer when an article is chunked.
_PROMPT_OVERHEAD = 400
#: Longest input a chunk gets, whatever the model's context (CPU cost grows fast past it).
MAX_CHUNK_TOKENS = 1536
#: Small models loop ("very, very, very"); a mild penalty keeps them moving.
REPETITION_PENALTY = 1.2
#: Words a summary sentence may need that an article need not contain.
REPORTING_WORDS = (
    " said says warned added argued called described announced urged criticised criticized "
    "welcomed rejected denied accused agreed that who which while but and also ."
)
#: Share of a lead sentence's words a shortened version keeps at least.
MIN_KEPT = 0.5


@dataclass(frozen=True)
class Voice:
    """A speaker and their own quoted words, for one summary sentence.

    ``sentences`` are the article's sentences that report the speaker by name (reported
    speech first): a few-shot base model shortens the first of them instead of writing a
    sentence from the quotes.
    """

    speaker: str
    quotes: tuple[str, ...]
    sentences: tuple[ReportingSentence, ...] = ()


@dataclass
class SummaryResult:
    """The summary, the prompts that made it and how many attempts each part needed."""

    text: str
    prompts: list[PromptRecord] = field(default_factory=list)
    attempts: int = 0
    notes: list[str] = field(default_factory=list)


class Summarizer:
    """Writes 1-3 sentence summaries with one backend.

    Args:
        backend: the model.
        style: template style (``base``, ``instruct`` or ``t5``).
        max_sentences: 1 to 3; up to two tell the event, the rest report the main voices.
        max_words: longest sentence accepted (the event part may have two).
        max_attempts: attempts per part before ``RetryExhaustedError``.
        seed: base seed for retries.
    """

    def __init__(
        self,
        backend: Backend,
        style: PromptStyle,
        *,
        max_sentences: int = 3,
        max_words: int = 60,
        max_attempts: int = 3,
        seed: int = 0,
    ) -> None:
        if not 1 <= max_sentences <= 3:
            raise ValueError("max_sentences must be 1, 2 or 3")
        self.backend = backend
        self.style = style
        self.max_sentences = max_sentences
        self.max_words = max_words
        self.max_attempts = max_attempts
        self.seed = seed
        self.summary_template = load_template("summary", style)
        self.voice_template = load_template("voice", style)
        # Few-shot base models shorten the lead rather than write freely (see _lead).
        self.compress_template = load_template("compress", style) if style == "base" else None

    def summarize(self, article: str, voices: Sequence[Voice] = ()) -> SummaryResult:
        """Summarise ``article``; ``voices`` (most important first) add speaker sentences."""
        result = SummaryResult(text="")
        captions = caption_lines(article)
        # What happened and who did it: two sentences, or one when that is all there is room for.
        n_event = min(2, self.max_sentences)
        lead = lead_sentences(article, n_event) if self.compress_template else []
        if lead:
            # The event must be the model's: a model that cannot shorten the lead fails.
            event = " ".join(self._shorten(s, article, captions, result) for s in lead)
        else:
            event = self._summarize_prose(article, captions, result, n_event)
        sentences = [event]
        room = self.max_sentences - (len(lead) or len(split_sentences(event)))
        for voice in _unnamed(voices, event):
            if len(sentences) - 1 >= room:
                break
            if not self.compress_template:
                sentences.append(self._voice(voice, article, captions, result))
                continue
            # Base models shorten a sentence that reports the speaker by name (kept whole,
            # with a note, when that fails); a speaker without one is left out: sentences
            # written from the quotes came out garbled.
            unused = [r for r in voice.sentences if r.text not in lead]
            if unused:
                sentences.append(
                    self._shorten_or_keep(
                        unused[0].text, article, captions, result, speaker=unused[0].mention
                    )
                )
        result.text = " ".join(sentences)
        return result

    def _summarize_prose(
        self, article: str, captions: list[str], result: SummaryResult, n: int
    ) -> str:
        """The event part written freely from the prose (chunked when it is too long)."""
        paragraphs = prose_paragraphs(article) or [article.strip()]
        budget = max(64, min(MAX_CHUNK_TOKENS, self.backend.context_length - _PROMPT_OVERHEAD))
        chunks = chunk_paragraphs(paragraphs, budget=budget, count_tokens=self.backend.count_tokens)
        if len(chunks) == 1:
            return self._event(chunks[0], article, captions, result, n)
        logger.info("article of %d chunks: summarising each, then the parts", len(chunks))
        partial = [self._event(chunk, article, captions, result, n) for chunk in chunks]
        return self._event("\n".join(partial), article, captions, result, n)

    def _shorten_or_keep(
        self,
        sentence: str,
        article: str,
        captions: list[str],
        result: SummaryResult,
        *,
        speaker: str | None = None,
    ) -> str:
        """:meth:`_shorten` for a speaker's sentence, or the sentence as the article has it
        when every attempt at shortening it was rejected: the article's own sentence is
        faithful where a failed shortening is not, and the result's notes say so."""
        try:
            return self._shorten(sentence, article, captions, result, speaker=speaker)
        except RetryExhaustedError as exc:
            result.attempts += len(exc.attempts)
            reasons = "; ".join(dict.fromkeys(a.error for a in exc.attempts))
            note = (
                f"summary: kept a sentence whole ({sentence[:60]!r}...): all "
                f"{len(exc.attempts)} attempts at shortening it were rejected ({reasons})"
            )
            logger.warning("%s", note)
            result.notes.append(note)
            return _as_sentence(sentence)

    def _shorten(
        self,
        sentence: str,
        article: str,
        captions: list[str],
        result: SummaryResult,
        *,
        speaker: str | None = None,
    ) -> str:
        """One sentence of the article, shortened by the model by leaving words out (a
        sentence reporting what someone said must keep ``speaker``, the words naming them).

        A small base model asked to write a summary freely invents events and names; asked
        to shorten one sentence, decoding only the sentence's own tokens in their order
        (and checked word by word), it keeps the facts."""
        assert self.compress_template is not None
        template = self.compress_template
        examples = demonstration_answers(template, "Shorter:")
        limit = len(sentence.split())
        # Cutting more than half of a lead sentence loses what it says (measured: such cuts
        # were mostly garbled, e.g. a subject joined to another clause's object).
        shortest = min(limit, max(4, math.ceil(limit * MIN_KEPT)))

        def validate(raw: str) -> str:
            text = _first_sentences(raw, 1)
            check_not_empty(text, min_words=shortest)
            check_word_count(text, low=shortest, high=limit)
            check_no_repetition(text)
            check_no_copied_lines(text, captions, what="a photo caption or credit")
            check_no_copied_lines(text, examples, what="the example answer")
            check_words_in_order(text, sentence)
            if speaker and not _names(speaker, text):
                raise OutputError(f"keep the name of the speaker, {speaker}", raw_output=text)
            check_names_in_article(text, article)
            check_quotes_are_verbatim(text, article)
            return _as_sentence(text)

        answer = ask(
            self.backend,
            lambda feedback: template.render(sentence=sentence, feedback=feedback),
            validate,
            config=GenerationConfig(
                max_new_tokens=self.backend.count_tokens(sentence) + 8,
                stop=("\n",),
                subsequence_of=sentence,
            ),
            max_attempts=self.max_attempts,
            seed=self.seed,
            what=f"summary sentence for {speaker}" if speaker else "summary sentence",
        )
        self._record(answer, result)
        return answer.value

    def _event(
        self, source: str, article: str, captions: list[str], result: SummaryResult, n: int
    ) -> str:
        examples = [
            sentence
            for answer in demonstration_answers(self.summary_template, "Summary:")
            for sentence in split_sentences(answer)
        ]

        def validate(raw: str) -> str:
            text = _first_sentences(raw, n)
            check_not_empty(text)
            check_word_count(text, low=4, high=self.max_words * len(split_sentences(text)))
            check_no_repetition(text)
            check_no_copied_lines(text, captions, what="a photo caption or credit")
            check_no_copied_lines(text, examples, what="the example answer")
            check_names_in_article(text, article)
            check_quotes_are_verbatim(text, article)
            return _as_sentence(text)

        answer = ask(
            self.backend,
            lambda feedback: self.summary_template.render(
                article=source, feedback=feedback, max_words=self.max_words, sentences=n
            ),
            validate,
            config=self._config(64 * n, article),
            max_attempts=self.max_attempts,
            seed=self.seed,
            what="summary",
        )
        self._record(answer, result)
        return answer.value

    def _voice(self, voice: Voice, article: str, captions: list[str], result: SummaryResult) -> str:
        examples = demonstration_answers(self.voice_template, "In one sentence:")
        # The base template ends with the speaker's name: the model continues after it.
        prefix = voice.speaker + " " if self.style == "base" else ""

        def validate(raw: str) -> str:
            text = prefix + _first_sentences(raw, 1)
            check_not_empty(text, min_words=len(prefix.split()) + 2)
            check_word_count(text, low=3, high=self.max_words)
            check_no_repetition(text)
            check_no_copied_lines(text, captions, what="a photo caption or credit")
            check_no_copied_lines(
                text[len(prefix) :],
                [_after_name(e) for e in examples],
                what="the example answer",
            )
            check_names_in_article(text, article)
            check_quotes_are_verbatim(text, article)
            return _as_sentence(text)

        answer = ask(
            self.backend,
            lambda feedback: self.voice_template.render(
                speaker=voice.speaker, quotes=list(voice.quotes), feedback=feedback
            ),
            validate,
            # A voice says what the speaker said: it draws on their own words only.
            config=self._config(64, " ".join([voice.speaker, *voice.quotes])),
            max_attempts=self.max_attempts,
            seed=self.seed,
            what=f"summary sentence for {voice.speaker}",
        )
        self._record(answer, result)
        return answer.value

    def _config(self, max_new_tokens: int, source: str) -> GenerationConfig:
        """One line of text. Few-shot base models write with the tokens of ``source`` only
        (plus a few reporting words): a small model paraphrasing freely invents names and
        quotes. Instruction-tuned and seq2seq models write freely (the checks still apply)."""
        return GenerationConfig(
            max_new_tokens=max_new_tokens,
            stop=("\n",),
            restrict_to=source + REPORTING_WORDS if self.style == "base" else None,
            repetition_penalty=REPETITION_PENALTY,
        )

    @staticmethod
    def _record(answer: Answer[str], result: SummaryResult) -> None:
        if answer.prompt.record not in result.prompts:
            result.prompts.append(answer.prompt.record)
        result.attempts += len(answer.attempts)


def _first_sentences(text: str, n: int) -> str:
    return " ".join(split_sentences(text)[:n]).strip()


def _unnamed(voices: Sequence[Voice], written: str) -> list[Voice]:
    """The ``voices`` that ``written`` does not name yet, in order: a summary that already
    says what one speaker did gains more from another speaker."""
    return [v for v in voices if not _names(v.speaker, written)]


def _names(speaker: str, text: str) -> bool:
    """``text`` names ``speaker``: it has the name's last word (news repeats surnames)."""
    words = speaker.split()
    last = words[-1] if words else speaker
    return bool(last) and re.search(rf"\b{re.escape(last)}\b", text) is not None


def _after_name(example: str) -> str:
    """An example voice sentence without its leading name (the part a model would copy)."""
    words = example.split()
    for i, word in enumerate(words):
        if word[:1].islower():
            return " ".join(words[i:])
    return example


def _as_sentence(text: str) -> str:
    text = _balance_quotes(text.strip().strip('"“”')).rstrip(" ,;:-–")
    if text and text[-1] not in ".!?":
        text += "."
    return text[0].upper() + text[1:] if text else text


def _balance_quotes(text: str) -> str:
    """Drop quotation marks a cut-off answer left unpaired (a sentence ending inside a
    quote); paired marks stay."""
    if text.count("“") != text.count("”"):
        text = text.replace("“", "").replace("”", "")
    if text.count('"') % 2:
        text = text.replace('"', "")
    return text


def model_free_summary(
    article: str,
    quotes: Sequence[Quote],
    *,
    max_sentences: int = 3,
    title: str | None = None,
) -> list[SummarySentence]:
    """The summary's rule-selected sentences kept whole: the pipeline without the model.

    The same choice :class:`Summarizer` makes for a few-shot base model (the lead's
    sentences, then the first sentence reporting each main voice the lead does not name),
    each copied as the article has it (method ``kept``) with its article span. It is what
    the model's shortening is measured against (``newsbrief eval``).

    Args:
        article: the article.
        quotes: its quotes (``Briefer.quotes``), which pick the voices.
        max_sentences: 1 to 3.
        title: the headline; a sentence equal to it is passed over.

    Raises:
        ValueError: ``max_sentences`` outside 1-3.
    """
    from newsbrief.briefer import _voices

    if not 1 <= max_sentences <= 3:
        raise ValueError("max_sentences must be 1, 2 or 3")
    skip = " ".join(title.split()) if title else None
    lead = [s for s in lead_sentences(article, min(2, max_sentences) + 1) if s != skip]
    lead = lead[: min(2, max_sentences)]
    chosen = list(lead)
    room = max_sentences - len(lead)
    for voice in _unnamed(_voices(article, quotes), " ".join(lead)):
        if len(chosen) - len(lead) >= room:
            break
        unused = [r for r in voice.sentences if r.text not in chosen]
        if unused:
            chosen.append(unused[0].text)
    sentences = []
    for text in chosen:
        span = _locate(article, text)
        sources = [SourceSpan(start=span[0], end=span[1])] if span else []
        sentences.append(SummarySentence(text=text, method="kept", sources=sources))
    return sentences


def _locate(article: str, sentence: str) -> tuple[int, int] | None:
    """Where a whitespace-normalised sentence lies in the article (first occurrence)."""
    pattern = r"\s+".join(re.escape(word) for word in sentence.split())
    match = re.search(pattern, article) if pattern else None
    return (match.start(), match.end()) if match else None
