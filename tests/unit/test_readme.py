"""The README opens with the two set-up commands, and CI runs the second one verbatim."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]


def _readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.+?)\n```", text, flags=re.DOTALL)


def test_readme_starts_with_exactly_two_setup_commands() -> None:
    commands = _readme_commands()
    main, tests = commands[0], commands[1]
    for command in (main, tests):
        assert "\n" not in command
        assert command.startswith("python3 -m venv .venv && .venv/bin/pip install torch==2.13.0 &&")
    assert "newsbrief brief examples/belarus_potash.txt" in main
    assert "'.[embedded]'" in main
    assert "scripts/check" in tests and "'.[dev,embedded,html]'" in tests


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    tests = _readme_commands()[1]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines()


def test_pyproject_keeps_a_torch_range_not_a_pin() -> None:
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    (torch,) = re.findall(r'"torch[^"]*"', pyproject)
    assert "==" not in torch and ">=" in torch


def _python_blocks() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.+?)\n```", text, flags=re.DOTALL)


def _undefined_names(code: str) -> set[str]:
    """Names the code reads that it never imports, assigns or binds in a loop or ``with``."""
    import ast
    import builtins

    tree = ast.parse(code)
    bound = set(dir(builtins))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            bound |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
    loaded = {
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }
    return loaded - bound


def test_undefined_names_are_found() -> None:
    assert _undefined_names("import a\nb = a.x(text)\nfor q in b: print(q, r)") == {"text", "r"}


def test_the_python_example_defines_every_name_it_uses() -> None:
    example = _python_blocks()[0]
    assert "newsbrief.Briefer()" in example
    assert _undefined_names(example) == set()


def test_the_python_example_runs(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    import newsbrief
    from newsbrief.backends import ScriptedBackend
    from newsbrief.briefer import Briefer
    from tests.unit.surfaces.test_cli import echo_sentence

    def scripted(*args: Any, **kwargs: Any) -> Briefer:
        backend = ScriptedBackend(
            by_prompt={"Central issue:": "sanctions on Belarus"},
            score_fn=lambda prompt, option: -1.0,
            answer_fn=echo_sentence,
        )
        return Briefer(backend=backend)

    monkeypatch.chdir(REPO)
    monkeypatch.setattr(newsbrief, "Briefer", scripted)
    exec(compile(_python_blocks()[0], "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "sanctions on Belarus" in out and "speaker='John Coale'" in out


def test_the_result_types_the_readme_names_are_exported() -> None:
    import newsbrief
    from newsbrief import models

    for name in ("Brief", "Quote", "Stance", "SummarySentence", "SourceSpan", "StepFailure"):
        assert getattr(newsbrief, name) is getattr(models, name) and name in newsbrief.__all__
    for name in ("Provenance", "PromptRecord"):
        assert getattr(newsbrief, name) is getattr(models, name) and name in newsbrief.__all__


def test_extras_cover_notebooks_tables_and_terminal_markdown() -> None:
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    names = {re.split(r"[<>=\[ ]", d)[0] for d in extras["dev"]}
    assert {"nbclient", "nbconvert", "ipykernel", "ipywidgets"} <= names
    assert any(d.startswith("pandas") for d in extras["pandas"])
    assert any(d.startswith("rich") for d in project["dependencies"])


def test_the_readme_gives_a_plain_pip_install_route_apart_from_ci() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    user = text.split("### Installing it as a user", 1)[1].split("\n## ", 1)[0]
    assert "pip install 'newsbrief[embedded]'" in user
    assert "torch==" not in user  # no pin for users
