"""The README's examples, extracted from the README (never copied here), so a broken example
fails CI: every command line parses with the real parser, the Python blocks define every name
they use and compile, and the runnable ones run (tables on a scripted brief; the Ray snippet
without a cluster gives its one-line error)."""

from __future__ import annotations

import ast
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.unit.test_readme import REPO, _python_blocks, _undefined_names

README = (REPO / "README.md").read_text(encoding="utf-8")


def readme_command_lines() -> list[str]:
    """The ``newsbrief ...`` lines of the README's indented examples, comments dropped."""
    lines = []
    for line in README.splitlines():
        if re.match(r"^ {4}newsbrief ", line):
            lines.append(re.split(r"\s+#\s", line.strip())[0].strip())
    return lines


def argv_of(line: str) -> list[str]:
    """A command line as arguments: redirections dropped, ``[optional ...]`` brackets
    opened (the README writes optional flags that way)."""
    words = shlex.split(line.replace("[", "").replace("]", ""))[1:]
    out: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
            continue
        if word in ("<", ">", "|"):
            skip = True
            continue
        out.append(word)
    return out


def test_the_readme_has_command_examples() -> None:
    lines = readme_command_lines()
    assert len(lines) >= 15
    assert "newsbrief eval evals/gold --tasks brief --limit 10" in lines


@pytest.mark.parametrize("line", readme_command_lines())
def test_every_readme_command_parses(line: str) -> None:
    from newsbrief.surfaces.cli import _parser

    argv = argv_of(line)
    if argv == ["--version"]:
        return  # argparse's version action exits by design
    try:
        _parser().parse_args(argv)
    except SystemExit as exc:  # pragma: no cover - the failure message
        pytest.fail(f"README command does not parse: {line} (exit {exc.code})")


def test_the_python_blocks_together_define_every_name_and_compile() -> None:
    blocks = _python_blocks()
    assert len(blocks) >= 6
    whole = "\n".join(blocks)
    compile(whole, "README.md", "exec")
    handlers = {
        node.name
        for node in ast.walk(ast.parse(whole))
        if isinstance(node, ast.ExceptHandler) and node.name
    }
    # `other_text` stands for the reader's own second article.
    assert _undefined_names(whole) - handlers <= {"other_text"}


def _block(containing: str) -> str:
    return next(b for b in _python_blocks() if containing in b)


def test_the_tables_block_runs_on_a_batch_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    pytest.importorskip("pandas")
    from tests.unit.surfaces.test_cli import ARTICLE, scripted_briefer

    brief = scripted_briefer().brief(ARTICLE)
    record = {"id": "bridge", "brief": json.loads(brief.model_dump_json())}
    failed = {"id": "empty", "error": {"type": "InputError", "message": "text is empty"}}
    (tmp_path / "briefs.jsonl").write_text(
        json.dumps(record) + "\n" + json.dumps(failed) + "\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    names: dict[str, Any] = {"brief": brief, "shown": []}
    code = _block("from newsbrief.surfaces.tables import")
    # The block's lines are expressions shown in a notebook: keep each one's value.
    keep = "\n".join(
        f"shown.append({line.split('  #')[0].strip()})"
        if re.match(r"^[a-z_]+\(", line)
        else line.split("  #")[0]
        for line in code.splitlines()
    )
    exec(compile(keep, "README.md", "exec"), names)
    quotes, all_quotes, stances, briefs_table, errors = names["shown"]
    assert set(quotes["speaker"]) == {"Ann Lopez", "Tom Reed"}
    assert list(all_quotes["id"].unique()) == ["bridge"]
    assert set(stances["label"]) == {"supportive", "opposed"}
    assert "evidence_text" in stances.columns
    assert list(briefs_table["id"]) == ["bridge"]
    assert list(errors["id"]) == ["empty"] and list(errors["type"]) == ["InputError"]
    assert set(names["briefs"]) == {"bridge"}


def test_the_ray_files_snippet_without_a_cluster_says_so_in_one_line(tmp_path: Path) -> None:
    pytest.importorskip("ray")
    from ray._private.services import find_gcs_addresses

    if find_gcs_addresses():
        # "auto" joins any Ray runtime it finds on the machine, whatever RAY_TMPDIR says.
        pytest.skip("another Ray runtime runs on this machine: 'auto' would join it")
    code = _block('address="auto"')
    (tmp_path / "articles.jsonl").write_text(
        json.dumps({"id": "a", "text": "Ann Lee said the park is great."}) + "\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    env["PYTHONPATH"] = str(REPO)
    # "auto" finds a runtime through Ray's temp directory: an empty one of this test's own,
    # so another Ray on the machine (another test run) is never joined.
    env["RAY_TMPDIR"] = str(tmp_path / "ray")
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    lines = run.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("no Ray cluster at 'auto'")
    assert "Traceback" not in run.stderr


def test_ray_runtime_turns_a_connection_error_into_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ray = pytest.importorskip("ray")
    from newsbrief.errors import NewsbriefError
    from newsbrief.surfaces.distributed import RayConnectionError, ray_runtime

    def refuse(address: str | None = None, **kwargs: Any) -> None:
        raise ConnectionError("Could not find any running Ray instance.\nPlease specify ...")

    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    monkeypatch.setattr(ray, "init", refuse)
    with pytest.raises(RayConnectionError) as found, ray_runtime("auto"):
        pass
    message = str(found.value)
    assert "\n" not in message and message.startswith("no Ray cluster at 'auto'")
    assert "ray start --head" in message
    assert isinstance(found.value, NewsbriefError) and isinstance(found.value, ConnectionError)
