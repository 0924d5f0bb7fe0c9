"""The issue step: the story's central contested issue, in a few of the article's words.

The answer is constrained to the opening's tokens, so a model that copies the opening's
first sentence (too long to be an issue) copies it again however it samples. A retry
therefore changes the input: first the headline (the story in a few words), then the
rejected sentence itself, to be cut to its issue; only then the default (feedback,
sampling). An answer already rejected is never accepted (:func:`~newsbrief.steps.asking.ask`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from newsbrief.backends.base import Backend, GenerationConfig
from newsbrief.errors import Attempt, OutputError
from newsbrief.steps.asking import Answer, Retry, RetryChoice, ask
from newsbrief.steps.checks import check_no_repetition, check_word_count, grounded_share
from newsbrief.steps.prompts import (
    PromptStyle,
    PromptTemplate,
    demonstration_answers,
    load_template,
)
from newsbrief.text.article import chunk_paragraphs, headline_of
from newsbrief.text.document import Document, as_document, word_set
from newsbrief.text.quotation_marks import DOUBLE_MARKS

#: Share of an issue's content words that must occur in the article.
MIN_GROUNDED_SHARE = 0.75
#: The issue is read from the lead, where news writing puts it: the first prose paragraphs
#: up to this many words (at least one whole paragraph, cut to the context budget).
LEAD_WORDS = 60
ISSUE_CONTEXT_TOKENS = 768
#: Words an issue may have: a short noun phrase ("tariffs", "lifting sanctions on potash").
ISSUE_WORDS = (1, 12)


def infer_issue(
    backend: Backend,
    style: PromptStyle,
    article: str | Document,
    *,
    max_attempts: int = 3,
    seed: int = 0,
    headline: str | None = None,
) -> Answer[str]:
    """Ask for the central issue; accept :data:`ISSUE_WORDS` (1 to 12) words grounded in the
    article (its text or its parsed :class:`~newsbrief.text.document.Document`) or its
    ``headline`` (the title; else the text's first line when it is a headline), which is
    also what a retry reads first (see the module's docstring)."""
    document = as_document(article)
    template = load_template("issue", style)
    opening = _opening(document, backend)
    title = headline_of(document, headline)
    # The headline's words are the article's own words too.
    vocabulary = document.words | word_set(title) if title else document.words
    config = GenerationConfig(max_new_tokens=24, stop=("\n",), restrict_to=opening)
    return ask(
        backend,
        lambda feedback: template.render(article=opening, feedback=feedback),
        _validator(template, vocabulary),
        # Only the opening's own tokens may be used: the issue is said in its words.
        config=config,
        max_attempts=max_attempts,
        seed=seed,
        what="issue",
        retry=_retry_inputs(template, config, opening, title),
    )


def _opening(document: Document, backend: Backend) -> str:
    """The lead: the first prose paragraphs up to :data:`LEAD_WORDS` words (at least one),
    cut to :data:`ISSUE_CONTEXT_TOKENS`."""
    paragraphs = list(document.prose_paragraphs) or [document.text.strip()]
    lead = [paragraphs[0]]
    for paragraph in paragraphs[1:]:
        if len(" ".join(lead).split()) >= LEAD_WORDS:
            break
        lead.append(paragraph)
    return chunk_paragraphs(lead, budget=ISSUE_CONTEXT_TOKENS, count_tokens=backend.count_tokens)[0]


def _phrase(raw: str) -> str:
    """The answer without its quotation marks and final full stop."""
    return raw.strip().strip(DOUBLE_MARKS + "'.").strip()


def _validator(template: PromptTemplate, vocabulary: frozenset[str]) -> Callable[[str], str]:
    """The issue's checks: its length, no repetition, not an example's answer, grounded."""
    examples = [e.lower() for e in demonstration_answers(template, "Central issue:")]

    def validate(raw: str) -> str:
        phrase = _phrase(raw)
        check_word_count(phrase, low=ISSUE_WORDS[0], high=ISSUE_WORDS[1])
        check_no_repetition(phrase)
        if phrase.lower() in examples:
            raise OutputError("it copies the example answer", raw_output=raw)
        share = grounded_share(phrase, vocabulary)
        if share < MIN_GROUNDED_SHARE:
            raise OutputError(
                f"only {share:.0%} of its words occur in the article; use the article's words",
                raw_output=raw,
            )
        return phrase

    return validate


def _retry_inputs(
    template: PromptTemplate, config: GenerationConfig, opening: str, headline: str | None
) -> RetryChoice:
    """Each retry reads another text, greedily, in its own tokens: the headline, then the
    first answer rejected as too long (a copied sentence, to be cut to its issue); when
    none is left, the default retry."""

    def choose(attempts: Sequence[Attempt]) -> Retry | None:
        inputs = [opening]
        if headline:
            inputs.append(headline)
        too_long = [
            _phrase(a.raw_output)
            for a in attempts
            if len(_phrase(a.raw_output).split()) > ISSUE_WORDS[1]
        ]
        if too_long:
            inputs.append(too_long[0])
        inputs = list(dict.fromkeys(inputs))
        if len(attempts) >= len(inputs):
            return None
        text = inputs[len(attempts)]
        prompt = template.render(article=text, feedback=attempts[-1].error)
        return Retry(prompt, replace(config, restrict_to=text))

    return choose
