"""Per-article details: gold beside each system's answer with right/wrong marks and the
evidence; the article's opening cut at a word."""

from __future__ import annotations

import re

from newsbrief.eval.html import render_html
from newsbrief.eval.report_tables import answer_rows
from newsbrief.eval.runner import evidence_words, opening
from newsbrief.eval.schema import ArticleTask, SystemOutput
from newsbrief.models import Stance
from tests.unit.eval.test_eval_report import make_report


def test_the_opening_is_cut_at_a_word_with_an_ellipsis() -> None:
    text = "The council voted on Tuesday to approve the new bridge plan. " * 10
    cut = opening(text, 50)
    assert cut == "The council voted on Tuesday to approve the new …"
    assert text.startswith(cut.removesuffix(" …"))
    assert opening("Short text.", 50) == "Short text."
    assert opening("x" * 80, 50) == "x" * 50 + " …"  # one long token: cut where it must


def test_evidence_words_come_from_the_text_by_quote_id() -> None:
    text = 'Ann Lee said "The park is great." Tom Fox disagreed.'
    start = text.index("The park")
    stance = Stance(
        speaker="Ann Lee",
        target="the park",
        label="supportive",
        confidence=0.9,
        scores={},
        evidence_ids=[f"q{start}-{start + 18}"],
    )
    assert evidence_words(text, stance) == ["The park is great."]


def _stance_row() -> ArticleTask:
    gold = [
        {"speaker": "Ann Lee", "target": "the park", "label": "supportive"},
        {"speaker": "Tom Fox", "target": "the park", "label": "opposed"},
    ]
    newsbrief = [
        {"item": 0, "speaker": "Ann Lee", "label": "supportive", "evidence": ["It is great."]},
        {"item": 1, "speaker": "Tom Fox", "label": None, "evidence": []},
    ]
    majority = [{"item": 0, "label": "opposed"}, {"item": 1, "label": "opposed"}]
    return ArticleTask(
        article_id="a1",
        task="stance",
        excerpt="",
        gold=gold,
        systems={
            "newsbrief": SystemOutput(prediction=newsbrief, metrics={}),
            "majority": SystemOutput(prediction=majority, metrics={}),
        },
    )


def test_gold_stands_beside_each_answer_with_marks_and_evidence() -> None:
    found = answer_rows(_stance_row())
    assert found is not None
    headers, rows = found
    assert headers == ["speaker", "gold", "newsbrief", "majority", "newsbrief evidence"]
    assert rows == [
        ["Ann Lee", "supportive", "✓ supportive", "✗ opposed", "“It is great.”"],
        ["Tom Fox", "opposed", "✗ abstained", "✓ opposed", "-"],
    ]
    summary = ArticleTask(
        article_id="s", task="summary", excerpt="", gold=["A summary."], systems={}
    )
    assert answer_rows(summary) is None


def test_the_html_report_shows_the_marked_table_in_each_stance_detail() -> None:
    page = render_html(make_report())
    stance = page.split('id="task-stance"')[1]
    assert "Gold beside each system" in stance
    assert re.search(r"<td>✓ supportive</td>", stance)
