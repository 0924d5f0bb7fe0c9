"""Reliability suite (issue 17): one long-lived Briefer briefs 30 varied articles in a row.

Long leads, paragraph breaks removed (the scraped-text case that broke the article after it,
item 1), the Soleimani article whose issue answers run long (item 2), very long and very
short texts. No article may fail because of an earlier one: each article that has a failure,
and each that follows a paragraph-less long lead, is briefed again on a freshly loaded model
and must come out the same.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from newsbrief import Brief, Briefer, InputError

pytestmark = pytest.mark.embedded

GOLD = Path(__file__).resolve().parents[2] / "evals" / "gold"
logger = logging.getLogger(__name__)


def _gold() -> dict[str, dict[str, Any]]:
    records = {}
    for path in sorted(GOLD.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            records[record["id"]] = record
    return records


def _flat(text: str) -> str:
    """The text with its paragraph breaks removed, as scraped copy often comes."""
    return " ".join(text.split())


#: (label, text builder, brief() keyword arguments); ``flat`` marks the paragraph-less ones.
def _cases() -> list[tuple[str, str, dict[str, Any], bool]]:
    gold = _gold()

    def text(article_id: str) -> str:
        return str(gold[article_id]["text"])

    very_long = "\n\n".join(
        text(i) for i in ("GUM_news_iodine", "wikinews-2019-122", "GUM_news_afghan")
    )
    first = text("wikinews-2019-001").split("\n\n\n")
    return [
        # The 3,322-character article of item 1, without paragraph breaks, then others.
        ("2019-011 flat", _flat(text("wikinews-2019-011")), {}, True),
        ("example", text("example-belarus-potash"), {}, False),
        ("2020-002 Soleimani", text("wikinews-2020-002"), {}, False),
        ("2019-082 long lead, flat", _flat(text("wikinews-2019-082")), {}, True),
        ("2019-043", text("wikinews-2019-043"), {}, False),
        ("GUM clock long lead", text("GUM_news_clock"), {}, False),
        ("2020-052 long lead, flat", _flat(text("wikinews-2020-052")), {}, True),
        ("2019-001", text("wikinews-2019-001"), {}, False),
        ("very short: a headline", str(gold["wikinews-2019-001"]["title"]) + ".", {}, False),
        ("2019-068 long lead", text("wikinews-2019-068"), {}, False),
        ("2020-118", text("wikinews-2020-118"), {}, False),
        ("very long (3 articles)", very_long, {"summary": False}, False),
        ("2019-015", text("wikinews-2019-015"), {}, False),
        ("very short: first paragraph", first[1] if len(first) > 1 else first[0], {}, False),
        ("2019-096", text("wikinews-2019-096"), {}, False),
        ("GUM questionnaire", text("GUM_news_questionnaire"), {}, False),
        ("2019-104", text("wikinews-2019-104"), {}, False),
        ("2020-045", text("wikinews-2020-045"), {}, False),
        ("GUM soccer", text("GUM_news_soccer"), {}, False),
        ("2019-069", text("wikinews-2019-069"), {}, False),
        ("very short: one quote", '"We will not back down," the mayor said on Monday.', {}, False),
        ("2020-006 flat", _flat(text("wikinews-2020-006")), {}, True),
        ("2019-154", text("wikinews-2019-154"), {}, False),
        ("2020-090", text("wikinews-2020-090"), {}, False),
        ("GUM hackers", text("GUM_news_hackers"), {}, False),
        ("very long, flat", _flat(very_long), {"summary": False}, True),
        ("2019-119", text("wikinews-2019-119"), {}, False),
        ("2020-049", text("wikinews-2020-049"), {"target": "the election"}, False),
        ("2019-162", text("wikinews-2019-162"), {}, False),
        ("example again", text("example-belarus-potash"), {}, False),
    ]


def _same(a: Brief, b: Brief) -> bool:
    """Equal briefs, confidences within float noise."""
    if (a.summary, a.issue, a.quotes, a.failures) != (b.summary, b.issue, b.quotes, b.failures):
        return False
    if [(s.speaker, s.label) for s in a.stances] != [(s.speaker, s.label) for s in b.stances]:
        return False
    return all(
        abs(x.confidence - y.confidence) < 1e-3 for x, y in zip(a.stances, b.stances, strict=True)
    )


def test_thirty_articles_in_a_row_none_fails_because_of_an_earlier_one(
    embedded_backend: Any,
) -> None:
    cases = _cases()
    assert len(cases) == 30
    briefer = Briefer(backend=embedded_backend)
    results: list[Brief | BaseException] = []
    counts: Counter[str] = Counter()
    started = time.perf_counter()
    for label, text, options, _ in cases:
        began = time.perf_counter()
        try:
            brief = briefer.brief(text, **options)
        except InputError:
            raise
        except Exception as error:  # recorded: checked against a fresh model below
            logger.warning("%s: %s: %s", label, type(error).__name__, error)
            results.append(error)
            counts[f"exception {type(error).__name__}"] += 1
            continue
        logger.warning(
            "%s (%d chars): %.1f s, %d quotes, %d stances, failed: %s",
            label,
            len(text),
            time.perf_counter() - began,
            len(brief.quotes),
            len(brief.stances),
            [f.step for f in brief.failures],
        )
        results.append(brief)
        for quote in brief.quotes:
            assert text[quote.start : quote.end] == quote.text, label
        counts["briefs"] += 1
        counts["whole briefs" if not brief.failures else "briefs with a failed step"] += 1
        for failure in brief.failures:
            counts[f"{failure.step} failed: {failure.error}"] += 1
    elapsed = time.perf_counter() - started

    # Re-brief on a freshly loaded model what could have been spoilt by an earlier article.
    from newsbrief.backends.loading import load_backend

    suspects = {
        i for i, result in enumerate(results) if not isinstance(result, Brief) or result.failures
    }
    suspects |= {i + 1 for i, case in enumerate(cases[:-1]) if case[3]}
    # One fresh model; the paragraph-less suspects last, so that none of them comes
    # before another suspect there.
    fresh = Briefer(backend=load_backend("embedded"))
    caused_by_earlier = []
    for i in sorted(suspects, key=lambda i: (cases[i][3], i)):
        label, text, options, _ = cases[i]
        try:
            alone: Brief | BaseException = fresh.brief(text, **options)
        except Exception as error:
            alone = error
        in_row = results[i]
        if isinstance(in_row, Brief) and isinstance(alone, Brief):
            same = _same(in_row, alone)
        else:
            same = type(in_row) is type(alone) and str(in_row) == str(alone)
        if not same:
            caused_by_earlier.append((label, repr(in_row)[:300], repr(alone)[:300]))
    logger.warning(
        "30 articles in %.0f s; %s; re-briefed alone: %d", elapsed, dict(counts), len(suspects)
    )
    assert caused_by_earlier == [], "\n".join(map(str, caused_by_earlier))
    assert counts["briefs"] == 30
