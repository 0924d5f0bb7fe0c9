"""HTML input: recognising pages, extracting the article, the missing-extra message."""

from __future__ import annotations

import sys

import pytest

from newsbrief.errors import InputError
from newsbrief.surfaces.html_input import extract_article, is_html_path, looks_like_html


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<!DOCTYPE html><html><body>x</body></html>", True),
        ("  \n<!doctype HTML>\n<html lang=en>", True),
        ("<html><body>x</body></html>", True),
        ("<!-- saved page -->\n<html>", True),
        ("The mayor said <html> is a tag.", False),
        ("<htmlish>", False),
        ("Plain article text.", False),
    ],
)
def test_looks_like_html(text: str, expected: bool) -> None:
    assert looks_like_html(text) is expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [("a.html", True), ("A.HTM", True), ("x.xhtml", True), ("a.txt", False), ("html", False)],
)
def test_is_html_path(name: str, expected: bool) -> None:
    assert is_html_path(name) is expected


def test_missing_extractor_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    with pytest.raises(InputError, match=r"pip install 'newsbrief\[html\]'"):
        extract_article("<html><body><p>x</p></body></html>")


PAGE = """<!DOCTYPE html>
<html><head><title>Flood forces thousands from homes</title>
<script>var secret = "tracker";</script><style>p { color: red }</style></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<div class="ad">Buy one, get one free! Limited offer for subscribers only.</div>
<article>
<h1>Flood forces thousands from homes</h1>
<p>Flooding forced 3,000 people from their homes in northern Kenya this week after days of
heavy rain, the Red Cross said on Friday.</p>
<p>"Our teams have reached only half of the villages," a Red Cross spokesperson told
reporters in Nairobi, adding that more aid would be needed within days.</p>
<p>Officials said roads to two towns remained cut off and that schools would stay closed.</p>
</article>
<footer><p>Copyright 2024 Example News. All rights reserved.</p></footer>
</body></html>"""


def test_extracts_the_article_paragraphs_and_title() -> None:
    pytest.importorskip("trafilatura")
    page = extract_article(PAGE, source="kenya.html")
    assert page.title == "Flood forces thousands from homes"
    paragraphs = page.text.split("\n\n")
    assert any(p.startswith("Flooding forced 3,000 people") for p in paragraphs)
    assert any(p.startswith('"Our teams have reached only half') for p in paragraphs)
    for junk in ("tracker", "color: red", "Copyright", "Home", "Buy one"):
        assert junk not in page.text


def test_a_page_without_an_article_is_an_input_error() -> None:
    pytest.importorskip("trafilatura")
    page = "<html><head><title>Empty</title></head><body><script>var a = 1;</script></body></html>"
    with pytest.raises(InputError, match=r"^empty\.html: no article text found in the HTML$"):
        extract_article(page, source="empty.html")


# -- issue 23: bounded time, no foreign log line ---------------------------------------


def _page_with_attributes(n: int, boolean: bool = False) -> str:
    attributes = " ".join(f"a{i}" if boolean else f'a{i}="v"' for i in range(n))
    return PAGE.replace("<article>", f"<div {attributes}>x</div><article>")


@pytest.mark.parametrize("boolean", [False, True])
def test_many_attributes_on_one_tag_take_linear_time(boolean: bool) -> None:
    """64,000 attributes on one tag took 41 s (33 s without values) before the cap."""
    pytest.importorskip("trafilatura")
    import time

    extract_article(PAGE)  # trafilatura's first call warms up
    started = time.perf_counter()
    page = extract_article(_page_with_attributes(64_000, boolean))
    assert time.perf_counter() - started < 3.0
    assert page.text == extract_article(PAGE).text


def test_cap_attributes_keeps_the_first_ones_and_leaves_other_tags_alone() -> None:
    from newsbrief.surfaces.html_input import MAX_ATTRIBUTES, cap_attributes

    tag = "<div a=1 b=\"2 3\" c='3' d e=5/>"
    assert cap_attributes(f"{tag}<p>x</p>", 2) == '<div a=1 b="2 3"/><p>x</p>'
    assert cap_attributes(PAGE) == PAGE  # a real page is not touched
    capped = cap_attributes(_page_with_attributes(5_000))
    assert capped.count('="v"') == MAX_ATTRIBUTES and "Flooding forced" in capped


def test_a_page_over_the_size_limit_is_an_input_error_naming_the_limit() -> None:
    with pytest.raises(InputError, match=r"^big\.html: .* over the 0\.0001 MB limit.*max_chars"):
        extract_article(PAGE, source="big.html", max_chars=100)


def test_trafilatura_log_lines_are_not_newsbrief_messages(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pytest.importorskip("trafilatura")
    import logging

    page = "<html><head><title>Empty</title></head><body><script>var a;</script></body></html>"
    with caplog.at_level(logging.DEBUG), pytest.raises(InputError):
        extract_article(page, source="empty.html")
    shown = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert not shown, [r.getMessage() for r in shown]
    assert any("discarding data" in r.getMessage() for r in caplog.records)  # kept, at DEBUG
    assert logging.getLogger("trafilatura").propagate  # put back
