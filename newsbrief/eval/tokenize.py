"""Unicode-aware word tokenizer for ROUGE: lowercased runs of letters, marks and digits."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

Tokenizer = Callable[[str], list[str]]
"""Anything that turns a text into a list of tokens; ROUGE takes one as an argument."""

# Unicode general categories that make up a word: Letters, Marks, Numbers. Marks must be in:
# Python's ``\w`` leaves out combining marks, which splits Devanagari or decomposed accents
# mid-word (``re.findall(r"[^\W_]+", "हिन्दी")`` gives four pieces).
_WORD_CATEGORIES = frozenset("LMN")


def tokenize(text: str) -> list[str]:
    """Split text into lowercased words of any script.

    A token is a maximal run of letters, combining marks and digits; everything else
    (spaces, punctuation, symbols, the underscore) separates tokens. The text is put in
    NFC form first so that composed and decomposed accents give the same token.

    On ASCII text this gives exactly the tokens of ``rouge-score`` without stemming
    (lowercase, runs of ``[a-z0-9]``); unlike it, non-Latin words are kept instead of
    dropped. Scripts written without spaces (Chinese, Japanese, Thai) come out as one token
    per unbroken run: pass a tokenizer made for them instead.

    Args:
        text: the text to split.

    Returns:
        The tokens in order.
    """
    tokens: list[str] = []
    current: list[str] = []
    for char in unicodedata.normalize("NFC", text).lower():
        if unicodedata.category(char)[0] in _WORD_CATEGORIES:
            current.append(char)
        elif current:
            tokens.append("".join(current))
            current = []
    if current:
        tokens.append("".join(current))
    return tokens
