"""The summary step: an event sentence plus the main voices, each validated and retried.

A summary is built from parts a small model can do well: one sentence on what happened
(from the article's prose; long articles are chunked and the partial sentences summarised
again) and one sentence per main speaker from that speaker's own quotes. Every part must
name only what the article names, not repeat itself, and copy neither a caption nor a
demonstration answer; a rejected part is retried with feedback and a new seed.
"""

from __future__ import annotations

import logging
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
)
from newsbrief.models import PromptRecord
from newsbrief.prompts import PromptStyle, demonstration_answers, load_template

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
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


@dataclass(frozen=True)
class Voice:
    """A speaker and their own quoted words, for one summary sentence."""

    speaker: str
    quotes: tuple[str, ...]


@dataclass
class SummaryResult:
    """The summary, the prompts that made it and how many attempts each part needed."""

    text: str
    prompts: list[PromptRecord] = field(default_factory=list)
    attempts: int = 0


class Summarizer:
    """Writes 1-3 sentence summaries with one backend.

    Args:
        backend: the model.
        style: template style (``base``, ``instruct`` or ``t5``).
        max_sentences: 1 to 3; sentences after the first report the main voices.
        max_words: longest event sentence accepted.
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

    def summarize(self, article: str, voices: Sequence[Voice] = ()) -> SummaryResult:
        """Summarise ``article``; ``voices`` (most important first) add speaker sentences."""
        result = SummaryResult(text="")
        paragraphs = prose_paragraphs(article) or [article.strip()]
        captions = caption_lines(article)
        budget = max(64, min(MAX_CHUNK_TOKENS, self.backend.context_length - _PROMPT_OVERHEAD))
        chunks = chunk_paragraphs(paragraphs, budget=budget, count_tokens=self.backend.count_tokens)
        if len(chunks) > 1:
            logger.info("article of %d chunks: summarising each, then the parts", len(chunks))
            partial = [self._event(chunk, article, captions, result) for chunk in chunks]
            event = self._event("\n".join(partial), article, captions, result)
        else:
            event = self._event(chunks[0], article, captions, result)
        sentences = [event]
        for voice in voices[: self.max_sentences - 1]:
            sentences.append(self._voice(voice, article, captions, result))
        result.text = " ".join(sentences)
        return result

    def _event(self, source: str, article: str, captions: list[str], result: SummaryResult) -> str:
        examples = demonstration_answers(self.summary_template, "Summary:")

        def validate(raw: str) -> str:
            text = _first_sentences(raw, 2)
            check_not_empty(text)
            check_word_count(text, low=4, high=self.max_words)
            check_no_repetition(text)
            check_no_copied_lines(text, captions, what="a photo caption or credit")
            check_no_copied_lines(text, examples, what="the example answer")
            check_names_in_article(text, article)
            check_quotes_are_verbatim(text, article)
            return _as_sentence(text)

        answer = ask(
            self.backend,
            lambda feedback: self.summary_template.render(
                article=source, feedback=feedback, max_words=self.max_words
            ),
            validate,
            config=self._config(96, article),
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
    parts = _SENTENCE_END.split(" ".join(text.split()))
    return " ".join(parts[:n]).strip()


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
