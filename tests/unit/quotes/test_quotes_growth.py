"""The quote step's time grows linearly with its input (issue 23, item 4).

Each pattern of ``tests/growth_patterns.py`` (the inputs that once made the rules
quadratic) is run at 1x and 16x: the time may grow at most 25/16 times as fast as the text
(linear is 1, quadratic 16; a pattern whose names lengthen with their count is about 17x
the characters at 16x, so the bound follows the characters, not the factor), and every
span stays verbatim. ``benchmarks/bench_quote_growth.py`` measures the
same patterns from 1x to 64x.
"""

from __future__ import annotations

import pytest
from growth_patterns import PATTERNS, best_quote_step_seconds

#: Linear growth from 1x to 16x is 16; the margin absorbs a shared machine's noise.
MAX_RATIO = 25
FACTOR = 16


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_quote_time_grows_linearly(name: str) -> None:
    make = PATTERNS[name]
    small, large = make(1), make(FACTOR)
    assert 14 * len(small) <= len(large) <= 18 * len(small)
    longer = len(large) / len(small)
    # Several short runs at 1x: the best one is the step's own time, not the machine's.
    one = max(best_quote_step_seconds(small, 5), 0.002)
    sixteen = best_quote_step_seconds(large, 2)
    allowed = MAX_RATIO / FACTOR * longer
    assert sixteen / one <= allowed, (
        f"{name}: {one * 1000:.1f} ms -> {sixteen * 1000:.0f} ms for {longer:.1f}x the text"
        f" (at most {allowed:.1f}x)"
    )
