"""Kill a real ``newsbrief brief --batch`` process mid-run, rerun it: every brief once."""

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

ARTICLES = 40
# The scripted run is fast; each brief is slowed down so the kill lands mid-run.
DELAY_S = 0.1

RUNNER = """
import sys, time
sys.path.insert(0, {tests!r})
from test_cli import scripted_briefer
from newsbrief.surfaces import cli

from newsbrief.briefer import Briefer

class SlowBriefer(Briefer):
    def brief(self, *args, **kwargs):
        time.sleep({delay!r})
        return super().brief(*args, **kwargs)

cli._make_briefer = lambda args: SlowBriefer(backend=scripted_briefer().backend)
sys.exit(cli.main(sys.argv[1:]))
"""


@pytest.fixture
def batch(tmp_path: Path) -> tuple[list[str], Path]:
    from test_cli import ARTICLE

    source = tmp_path / "articles.jsonl"
    source.write_text(
        "".join(
            json.dumps({"id": f"art-{i:02d}", "text": ARTICLE}) + "\n" for i in range(ARTICLES)
        ),
        encoding="utf-8",
    )
    runner = tmp_path / "runner.py"
    runner.write_text(RUNNER.format(tests=str(Path(__file__).parent), delay=DELAY_S))
    out = tmp_path / "briefs.jsonl"
    command = [sys.executable, str(runner), "brief", "--batch", str(source), "--out", str(out)]
    return [*command, "--target", "the bridge plan", "--no-summary"], out


def lines_in(path: Path) -> int:
    return len(path.read_bytes().splitlines()) if path.exists() else 0


def start_and_wait_for(command: list[str], out: Path, lines: int) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=sigint_as_in_a_terminal,  # sent SIGINT below, however pytest was started
    )
    deadline = time.monotonic() + 120
    while lines_in(out) < lines:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            _, err = process.communicate()
            pytest.fail(f"the batch stopped or stalled before {lines} records: {err}")
        time.sleep(0.02)
    return process


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killed_run_resumes_and_writes_every_brief_once(
    batch: tuple[list[str], Path], sig: signal.Signals
) -> None:
    command, out = batch
    process = start_and_wait_for(command, out, lines=5)
    process.send_signal(sig)
    process.communicate(timeout=60)
    assert process.returncode != 0
    written = lines_in(out)
    assert 5 <= written < ARTICLES  # it really was stopped mid-run

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    ids = [r["id"] for r in records]
    assert len(records) == ARTICLES
    assert sorted(ids) == [f"art-{i:02d}" for i in range(ARTICLES)]  # each exactly once
    assert all("brief" in r for r in records)
    summary = rerun.stderr.rstrip().splitlines()[-1]
    # A record may have landed between the count above and the kill.
    skipped = int(summary.split(" skipped")[0].rsplit(" ", 1)[-1])
    assert written <= skipped < ARTICLES
    assert f"{ARTICLES - skipped} done, {skipped} skipped, 0 failed" in summary


def test_ctrl_c_stops_cleanly_with_a_summary(batch: tuple[list[str], Path]) -> None:
    command, out = batch
    process = start_and_wait_for(command, out, lines=3)
    os.kill(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Traceback" not in err
    summary = err.rstrip().splitlines()[-1]
    assert summary.startswith("newsbrief: interrupted: ")
    done = int(summary.removeprefix("newsbrief: interrupted: ").split(" done")[0])
    assert done == lines_in(out) >= 3
    assert all(json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines())
