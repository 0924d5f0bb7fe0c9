"""``newsbrief brief`` end to end on the embedded model, as a shell user runs it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from signals import sigint_as_in_a_terminal

from newsbrief.models import Brief

pytestmark = pytest.mark.embedded

EXAMPLE = Path(__file__).parents[2] / "examples" / "belarus_potash.txt"


def test_brief_example_as_json() -> None:
    script = Path(sys.executable).parent / "newsbrief"
    result = subprocess.run(
        [str(script), "brief", str(EXAMPLE), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr
    brief = Brief.model_validate_json(result.stdout)
    text = EXAMPLE.read_text(encoding="utf-8")
    assert brief.quotes and all(text[q.start : q.end] == q.text for q in brief.quotes)
    assert brief.summary and brief.issue and brief.stances
    assert brief.provenance.model_id.startswith("newsbrief/embedded")


# -- batch mode killed mid-run (issue 17's reliability suite) -------------------------

PEOPLE = [
    ("Ann Lopez", "Tom Reed"),
    ("Maria Chen", "Paul Novak"),
    ("Omar Haddad", "Lena Berg"),
    ("Grace Obi", "Ivan Petrov"),
    ("Sara Klein", "David Moss"),
]


def _short_article(mayor: str, critic: str) -> str:
    return (
        f"Mayor {mayor} said on Tuesday that the council would vote on the new bridge plan "
        f'next month.\n\n"We need this bridge for the town," {mayor.split()[-1]} told '
        f"reporters.\n\n{critic}, a local shop owner, warned that the plan would cost too much.\n"
    )


@pytest.fixture
def batch_command(tmp_path: Path) -> tuple[list[str], Path, list[str]]:
    source = tmp_path / "articles.jsonl"
    ids = [f"art-{i}" for i in range(len(PEOPLE))]
    lines = [
        json.dumps({"id": article_id, "text": _short_article(*names)})
        for article_id, names in zip(ids, PEOPLE, strict=True)
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "briefs.jsonl"
    script = Path(sys.executable).parent / "newsbrief"
    command = [str(script), "brief", "--batch", str(source), "--out", str(out)]
    return [*command, "--target", "the bridge plan", "--no-summary"], out, ids


def _records_so_far(out: Path) -> int:
    return out.read_bytes().count(b"\n") if out.exists() else 0


def _start_and_wait_for_a_record(command: list[str], out: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=sigint_as_in_a_terminal,  # sent SIGINT, however pytest was started
    )
    deadline = time.monotonic() + 600
    while _records_so_far(out) < 1:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"no record before the kill: {process.communicate()[1]}")
        time.sleep(0.02)
    return process


def _assert_every_id_once_and_no_torn_line(out: Path, ids: list[str]) -> None:
    data = out.read_bytes()
    assert data.endswith(b"\n")
    records = [json.loads(line) for line in data.splitlines()]  # every line is whole JSON
    assert sorted(r["id"] for r in records) == ids  # each exactly once
    assert all("brief" in r for r in records)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_a_killed_batch_resumes_with_every_id_once(
    batch_command: tuple[list[str], Path, list[str]], sig: signal.Signals
) -> None:
    command, out, ids = batch_command
    process = _start_and_wait_for_a_record(command, out)
    process.send_signal(sig)
    _, err = process.communicate(timeout=300)
    if sig == signal.SIGINT:
        assert process.returncode == 130 and "Traceback" not in err
        assert err.rstrip().splitlines()[-1].startswith("newsbrief: interrupted: ")
    else:
        assert process.returncode == -signal.SIGKILL
    assert 1 <= _records_so_far(out) < len(ids), "the signal did not land mid-run"

    rerun = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    assert rerun.returncode == 0, rerun.stderr
    _assert_every_id_once_and_no_torn_line(out, ids)
