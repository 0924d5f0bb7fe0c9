"""Answer checks: each rejects what it should and passes ordinary news prose."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsbrief.errors import OutputError
from newsbrief.steps.checks import (
    check_names_in_article,
    check_no_copied_lines,
    check_no_repetition,
    check_not_empty,
    check_quotes_are_verbatim,
    check_word_count,
    grounded_share,
    unknown_names,
    word_out_of_order,
)

ARTICLE = (
    "US Special Envoy John Coale met Alexander Lukashenko in Minsk. The Belarusian "
    "opposition leader Sviatlana Tsikhanouskaya's team said the US is lifting sanctions."
)


def test_names_absent_from_the_article_are_found() -> None:
    assert unknown_names("Vladimir Putin met John Coale in Minsk.", ARTICLE) == [
        "Vladimir",
        "Putin",
    ]


def test_case_possessives_and_derived_forms_are_forgiven() -> None:
    text = "Tsikhanouskaya’s allies said Coale's talks in MINSK helped Belarus and the Belarusians."
    # "Belarus" is grounded by "Belarusian" (shared long prefix); MINSK by case.
    assert unknown_names(text, ARTICLE) == []
    with pytest.raises(OutputError, match="Putin"):
        check_names_in_article("The Kremlin and Putin agreed.", ARTICLE)


def test_sentence_initial_function_words_are_not_names() -> None:
    assert (
        unknown_names("However, the talks in Minsk went on. After that, Coale left.", ARTICLE) == []
    )


def test_repetition() -> None:
    check_no_repetition("The envoy said the talks were productive and would continue.")
    with pytest.raises(OutputError, match="again and again"):
        check_no_repetition("the the the the end")
    with pytest.raises(OutputError, match="3 times"):
        check_no_repetition("stop the war and stop the war and stop the war now")


def test_empty_and_word_count() -> None:
    with pytest.raises(OutputError, match="0 words"):
        check_not_empty("  ")
    check_word_count("one two three", low=2, high=3)
    with pytest.raises(OutputError, match="between 2 and 3"):
        check_word_count("one two three four", low=2, high=3)


def test_copied_lines() -> None:
    caption = "Press Service of the Presidency of Belarus via AP"
    with pytest.raises(OutputError, match="caption"):
        check_no_copied_lines(
            "Talks went on. Press Service of the Presidency  of Belarus via AP",
            [caption],
            what="a photo caption",
        )
    check_no_copied_lines("Talks went on.", [caption, "AP"], what="a photo caption")


def test_grounded_share() -> None:
    assert grounded_share("lifting US sanctions on Belarus", ARTICLE) == 1.0
    assert grounded_share("banning plastic bags", ARTICLE) == 0.0
    assert grounded_share("sanctions on whales", ARTICLE) == 0.5
    assert grounded_share("of the", ARTICLE) == 0.0


def test_quoted_words_must_be_in_the_article() -> None:
    article = 'Coale described the talks as “very productive”. He said "our goal" is normal ties.'
    check_quotes_are_verbatim("Coale called the talks “very productive”.", article)
    check_quotes_are_verbatim('Coale said "our goal," was normal ties.', article)
    with pytest.raises(OutputError, match="very confident"):
        check_quotes_are_verbatim("Coale said he was “very confident” of a deal.", article)
    with pytest.raises(OutputError, match="goa"):  # a piece of a word is not a quote
        check_quotes_are_verbatim("Coale named a “goa” for the talks.", article)


def test_words_in_order_accepts_deletions_only() -> None:
    source = "The city council of Riverton voted on Monday to close the old bridge."
    assert word_out_of_order("the council voted to close the bridge.", source) is None
    assert word_out_of_order("The council voted to close the new bridge.", source) == "new"
    assert word_out_of_order("The bridge voted to close.", source) == "voted"


@given(
    st.lists(
        st.sampled_from(["the", "council", "of", "Riverton", "voted", "to", "close", "bridge"]),
        max_size=12,
    ),
    st.data(),
)
def test_any_subsequence_of_the_words_passes(words: list[str], data: st.DataObject) -> None:
    keep = data.draw(st.lists(st.booleans(), min_size=len(words), max_size=len(words)))
    answer = " ".join(w for w, k in zip(words, keep, strict=True) if k)
    assert word_out_of_order(answer, " ".join(words)) is None
