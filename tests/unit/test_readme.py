"""The README opens with the two set-up commands, and CI runs the second one verbatim."""

from __future__ import annotations

import re
from pathlib import Path

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
