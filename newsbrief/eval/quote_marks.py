"""The quotes baseline: every span inside quotation marks, said by the nearest preceding name."""

from __future__ import annotations

import re

from newsbrief.eval.baselines import nearest_name_speaker
from newsbrief.eval.quote_metrics import FoundQuote

#: Text between a pair of double quotation marks (straight, curly or angle), on one line.
_QUOTED = re.compile(r'"([^"\n]+)"|“([^”\n]+)”|«([^»\n]+)»')


def quote_mark_baseline(text: str, *, min_words: int = 2) -> list[FoundQuote]:
    """Quotes as a reader skimming for quotation marks would find them.

    Every run of text between double quotation marks on one line with at least
    ``min_words`` words is a direct quote (single words are mostly scare quotes and
    titles); its speaker is :func:`nearest_name_speaker`'s nearest preceding name. Single
    quotation marks are ignored: they double as apostrophes.

    Args:
        text: the article.
        min_words: shortest quote kept, in whitespace-separated words.

    Returns:
        The quotes in text order, spans excluding the marks.
    """
    spans: list[tuple[int, int]] = []
    for match in _QUOTED.finditer(text):
        group = next(g for g in (1, 2, 3) if match.group(g) is not None)
        if len(match.group(group).split()) >= min_words:
            spans.append((match.start(group), match.end(group)))
    found = [FoundQuote(text[s:e], s, e, None) for s, e in spans]
    speakers = nearest_name_speaker(text, found)
    return [
        FoundQuote(q.text, q.start, q.end, speaker)
        for q, speaker in zip(found, speakers, strict=True)
    ]
