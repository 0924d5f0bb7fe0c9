"""``newsbrief brief --batch ... --workers N``: worker processes brief, the parent writes."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from signals import sigint_as_in_a_terminal

from newsbrief.briefer import Briefer
from newsbrief.errors import ModelLoadError
from newsbrief.models import Brief
from newsbrief.surfaces import cli
from newsbrief.surfaces.batch import (
    check_workers,
    finished_ids,
    forget_inherited_locks,
    output_lock,
    read_parquet_records,
    worker_threads,
)
from tests.unit.surfaces import test_cli as cli_tests
from tests.unit.surfaces.test_cli import ARTICLE, scripted_briefer

# The fixtures of the command's own tests (the first undoes what cli.main sets on logging).
_restore_output_settings = cli_tests._restore_output_settings
briefers = cli_tests.briefers

ARTICLES = 12


@pytest.fixture(autouse=True)
def _two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    """The in-process tests run as on a 2-core machine, whatever this one has."""
    monkeypatch.setattr(os, "cpu_count", lambda: 2)


def write_batch_input(path: Path, count: int = ARTICLES) -> Path:
    path.write_text(
        "".join(
            json.dumps({"id": f"art-{i:02d}", "text": ARTICLE, "outlet": f"o{i}"}) + "\n"
            for i in range(count)
        ),
        encoding="utf-8",
    )
    return path


def records_of(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = cli.main(list(argv))
    return status, capsys.readouterr().err


def test_two_workers_write_the_same_records_as_one_process(
    briefers: list[Briefer],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = write_batch_input(tmp_path / "in.jsonl")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    common = ["--target", "the bridge plan", "--no-progress"]
    assert run(capsys, "brief", "--batch", str(source), "--out", str(one), *common)[0] == 0
    status, err = run(
        capsys, "brief", "--batch", str(source), "--out", str(two), "--workers", "2", *common
    )
    assert status == 0, err
    assert f"{ARTICLES} done, 0 skipped, 0 failed" in err
    # The parent loaded no model: the one Briefer made here is the 1-process run's; the
    # workers made theirs after the fork.
    assert len(briefers) == 1
    by_id = {r["id"]: r for r in records_of(one)}
    written = records_of(two)
    assert sorted(r["id"] for r in written) == sorted(by_id)  # every id, once
    for record in written:
        assert record == by_id[record["id"]]  # brief and meta alike
        Brief.model_validate(record["brief"])


def test_workers_brief_only_what_the_output_lacks(
    briefers: list[Briefer],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = write_batch_input(tmp_path / "in.jsonl")
    out = tmp_path / "out.jsonl"
    first = write_batch_input(tmp_path / "first.jsonl", count=5)
    assert run(capsys, "brief", "--batch", str(first), "--out", str(out), "--no-summary")[0] == 0
    status, err = run(
        capsys, "brief", "--batch", str(source), "--out", str(out), "--workers", "2",
        "--no-summary",
    )  # fmt: skip
    assert status == 0, err
    assert f"{ARTICLES - 5} done, 5 skipped, 0 failed" in err
    assert sorted(r["id"] for r in records_of(out)) == [f"art-{i:02d}" for i in range(ARTICLES)]


def test_workers_write_a_parquet_output_too(
    briefers: list[Briefer],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = write_batch_input(tmp_path / "in.jsonl")
    out = tmp_path / "briefs.parquet"
    argv = ["brief", "--batch", str(source), "--out", str(out), "--workers", "2", "--no-summary"]
    assert run(capsys, *argv)[0] == 0
    ids = sorted(r["id"] for r in read_parquet_records(out))
    assert ids == [f"art-{i:02d}" for i in range(ARTICLES)]


def test_a_full_disk_with_workers_leaves_no_half_line_and_no_worker(
    briefers: list[Briefer],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = write_batch_input(tmp_path / "in.jsonl")
    out = tmp_path / "out.jsonl"
    real_write = os.write
    records = 0

    def full_disk(fd: int, data: bytes | memoryview) -> int:
        nonlocal records
        if fd > 2 and len(data) > 100 and bytes(data[:7]) == b'{"id": ':  # a record
            records += 1
            if records == 4:  # the fourth: some of it lands, then the disk is full
                real_write(fd, bytes(data[:50]))
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full_disk)
    status, err = run(
        capsys, "brief", "--batch", str(source), "--out", str(out), "--workers", "2",
        "--no-summary",
    )  # fmt: skip
    monkeypatch.undo()
    assert status == cli.EXIT_INPUT
    assert "No space left on device" in err and "rerun to resume" in err
    assert len(finished_ids(out)) == 3 and out.read_bytes().endswith(b"}\n")  # no half line
    assert multiprocessing.active_children() == []  # the workers were ended


class _SaysItsThreads(Briefer):
    """A Briefer whose every article fails with the worker's thread settings as the message."""

    def brief(self, *args: Any, **kwargs: Any) -> Brief:
        torch = sys.modules.get("torch")
        raise ValueError(
            f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')} "
            f"torch={torch.get_num_threads() if torch is not None else 'not imported'}"
        )


