"""Article text made safe to show: control characters visible on a terminal and in Markdown,
and escaped in JSON so that a record stays one line for every line splitter.

An article can carry terminal control sequences (``ESC [2J`` clears the screen, ``ESC c``
resets the terminal, ``ESC ]8;;URL ESC \\`` disguises a hyperlink) in its quotes, title or
file names. Text printed for people goes through :func:`terminal_text` (one owner: the CLI,
the Markdown view and the eval's printed tables call it); JSON keeps the verbatim text and
offsets, with the characters other tools take for line breaks written as ``\\u`` escapes
(:func:`one_line_json`), which decode to the same text.
"""

from __future__ import annotations

import logging
import re

#: C0 controls except tab and newline, DEL, and the C1 controls (U+0080-U+009F, among them
#: U+009B, the one-character CSI, and U+0085, NEL).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Characters that ``json.dumps(..., ensure_ascii=False)`` leaves raw but that
#: ``str.splitlines()`` (and terminals, for C1) treat as line breaks or controls.
_JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029]")


def terminal_text(text: str) -> str:
    """``text`` with every control character but tab and newline written as a visible
    escape (``ESC`` -> ``\\x1b``, U+009B -> ``\\x9b``); a CRLF line end becomes a newline.

    Nothing a terminal acts on is left: no escape sequence, no carriage return overwriting a
    line, no bell. Printable text (any script, emoji, RTL marks) is unchanged.
    """
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(_visible, text.replace("\r\n", "\n"))


def one_line_json(json_text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with DEL, the C1 controls
    and U+2028/U+2029 written as ``\\uXXXX`` escapes: the same JSON value, one line for
    ``str.splitlines()``, nothing raw for a terminal. (JSON escapes C0 itself, and these
    characters can only stand inside its strings.)"""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)


def _visible(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


class TerminalFormatter(logging.Formatter):
    """A log formatter whose lines pass through :func:`terminal_text` (for a command's
    stderr: messages carry ids, file names and article text)."""

    def format(self, record: logging.LogRecord) -> str:
        return terminal_text(super().format(record))
