"""HTML and Markdown views of a Brief: escaping, highlighting, colours, badges, legend, links."""

from __future__ import annotations

import colorsys
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsbrief.models import (
    Brief,
    Provenance,
    Quote,
    SourceSpan,
    Stance,
    StepFailure,
    SummarySentence,
)
from newsbrief.surfaces.display import (
    INK,
    LABEL_COLOURS,
    PALETTE,
    UNATTRIBUTED_COLOUR,
    BriefView,
    brief_html,
    brief_markdown,
    brief_page,
    markdown_escape,
    quoted,
    show,
)

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
    evil = _span("<b>Evil</b>")
    quotes = [
        Quote(text=q1, start=_span(q1)[0], end=_span(q1)[1], kind="direct", speaker="minister"),
        Quote(
            text=q2,
            start=_span(q2)[0],
            end=_span(q2)[1],
            kind="direct",
            speaker="<b>Evil</b>",
            speaker_start=evil[0],
            speaker_end=evil[1],
        ),
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


def sentence_brief() -> Brief:
    """The hostile brief with per-sentence provenance, a failure and an abstention."""
    first = ARTICLE.index("Officials")
    sentences = [
        SummarySentence(
            text=f"The minister said {SCRIPT} is not allowed.",
            method="shortened",
            sources=[SourceSpan(start=0, end=first - 1)],
        ),
        SummarySentence(
            text="Officials said the plan would work.",
            method="kept",
            sources=[SourceSpan(start=first, end=len(ARTICLE))],
        ),
    ]
    abstained = Stance(
        speaker=None,
        target="the plan",
        label=None,
        confidence=0.35,
        scores={"supportive": 0.35, "opposed": 0.25, "cautious": 0.2, "neutral": 0.2},
    )
    failure = StepFailure(step="issue", error="RetryExhaustedError", message=f"too long {IMG}")
    return hostile_brief().model_copy(
        update={
            "summary_sentences": sentences,
            "summary": " ".join(s.text for s in sentences),
            "stances": [*hostile_brief().stances, abstained],
            "failures": [failure],
        }
    )


class _Collector(HTMLParser):
    """Tags, attributes and text; text inside elements of ``skip_classes`` goes apart."""

    VOID = frozenset({"br", "img", "hr", "meta", "input"})

    def __init__(self, skip_classes: frozenset[str] = frozenset()) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.elements: list[dict[str, str | None]] = []
        self.text: list[str] = []
        self.skipped: list[str] = []
        self._skip_classes = skip_classes
        self._stack: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += attrs
        self.elements.append({"tag": tag, **dict(attrs)})
        if tag not in self.VOID:
            classes = set((dict(attrs).get("class") or "").split())
            self._stack.append(bool(classes & self._skip_classes) or any(self._stack))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        (self.skipped if any(self._stack) else self.text).append(data)


def parse(html: str, skip: frozenset[str] = frozenset()) -> _Collector:
    parser = _Collector(skip)
    parser.feed(html)
    return parser


SAFE_TAGS = {"div", "h3", "h4", "p", "strong", "ul", "ol", "li", "span", "mark", "small", "em", "a"}
SAFE_TAGS |= {"b", "br"}  # the legend's sample mention and its line break
SAFE_ATTRIBUTES = {"class", "style", "title", "id", "href", "data-quotes", "data-speaker"}


def article_part(html: str) -> str:
    return html.split('<div class="nb-article"')[1].split(">", 1)[1].rsplit("</div>", 2)[0]


@pytest.mark.parametrize("brief_of", [hostile_brief, sentence_brief])
@pytest.mark.parametrize("with_text", [True, False])
def test_article_and_model_text_is_escaped(brief_of: object, with_text: bool) -> None:
    assert callable(brief_of)
    html = brief_html(brief_of(), ARTICLE if with_text else None)
    parser = parse(html)
    assert set(parser.tags) <= SAFE_TAGS  # no script, img, b from the article
    assert {name for name, _ in parser.attributes} <= SAFE_ATTRIBUTES
    assert all((v or "").startswith("#") for n, v in parser.attributes if n == "href")
    assert "<script" not in html.lower() and "<img" not in html.lower()
    shown = "".join(parser.text)
    # ... and the markup still shows, as text.
    assert SCRIPT in shown and IMG in shown and "<b>Evil</b>" in shown
    assert "&lt;script&gt;" in html


def test_attribute_values_cannot_break_out() -> None:
    html = brief_html(hostile_brief(), ARTICLE)
    parser = parse(html)
    titles = [value or "" for name, value in parser.attributes if name == "title"]
    assert "quote 2: <b>Evil</b> (direct)" in titles  # speaker name inside a title, intact
    assert any('"><script>' in t for t in titles)  # a label with a quote mark, intact
    speakers = [value for name, value in parser.attributes if name == "data-speaker"]
    assert speakers and set(speakers) == {"<b>Evil</b>"}


@pytest.mark.parametrize("brief_of", [hostile_brief, sentence_brief])
def test_the_article_is_shown_whole_with_quotes_marked(brief_of: object) -> None:
    assert callable(brief_of)
    html = brief_html(brief_of(), ARTICLE)
    parser = parse(article_part(html), frozenset({"nb-kind", "nb-source-tag"}))
    assert "".join(parser.text) == ARTICLE  # labels apart, every character once, in order
    assert parser.tags.count("mark") == 3
    # Each quote's number and kind are visible as text after it, not only in a hover title.
    assert [t for t in parser.skipped if t[0].isdigit()] == ["1 direct", "2 direct", "3 indirect"]


def test_each_speaker_has_one_colour() -> None:
    html = brief_html(hostile_brief(), ARTICLE)
    html = re.sub(r'<div class="nb-legend".*?</div>', "", html, flags=re.S)
    minister, evil = PALETTE[0][0], PALETTE[1][0]
    # stance name, quote (and for Evil, whose mention is known, the mention)
    assert html.count(f"background-color: {minister}") == 2
    assert html.count(f"background-color: {evil}") == 3
    assert f"background-color: {UNATTRIBUTED_COLOUR[0]}" in html  # the unattributed quote


def test_every_coloured_background_sets_its_text_colour() -> None:
    # Dark notebook themes inherit light text: a light tint without a text colour hides it.
    html = brief_html(sentence_brief(), ARTICLE)
    styles = [v or "" for n, v in parse(html).attributes if n == "style"]
    tinted = [
        s
        for s in styles
        if "background-color" in s and "position: absolute" not in s  # a meter's bar: no text
    ]
    assert len(tinted) > 8
    for style in tinted:
        assert re.search(r"(^|; )color: #", style), style


def _hue(colour: str) -> float:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hls(r, g, b)[0] * 360


def _contrast(a: str, b: str) -> float:
    def lum(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((lum(a), lum(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_speaker_colours_keep_clear_of_badge_hues_and_read() -> None:
    badge_hues = [_hue(c) for name, c in LABEL_COLOURS.items() if name != "neutral"]
    for background, accent in PALETTE:
        for hue in badge_hues:
            distance = abs(_hue(background) - hue) % 360
            assert min(distance, 360 - distance) >= 20, (background, hue)
        assert _contrast(background, INK) >= 7.0
        assert _contrast(background, accent) >= 3.0  # the outline shows on its tint
    for colour in LABEL_COLOURS.values():
        assert _contrast(colour, "#ffffff") >= 4.5  # white badge text


def test_stance_badges_and_confidence_against_chance() -> None:
    html = brief_html(sentence_brief())
    assert f"background-color: {LABEL_COLOURS['opposed']}" in html
    assert ">opposed</span>" in html
    assert "confidence 0.81 (chance 0.50 with 2 labels)" in html
    assert "opposed 0.81, supportive 0.19" in html  # the hover
    # ... and the per-label scores visible beside the meter.
    scores = html.split('class="nb-scores">')[1].split("</small>")[0]
    assert scores == "opposed 0.81 · supportive 0.19"
    # 0.35 over four labels reads against 0.25, with the chance line at 25%.
    assert "confidence 0.35 (chance 0.25 with 4 labels)" in html
    assert "left: 25.0%" in html and "width: 35.0%" in html


def test_abstention_and_failures_are_visible() -> None:
    html = brief_html(sentence_brief())
    assert "nb-abstained" in html and ">abstained</span>" in html and "unclear" not in html
    failure = html.split('class="nb-failure"')[1].split("</div>")[0]
    assert "issue step failed" in failure and "RetryExhaustedError" in failure
    assert "too long &lt;img" in failure


def test_summary_sentences_link_to_their_source_spans() -> None:
    brief = sentence_brief()
    html = brief_html(brief, ARTICLE)
    parser = parse(html)
    ids = {e["id"] for e in parser.elements if e.get("id")}
    links = [e["href"] for e in parser.elements if "nb-source-link" in (e.get("class") or "")]
    assert len(links) == 2 and all(link and link[1:] in ids for link in links)
    methods = [
        t for t in parse(html, frozenset({"nb-method"})).skipped if t in ("kept", "shortened")
    ]
    assert methods == ["shortened", "kept"]
    # The link target sits where the span starts: the text before it is the article before.
    target = links[1]
    assert target is not None
    before = article_part(html).split(f'id="{target[1:]}"')[0]
    shown = "".join(parse(before + ">", frozenset({"nb-kind", "nb-source-tag"})).text)
    assert shown == ARTICLE[: brief.summary_sentences[1].sources[0].start]
    # Offsets only on hover: "[S2]", not "[S2: 0-42]".
    assert "[S2]" in html and "[S2:" not in html
    assert re.search(r'title="show the source span in the article \(article characters \d+-', html)
    # Without the article: the methods and the sentence numbers, no dangling links.
    plain = brief_html(brief)
    assert "shortened" in plain and "[S1]" in plain and "[0-" not in plain
    assert 'href="#' not in plain


def test_speaker_mention_is_highlighted_and_linked_to_its_quote() -> None:
    html = brief_html(hostile_brief(), ARTICLE)
    parser = parse(html)
    ids = {e["id"] for e in parser.elements if e.get("id")}
    mentions = [e for e in parser.elements if e.get("class") == "nb-mention"]
    assert len(mentions) == 1
    mention = mentions[0]
    assert mention["data-speaker"] == "<b>Evil</b>"
    href = mention["href"] or ""
    assert href[1:] in ids and href.endswith("-q1")  # the mention's quote
    assert f"background-color: {PALETTE[1][0]}" in (mention["style"] or "")
    assert "font-weight: 700" in (mention["style"] or "")
    # ... and the quote's kind label links back to the mention.
    back = [e for e in parser.elements if e.get("class") == "nb-kind" and e.get("href")]
    assert [e["href"] for e in back] == [href.replace("-q1", "-m0")]
    assert all((e.get("href") or "#")[1:] in ids for e in parser.elements if e.get("href"))


def test_stance_evidence_links_to_quotes() -> None:
    html = brief_html(hostile_brief(), ARTICLE)
    evidence = html.split('class="nb-evidence"')[1].split("</ul>")[0]
    assert "quote 1</a>" in evidence and re.search(r'href="#nb[0-9a-f]{8}-q0"', evidence)
    # The evidence text itself sits beside the stance, its offsets on hover.
    assert "is not allowed here." in evidence and 'title="article characters' in evidence


def test_evidence_ids_refer_to_quote_ids() -> None:
    # Stance.evidence_ids name quotes by their stable id; the view links to that quote.
    brief = hostile_brief()
    stance = brief.stances[0].model_copy(update={"evidence_ids": [brief.quotes[2].id]})
    html = brief_html(brief.model_copy(update={"stances": [stance]}), ARTICLE)
    evidence = html.split('class="nb-evidence"')[1].split("</ul>")[0]
    assert re.search(r'href="#nb[0-9a-f]{8}-q2"', evidence) and "-q0" not in evidence


def test_legend_names_every_speaker_and_the_notation() -> None:
    html = brief_html(sentence_brief(), ARTICLE)
    legend = html.split('class="nb-legend"')[1].split("</div>")[0]
    text = "".join(parse(">" + legend).text)
    assert "minister (1)" in text and "<b>Evil</b> (1)" in text and "unattributed (1)" in text
    assert "speaker mention" in text and "kind, after each quote" in text
    assert "summary sentence" in text


def test_summary_comes_first() -> None:
    html = brief_html(hostile_brief())
    assert html.index("Summary &lt;script&gt;") < html.index("confidence 0.81")


def test_a_brief_displays_as_html_in_ipython() -> None:
    """``import newsbrief`` inside IPython registers the quote-list view for ``Brief`` (the
    result types themselves import no display code)."""
    pytest.importorskip("IPython")
    brief = hostile_brief()
    script = (
        "import sys\n"
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "shell = InteractiveShell.instance()\n"
        "import newsbrief\n"
        "brief = newsbrief.Brief.model_validate_json(sys.stdin.read())\n"
        "data, _ = shell.display_formatter.format(brief)\n"
        "sys.stdout.write(data['text/html'])\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script],
        input=brief.model_dump_json(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=True,
    ).stdout
    assert shown == brief_html(brief)
    assert "<ol>" in shown


def test_a_brief_has_its_html_view_outside_ipython_too() -> None:
    """Front ends that call ``_repr_html_`` themselves (marimo, Panel, ``HTML(...)``) get
    the view; without a renderer set, ``None`` (the plain repr), never an error."""
    from newsbrief import models

    brief = hostile_brief()
    assert brief._repr_html_() == brief_html(brief)
    renderer = models._html_renderer
    try:
        models.set_html_renderer(None)
        assert brief._repr_html_() is None
    finally:
        models.set_html_renderer(renderer)


def test_brief_view_renders_the_article_and_checks_offsets() -> None:
    brief = hostile_brief()
    assert BriefView(brief, ARTICLE)._repr_html_() == brief_html(brief, ARTICLE)
    assert BriefView(brief, ARTICLE)._repr_markdown_() == brief_markdown(brief)
    with pytest.raises(ValueError, match="pass the article exactly as it was briefed"):
        BriefView(brief, ARTICLE.upper())
    with pytest.raises(ValueError, match="pass the article exactly as it was briefed"):
        brief_html(brief, ARTICLE.upper())


@pytest.mark.parametrize(
    ("first", "second"),
    [((13, 32), (13, 48)), ((13, 48), (20, 32)), ((13, 32), (24, 48))],
    ids=["same-start", "nested", "crossing"],
)
def test_overlapping_quotes_are_all_shown(first: tuple[int, int], second: tuple[int, int]) -> None:
    text = "He said that the plan would work and cost little."
    quotes = [
        Quote(text=text[a:b], start=a, end=b, kind="indirect", speaker=name)
        for (a, b), name in ((first, "Ann"), (second, "Bo"))
    ]
    brief = hostile_brief().model_copy(update={"quotes": quotes, "stances": []})
    html = brief_html(brief, text)
    parser = parse(article_part(html), frozenset({"nb-kind", "nb-source-tag"}))
    assert "".join(parser.text) == text
    covered = [e.get("data-quotes") for e in parser.elements if e["tag"] == "mark"]
    assert "0" in " ".join(filter(None, covered)) and "1" in " ".join(filter(None, covered))
    both = [e for e in parser.elements if e.get("data-quotes") in ("0 1", "1 0")]
    assert both  # the overlap shows both quotes: the inner as background, the outer underlined
    assert all("box-shadow" in (e.get("style") or "") for e in both)
    assert html.count("<mark") == html.count("</mark>")


def test_show_without_ipython_says_what_to_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "IPython.display", None)
    with pytest.raises(RuntimeError, match="brief_html"):
        show(hostile_brief(), ARTICLE)


def test_page_is_a_standalone_document() -> None:
    page = brief_page(hostile_brief(), ARTICLE)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert '<meta charset="utf-8">' in page
    assert f"<title>Title {IMG}</title>" not in page


# -- Markdown -----------------------------------------------------------------------------


def commonmark(text: str) -> str:
    markdown_it = pytest.importorskip("markdown_it")
    html: str = markdown_it.MarkdownIt("commonmark").render(text)  # raw HTML allowed
    return html


def test_markdown_lists_everything() -> None:
    text = brief_markdown(hostile_brief())
    assert text.startswith("# Title \\<img src=x onerror=alert(1)\\>\n\n## Summary\n\nSummary ")
    assert (
        "- **minister**: opposed, confidence 0.81 (chance 0.50 with 2 labels); "
        "opposed 0.81 · supportive 0.19\n  - quote 1: “\\<script\\>" in text
    )
    assert "3. \\[indirect\\] **unattributed**, said\\<img" in text
    assert not re.search(r"\(\d+-\d+\)", text)  # no offsets in Markdown
    empty = hostile_brief().model_copy(update={"quotes": [], "stances": [], "summary": ""})
    assert brief_markdown(empty).endswith("## Quotes\n\nNo quotes found.\n")


@pytest.mark.parametrize("brief_of", [hostile_brief, sentence_brief])
def test_markdown_passes_no_html_through(brief_of: object) -> None:
    assert callable(brief_of)
    html = commonmark(brief_markdown(brief_of()))
    parser = parse(html)
    assert set(parser.tags) <= {"h1", "h2", "p", "ul", "ol", "li", "strong", "em"}
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    shown = "".join(parser.text)
    assert SCRIPT in shown and IMG in shown and "<b>Evil</b>" in shown


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60))
def test_markdown_escape_renders_the_text_literally(text: str) -> None:
    flat = " ".join(text.split())
    html = commonmark(markdown_escape(text))
    parser = parse(html)
    assert set(parser.tags) <= {"p"}
    # CommonMark turns U+0000 into U+FFFD; that is the renderer's, not an escape's doing.
    assert "".join(parser.text).strip() == flat.replace("\x00", "\ufffd").strip()


def test_markdown_has_no_generic_heading_without_a_title() -> None:
    brief = hostile_brief().model_copy(update={"title": None})
    text = brief_markdown(brief)
    assert not text.startswith("# ") and "# Brief" not in text
    assert "<h1>" not in commonmark(text)
    assert text.startswith("## Summary\n")


def test_markdown_nests_quote_marks() -> None:
    text = "The US envoy said normalizing relations is “our goal”."
    quote_text = "normalizing relations is “our goal”"
    start = text.index(quote_text)
    quote = Quote(
        text=quote_text, start=start, end=start + len(quote_text), kind="mixed", speaker="envoy"
    )
    brief = hostile_brief().model_copy(update={"quotes": [quote], "stances": []})
    markdown = brief_markdown(brief)
    assert "“normalizing relations is ‘our goal’”" in markdown and "””" not in markdown
    assert quoted('He said "no" and "yes"') == "“He said ‘no’ and ‘yes’”"
    assert quoted("“Already quoted”") == "“Already quoted”"


def test_markdown_shows_sentence_methods_spans_failures_and_abstentions() -> None:
    text = brief_markdown(sentence_brief())
    first = ARTICLE.index("Officials")
    assert first > 0
    assert "*(shortened)*" in text and "*(kept)*" in text and "from 0-" not in text
    assert "## Failed steps" in text and "- **issue**: RetryExhaustedError: too long \\<img" in text
    assert "- **the author**: abstained, confidence 0.35 (chance 0.25 with 4 labels)" in (text)
    rendered = commonmark(text)
    assert "<em>(shortened)</em>" in rendered
