"""Quotation-mark spans: mark kinds, apostrophes, nesting, multi-paragraph and broken marks."""

from __future__ import annotations

from newsbrief.quotes.spans import find_marked_spans
from newsbrief.text.document import Document


def inner_texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find_marked_spans(Document.parse(text))]


def test_straight_double_quotes() -> None:
    assert inner_texts('He said "we will win" and left.') == ["we will win"]


def test_curly_double_quotes() -> None:
    assert inner_texts("She said “we will win” today.") == ["we will win"]


def test_single_curly_quotes() -> None:
    assert inner_texts("She said ‘we will win’ today.") == ["we will win"]


def test_single_straight_quotes() -> None:
    assert inner_texts("She said 'we will win' today.") == ["we will win"]


def test_angle_quotes() -> None:
    assert inner_texts("Il a dit «nous gagnerons» hier.") == ["nous gagnerons"]


def test_apostrophes_are_not_quote_marks() -> None:
    text = "Trump's plan won't work, the voters' choice in the '90s shows, he said."
    assert inner_texts(text) == []


def test_curly_apostrophes_inside_a_quote_do_not_close_it() -> None:
    text = "“Let’s not be naive: Russia’s war goes on,” she said."
    assert inner_texts(text) == ["Let’s not be naive: Russia’s war goes on,"]


def test_nested_single_quote_stays_inside_the_outer_quote() -> None:
    text = "“They told us ‘go home’ and we did,” he said."
    assert inner_texts(text) == ["They told us ‘go home’ and we did,"]


def test_nested_straight_single_quote_inside_straight_double() -> None:
    text = "\"Women said, 'It's time', and we listened,\" she said."
    assert inner_texts(text) == ["Women said, 'It's time', and we listened,"]


def test_multi_paragraph_quote_is_one_span() -> None:
    text = "“First paragraph of the speech.\n\n“Second paragraph ends it.”\n\nAfter."
    spans = find_marked_spans(Document.parse(text))
    assert len(spans) == 1
    assert text[spans[0].start : spans[0].end] == (
        "First paragraph of the speech.\n\n“Second paragraph ends it."
    )


def test_unclosed_quote_is_dropped_at_the_paragraph_end() -> None:
    text = "He said “this never closes.\n\nA new paragraph says “this does” fine."
    assert inner_texts(text) == ["this does"]


def test_stray_closing_mark_is_ignored() -> None:
    assert inner_texts("Nothing opens here” but “this” is fine.") == ["this"]


def test_whitespace_inside_marks_is_trimmed() -> None:
    assert inner_texts('He said " spaced out " there.') == ["spaced out"]
