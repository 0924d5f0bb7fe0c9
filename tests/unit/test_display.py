"""HTML and Markdown views of a Brief: escaping, highlighting, colours, badges."""

from __future__ import annotations

import sys
from html.parser import HTMLParser

import pytest

from newsbrief.display import (
    LABEL_COLOURS,
    PALETTE,
    BriefView,
    brief_html,
    brief_markdown,
    brief_page,
    show,
)
from newsbrief.models import Brief, Provenance, Quote, Stance

SCRIPT = "<script>alert('x')</script>"
IMG = "<img src=x onerror=alert(1)>"
# An article whose text, quotes and speaker names all carry markup.
ARTICLE = (
    f'The minister said: "{SCRIPT} is not allowed here." Then Dr. <b>Evil</b> said '
    f'"{IMG} & more". Officials said the plan would work.'
)


def _span(text: str) -> tuple[int, int]:
    start = ARTICLE.index(text)
    return start, start + len(text)


def hostile_brief() -> Brief:
    q1, q2, q3 = (
        f"{SCRIPT} is not allowed here.",
        f"{IMG} & more",
        "the plan would work",
    )
    quotes = [
        Quote(text=q1, start=_span(q1)[0], end=_span(q1)[1], kind="direct", speaker="minister"),
        Quote(text=q2, start=_span(q2)[0], end=_span(q2)[1], kind="direct", speaker="<b>Evil</b>"),
        Quote(text=q3, start=_span(q3)[0], end=_span(q3)[1], kind="indirect", cue=f"said{IMG}"),
    ]
    stances = [
        Stance(
            speaker="minister",
            target=SCRIPT,
            label="opposed",
            confidence=0.8125,
            scores={"opposed": 0.8125, "supportive": 0.1875},
            evidence=[0],
        ),
        Stance(
            speaker="<b>Evil</b>",
            target=SCRIPT,
            label=f"{IMG}",
            confidence=0.5,
            scores={f"{IMG}": 0.5, '"><script>': 0.5},
        ),
    ]
    return Brief(
        summary=f"Summary {SCRIPT} {IMG}",
        quotes=quotes,
        stances=stances,
        issue=SCRIPT,
        title=f"Title {IMG}",
        provenance=Provenance(model_id=f"model{SCRIPT}", package_version="0.1.0"),
    )


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += attrs

    def handle_data(self, data: str) -> None:
        self.text.append(data)


SAFE_TAGS = {"div", "h3", "p", "strong", "ul", "ol", "li", "span", "mark", "small", "em"}


@pytest.mark.parametrize("with_text", [True, False])
def test_article_and_model_text_is_escaped(with_text: bool) -> None:
    html = brief_html(hostile_brief(), ARTICLE if with_text else None)
    parser = _Collector()
    parser.feed(html)
    assert set(parser.tags) <= SAFE_TAGS  # no script, img, b from the article
    assert {name for name, _ in parser.attributes} <= {"class", "style", "title"}
    assert "<script" not in html.lower() and "<img" not in html.lower()
    shown = "".join(parser.text)
    # ... and the markup still shows, as text.
    assert SCRIPT in shown and IMG in shown and "<b>Evil</b>" in shown
    assert "&lt;script&gt;" in html


def test_attribute_values_cannot_break_out() -> None:
    html = brief_html(hostile_brief(), ARTICLE)
    parser = _Collector()
    parser.feed(html)
    titles = [value or "" for name, value in parser.attributes if name == "title"]
    assert "<b>Evil</b> (direct)" in titles  # speaker name inside a title, intact
    assert any('"><script>' in t for t in titles)  # a label with a quote mark, intact


def test_the_article_is_shown_whole_with_quotes_marked() -> None:
    brief = hostile_brief()
    html = brief_html(brief, ARTICLE)
    article_part = html.split('<div style="white-space: pre-wrap; margin-top: 0.8em">')[1]
    article_part = article_part.split("</div>")[0]
    parser = _Collector()
    parser.feed(article_part)
    assert "".join(parser.text) == ARTICLE
    assert parser.tags == ["mark", "mark", "mark"]


def test_each_speaker_has_one_colour() -> None:
    html = brief_html(hostile_brief(), ARTICLE)
    minister, evil = PALETTE[0], PALETTE[1]
    assert html.count(f"background: {minister}") == 2  # stance name + quote
    assert html.count(f"background: {evil}") == 2
    assert "background: #e9ecef" in html  # the unattributed quote


def test_stance_badges_and_confidence() -> None:
    html = brief_html(hostile_brief())
    assert f"background: {LABEL_COLOURS['opposed']}" in html
    assert ">opposed</span>" in html
    assert "confidence 0.81" in html
    assert "opposed 0.81, supportive 0.19" in html


def test_summary_comes_first() -> None:
    html = brief_html(hostile_brief())
    assert html.index("Summary &lt;script&gt;") < html.index("confidence 0.81")


def test_brief_repr_html_is_the_quote_list_view() -> None:
    brief = hostile_brief()
    assert brief._repr_html_() == brief_html(brief)
    assert "<ol>" in brief._repr_html_()


def test_brief_view_renders_the_article_and_checks_offsets() -> None:
    brief = hostile_brief()
    assert BriefView(brief, ARTICLE)._repr_html_() == brief_html(brief, ARTICLE)
    with pytest.raises(ValueError, match="pass the article exactly as it was briefed"):
        BriefView(brief, ARTICLE.upper())


def test_overlapping_quotes_do_not_break_nesting() -> None:
    text = "He said that the plan would work and cost little."
    outer = Quote(text="the plan would work and cost little", start=13, end=48, kind="indirect")
    inner = Quote(text="the plan would work", start=13, end=32, kind="indirect")
    brief = hostile_brief().model_copy(update={"quotes": [inner, outer], "stances": []})
    html = brief_html(brief, text)
    assert html.count("<mark") == 1 and html.count("</mark>") == 1


def test_show_without_ipython_says_what_to_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "IPython.display", None)
    with pytest.raises(RuntimeError, match="brief_html"):
        show(hostile_brief(), ARTICLE)


def test_page_is_a_standalone_document() -> None:
    page = brief_page(hostile_brief(), ARTICLE)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert '<meta charset="utf-8">' in page
    assert f"<title>Title {IMG}</title>" not in page


def test_markdown_lists_everything() -> None:
    text = brief_markdown(hostile_brief())
    assert text.startswith(f"# Title {IMG}\n\nSummary ")
    assert "- **minister**: opposed (confidence 0.81)" in text
    assert "- [indirect] **unattributed**, said" in text
    empty = hostile_brief().model_copy(update={"quotes": [], "stances": [], "summary": ""})
    assert brief_markdown(empty).endswith("## Quotes\n\nNo quotes found.\n")
