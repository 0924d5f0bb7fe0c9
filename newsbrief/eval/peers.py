"""Quote extractors of other libraries run as peer baselines, where they are installed.

``textacy``'s ``direct_quotations`` (rules over a spaCy parse) is the usual open-source
peer of a rule-based quote finder. It is optional: it needs ``textacy`` and a spaCy English
pipeline (``en_core_web_sm``); without them no peer system runs and the report says so by
leaving it out.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from newsbrief.eval.quote_metrics import FoundQuote

logger = logging.getLogger(__name__)

TEXTACY_SYSTEM = "textacy-direct-quotations"
_MARKS = "\"'“”‘’«»"


@lru_cache(maxsize=1)
def peer_quote_finders() -> dict[str, Callable[[str], list[Any]]]:
    """Name to quote finder of each peer that can run here (``{}`` when none can)."""
    try:
        spacy = importlib.import_module("spacy")
        direct_quotations = importlib.import_module("textacy.extract.triples").direct_quotations
    except ImportError:
        logger.info("textacy is not installed: no peer quote baseline")
        return {}
    try:
        nlp = spacy.load("en_core_web_sm")
    except OSError:
        logger.info("spaCy's en_core_web_sm is not installed: no textacy quote baseline")
        return {}

    def textacy_quotes(text: str) -> list[Any]:
        found: list[Any] = []
        try:
            triples = list(direct_quotations(nlp(text)))
        except ValueError as exc:  # it refuses texts with an unpaired quotation mark
            logger.info("textacy found no quotes: %s", exc)
            return found
        for triple in triples:
            start, end = triple.content.start_char, triple.content.end_char
            while start < end and text[start] in _MARKS:
                start += 1
            while end > start and text[end - 1] in _MARKS:
                end -= 1
            if start >= end:
                continue
            speaker = " ".join(token.text for token in triple.speaker) or None
            found.append(FoundQuote(text[start:end], start, end, speaker))
        return found

    return {TEXTACY_SYSTEM: textacy_quotes}
