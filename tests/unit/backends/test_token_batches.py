"""``token_batches``: the batches ``HFBackend.embed`` runs, by hand-checkable lengths."""

from __future__ import annotations

from newsbrief.backends.hf_embed import token_batches


def test_batches_stay_within_the_padded_token_budget() -> None:
    lengths = [10, 10, 10, 10, 10]
    # Five prompts of 10 tokens, 25 tokens a batch: two fit (20), a third would make 30.
    assert token_batches(lengths, 25) == [[0, 1], [2, 3], [4]]
    assert token_batches(lengths, 50) == [[0, 1, 2, 3, 4]]


def test_a_prompt_over_the_budget_is_a_batch_of_its_own() -> None:
    assert token_batches([100, 4], 30) == [[1], [0]]


def test_batches_never_mix_far_apart_lengths_and_keep_every_index_once() -> None:
    lengths = [3, 50, 4, 48, 3]
    batches = token_batches(lengths, 1024)
    assert sorted(i for batch in batches for i in batch) == [0, 1, 2, 3, 4]
    assert [sorted(lengths[i] for i in batch) for batch in batches] == [[3, 3, 4], [48, 50]]
