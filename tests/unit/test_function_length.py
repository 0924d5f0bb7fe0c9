"""No function in ``newsbrief/`` over 80 lines unless the reason stands beside it.

A long function is a list of jobs a reader has to hold at once (dspy's modules are 50-80
lines with a short ``forward``); the few that are long on purpose say why in a comment
right above their ``def`` (or its decorators) that starts ``# Over 80 lines on purpose:``,
as ``surfaces/cli.py``'s ``_add_brief_parser`` does (one ``add_argument`` per option).
"""

from __future__ import annotations

import ast
from pathlib import Path

import newsbrief

PACKAGE = Path(newsbrief.__file__).parent
MAX_LINES = 80
REASON = "# Over 80 lines on purpose:"


def function_lengths(source: str) -> list[tuple[str, int, int]]:
    """Every function and method of ``source`` as (name, line of its ``def``, lines from
    the ``def`` to its last line)."""
    return [
        (node.name, node.lineno, (node.end_lineno or node.lineno) - node.lineno + 1)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]


def has_reason(lines: list[str], def_line: int) -> bool:
    """Whether the comment block right above line ``def_line`` (1-based; decorators
    skipped) states why the function is long."""
    i = def_line - 2
    while i >= 0 and lines[i].lstrip().startswith("@"):
        i -= 1
    while i >= 0 and lines[i].lstrip().startswith("#"):
        if lines[i].lstrip().startswith(REASON):
            return True
        i -= 1
    return False


def long_functions_without_reason(source: str, name: str) -> list[str]:
    lines = source.splitlines()
    return [
        f"{name}:{line} {function} ({length} lines)"
        for function, line, length in function_lengths(source)
        if length > MAX_LINES and not has_reason(lines, line)
    ]


def test_no_function_is_over_80_lines_without_a_reason() -> None:
    found = [
        problem
        for path in sorted(PACKAGE.rglob("*.py"))
        for problem in long_functions_without_reason(
            path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE))
        )
    ]
    assert not found, "split these or say why beside them:\n" + "\n".join(found)


def test_the_scan_finds_a_long_function_and_reads_its_reason() -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_LINES))
    long = f"def long():\n{body}"
    assert long_functions_without_reason(long, "m.py") == ["m.py:1 long (81 lines)"]
    method_body = "".join(f"        x{i} = {i}\n" for i in range(MAX_LINES))
    method = f"class C:\n    @property\n    def long(self):\n{method_body}"
    assert long_functions_without_reason(method, "m.py") == ["m.py:3 long (81 lines)"]
    reasoned = f"# why it is long, first\n{REASON} one line per option.\n@cache\n{long}"
    assert long_functions_without_reason(reasoned, "m.py") == []
    other_comment = f"# a comment that says nothing of its length\n{long}"
    assert long_functions_without_reason(other_comment, "m.py") == ["m.py:2 long (81 lines)"]
    short = "def short():\n    return 1\n"
    assert long_functions_without_reason(short, "m.py") == []


def test_brief_reads_as_the_list_of_its_steps() -> None:
    """``Briefer.brief`` stays a short list of steps (at most 40 lines, its docstring
    included); a step's bookkeeping belongs in the step."""
    source = (PACKAGE / "briefer.py").read_text(encoding="utf-8")
    lengths = {name: n for name, _, n in function_lengths(source)}
    assert lengths["brief"] <= 40
