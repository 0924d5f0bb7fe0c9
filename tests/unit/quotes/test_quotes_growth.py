"""The quote step's time grows linearly with its input (issue 23, item 4).

Each pattern of ``tests/growth_patterns.py`` (the inputs that once made the rules
quadratic) is run at 1x and 16x: the time may grow at most 25-fold (linear is 16, quadratic
256), and every span stays verbatim. ``benchmarks/bench_quote_growth.py`` measures the
same patterns from 1x to 64x.
"""

from __future__ import annotations

import pytest
from growth_patterns import PATTERNS, best_quote_step_seconds

#: Linear growth from 1x to 16x is 16; the margin absorbs a shared machine's noise.
MAX_RATIO = 25


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_quote_time_grows_linearly(name: str) -> None:
    make = PATTERNS[name]
    small, large = make(1), make(16)
    assert 14 * len(small) <= len(large) <= 18 * len(small)
    # Several short runs at 1x: the best one is the step's own time, not the machine's.
    one = max(best_quote_step_seconds(small, 5), 0.002)
    sixteen = best_quote_step_seconds(large, 2)
    assert sixteen / one <= MAX_RATIO, f"{name}: {one * 1000:.1f} ms -> {sixteen * 1000:.0f} ms"
