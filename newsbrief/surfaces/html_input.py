"""HTML input: reduce a web page to its article text with ``trafilatura`` (optional extra).

Boilerplate removal is a solved, maintained problem; newsbrief does not parse HTML itself.
Install the extra with ``pip install 'newsbrief[html]'``.
"""

from __future__ import annotations

import importlib
import itertools
import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsbrief.backends.quiet import routed
from newsbrief.errors import InputError

logger = logging.getLogger(__name__)

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
INSTALL_HINT = "pip install 'newsbrief[html]'"

# A document that opens with a doctype or an <html> tag is a page, whatever its file name.
_HTML_START = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)


@dataclass(frozen=True)
class HtmlArticle:
    """The article text found in a page, and its title when the page names one."""

    text: str
    title: str | None = None


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is an HTML page (it opens with ``<!DOCTYPE html>`` or ``<html>``)."""
    return bool(_HTML_START.match(text))


def is_html_path(path: str | Path) -> bool:
    """Whether a file name says HTML (``.html``, ``.htm``, ``.xhtml``)."""
    return Path(path).suffix.lower() in HTML_SUFFIXES


def extract_article(
    html: str, *, source: str = "HTML input", max_chars: int | None = None
) -> HtmlArticle:
    """The main article text of a page: navigation, ads, comments and scripts dropped.

    Paragraphs are separated by blank lines, as newsbrief's paragraph finder expects. The
    time taken grows linearly with the page (about 5 s per MB on a shared 2-core machine),
    bounded by ``max_chars``; tags with more than :data:`MAX_ATTRIBUTES` attributes are cut
    to that many first (:func:`cap_attributes`), since the parsers take quadratic time in
    the attributes of one tag.

    Args:
        html: the page's HTML.
        source: names the input in error messages (a file name, ``line 3``).
        max_chars: the longest page read (default :data:`MAX_HTML_CHARS`).

    Raises:
        InputError: ``trafilatura`` is not installed, the page is over ``max_chars``, or it
            has no article text.
    """
    max_chars = MAX_HTML_CHARS if max_chars is None else max_chars
    if len(html) > max_chars:
        raise InputError(
            f"{source}: {len(html) / 1e6:.1f} MB of HTML, over the {max_chars / 1e6:g} MB "
            "limit for a page (extraction takes about 5 s per MB); pass the article's text "
            "instead (--no-html), or raise the limit with extract_article(max_chars=...)"
        )
    trafilatura = _trafilatura()
    with _trafilatura_logs_quieted():
        found = trafilatura.extract(
            cap_attributes(html),
            output_format="json",
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
        )
    data: dict[str, Any] = json.loads(found) if found else {}
    lines = [line.strip() for line in str(data.get("text") or "").splitlines()]
    text = "\n\n".join(line for line in lines if line)
    if not text:
        raise InputError(f"{source}: no article text found in the HTML")
    title = data.get("title")
    return HtmlArticle(text=text, title=title if isinstance(title, str) and title else None)


def cap_attributes(html: str, limit: int | None = None) -> str:
    """``html`` with every start tag cut to its first ``limit`` attributes (default
    :data:`MAX_ATTRIBUTES`); a page without such a tag is returned as it is.

    libxml2 (lxml's parser) checks each attribute of a tag against the ones before it, and
    htmldate (trafilatura's date finder) scans them again per candidate: both quadratic.
    Measured, ``extract_article`` of a small page with one ``<div>`` of n attributes (shared
    2-core machine): n = 4,000 / 16,000 /
    64,000 took 0.39 / 2.6 / 41 s before the cap (0.18 / 2.1 / 33 s without values), 0.01 s
    each after. A ``>`` inside a quoted value ends the tag for this pass: such a tag keeps
    its attributes (only tags with more than ``limit`` are cut).
    One linear pass of C regular expressions; real pages have a handful per tag.
    """
    limit = MAX_ATTRIBUTES if limit is None else limit

    def cut(tag: re.Match[str]) -> str:
        text = tag.group()
        if len(text) <= 2 * limit:  # an attribute takes two characters at least
            return text
        kept = [
            m.group() for m in itertools.islice(_ATTRIBUTE.finditer(text, tag.end(1)), limit + 1)
        ]
        if len(kept) <= limit:
            return text
        end = "/>" if text.endswith("/>") else ">"
        return f"<{tag.group(1)}{''.join(kept[:limit])}{end}"

    return _START_TAG.sub(cut, html)


#: The most attributes kept on one tag (real pages: under 20; see :func:`cap_attributes`).
MAX_ATTRIBUTES = 100
#: The longest HTML page read, in characters (10 MB: about 50 s of extraction).
MAX_HTML_CHARS = 10_000_000
# A start tag (up to the first ">", which is where an HTML tokenizer ends it unless a quoted
# value holds one) and one attribute in it. Adjacent classes are disjoint: no backtracking.
_START_TAG = re.compile(r"<([A-Za-z][^\s/>]*)[^>]*>")
_ATTRIBUTE = re.compile(r"""\s+[^\s=/>"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']*))?""")


class _ToDebug(logging.Handler):
    """Hands trafilatura's records to this module's logger at DEBUG."""

    def emit(self, record: logging.LogRecord) -> None:
        logger.debug("trafilatura: %s", record.getMessage())


@contextmanager
def _trafilatura_logs_quieted() -> Iterator[None]:
    """trafilatura logs at WARNING what newsbrief says itself ("discarding data: None" for a
    page without an article, then :func:`extract_article`'s own error): while inside, its
    records go to this module's logger at DEBUG, not to the application's handlers."""
    with routed(logging.getLogger("trafilatura"), _ToDebug()):
        yield


def _trafilatura() -> Any:
    try:
        return importlib.import_module("trafilatura")
    except ImportError as exc:
        raise InputError(
            f"reading HTML needs the optional extractor: {INSTALL_HINT} (installs trafilatura)"
        ) from exc