def test_each_worker_runs_its_share_of_the_cores(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    monkeypatch.setenv("OMP_NUM_THREADS", "1")  # the parent's own setting is not the workers'
    monkeypatch.setattr(
        cli, "_make_briefer", lambda args: _SaysItsThreads(backend=scripted_briefer().backend)
    )
    source = write_batch_input(tmp_path / "in.jsonl", count=4)
    out = tmp_path / "out.jsonl"
    status, _ = run(capsys, "brief", "--batch", str(source), "--out", str(out), "--workers", "2")
    assert status == 1
    messages = {r["error"]["message"].split(": ", 1)[1] for r in records_of(out)}
    torch = "2" if "torch" in sys.modules else "not imported"
    assert messages == {f"OMP_NUM_THREADS=2 torch={torch}"}


class _DiesOn(Briefer):
    """A Briefer whose process is killed (SIGKILL, as the OOM killer does) on one article."""

    fatal = "That article kills its worker."

    def brief(self, text: str, *args: Any, **kwargs: Any) -> Brief:
        if text.startswith(self.fatal):
            os.kill(os.getpid(), signal.SIGKILL)
        return super().brief(text, *args, **kwargs)


def test_a_killed_worker_loses_nothing_and_the_others_go_on(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        cli, "_make_briefer", lambda args: _DiesOn(backend=scripted_briefer().backend)
    )
    source = tmp_path / "in.jsonl"
    lines = [{"id": f"art-{i:02d}", "text": ARTICLE} for i in range(ARTICLES)]
    lines[3]["text"] = _DiesOn.fatal + " " + ARTICLE
    source.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    argv = ["brief", "--batch", str(source), "--out", str(out), "--workers", "2", "--no-summary"]
    status, err = run(capsys, *argv)
    assert status == 1  # an article has no brief
    assert f"{ARTICLES - 1} done, 0 skipped, 1 failed" in err
    records = records_of(out)
    assert sorted(r["id"] for r in records) == [f"art-{i:02d}" for i in range(ARTICLES)]
    (died,) = [r for r in records if "error" in r]
    assert died["id"] == "art-03"
    assert died["error"]["type"] == "WorkerDied"
    assert "killed by signal 9" in died["error"]["message"]
    assert died["error"]["message"].startswith(f"{source}:4")  # located like any error

    # A plain rerun keeps the error record; --retry-failed briefs the article again (and
    # kills a worker again: still one record more, never a lost or doubled id).
    status, err = run(capsys, *argv)
    assert (status, "0 done, 12 skipped") == (1, err.split("newsbrief: ")[-1][:18])
    status, err = run(capsys, *argv, "--retry-failed")
    assert status == 1 and "0 done, 11 skipped, 1 failed" in err
    assert len(records_of(out)) == ARTICLES + 1
    assert {r["id"] for r in records_of(out)} == {f"art-{i:02d}" for i in range(ARTICLES)}


def test_when_every_worker_dies_the_run_stops_with_what_it_wrote(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        cli, "_make_briefer", lambda args: _DiesOn(backend=scripted_briefer().backend)
    )
    source = tmp_path / "in.jsonl"
    texts = [ARTICLE, _DiesOn.fatal, _DiesOn.fatal, ARTICLE, ARTICLE, ARTICLE]
    source.write_text(
        "".join(json.dumps({"id": f"a{i}", "text": t}) + "\n" for i, t in enumerate(texts)),
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    argv = ["brief", "--batch", str(source), "--out", str(out), "--workers", "2", "--no-summary"]
    status, err = run(capsys, *argv)
    assert status == 1
    assert "every worker process died with" in err and "rerun" in err
    records = records_of(out)
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)) and {"a1", "a2"} <= set(ids)
    assert all(r["error"]["type"] == "WorkerDied" for r in records if r["id"] in ("a1", "a2"))
    assert len(ids) < len(texts)  # it stopped with articles left

    monkeypatch.setattr(cli, "_make_briefer", lambda args: scripted_briefer())
    status, err = run(capsys, *argv)  # the rerun briefs what is left, once each
    assert status == 1, err  # the two WorkerDied records are kept
    assert sorted(r["id"] for r in records_of(out)) == [f"a{i}" for i in range(len(texts))]


