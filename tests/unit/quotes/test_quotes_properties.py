"""Property tests: find_quotes never raises and every offset it returns checks."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from newsbrief.quotes import find_quotes, find_quotes_with_candidates
from newsbrief.quotes.clusters import fold

_PIECES = st.sampled_from(
    [
        "Maria Lopez",
        "Lopez",
        "Lopes",
        "Tom Grey",
        "he",
        "she",
        "said",
        "told reporters that",
        "according to",
        "added:",
        "the agency",
        "Belta",
        "don't",
        "'90s",
        "Trump's",
        '"',
        "“",
        "”",
        "‘",
        "’",
        "'",
        "«",
        "»",
        ",",
        ".",
        ":",
        " ",
        "\n",
        "\n\n",
        "we will win",
        "The",
    ]
)
_TEXTS = st.lists(
    st.one_of(_PIECES, st.text(alphabet="abcXYZ .,\n\"“”'’", max_size=8)),
    min_size=1,
    max_size=40,
).map(" ".join)

_ARTICLES = Path(__file__).resolve().parents[3] / "evals" / "gold" / "wikinews_politics.jsonl"


def _speaker_relates_to_mention(speaker: str, mention: str) -> bool:
    """A mention names its speaker: shares a word (modulo a typo), or is a pronoun/description."""
    if mention.lower() in ("he", "she", "they", "it") or mention.split()[-1].islower():
        return True
    speaker_words = {fold(w) for w in speaker.split()}
    mention_words = {fold(w) for w in mention.split()}
    if speaker_words & mention_words:
        return True
    return any(s[:3] == m[:3] for s in speaker_words for m in mention_words)


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_offsets_always_check(text: str) -> None:
    for item in find_quotes_with_candidates(text):
        quote = item.quote
        assert text[quote.start : quote.end] == quote.text
        if quote.speaker_start is not None and quote.speaker_end is not None:
            assert 0 <= quote.speaker_start < quote.speaker_end <= len(text)
            assert quote.speaker is not None
        for candidate in item.candidates:
            assert 0 <= candidate.start < candidate.end <= len(text)


@settings(max_examples=200, deadline=None)
@given(_TEXTS)
def test_speaker_mention_relates_to_speaker(text: str) -> None:
    for quote in find_quotes(text):
        if quote.speaker is None or quote.speaker_start is None:
            continue
        mention = text[quote.speaker_start : quote.speaker_end]
        assert _speaker_relates_to_mention(quote.speaker, mention), (quote.speaker, mention)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_raises(text: str) -> None:
    for quote in find_quotes(text):
        assert text[quote.start : quote.end] == quote.text


def test_speaker_relation_check_rejects_unrelated_names() -> None:
    assert not _speaker_relates_to_mention("Maria Lopez", "Tom Grey")
    assert _speaker_relates_to_mention("John Coale", "Coal")


def test_speaker_names_occur_in_the_article() -> None:
    for line in _ARTICLES.read_text(encoding="utf-8").splitlines()[:24]:
        text = json.loads(line)["text"]
        for quote in find_quotes(text):
            if quote.speaker is not None:
                assert quote.speaker in text


def test_twenty_thousand_word_article_completes() -> None:
    paragraph = (
        "“Prices must fall before winter, and wages must rise,” said Maria Lopez. "
        "Tom Grey told reporters that the plan would fail, adding that costs would double. "
        "The agency said talks were “very productive”. Lopes also said that she would stay.\n\n"
    )
    text = paragraph * (20_000 // len(paragraph.split()) + 1)
    assert len(text.split()) >= 20_000
    quotes = find_quotes(text)
    assert len(quotes) >= 4 * (20_000 // len(paragraph.split()))
    assert all(text[q.start : q.end] == q.text for q in quotes)
