"""The quote step's time grows linearly with its input (issue 23, item 4).

Each pattern of ``tests/growth_patterns.py`` (the inputs that once made the rules
quadratic) is run at 1x and 16x: the time may grow at most 25-fold (linear is 16, quadratic
256), and every span stays verbatim. ``benchmarks/bench_quote_growth.py`` measures the
same patterns from 1x to 64x.
"""

from __future__ import annotations

import gc
import time

import pytest
from growth_patterns import PATTERNS

from newsbrief.quotes import find_quotes
from newsbrief.text.document import Document

#: Linear growth from 1x to 16x is 16; the margin absorbs a shared machine's noise.
MAX_RATIO = 25


def _best_seconds(text: str, repeats: int) -> float:
    """The best CPU time of the quote step over ``repeats`` runs: CPU time, which a shared
    machine's load does not inflate, with the garbage collector held (its passes come at
    moments that depend on the whole test session, not on the step)."""
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


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_quote_time_grows_linearly(name: str) -> None:
    make = PATTERNS[name]
    small, large = make(1), make(16)
    assert 14 * len(small) <= len(large) <= 18 * len(small)
    # Several short runs at 1x: the best one is the step's own time, not the machine's.
    one = max(_best_seconds(small, 5), 0.002)
    sixteen = _best_seconds(large, 2)
    assert sixteen / one <= MAX_RATIO, f"{name}: {one * 1000:.1f} ms -> {sixteen * 1000:.0f} ms"
