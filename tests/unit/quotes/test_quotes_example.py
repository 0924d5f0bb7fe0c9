"""Acceptance points on the project's example article (US sanctions on Belarusian potash)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbrief.models import Quote
from newsbrief.quotes import find_quotes

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "belarus_potash.txt"


@pytest.fixture(scope="module")
def article() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def quotes(article: str) -> list[Quote]:
    return find_quotes(article)


def containing(quotes: list[Quote], fragment: str) -> Quote:
    found = [q for q in quotes if fragment in q.text]
    assert len(found) == 1, (fragment, found)
    return found[0]


@pytest.mark.parametrize(
    "fragment",
    [
        "very productive",
        "our goal",
        "small steps to more secure steps",
        "good advice",
        "long-time friends",
        "We are lifting the sanctions",
        "Releasing political prisoners",
        "But let’s not be naive",
        "Of course, President Putin",
        "the easing of sentences was part of a deal",
        "European Union sanctions against Belarusian potash",
        "Recent discussions have also touched on Venezuela",
    ],
)
def test_every_statement_is_found(quotes: list[Quote], fragment: str) -> None:
    containing(quotes, fragment)


def test_quotation_mark_speakers_are_the_two_canonical_names(
    article: str, quotes: list[Quote]
) -> None:
    marked = [q for q in quotes if q.kind in ("direct", "mixed")]
    assert {q.speaker for q in marked} == {"John Coale", "Sviatlana Tsikhanouskaya"}


def test_continuation_after_he_added_is_tsikhanouskaya(quotes: list[Quote]) -> None:
    assert containing(quotes, "But let’s not be naive").speaker == "Sviatlana Tsikhanouskaya"


def test_relayed_quote_is_coales_not_the_agencys(quotes: list[Quote]) -> None:
    assert containing(quotes, "We are lifting the sanctions").speaker == "John Coale"
    assert containing(quotes, "very productive").speaker == "John Coale"


def test_outlet_statement_is_belta(quotes: list[Quote]) -> None:
    assert containing(quotes, "Recent discussions").speaker == "Belta"


def test_spans_follow_the_annotation_guidelines(quotes: list[Quote]) -> None:
    direct = containing(quotes, "We are lifting the sanctions")
    assert direct.text.endswith("talking to each other,")
    mixed = containing(quotes, "our goal")
    assert mixed.text == "normalizing relations between Washington and Minsk is “our goal”"


def test_photo_credit_is_neither_quote_nor_speaker(article: str, quotes: list[Quote]) -> None:
    credit = article.index("Press Service of the Presidency")
    credit_end = article.index("\n", credit)
    for quote in quotes:
        assert not (quote.start < credit_end and credit < quote.end)
        if quote.speaker_start is not None:
            assert not (credit <= quote.speaker_start < credit_end)
