"""One lexicon: every word list of the package lives in newsbrief/text/lexicon.py."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import newsbrief
from newsbrief.text import lexicon

PACKAGE = Path(newsbrief.__file__).parent
LEXICON = PACKAGE / "text" / "lexicon.py"


def _word_list_literals(tree: ast.Module) -> list[tuple[int, int]]:
    """``(line, number of words)`` of every set/frozenset/list literal of three or more
    plain words (letters, maybe an apostrophe or hyphen) anywhere in a module."""
    found = []
    for node in ast.walk(tree):
        elements: list[ast.expr] = []
        if isinstance(node, ast.Set | ast.List | ast.Tuple):
            elements = node.elts
        words = [
            e.value
            for e in elements
            if isinstance(e, ast.Constant)
            and isinstance(e.value, str)
            and e.value.replace("'", "").replace("-", "").isalpha()
        ]
        if len(words) >= 3 and len(words) == len(elements):
            found.append((node.lineno, len(words)))
    return found


def _lists_outside_the_lexicon() -> dict[str, list[tuple[int, int]]]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == LEXICON:
            continue
        hits = [
            (line, n)
            for line, n in _word_list_literals(ast.parse(path.read_text(encoding="utf-8")))
            if n >= 8  # short tuples of options/labels are not word lists
        ]
        if hits:
            found[str(path.relative_to(PACKAGE))] = hits
    return found


def test_no_word_list_outside_the_lexicon() -> None:
    assert _lists_outside_the_lexicon() == {}


# A run of plain words as regex alternatives ("on|in|at|..."): each word stands alone between
# "|", "(", ")" or the string's ends, not after a backslash ("\w+day" is no word).
_ALTERNATIVES = re.compile(r"(?<![\\\w])[A-Za-z]+(?:\|[A-Za-z]+)+(?![\w\\])")


def _word_alternations(tree: ast.Module) -> list[tuple[int, int]]:
    """``(line, number of words)`` of every string literal (parts of f-strings and implicitly
    joined literals included) holding a regex alternation of eight or more plain words, or of
    three or more day or month names."""
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        for run in _ALTERNATIVES.findall(node.value):
            words = run.split("|")
            calendar = [w for w in words if w.lower() in lexicon.CALENDAR_WORDS]
            if len(words) >= 8 or len(calendar) >= 3:
                found.append((node.lineno, len(words)))
    return found


def _alternations_outside_the_lexicon() -> dict[str, list[tuple[int, int]]]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == LEXICON:
            continue
        hits = _word_alternations(ast.parse(path.read_text(encoding="utf-8")))
        if hits:
            found[str(path.relative_to(PACKAGE))] = hits
    return found


def test_no_word_list_inside_a_regex_outside_the_lexicon() -> None:
    assert _alternations_outside_the_lexicon() == {}


def test_the_scan_finds_a_word_list_inside_a_regex() -> None:
    source = (
        'X = (r"(?:on|in|at|during|to|last|this|"\n'
        '     r"earlier|[\\w\\-]+day)")\n'
        'DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"\n'
        'SHORT = r"(?:last|this|next|earlier\\s+this|later\\s+this)\\s+(?:week|month|year)"\n'
        'F = rf"\\s+(?!(?:about|after|as|at|before|by|during|for|{X})\\b)"\n'
    )
    assert _word_alternations(ast.parse(source)) == [(1, 8), (3, 7), (5, 8)]


def test_alternation_matches_the_words_and_no_more() -> None:
    pattern = re.compile(lexicon.alternation({"as", "a", "according to", "a.m."}) + r"$")
    for word in ("a", "as", "according to", "a.m."):
        assert pattern.match(word)
    for other in ("according", "am", "a m", "asa", "A"):
        assert not pattern.match(other)
    # Longest first: a shorter word never cuts a longer one short (no \\b after it).
    assert re.match(lexicon.alternation({"a", "as", "ask"}), "asks").group() == "ask"


def test_the_scan_finds_a_word_list() -> None:
    source = (
        'X = frozenset({"said", "says", "told", "warned", "added", "argued", "noted", "wrote"})'
    )
    assert _word_list_literals(ast.parse(source)) == [(1, 8)]
    assert _word_list_literals(ast.parse(LEXICON.read_text(encoding="utf-8")))


def test_shared_lists_are_composed_not_copied() -> None:
    assert lexicon.CALENDAR_WORDS <= lexicon.NOT_NAMES_IN_ANSWERS
    assert lexicon.CALENDAR_WORDS <= lexicon.BASELINE_NOT_NAMES
    assert {w.capitalize() for w in lexicon.CALENDAR_WORDS} <= lexicon.NOT_SPEAKER_NAMES
    assert {t.lower() for t in lexicon.NAME_TITLES} <= lexicon.PERSON_TITLES
    assert {"said", "saying"} <= lexicon.SPEECH_VERBS
    assert "saying" in lexicon.PARTICIPLES and "said" not in lexicon.PARTICIPLES
    assert {"maj", "mr", "jan"} <= lexicon.ABBREVIATIONS
