"""Checks on article text before any step runs: clear ``InputError`` for unusable input."""

from __future__ import annotations

import re
import shlex
import unicodedata
from pathlib import Path

from newsbrief.errors import InputError

#: A UTF-16 surrogate code point on its own: not a character, and not encodable as UTF-8.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

# Above this share of control/unassigned characters a "text" is binary junk, not prose.
_MAX_JUNK_SHARE = 0.10


def check_article(text: object, *, name: str = "text") -> str:
    """Return ``text`` unchanged when it is usable article text.

    Raises:
        InputError: not a string, empty or whitespace only, containing NUL bytes or a lone
            surrogate (a string cut mid-character), or mostly control characters (binary
            data decoded as text), or without any letter.
    """
    if isinstance(text, bytes | bytearray):
        raise InputError(f"{name} must be str, got bytes: decode it first (e.g. .decode('utf-8'))")
    if not isinstance(text, str):
        raise InputError(f"{name} must be str, got {type(text).__name__}")
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


def escape_surrogates(value: str) -> str:
    """``value`` with each lone surrogate written as the six characters ``\\uXXXX``.

    Used for ids and messages that must be written out (JSONL, Parquet, a terminal) even
    when the input held a lone surrogate: the result is valid Unicode and the same for the
    same input, so a rerun recognises the id.
    """
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", value)
