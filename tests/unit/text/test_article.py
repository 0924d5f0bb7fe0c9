"""Article preparation: prose without captions, chunks that fit and lose nothing."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsbrief.text.article import caption_lines, chunk_paragraphs, prose_paragraphs


def _words(text: str) -> int:
    return len(text.split())


def test_captions_and_credits_are_not_prose(example_text: str) -> None:
    assert "Press Service of the Presidency of Belarus via AP" in caption_lines(example_text)
    prose = prose_paragraphs(example_text)
    assert prose[0].startswith("The US says it is lifting sanctions")
    assert all("via AP" not in p for p in prose)
    assert all("Press Service" not in p for p in prose)


def test_short_paragraphs_are_grouped_and_long_ones_cut() -> None:
    paragraphs = ["one two", "three four", "five six seven eight nine ten eleven"]
    assert chunk_paragraphs(paragraphs, budget=5, count_tokens=_words) == [
        "one two",  # "one two" + "three four" would need 2 + 1 + 2 + 1 > 5
        "three four",
        "five six seven eight nine",
        "ten eleven",
    ]


@given(
    st.lists(
        st.lists(st.sampled_from(["a", "bb", "ccc", "dd", "e"]), min_size=1, max_size=30).map(
            " ".join
        ),
        min_size=1,
        max_size=12,
    ),
    st.integers(min_value=2, max_value=40),
)
def test_chunks_keep_every_word_in_order_within_budget(paragraphs: list[str], budget: int) -> None:
    chunks = chunk_paragraphs(paragraphs, budget=budget, count_tokens=_words)
    assert " ".join(" ".join(chunks).split()) == " ".join(" ".join(paragraphs).split())
    for chunk in chunks:
        # Each line counts one extra token for its newline.
        assert sum(_words(line) + 1 for line in chunk.split("\n")) <= budget + 1
