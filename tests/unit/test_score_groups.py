"""Grouping option positions for batched scoring (no model needed)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsbrief.backends.hf import _position_groups


@given(st.lists(st.integers(min_value=1, max_value=30), max_size=40), st.integers(1, 80))
def test_groups_keep_order_and_fit_the_budget(sizes: list[int], budget: int) -> None:
    items = [(i, 0) for i in range(len(sizes))]
    groups = _position_groups(items, sizes, budget)
    assert [item for group in groups for item in group] == items
    for group in groups:
        assert group
        padded = len(group) * max(sizes[i] for i, _ in group)
        assert padded <= budget or len(group) == 1


def test_small_options_share_a_pass() -> None:
    items = [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert _position_groups(items, [3, 3, 3, 3], 12) == [items]
    assert _position_groups(items, [3, 3, 3, 3], 6) == [items[:2], items[2:]]
