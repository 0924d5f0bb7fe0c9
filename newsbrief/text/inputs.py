"""Checks on article text before any step runs: clear ``InputError`` for unusable input."""

from __future__ import annotations

import os
import re
import shlex
import unicodedata
from pathlib import Path

from newsbrief.errors import InputError

#: A UTF-16 surrogate code point on its own: not a character, and not encodable as UTF-8.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

# Above this share of control/unassigned characters a "text" is binary junk, not prose.
_MAX_JUNK_SHARE = 0.10

#: The longest article accepted, in characters (about 150,000 words: a long report, not
#: an article; the longest gold or PolNeAR article has under 20,000). The steps take time
#: linear in the text, but a file of any size (``/dev/zero``, a database dump) is not an
#: article. Raise it per call (``check_article(text, max_chars=...)``) or for a process
#: with the environment variable ``NEWSBRIEF_MAX_CHARS``.
MAX_ARTICLE_CHARS = 1_000_000
#: The environment variable that sets :data:`MAX_ARTICLE_CHARS` for a process.
MAX_CHARS_VARIABLE = "NEWSBRIEF_MAX_CHARS"
#: The longest title passed on to the steps, in characters: a headline is one line
#: (Wikinews' longest has 150 characters); a longer "title" is cut at the last space
#: before this length by :func:`cut_title`, so a pasted article as a title cannot make a
#: brief slow.
MAX_TITLE_CHARS = 300


def max_article_chars(max_chars: int | None = None) -> int:
    """The article size limit: ``max_chars`` when given, else ``NEWSBRIEF_MAX_CHARS``,
    else :data:`MAX_ARTICLE_CHARS`.

    Raises:
        ValueError: ``max_chars`` or the environment variable is not a positive integer.
    """
    if max_chars is None:
        raw = os.environ.get(MAX_CHARS_VARIABLE, "").strip()
        if not raw:
            return MAX_ARTICLE_CHARS
        try:
            max_chars = int(raw)
        except ValueError:
            raise ValueError(f"{MAX_CHARS_VARIABLE}={raw!r} is not an integer") from None
    if max_chars < 1:
        raise ValueError(f"the article size limit must be positive, got {max_chars}")
    return max_chars


def check_article(text: object, *, name: str = "text", max_chars: int | None = None) -> str:
    """Return ``text`` unchanged when it is usable article text.

    Args:
        text: the article.
        name: what to call it in messages.
        max_chars: the longest text accepted, in characters (default
            :func:`max_article_chars`: ``NEWSBRIEF_MAX_CHARS`` or 1,000,000).

    Raises:
        InputError: not a string, empty or whitespace only, longer than the size limit
            (the message names the limit and how to raise it), containing NUL bytes or a
            lone surrogate (a string cut mid-character), or mostly control characters
            (binary data decoded as text), or without any letter.
    """
    if isinstance(text, bytes | bytearray):
        raise InputError(f"{name} must be str, got bytes: decode it first (e.g. .decode('utf-8'))")
    if not isinstance(text, str):
        raise InputError(f"{name} must be str, got {type(text).__name__}")
    limit = max_article_chars(max_chars)
    if len(text) > limit:
        raise InputError(
            f"{name} has {len(text):,} characters, more than the limit of {limit:,} for one "
            f"article: split it, or raise the limit with the environment variable "
            f"{MAX_CHARS_VARIABLE}=N (or check_article(..., max_chars=N))"
        )
    if not text.strip():
        raise InputError(f"{name} is empty or whitespace only")
    if "\x00" in text:
        raise InputError(f"{name} contains NUL bytes: it looks like binary data, not text")
    check_no_surrogates(text, name=name)
    junk = sum(
        1
        for ch in text
        if unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs") and ch not in "\n\r\t\f\v"
    )
    if junk / len(text) > _MAX_JUNK_SHARE:
        raise InputError(
            f"{name} is {junk / len(text):.0%} control or unassigned characters: "
            "it looks like binary data, not text"
        )
    if not any(ch.isalpha() for ch in text):
        raise InputError(f"{name} has no letters: nothing to brief")
    check_not_a_path(text, name=name)
    return text


# One line with no spaces, ending in the suffix of a file people keep articles in.
_FILE_NAME = re.compile(
    r"\A\S*[^\s/\\.][.](?:txt|text|md|html?|xhtml|jsonl?|docx?|odt|rtf|pdf)\Z", re.I
)
# Longer than this, a one-line string is not worth asking the file system about.
_MAX_PATH_LENGTH = 1024

