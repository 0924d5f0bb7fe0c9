"""HTML input: reduce a web page to its article text with ``trafilatura`` (optional extra).

Boilerplate removal is a solved, maintained problem; newsbrief does not parse HTML itself.
Install the extra with ``pip install 'newsbrief[html]'``.
"""

from __future__ import annotations

import importlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsbrief.errors import InputError

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


def extract_article(html: str, *, source: str = "HTML input") -> HtmlArticle:
    """The main article text of a page: navigation, ads, comments and scripts dropped.

    Paragraphs are separated by blank lines, as newsbrief's paragraph finder expects.

    Args:
        html: the page's HTML.
        source: names the input in error messages (a file name, ``line 3``).

    Raises:
        InputError: ``trafilatura`` is not installed, or the page has no article text.
    """
    trafilatura = _trafilatura()
    found = trafilatura.extract(
        html,
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


def _trafilatura() -> Any:
    try:
        return importlib.import_module("trafilatura")
    except ImportError as exc:
        raise InputError(
            f"reading HTML needs the optional extractor: {INSTALL_HINT} (installs trafilatura)"
        ) from exc
