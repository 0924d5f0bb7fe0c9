"""Sentence splitter benchmark: newsbrief's splitter (and pysbd, when installed) on the
hand-labelled boundary cases, and time per gold article.

Run from the repository root (not collected by pytest)::

    .venv/bin/python benchmarks/bench_sentences.py

Prints, per splitter, the passages of ``tests/sentence_cases.py`` split exactly right,
boundary precision and recall over them, and milliseconds per article over the gold
articles (``evals/gold``; median of 3 passes). pysbd (``pip install pysbd``) is measured
when it can be imported, each line split on its own as newsbrief does.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / ""))

from sentence_cases import BOUNDARY_CASES  # noqa: E402

from newsbrief.text.sentences import split_sentences  # noqa: E402

GOLD = [
    REPO / "evals" / "gold" / "wikinews_politics.jsonl",
    REPO / "evals" / "gold" / "gum_news.jsonl",
]


def _pysbd() -> Callable[[str], list[str]] | None:
    try:
        import pysbd  # type: ignore[import-not-found]
    except ImportError:
        return None
    segmenter = pysbd.Segmenter(language="en", clean=False)

    def split(text: str) -> list[str]:
        found: list[str] = []
        for line in text.split("\n"):
            if line.strip():
                found += [" ".join(s.split()) for s in segmenter.segment(line) if s.strip()]
        return found

    return split


def _boundaries(sentences: list[str]) -> set[int]:
    """Inner boundaries as offsets into the text with all whitespace removed."""
    found, position = set(), 0
    for sentence in sentences[:-1]:
        position += len("".join(sentence.split()))
        found.add(position)
    return found


def measure(name: str, split: Callable[[str], list[str]], articles: list[str]) -> None:
    right = tp = fp = fn = 0
    for text, expected in BOUNDARY_CASES:
        got = [" ".join(s.split()) for s in split(text)]
        right += got == expected
        b_got, b_expected = _boundaries(got), _boundaries(expected)
        tp, fp, fn = (
            tp + len(b_got & b_expected),
            fp + len(b_got - b_expected),
            fn + len(b_expected - b_got),
        )
    passes = []
    for _ in range(3):
        start = time.perf_counter()
        for article in articles:
            split(article)
        passes.append((time.perf_counter() - start) / len(articles) * 1000)
    print(
        f"{name:12s} {right}/{len(BOUNDARY_CASES)} passages  boundary P {tp / max(1, tp + fp):.3f}"
        f"  R {tp / max(1, tp + fn):.3f}  {statistics.median(passes):.2f} ms/article"
        f" ({len(articles)} gold articles)"
    )


def main() -> None:
    articles = [json.loads(line)["text"] for path in GOLD for line in path.open(encoding="utf-8")]
    measure("newsbrief", split_sentences, articles)
    pysbd_split = _pysbd()
    if pysbd_split is None:
        print("pysbd       not installed (pip install pysbd to compare)")
    else:
        measure("pysbd", pysbd_split, articles)


if __name__ == "__main__":
    main()
