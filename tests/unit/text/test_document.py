"""The article parsed once: the Document, and that a brief parses its article only once."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import CodeType, FrameType
from typing import Any

import pytest
from sentence_cases import BOUNDARY_CASES

from newsbrief import Briefer
from newsbrief.text import layout, sentences
from newsbrief.text.document import Document, as_document
from newsbrief.text.sentences import split_sentences
from tests.unit.test_briefer import _scripted

ARTICLE = (
    "Potash talks resume in Minsk\n"
    "\n"
    "The U.S. Some analysts expect prices to rise. John Coale met Mr. Lukashenko on Friday.\n"
    "Press Service of the Presidency of Belarus via AP\n"
    '  "We are lifting the sanctions," Coale said.  \n'
)


def test_parse_finds_paragraphs_prose_and_sentences_with_offsets() -> None:
    doc = Document.parse(ARTICLE)
    assert [ARTICLE[p.start : p.end] for p in doc.paragraphs] == [
        "Potash talks resume in Minsk",
        "The U.S. Some analysts expect prices to rise. John Coale met Mr. Lukashenko on Friday.",
        "Press Service of the Presidency of Belarus via AP",
        '"We are lifting the sanctions," Coale said.',
    ]
    assert doc.prose == (False, True, False, True)
    assert doc.paragraph_starts == tuple(p.start for p in doc.paragraphs)
    assert [doc.normalized(s) for s in doc.sentences] == [
        "Potash talks resume in Minsk",
        "The U.S.",
        "Some analysts expect prices to rise.",
        "John Coale met Mr. Lukashenko on Friday.",
        "Press Service of the Presidency of Belarus via AP",
        '"We are lifting the sanctions," Coale said.',
    ]
    assert [doc.normalized(s) for s in doc.prose_sentences] == [
        "The U.S.",
        "Some analysts expect prices to rise.",
        "John Coale met Mr. Lukashenko on Friday.",
        '"We are lifting the sanctions," Coale said.',
    ]
    assert doc.sentence_starts == tuple(s.start for s in doc.sentences)
    assert doc.headline == "Potash talks resume in Minsk"
    assert doc.caption_lines == (
        "Potash talks resume in Minsk",
        "Press Service of the Presidency of Belarus via AP",
    )
    assert doc.prose_paragraphs[1] == '"We are lifting the sanctions," Coale said.'
    position = ARTICLE.index("Coale met")
    bounds = doc.sentence_bounds(position)
    assert ARTICLE[bounds.start : bounds.end] == "John Coale met Mr. Lukashenko on Friday."
    assert doc.paragraph_index(position) == 1


def test_words_and_folded_text_are_the_articles() -> None:
    doc = Document.parse("Coale’s deal. Belarus  LIFTS\nsanctions")
    assert {"coale’s", "belarus", "lifts", "sanctions", "deal"} == doc.words
    assert "coale" in doc.bare_words and "coale" not in doc.words
    assert doc.folded == "coale’s deal. belarus lifts sanctions"


def test_as_document_parses_text_once_and_passes_a_document_through() -> None:
    doc = Document.parse(ARTICLE)
    assert as_document(doc) is doc
    assert as_document(ARTICLE).sentences == doc.sentences
    with pytest.raises(TypeError, match="string"):
        Document.parse(b"bytes")  # type: ignore[arg-type]


def test_a_document_is_frozen() -> None:
    doc = Document.parse(ARTICLE)
    with pytest.raises(AttributeError):
        doc.text = "other"  # type: ignore[misc]


@pytest.mark.parametrize(("text", "expected"), BOUNDARY_CASES)
def test_document_and_split_sentences_agree_on_the_boundary_cases(
    text: str, expected: list[str]
) -> None:
    doc = Document.parse(text)
    assert [doc.normalized(s) for s in doc.sentences] == split_sentences(text)


# -- parsing once per brief --------------------------------------------------------------

_COUNTED: dict[CodeType, str] = {
    Document.parse.__func__.__code__: "Document.parse",  # type: ignore[attr-defined]
    layout.find_paragraphs.__code__: "find_paragraphs",
    layout.is_prose.__code__: "is_prose",
    sentences.find_sentence_starts.__code__: "find_sentence_starts",
}


@contextmanager
def _count_parser_calls() -> Iterator[tuple[Counter[str], Counter[tuple[str, str]], list[Any]]]:
    """Count calls of the parsers (however they were imported) and who called them."""
    calls: Counter[str] = Counter()
    callers: Counter[tuple[str, str]] = Counter()
    parsed: list[Any] = []

    def profile(frame: FrameType, event: str, arg: object) -> None:
        name = _COUNTED.get(frame.f_code) if event == "call" else None
        if name is None:
            return
        calls[name] += 1
        caller = frame.f_back.f_code.co_qualname if frame.f_back else "?"
        callers[(name, caller)] += 1
        if name == "Document.parse":
            parsed.append(frame.f_locals.get("text"))

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        yield calls, callers, parsed
    finally:
        sys.setprofile(previous)


def _only_inside_document(callers: Counter[tuple[str, str]]) -> None:
    for (name, caller), _ in callers.items():
        if name != "Document.parse":
            assert caller.startswith("Document.parse"), f"{name} called from {caller}"


def test_brief_parses_the_article_exactly_once(example_text: str) -> None:
    briefer = Briefer(backend=_scripted())
    with _count_parser_calls() as (calls, callers, parsed):
        brief = briefer.brief(example_text, title="Potash")
    assert brief.failures == [] and brief.summary and brief.stances and brief.quotes
    # Before the Document: 7 layout runs and 11 find_paragraphs calls per brief.
    assert calls["Document.parse"] == 1
    assert parsed == [example_text]
    assert calls["find_paragraphs"] == 1
    assert calls["find_sentence_starts"] == 1
    _only_inside_document(callers)


@pytest.mark.parametrize(
    "step",
    [
        lambda b, text: b.quotes(text),
        lambda b, text: b.summarize(text),
        lambda b, text: b.stance(text, "lifting sanctions on Belarusian potash"),
        lambda b, text: b.stance(text, "lifting sanctions", speaker="the government"),
        lambda b, text: b.stance(text, "lifting sanctions", speaker=None),
    ],
    ids=["quotes", "summarize", "stance", "stance-never-quoted", "stance-author"],
)
def test_each_single_step_parses_the_article_once(
    example_text: str, step: Callable[[Briefer, str], object]
) -> None:
    briefer = Briefer(backend=_scripted())
    with _count_parser_calls() as (calls, callers, parsed):
        step(briefer, example_text)
    assert parsed == [example_text]
    assert calls["find_paragraphs"] == 1
    _only_inside_document(callers)
