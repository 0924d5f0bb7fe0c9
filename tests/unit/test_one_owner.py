"""One owner per rule: the rules that were written in two or three places live in one module
and the others call it (as ``test_lexicon`` does for word lists).

Read from the source with :mod:`ast`, so a copy anywhere in the package fails here: a second
lone-surrogate pattern, a second regex that finds a quotation, a second spelling of the
``max_attempts`` or summary-sentence rule, two public functions of one name.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

import newsbrief

PACKAGE = Path(newsbrief.__file__).parent

#: Rule -> the one module (relative to the package) that may spell it.
OWNERS = {
    "lone surrogate pattern": "text/inputs.py",
    "quotation pattern": "text/quotation_marks.py",
    "max_attempts rule": "steps/asking.py",
    "summary sentences rule": "steps/summary_parts.py",
}
#: Patterns that find a quotation outside the owner on purpose, with the reason.
QUOTATION_PATTERNS_ALLOWED = {
    "eval/quote_marks.py": "the quote-marks baseline's own naive rule (one line, no nesting): "
    "a baseline must not borrow the pipeline's rules",
}
#: Public module-level functions that share a name on purpose, with the reason.
SHARED_NAMES_ALLOWED = {
    "main": "the entry point of each runnable module",
    "bootstrap_ci": "typing overloads of one function",
    "load_backend": "backends/__init__.py forwards to backends/loading.py at first use",
    "records_table": "a pyarrow table of records (batch) and an HTML table (eval report)",
    # The corpus's frames (merged speakers, issue groups) beside the per-brief frames of
    # surfaces/tables.py: same rows, other inputs. A rename is the corpus owner's call.
    "quotes_frame": "corpus/frames.py (a Corpus) and surfaces/tables.py (briefs)",
    "stances_frame": "corpus/frames.py (a Corpus) and surfaces/tables.py (briefs)",
}
_SAMPLES = ("He said “we will go” today.", 'He said "we will go" today.', "He said «we will go».")


def _modules() -> dict[str, ast.Module]:
    return {
        str(path.relative_to(PACKAGE)): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def _strings(tree: ast.Module) -> list[str]:
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def _finds_a_quotation(pattern: str) -> bool:
    """Whether ``pattern`` matches exactly the quotation of one of the samples."""
    try:
        compiled = re.compile(pattern)
    except re.error:
        return False
    for sample in _SAMPLES:
        found = compiled.search(sample)
        if found is not None and found.group(0) == sample[8:20]:
            return True
    return False


def rule_spellings(modules: dict[str, ast.Module]) -> dict[str, set[str]]:
    """Rule -> the modules whose string literals spell it."""
    found: dict[str, set[str]] = defaultdict(set)
    for name, tree in modules.items():
        for text in _strings(tree):
            if "\ud800" in text or "\\ud800-" in text:  # the range, as a character or escaped
                found["lone surrogate pattern"].add(name)
            if _finds_a_quotation(text) and name not in QUOTATION_PATTERNS_ALLOWED:
                found["quotation pattern"].add(name)
            if "max_attempts must be at least 1" in text:
                found["max_attempts rule"].add(name)
            if "must be 1, 2 or 3" in text:
                found["summary sentences rule"].add(name)
    return found


def shared_names(modules: dict[str, ast.Module]) -> dict[str, list[str]]:
    """Public module-level function names defined in more than one module."""
    defined: dict[str, set[str]] = defaultdict(set)
    for name, tree in modules.items():
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                defined[node.name].add(name)
    return {
        function: sorted(where)
        for function, where in defined.items()
        if len(where) > 1 and function not in SHARED_NAMES_ALLOWED
    }


@pytest.mark.parametrize("rule", sorted(OWNERS))
def test_each_rule_is_spelt_in_its_owner_only(rule: str) -> None:
    assert rule_spellings(_modules())[rule] == {OWNERS[rule]}


def test_no_two_public_functions_share_a_name() -> None:
    assert shared_names(_modules()) == {}


def test_the_scans_find_a_copy() -> None:
    copy = ast.parse(
        'A = re.compile("[\\ud800-\\udfff]")\n'
        'B = re.compile(r"“[^”]*”")\n'
        'raise ValueError("max_attempts must be at least 1")\n'
        'raise ValueError("summary_sentences must be 1, 2 or 3")\n'
        "def headline_of(record): ...\n"
    )
    spelt = rule_spellings({"copy.py": copy})
    assert all(spelt[rule] == {"copy.py"} for rule in OWNERS)
    shared = shared_names({"copy.py": copy, "text/article.py": _modules()["text/article.py"]})
    assert shared == {"headline_of": ["copy.py", "text/article.py"]}
