"""The summary step: one of two strategies, chosen by the model.

With a few-shot base model (the embedded default) the summary is compressive
(:mod:`newsbrief.steps.compress`): the article's lead and main voice sentences, each kept
whole or shortened by deletion where the model finds the shorter version fluent, so a
summary names only what its sentences name. Instruction-tuned and seq2seq models write it
(:mod:`newsbrief.steps.write`): an event part, then one sentence per main voice, checked
and retried with feedback. :func:`model_free_summary` is the compressive pipeline with the
model removed (sentences kept whole), the baseline the model must beat.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsbrief.backends.base import Backend
from newsbrief.errors import OutputError
from newsbrief.models import Quote, SummarySentence
from newsbrief.steps.compress import WEIGHTS, CompressionWeights, Compressor, plan_sentences
from newsbrief.steps.prompts import PromptStyle
from newsbrief.steps.summary_parts import (
    SummaryResult,
    Voice,
    check_summary_sentences,
    voices_of,
)
from newsbrief.steps.write import Writer
from newsbrief.text.article import headline_of
from newsbrief.text.document import Document, as_document

__all__ = ["Summarizer", "SummaryResult", "Voice", "model_free_summary", "voices_of"]


class Summarizer:
    """Writes 1-3 sentence summaries with one backend.

    Args:
        backend: the model (``None``: the compressive pipeline keeps every sentence whole).
        style: template style (``base``, ``instruct`` or ``t5``); ``base`` compresses,
            the others write.
        max_sentences: 1 to 3; the lead first, the rest report the main voices.
        max_words: longest sentence a written summary may have.
        max_attempts: attempts per written part before ``RetryExhaustedError``.
        seed: base seed for retries.
        weights: how a compressive summary weighs its choice.
    """

    def __init__(
        self,
        backend: Backend | None,
        style: PromptStyle,
        *,
        max_sentences: int = 3,
        max_words: int = 60,
        max_attempts: int = 3,
        seed: int = 0,
        weights: CompressionWeights = WEIGHTS,
    ) -> None:
        check_summary_sentences(max_sentences, name="max_sentences")
        self.backend = backend
        self.style = style
        self.max_sentences = max_sentences
        self._compressor: Compressor | None = None
        self._writer: Writer | None = None
        if style == "base" or backend is None:
            self._compressor = Compressor(
                backend, style, max_sentences=max_sentences, weights=weights
            )
        if backend is not None:
            self._writer = Writer(
                backend,
                style,
                max_sentences=max_sentences,
                max_words=max_words,
                max_attempts=max_attempts,
                seed=seed,
            )

    def summarize(
        self, article: str | Document, voices: Sequence[Voice] = (), *, title: str | None = None
    ) -> SummaryResult:
        """Summarise ``article`` (text or its parsed Document); ``voices`` (most important
        first) add speaker sentences and ``title`` (or a headline on the article's first
        line) guides the shortening."""
        document = as_document(article)
        headline = headline_of(document, title)
        # The headline line is a title, not a caption: a lead may repeat its words.
        titles = {headline, document.headline}
        captions = [c for c in document.caption_lines if " ".join(c.split()) not in titles]
        if self._compressor is not None:
            planned = plan_sentences(document, voices, self.max_sentences)
            if planned:
                return self._compressor.compress(document, planned, captions, headline)
        if self._writer is None:
            raise ValueError("the article has no prose sentence to summarise without a model")
        return self._writer.write(document, voices, captions)


def model_free_summary(
    article: str | Document,
    quotes: Sequence[Quote],
    *,
    max_sentences: int = 3,
    title: str | None = None,
    weights: CompressionWeights = WEIGHTS,
) -> list[SummarySentence]:
    """The base-model summary pipeline with the model removed: the same sentences chosen
    for the same length target, every one kept whole (the baseline the model must beat).
    An article without a prose sentence, or none that passes the summary checks, gives an
    empty list (a baseline has no retries to report)."""
    summarizer = Summarizer(None, "base", max_sentences=max_sentences, weights=weights)
    document = as_document(article)
    voices = voices_of(document, quotes)
    if not plan_sentences(document, voices, max_sentences):
        return []  # no prose sentence: nothing to keep
    try:
        return summarizer.summarize(document, voices, title=title).sentences
    except OutputError:
        return []  # every planned sentence failed a faithfulness check
