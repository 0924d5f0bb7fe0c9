"""Articles whose paragraph breaks were lost (scraped copy) keep their quotes."""

from __future__ import annotations

import json
from pathlib import Path

from newsbrief.quotes import find_quotes

GOLD = Path(__file__).resolve().parents[3] / "evals" / "gold"


def _kept(text: str) -> tuple[int, int]:
    """How many of the article's quotes the flattened article gives verbatim, of how many."""
    flat = " ".join(text.split())
    quotes = find_quotes(flat)
    for quote in quotes:
        assert flat[quote.start : quote.end] == quote.text
    found = {q.text for q in quotes}
    expected = [" ".join(q.text.split()) for q in find_quotes(text)]
    return sum(q in found for q in expected), len(expected)


def test_flattened_articles_keep_their_quotes() -> None:
    records = {
        record["id"]: record["text"]
        for path in sorted(GOLD.glob("*.jsonl"))
        for record in map(json.loads, path.read_text(encoding="utf-8").splitlines())
    }
    # A photo credit mid-text made the whole one-line article a caption: no quote at all.
    assert _kept(records["GUM_news_afghan"]) == (8, 8)
    # Over the gold, sentences joined at lost breaks change few statements.
    kept, total = map(sum, zip(*(_kept(text) for text in records.values()), strict=True))
    assert total >= 390 and kept >= 0.9 * total, (kept, total)
