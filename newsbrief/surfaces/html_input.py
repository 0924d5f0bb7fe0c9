"""HTML input for the surfaces: the page reader lives in :mod:`newsbrief.text.html` (the
Briefer reads files too, and may not import a surface); these names stay importable here."""

from __future__ import annotations

from newsbrief.text.html import (
    HTML_SUFFIXES,
    INSTALL_HINT,
    HtmlArticle,
    extract_article,
    is_html_path,
    looks_like_html,
)

__all__ = [
    "HTML_SUFFIXES",
    "INSTALL_HINT",
    "HtmlArticle",
    "extract_article",
    "is_html_path",
    "looks_like_html",
]
