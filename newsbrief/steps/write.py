"""The written summary (instruction-tuned and seq2seq models): an event part, then one
sentence per main voice, each written freely, checked and retried with feedback."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from newsbrief.backends.base import Backend, GenerationConfig
from newsbrief.models import SummarySentence
from newsbrief.steps.asking import Answer, ask
from newsbrief.steps.checks import (
    check_names_in_article,
    check_no_copied_lines,
    check_no_repetition,
    check_not_empty,
    check_quotes_are_verbatim,
    check_word_count,
)
from newsbrief.steps.lead import split_sentences
from newsbrief.steps.prompts import PromptStyle, demonstration_answers, load_template
from newsbrief.steps.summary_parts import SummaryResult, Voice, unnamed
from newsbrief.text.article import chunk_paragraphs
from newsbrief.text.document import Document
from newsbrief.text.lexicon import SUMMARY_LINK_WORDS
from newsbrief.text.quotation_marks import DOUBLE_MARKS

logger = logging.getLogger(__name__)

#: Tokens kept free for the template and the answer when an article is chunked.
_PROMPT_OVERHEAD = 400
#: Longest input a chunk gets, whatever the model's context (CPU cost grows fast past it).
MAX_CHUNK_TOKENS = 1536
#: Small models loop ("very, very, very"); a mild penalty keeps them moving.
REPETITION_PENALTY = 1.2
#: What a base model may write with besides its source's tokens (see ``Writer._config``).
_LINK_WORDS = " " + " ".join(SUMMARY_LINK_WORDS)


class Writer:
    """Written summaries with one backend.

    Args:
        backend: the model.
        style: template style (``base``, ``instruct`` or ``t5``).
        max_sentences: 1 to 3; the event part first, the rest report the main voices.
        max_words: longest sentence a summary may have.
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
        self.backend = backend
        self.style = style
        self.max_sentences = max_sentences
        self.max_words = max_words
        self.max_attempts = max_attempts
        self.seed = seed
        self.summary_template = load_template("summary", style)
        self.voice_template = load_template("voice", style)

    def write(
        self, document: Document, voices: Sequence[Voice], captions: list[str]
    ) -> SummaryResult:
        """A summary written freely: the event part, then one sentence per main voice."""
        article = document.text
        result = SummaryResult(text="")
        n_event = min(2, self.max_sentences)
        event = self._summarize_prose(document, captions, result, n_event)
        sentences = [event]
        room = self.max_sentences - len(split_sentences(event))
        for voice in unnamed(voices, event):
            if len(sentences) - 1 >= room:
                break
            sentences.append(self._voice(voice, article, captions, result))
        result.text = " ".join(sentences)
        result.sentences = [
            SummarySentence(text=part, method="generated") for part in split_sentences(result.text)
        ]
        return result

    def _summarize_prose(
        self, document: Document, captions: list[str], result: SummaryResult, n: int
    ) -> str:
        """The event part written freely from the prose (chunked when it is too long)."""
        article = document.text
        paragraphs = list(document.prose_paragraphs) or [article.strip()]
        budget = max(64, min(MAX_CHUNK_TOKENS, self.backend.context_length - _PROMPT_OVERHEAD))
        chunks = chunk_paragraphs(paragraphs, budget=budget, count_tokens=self.backend.count_tokens)
        if len(chunks) == 1:
            return self._event(chunks[0], article, captions, result, n)
        logger.info("article of %d chunks: summarising each, then the parts", len(chunks))
        partial = [self._event(chunk, article, captions, result, n) for chunk in chunks]
        return self._event("\n".join(partial), article, captions, result, n)

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
            _check_written(text, article, captions, examples)
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
        _record(answer, result)
        return answer.value

    def _voice(self, voice: Voice, article: str, captions: list[str], result: SummaryResult) -> str:
        examples = demonstration_answers(self.voice_template, "In one sentence:")
        # The base template ends with the speaker's name: the model continues after it.
        prefix = voice.speaker + " " if self.style == "base" else ""

        def validate(raw: str) -> str:
            text = prefix + _first_sentences(raw, 1)
            check_not_empty(text, min_words=len(prefix.split()) + 2)
            check_word_count(text, low=3, high=self.max_words)
            _check_written(
                text,
                article,
                captions,
                [_after_name(e) for e in examples],
                own_words=text[len(prefix) :],
            )
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
        _record(answer, result)
        return answer.value

    def _config(self, max_new_tokens: int, source: str) -> GenerationConfig:
        """One line of text. Few-shot base models write with the tokens of ``source`` only
        (plus the link words): a small model paraphrasing freely invents names and quotes.
        Instruction-tuned and seq2seq models write freely (the checks still apply)."""
        return GenerationConfig(
            max_new_tokens=max_new_tokens,
            stop=("\n",),
            restrict_to=source + _LINK_WORDS if self.style == "base" else None,
            repetition_penalty=REPETITION_PENALTY,
        )


def _record(answer: Answer[str], result: SummaryResult) -> None:
    if answer.prompt.record not in result.prompts:
        result.prompts.append(answer.prompt.record)
    result.attempts += len(answer.attempts)


def _check_written(
    text: str,
    article: str,
    captions: Sequence[str],
    examples: Sequence[str],
    *,
    own_words: str | None = None,
) -> None:
    """The checks every written summary part passes, in this order (the first failure is
    the feedback of the retry): no repetition, no copied caption, no copied example answer
    (compared on ``own_words``, the part the model wrote: ``text`` by default), no name
    absent from the article, quotes verbatim. Raises ``OutputError``."""
    check_no_repetition(text)
    check_no_copied_lines(text, captions, what="a photo caption or credit")
    check_no_copied_lines(
        text if own_words is None else own_words, examples, what="the example answer"
    )
    check_names_in_article(text, article)
    check_quotes_are_verbatim(text, article)


def _first_sentences(text: str, n: int) -> str:
    return " ".join(split_sentences(text)[:n]).strip()


def _after_name(example: str) -> str:
    """An example voice sentence without its leading name (the part a model would copy)."""
    words = example.split()
    for i, word in enumerate(words):
        if word[:1].islower():
            return " ".join(words[i:])
    return example


def _as_sentence(text: str) -> str:
    text = _balance_quotes(text.strip().strip(DOUBLE_MARKS)).rstrip(" ,;:-–")
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