#: Formats people save articles in that are not text: (magic bytes, what it is, what to do).
#: Checked on the raw bytes, before decoding, so the advice fits the file.
DOCUMENT_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (
        b"%PDF-",
        "a PDF document",
        "extract its text first, e.g. pdftotext -layout FILE article.txt (poppler-utils), "
        "and brief the .txt",
    ),
    (
        b"{\\rtf",
        "an RTF document",
        "save it as plain text (UTF-8) in your word processor, or "
        "pandoc -t plain FILE -o article.txt, and brief the .txt",
    ),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "a legacy Word (.doc) or other Office file",
        "save it as plain text (UTF-8) in your word processor, and brief the .txt",
    ),
)
_ZIP = b"PK\x03\x04"


def check_not_a_path(text: str, *, name: str = "text") -> str:
    """Return ``text`` unchanged unless it is a file name rather than an article.

    ``brief("examples/article.txt")`` would brief the 27 characters of the name (an empty
    brief whose issue is the file name); a one-line string that names an existing file,
    or has the shape of a file name (no spaces, ending in ``.txt``, ``.html``...), is
    refused instead.

    Raises:
        InputError: ``text`` is a path; the message says to read the file or use
            ``Briefer.brief_file``.
    """
    candidate = text.strip()
    if "\n" in candidate or len(candidate) > _MAX_PATH_LENGTH:
        return text
    try:
        exists = Path(candidate).expanduser().is_file()
    except (OSError, ValueError):  # a name the file system cannot even look up
        exists = False
    if exists:
        raise InputError(
            f"{name} is the path of a file ({candidate!r}), not an article: read it first "
            f"(Path({candidate!r}).read_text()) or use Briefer.brief_file({candidate!r})"
        )
    if " " not in candidate and _FILE_NAME.match(candidate):
        raise InputError(
            f"{name} looks like a file name ({candidate!r}), not an article, and no such "
            "file exists: pass the article's text, or Briefer.brief_file(path) with a path "
            "that exists"
        )
    return text


def check_document_bytes(data: bytes, *, name: str = "input") -> None:
    """Refuse file formats that are not text (PDF, Word, RTF...) with the advice that fits.

    Detected by their opening bytes (magic numbers), not their suffix, so a renamed file is
    caught too; without this a Word file is reported as "not UTF-8", and converting a zip
    with ``iconv`` gives garbage.

    Raises:
        InputError: ``data`` is a PDF, an Office/OpenDocument file or RTF.
    """
    head = data[:8]
    file = shlex.quote(name)  # the advice names the file, ready to paste
    for magic, what, advice in DOCUMENT_SIGNATURES:
        if head.startswith(magic):
            raise InputError(f"{name} is {what}, not text: {advice.replace('FILE', file)}")
    if head.startswith(_ZIP):
        what = _zip_document_kind(data)
        raise InputError(
            f"{name} is {what}, not text: save it as plain text (UTF-8) in your word "
            f"processor, or pandoc -t plain {file} -o article.txt, and brief the .txt"
        )


def _zip_document_kind(data: bytes) -> str:
    """What a zip file is, from the names of its first members (no unzipping)."""
    window = data[:4096]
    if b"word/" in window:
        return "a Word document (.docx)"
    if b"opendocument.text" in window:
        return "an OpenDocument text (.odt)"
    if b"ppt/" in window or b"xl/" in window:
        return "an Office document (.pptx/.xlsx)"
    return "a zip archive"


def check_no_surrogates(value: str, *, name: str = "text") -> str:
    """Return ``value`` unchanged when it holds no lone surrogate.

    A lone surrogate (``"\\ud83d"``) is half of a UTF-16 pair, left by a tool that cut a
    string mid-emoji; it is not a character and cannot be written as UTF-8.

    Raises:
        InputError: ``value`` holds a lone surrogate (the message says where and how to
            repair it).
    """
    found = _LONE_SURROGATE.search(value)
    if found is None:
        return value
    raise InputError(
        f"{name} contains a lone surrogate U+{ord(found.group()):04X} at character "
        f"{found.start()} (a string cut mid-character, not valid Unicode): repair it, e.g. "
        "value.encode('utf-8', 'replace').decode('utf-8')"
    )


def drop_surrogates(value: str) -> str:
    """``value`` without its lone surrogates (for reading a text that is not refused for
    them, e.g. judging its language)."""
    return _LONE_SURROGATE.sub("", value)


def escape_surrogates(value: str) -> str:
    """``value`` with each lone surrogate written as the six characters ``\\uXXXX``.

    Used for ids and messages that must be written out (JSONL, Parquet, a terminal) even
    when the input held a lone surrogate: the result is valid Unicode and the same for the
    same input, so a rerun recognises the id.
    """
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", value)


def cut_title(title: str | None) -> str | None:
    """``title`` cut to at most :data:`MAX_TITLE_CHARS` characters, at the last space
    before the limit (mid-word only when there is none); ``None`` stays ``None``."""
    if title is None or len(title) <= MAX_TITLE_CHARS:
        return title
    head = title[:MAX_TITLE_CHARS]
    space = head.rfind(" ")
    return (head[:space] if space > 0 else head).rstrip()
