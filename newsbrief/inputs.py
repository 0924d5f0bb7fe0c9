"""Checks on article text before any step runs: clear ``InputError`` for unusable input."""

from __future__ import annotations

import unicodedata

from newsbrief.errors import InputError

# Above this share of control/unassigned characters a "text" is binary junk, not prose.
_MAX_JUNK_SHARE = 0.10


def check_article(text: object, *, name: str = "text") -> str:
    """Return ``text`` unchanged when it is usable article text.

    Raises:
        InputError: not a string, empty or whitespace only, containing NUL bytes, or mostly
            control characters (binary data decoded as text), or without any letter.
    """
    if isinstance(text, bytes | bytearray):
        raise InputError(f"{name} must be str, got bytes: decode it first (e.g. .decode('utf-8'))")
    if not isinstance(text, str):
        raise InputError(f"{name} must be str, got {type(text).__name__}")
    if not text.strip():
        raise InputError(f"{name} is empty or whitespace only")
    if "\x00" in text:
        raise InputError(f"{name} contains NUL bytes: it looks like binary data, not text")
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
