"""Tests for the Unicode-aware ROUGE tokenizer."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st
from rouge_score import tokenize as rouge_tokenize

from newsbrief.eval.tokenize import tokenize


def test_lowercases_and_splits_on_punctuation() -> None:
    assert tokenize("The U.S. lifted sanctions, didn't it?") == [
        "the", "u", "s", "lifted", "sanctions", "didn", "t", "it",
    ]  # fmt: skip


def test_underscore_and_symbols_separate_tokens() -> None:
    assert tokenize("snake_case 9.5% +3") == ["snake", "case", "9", "5", "3"]


def test_empty_and_punctuation_only() -> None:
    assert tokenize("") == []
    assert tokenize(" ... !?; — “ ” ") == []


def test_other_scripts_are_kept_whole() -> None:
    assert tokenize("Привет, МИР! Ελληνικά κείμενα") == ["привет", "мир", "ελληνικά", "κείμενα"]
    # Devanagari vowel signs and viramas are combining marks: they stay inside the word.
    assert tokenize("हिन्दी भाषा") == ["हिन्दी", "भाषा"]


def test_composed_and_decomposed_accents_agree() -> None:
    assert tokenize("Cafe\u0301") == tokenize("Café") == ["café"]


@given(st.text(alphabet=string.printable, max_size=80))
def test_equals_rouge_score_tokenizer_on_ascii(text: str) -> None:
    assert tokenize(text) == rouge_tokenize.tokenize(text, None)
