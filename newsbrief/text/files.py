"""Articles from files and web addresses: bytes checked, decoded, pages reduced to text.

One reader for ``Briefer.brief_file`` and ``newsbrief brief FILE``: a PDF or Word file is
refused with advice that fits it (:func:`~newsbrief.text.inputs.check_document_bytes`), an
HTML page is reduced to its article (:mod:`newsbrief.surfaces.html_input`, imported when a
page is read: the one HTML reader, an allowed upward import) and the result says so, so the
caller can keep the extracted text the offsets index into.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from pathlib import Path

from newsbrief.errors import InputError
from newsbrief.models import Brief
from newsbrief.text.inputs import check_document_bytes

#: A web address (what ``newsbrief brief URL`` and ``brief_file`` recognise as one).
URL_PATTERN = re.compile(r"\Ahttps?://\S+\Z", re.I)
#: Seconds to wait for a page (connect and read each).
FETCH_TIMEOUT = 20


@dataclass(frozen=True)
class ArticleSource:
    """An article as read: its text, the page's title, a name for messages, and whether the
    text was extracted from something else (an HTML page, a fetched URL)."""

    text: str
    title: str | None
    name: str
    extracted: bool


def is_url(source: str) -> bool:
    """Whether ``source`` is an ``http(s)://`` address rather than a file name."""
    return bool(URL_PATTERN.match(source.strip()))


def read_article_bytes(
    data: bytes, *, name: str, html: bool | None = None, html_name: bool = False
) -> ArticleSource:
    """The article in ``data`` (the bytes of a file, standard input or a download).

    Args:
        data: the raw bytes.
        name: names the input in messages.
        html: ``True`` parse it as HTML, ``False`` never, ``None`` when ``html_name`` or the
            text opens like a page (``<!DOCTYPE html>``, ``<html>``).
        html_name: the file name says HTML (``.html``...).

    Raises:
        InputError: a PDF/Word/RTF file, text that is not UTF-8, or a page without text.
    """
    from newsbrief.surfaces.html_input import extract_article, looks_like_html

    check_document_bytes(data, name=name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name} is not UTF-8 text ({exc.reason} at byte {exc.start}); convert it first, "
            "e.g. iconv -f latin1 -t utf-8"
        ) from None
    if html or (html is None and (html_name or looks_like_html(text))):
        page = extract_article(text, source=name)
        return ArticleSource(page.text, page.title, name, extracted=True)
    return ArticleSource(text, None, name, extracted=False)


def read_article_file(path: str | Path, *, html: bool | None = None) -> ArticleSource:
    """The article in a file (see :func:`read_article_bytes`).

    Raises:
        InputError: no such file, a directory, unreadable, or an unusable format.
    """
    source = Path(path)
    name = str(path)
    from newsbrief.surfaces.html_input import is_html_path

    if is_url(name):
        raise InputError(
            f"{name} is a web address, not a file: newsbrief reads no network unless asked "
            "(newsbrief brief --fetch URL, or newsbrief.text.files.fetch_article(url))"
        )
    if source.is_dir():
        raise InputError(f"{name} is a directory; use --batch {name} --out OUT")
    try:
        data = source.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    return read_article_bytes(data, name=name, html=html, html_name=is_html_path(source))


def fetch_article(
    url: str, *, timeout: int = FETCH_TIMEOUT, allow_private: bool = False
) -> ArticleSource:
    """Download a page with ``trafilatura`` and reduce it to its article.

    Only called when the user asks for it (``--fetch``): newsbrief is offline by default.
    Addresses on this machine or a private network are refused unless ``allow_private``
    (trafilatura's protection against a page that redirects to an internal service).

    Raises:
        InputError: not an http(s) address, the download failed (no answer, an HTTP error),
            or the page has no article text.
    """
    from newsbrief.surfaces.html_input import INSTALL_HINT, extract_article

    if not is_url(url):
        raise InputError(f"{url!r} is not an http(s):// address")
    try:
        trafilatura = importlib.import_module("trafilatura")
    except ImportError:
        raise InputError(f"--fetch needs the page reader: {INSTALL_HINT}") from None
    settings = trafilatura.settings.use_config()
    settings.set("DEFAULT", "DOWNLOAD_TIMEOUT", str(timeout))
    settings.set("DEFAULT", "MAX_REDIRECTS", "5")
    settings.set("DEFAULT", "SSRF_PROTECTION", "off" if allow_private else "on")
    response = trafilatura.downloads.fetch_response(url, decode=True, config=settings)
    if response is None or not response.data:
        raise InputError(
            f"{url}: could not download the page (no answer, or an address on a private "
            "network; run with --verbose to see why)"
        )
    if response.status >= 400:
        raise InputError(f"{url}: the server answered HTTP {response.status}")
    check_document_bytes(bytes(response.data), name=url)
    page = extract_article(str(response.html or ""), source=url)
    return ArticleSource(page.text, page.title, url, extracted=True)


def with_source_text(brief: Brief, source: ArticleSource) -> Brief:
    """``brief`` carrying the text its offsets index into when that text was extracted
    (``Brief.extracted_text``); unchanged for plain text, which the caller already has."""
    if not source.extracted:
        return brief
    return brief.model_copy(update={"extracted_text": source.text})
