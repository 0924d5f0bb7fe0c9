"""Checks on article text before any step runs: clear ``InputError`` for unusable input."""

from __future__ import annotations

import re
import unicodedata

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
    return text


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