def test_a_worker_that_cannot_load_the_model_exits_4(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def fail(args: Any) -> Briefer:
        raise ModelLoadError("no such model: nowhere/none")

    monkeypatch.setattr(cli, "_make_briefer", fail)
    source = write_batch_input(tmp_path / "in.jsonl")
    out = tmp_path / "out.jsonl"
    status, err = run(capsys, "brief", "--batch", str(source), "--out", str(out), "--workers", "2")
    assert status == 4
    assert "no such model: nowhere/none" in err and "Traceback" not in err
    assert records_of(out) == []


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--workers", "0"], "--workers must be from 1 to"),
        (["--workers", "-3"], "--workers must be from 1 to"),
        (["--workers", "3"], "--workers must be from 1 to 2 (this machine's cores), not 3"),
        (["--workers", "2", "--ray"], "--workers is for one machine; with --ray give --actors"),
    ],
)
def test_bad_worker_counts_are_refused_before_the_model_loads(
    briefers: list[Briefer],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    source = write_batch_input(tmp_path / "in.jsonl")
    out = tmp_path / "out.jsonl"
    status, err = run(capsys, "brief", "--batch", str(source), "--out", str(out), *extra)
    assert status == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert briefers == [] and not out.exists()


def test_workers_without_a_batch_are_refused(
    briefers: list[Briefer],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    status, err = run(capsys, "brief", str(article), "--workers", "2")
    assert status == 2 and "--workers is for --batch" in err and briefers == []


def test_worker_count_and_threads_follow_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    check_workers(1)
    check_workers(8)
    for bad in (0, 9):
        with pytest.raises(ValueError, match="from 1 to 8"):
            check_workers(bad)
    assert [worker_threads(n) for n in (1, 2, 3, 8)] == [8, 4, 2, 1]
    monkeypatch.setattr(os, "cpu_count", lambda: None)  # unknown: one core
    assert worker_threads(2) == 1


# -- a real process killed mid-run --------------------------------------------------------

KILLED_ARTICLES = 30

RUNNER = """
import sys, time
sys.path.insert(0, {tests!r})
from test_cli import scripted_briefer
from newsbrief.surfaces import cli
from newsbrief.briefer import Briefer

class SlowBriefer(Briefer):
    def brief(self, *args, **kwargs):
        time.sleep(0.1)
        return super().brief(*args, **kwargs)

cli._make_briefer = lambda args: SlowBriefer(backend=scripted_briefer().backend)
sys.exit(cli.main(sys.argv[1:]))
"""


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="--workers 2 needs 2 cores")
def test_kill_9_of_a_multi_worker_batch_then_a_rerun_leaves_every_id_once(
    tmp_path: Path,
) -> None:
    source = write_batch_input(tmp_path / "in.jsonl", count=KILLED_ARTICLES)
    runner = tmp_path / "runner.py"
    runner.write_text(RUNNER.format(tests=str(Path(__file__).parent)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    command = [sys.executable, str(runner), "brief", "--batch", str(source), "--out", str(out)]
    command += ["--workers", "2", "--no-summary", "--target", "the bridge plan"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not out.exists() or len(out.read_bytes().splitlines()) < 5:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the batch ended or stalled early: {process.communicate()[1]!r}")
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    written = len(out.read_bytes().splitlines())
    assert 5 <= written < KILLED_ARTICLES  # really stopped mid-run

    # At once: the workers died with the parent and hold no copy of the output's lock.
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    ids = [r["id"] for r in records_of(out)]
    assert sorted(ids) == [f"art-{i:02d}" for i in range(KILLED_ARTICLES)]  # each exactly once
    assert all("brief" in r for r in records_of(out))
    summary = rerun.stderr.rstrip().splitlines()[-1]
    skipped = int(summary.split(" skipped")[0].rsplit(" ", 1)[-1])
    assert written <= skipped < KILLED_ARTICLES
    assert f"{KILLED_ARTICLES - skipped} done, {skipped} skipped, 0 failed" in summary


def test_ctrl_c_stops_the_workers_and_keeps_whole_records(tmp_path: Path) -> None:
    source = write_batch_input(tmp_path / "in.jsonl", count=KILLED_ARTICLES)
    runner = tmp_path / "runner.py"
    runner.write_text(RUNNER.format(tests=str(Path(__file__).parent)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    command = [sys.executable, str(runner), "brief", "--batch", str(source), "--out", str(out)]
    process = subprocess.Popen(
        [*command, "--workers", "2", "--no-summary"],
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
        preexec_fn=sigint_as_in_a_terminal,
    )
    deadline = time.monotonic() + 120
    while not out.exists() or len(out.read_bytes().splitlines()) < 3:
        assert process.poll() is None and time.monotonic() < deadline, "ended or stalled"
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGINT)  # Ctrl-C reaches the parent and its workers
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Traceback" not in err
    summary = err.rstrip().splitlines()[-1]
    assert summary.startswith("newsbrief: interrupted: ")
    done = int(summary.removeprefix("newsbrief: interrupted: ").split(" done")[0])
    lines = out.read_bytes().splitlines()
    assert done == len(lines) >= 3 and len(finished_ids(out)) == len(lines)


STUCK_RUNNER = """
import sys, time
from newsbrief.surfaces import cli

def never_loads(args):  # a worker stuck loading its model
    time.sleep(300)

cli._make_briefer = never_loads
sys.exit(cli.main(sys.argv[1:]))
"""


def children_of(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (from ``/proc/*/stat``)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2,
    reason="reads /proc; --workers 2 needs 2 cores",
)
def test_workers_die_with_a_killed_parent_and_leave_the_output_unlocked(tmp_path: Path) -> None:
    import fcntl

    source = write_batch_input(tmp_path / "in.jsonl", count=4)
    runner = tmp_path / "runner.py"
    runner.write_text(STUCK_RUNNER, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    command = [sys.executable, str(runner), "brief", "--batch", str(source), "--out", str(out)]
    process = subprocess.Popen([*command, "--workers", "2"], stderr=subprocess.PIPE)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2:
            assert process.poll() is None and time.monotonic() < deadline, "no workers started"
            workers = children_of(process.pid)
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(alive(pid) for pid in workers)  # no orphan left loading a model
        with out.open("rb") as handle:  # and none holds the lock a rerun needs
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks")
def test_a_forked_worker_holds_no_copy_of_the_output_lock(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    ready_r, ready_w = os.pipe()
    done_r, done_w = os.pipe()
    with output_lock(out):
        child = os.fork()
        if child == 0:  # the worker: forget, say so, wait for the parent
            try:
                forget_inherited_locks()
                os.write(ready_w, b"x")
                os.read(done_r, 1)
            finally:
                os._exit(0)
        assert os.read(ready_r, 1) == b"x"
    try:
        # The parent let go while the worker lives: the output is free for the next run.
        with output_lock(out):
            pass
    finally:
        os.write(done_w, b"x")
        os.waitpid(child, 0)
        for fd in (ready_r, ready_w, done_r, done_w):
            os.close(fd)


def test_an_article_handed_to_a_worker_already_gone_goes_back_to_the_queue() -> None:
    from collections import deque

    from newsbrief.surfaces.batch import Article
    from newsbrief.surfaces.batch.workers import _Worker, _WorkerPool

    ours, theirs = multiprocessing.Pipe()
    theirs.close()  # the worker died: nothing reads its pipe
    worker = _Worker(process=None, connection=ours)
    pending = deque([Article("a", ARTICLE), Article("b", ARTICLE)])
    _WorkerPool(scripted_briefer, None, 1, 1)._hand_next(worker, pending)
    assert [a.id for a in pending] == ["a", "b"]  # not lost to the dead worker...
    assert worker.article is None  # ...nor recorded as its WorkerDied
    ours.close()
