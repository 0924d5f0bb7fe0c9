"""Grouping option positions for batched scoring (no model needed)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsbrief.backends.hf_model import length_groups
from newsbrief.backends.hf_score import _position_groups


@given(
    st.lists(st.integers(min_value=1, max_value=30), max_size=40),
    st.integers(1, 80),
    st.integers(1, 12),
)
def test_groups_keep_order_and_fit_the_budget(sizes: list[int], budget: int, rows: int) -> None:
    items = [(i, 0) for i in range(len(sizes))]
    groups = _position_groups(items, sizes, budget, rows)
    assert [item for group in groups for item in group] == items
    for group in groups:
        assert group
        assert len(group) <= rows
        padded = len(group) * max(sizes[i] for i, _ in group)
        assert padded <= budget or len(group) == 1


def test_small_options_share_a_pass() -> None:
    items = [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert _position_groups(items, [3, 3, 3, 3], 12, 8) == [items]
    assert _position_groups(items, [3, 3, 3, 3], 6, 8) == [items[:2], items[2:]]


def test_option_rows_are_bounded_by_the_cache_they_copy() -> None:
    """Each option row copies its prompt's KV cache: a long prompt's options run a few
    rows at a time however short they are (23 rows at once raised the peak by 180 MB)."""
    items = [(0, o) for o in range(5)]
    assert _position_groups(items, [1] * 5, 512, 2) == [items[:2], items[2:4], items[4:]]


@given(
    st.lists(st.integers(min_value=1, max_value=600), max_size=30),
    st.one_of(st.none(), st.integers(1, 2000)),
)
def test_length_groups_cover_every_prompt_once_and_bound_padding(
    lengths: list[int], most: int | None
) -> None:
    groups = length_groups(lengths, max_positions=most)
    assert sorted(i for group in groups for i in group) == list(range(len(lengths)))
    for group in groups:
        padded = len(group) * max(lengths[i] for i in group)
        assert padded <= 1.25 * sum(lengths[i] for i in group) + 1e-9 or len(group) == 1
        assert most is None or padded <= most or len(group) == 1


def test_short_blank_prompts_batch_apart_from_a_long_one() -> None:
    assert length_groups([80, 16, 14, 60, 18, 15]) == [[2, 5, 1, 4], [3, 0]]
    assert length_groups([100, 16, 14]) == [[2, 1], [0]]


def test_many_short_prompts_split_at_the_position_bound() -> None:
    assert length_groups([10] * 6) == [list(range(6))]
    assert length_groups([10] * 6, max_positions=20) == [[0, 1], [2, 3], [4, 5]]
