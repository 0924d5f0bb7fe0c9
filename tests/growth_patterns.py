"""Texts that grow with a factor, for the quote step's growth benchmark and test (issue 23).

Each pattern is a function ``n -> text`` whose length grows linearly with ``n``; the
benchmark (``bench_quote_growth.py``) times the quote step on ``n = 1..64`` and the unit
suite (``tests/unit/quotes/test_quotes_growth.py``) on ``n = 1`` and ``16``. They are the
inputs that once made the rules quadratic: repeated cues, unbalanced and nested quotation
marks, paragraphs without a break, Title Case and capitalised runs, many distinct names,
and ordinary news concatenated.
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable
from pathlib import Path

_GOLD = Path(__file__).resolve().parents[1] / "evals" / "gold" / "wikinews_politics.jsonl"
_SYLLABLES = ["ka", "lo", "mi", "ren", "to", "sa", "vi", "dor", "ne", "pa", "lu", "ber"]


def _news(count: int) -> str:
    """The first ``count`` gold articles (cycled), as one text with paragraph breaks."""
    with _GOLD.open(encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for line in lines if line.strip()][:6]
    return "\n\n".join(texts[i % len(texts)] for i in range(count))


def _name(i: int) -> str:
    """A distinct made-up "First Last" for each ``i`` (for many names that never merge)."""
    digits = []
    while True:
        i, r = divmod(i, len(_SYLLABLES))
        digits.append(_SYLLABLES[r])
        if i == 0:
            break
    last = "".join(digits).capitalize()
    return f"{_SYLLABLES[len(digits) % len(_SYLLABLES)].capitalize()}na {last}son"


def _distinct_names(n: int) -> str:
    return " ".join(
        f"{_name(i)} said the plan would work. “We will see,” {_name(i).split()[1]} added."
        for i in range(40 * n)
    )


#: name -> text at factor n (about 2-5 kB at n = 1).
PATTERNS: dict[str, Callable[[int], str]] = {
    "open quote marks": lambda n: '"we will win, ' * (150 * n),
    "said repeated": lambda n: "said " * (400 * n),
    "according to repeated": lambda n: "according to " * (160 * n),
    "unpunctuated transcript": lambda n: (
        (
            "and then he said we will fight on and she told reporters that the plan works "
            "and Smith said no because they want more money for the schools "
        )
        * (15 * n)
    ),
    "Title Case text": lambda n: (
        "The Minister Said That The Plan Would Work For Everyone Here " * (35 * n)
    ),
    "capitalised run": lambda n: "Maria Lopez Tom Grey John Coale Ana Smith " * (50 * n),
    "balanced quotes": lambda n: '"We will win," said Maria Lopez. ' * (60 * n),
    "unbalanced marks": lambda n: "“ we ‘ win ” « said » ' Lopez ’ “ " * (60 * n),
    "quotes three deep": lambda n: (
        "\"She said 'he told me “no” twice' again,\" said Tom Grey. " * (35 * n)
    ),
    "many distinct names": _distinct_names,
    "news concatenated": lambda n: _news(n),
    "news as one paragraph": lambda n: " ".join(_news(n).split()),
}


def best_quote_step_seconds(text: str, repeats: int) -> float:
    """The best CPU time of the quote step (``Document.parse`` and ``find_quotes``) on
    ``text`` over ``repeats`` runs: CPU time, which a shared machine's load does not inflate,
    with the garbage collector held (its passes come at moments that depend on the whole
    session, not on the step). Every quote span is checked verbatim, every speaker span in
    bounds."""
    from newsbrief.quotes import find_quotes
    from newsbrief.text.document import Document

    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            started = time.process_time()
            quotes = find_quotes(Document.parse(text))
            best = min(best, time.process_time() - started)
        finally:
            gc.enable()
        for quote in quotes:
            assert text[quote.start : quote.end] == quote.text
            if quote.speaker_start is not None and quote.speaker_end is not None:
                assert 0 <= quote.speaker_start < quote.speaker_end <= len(text)
    return best
