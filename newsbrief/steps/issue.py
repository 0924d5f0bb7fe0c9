"""The issue step: the story's central contested issue, in a few of the article's words."""

from __future__ import annotations

from newsbrief.backends.base import Backend, GenerationConfig
from newsbrief.errors import OutputError
from newsbrief.steps.asking import Answer, ask
from newsbrief.steps.checks import check_no_repetition, check_word_count, grounded_share
from newsbrief.steps.prompts import PromptStyle, demonstration_answers, load_template
from newsbrief.text.article import chunk_paragraphs
from newsbrief.text.document import Document, as_document
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
) -> Answer[str]:
    """Ask for the central issue; accept :data:`ISSUE_WORDS` (1 to 12) words grounded in the
    article (its text or its parsed :class:`~newsbrief.text.document.Document`)."""
    document = as_document(article)
    template = load_template("issue", style)
    examples = [e.lower() for e in demonstration_answers(template, "Central issue:")]
    paragraphs = list(document.prose_paragraphs) or [document.text.strip()]
    lead = [paragraphs[0]]
    for paragraph in paragraphs[1:]:
        if len(" ".join(lead).split()) >= LEAD_WORDS:
            break
        lead.append(paragraph)
    opening = chunk_paragraphs(
        lead, budget=ISSUE_CONTEXT_TOKENS, count_tokens=backend.count_tokens
    )[0]

    def validate(raw: str) -> str:
        phrase = raw.strip().strip(DOUBLE_MARKS + "'.").strip()
        check_word_count(phrase, low=ISSUE_WORDS[0], high=ISSUE_WORDS[1])
        check_no_repetition(phrase)
        if phrase.lower() in examples:
            raise OutputError("it copies the example answer", raw_output=raw)
        share = grounded_share(phrase, document)
        if share < MIN_GROUNDED_SHARE:
            raise OutputError(
                f"only {share:.0%} of its words occur in the article; use the article's words",
                raw_output=raw,
            )
        return phrase

    return ask(
        backend,
        lambda feedback: template.render(article=opening, feedback=feedback),
        validate,
        # Only the opening's own tokens may be used: the issue is said in its words.
        config=GenerationConfig(max_new_tokens=24, stop=("\n",), restrict_to=opening),
        max_attempts=max_attempts,
        seed=seed,
        what="issue",
    )
