"""Hostile batch outputs (issue 23): files that are not records, two writers, a full disk,
damaged Parquet parts, an output inside its own input. Nothing lost, one line, exit 3."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from newsbrief.briefer import Briefer
from newsbrief.errors import InputError
from newsbrief.options import BriefRecord
from newsbrief.surfaces import cli
from newsbrief.surfaces.batch import (
    ParquetRecordWriter,
    RecordWriter,
    finished_ids,
    output_lock,
    read_inputs,
    read_parquet_records,
)
from newsbrief.surfaces.batch.readers import InputOptions
from newsbrief.surfaces.tables import read_briefs
from newsbrief.text.safe_text import one_line_json, terminal_text
from tests.unit.surfaces import test_cli as cli_tests
from tests.unit.surfaces.test_cli import ARTICLE, scripted_briefer

briefers = cli_tests.briefers  # the fixture: every Briefer the command makes

RECORD_A = json.dumps({"id": "a", "error": {"type": "InputError", "message": "m"}})


@pytest.fixture
def batch_input(tmp_path: Path) -> Path:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "x", "text": ARTICLE}) + "\n", encoding="utf-8")
    return source


def run_batch_cli(
    capsys: pytest.CaptureFixture[str], source: Path, out: Path, *extra: str
) -> tuple[int, str]:
    status = cli.main(["brief", "--batch", str(source), "--out", str(out), *extra])
    return status, capsys.readouterr().err


# -- item 1: only a run's own cut-off record is ever removed ---------------------------


def test_notes_without_a_final_newline_are_refused_and_kept(
    tmp_path: Path,
    batch_input: Path,
    briefers: list[Briefer],
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "notes.txt"
    out.write_bytes(b"notes 1\nnotes 2 (no newline)")
    status, err = run_batch_cli(capsys, batch_input, out, "-q")
    assert status == cli.EXIT_INPUT
    assert out.read_bytes() == b"notes 1\nnotes 2 (no newline)"  # nothing written or cut
    assert "notes.txt:1: not a newsbrief record" in err and len(err.splitlines()) == 1
    assert not briefers  # refused before the model loads


@pytest.mark.parametrize(
    "content",
    [
        b"only a line of notes, no newline",
        RECORD_A.encode() + b"\nnotes after the records\n",
        RECORD_A.encode() + b'\n{"id": "b"}\n',  # JSON with an id, but no brief or error
        RECORD_A.encode() + b"\n[1, 2]\n",
    ],
)
def test_an_output_whose_lines_are_not_records_is_refused_unchanged(
    tmp_path: Path, content: bytes
) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(content)
    with pytest.raises(InputError, match="not a newsbrief record"):
        finished_ids(out)
    assert out.read_bytes() == content


def test_a_whole_record_without_its_newline_is_kept_and_the_newline_added(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(RECORD_A.encode())
    assert finished_ids(out) == {"a"}
    assert out.read_bytes() == RECORD_A.encode() + b"\n"
    with RecordWriter(out) as writer:
        writer.write(BriefRecord.failed("b", "InputError", "m"))
    assert [json.loads(line)["id"] for line in out.read_bytes().splitlines()] == ["a", "b"]


@pytest.mark.parametrize("cut", [b"{", b'{"id"', b'{"id": "b", "bri'])
def test_a_cut_off_record_is_dropped(tmp_path: Path, cut: bytes) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(RECORD_A.encode() + b"\n" + cut)
    assert finished_ids(out) == {"a"}
    assert out.read_bytes() == RECORD_A.encode() + b"\n"


# -- item 2: one writer per output -----------------------------------------------------


def test_a_second_writer_is_refused_and_the_half_line_is_kept(
    tmp_path: Path,
    batch_input: Path,
    briefers: list[Briefer],
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out.jsonl"
    half = RECORD_A.encode() + b'\n{"id": "b", "bri'  # the other run is mid-write
    out.write_bytes(half)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR); "
            "fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(60)",
            str(out),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        status, err = run_batch_cli(capsys, batch_input, out)
        assert status == cli.EXIT_INPUT
        assert "is being written by another newsbrief run" in err
        assert len(err.strip().splitlines()) == 1
        assert out.read_bytes() == half  # not cut
        assert not briefers
        with pytest.raises(InputError, match="another newsbrief run"):
            finished_ids(out)
    finally:
        holder.kill()
        holder.wait()
    assert finished_ids(out) == {"a"}  # the holder is gone: its half line is a crash's


def test_the_lock_is_reentrant_in_a_process_and_released_after(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with output_lock(out), output_lock(out):
        assert finished_ids(out) == set()  # takes the lock again inside
        other = os.open(out, os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(other)
    other = os.open(out, os.O_RDWR)
    try:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released
    finally:
        os.close(other)


def test_a_parquet_output_is_locked_too(tmp_path: Path) -> None:
    out = tmp_path / "o.parquet"
    out.mkdir()
    other = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(InputError, match="another newsbrief run"):
            finished_ids(out)
    finally:
        os.close(other)


# -- item 6: a full disk, damaged parts ------------------------------------------------


def test_a_full_disk_leaves_no_half_line_and_exits_3(
    tmp_path: Path,
    batch_input: Path,
    briefers: list[Briefer],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(RECORD_A.encode() + b"\n")
    real_write = os.write

    def full_disk(fd: int, data: bytes | memoryview) -> int:
        if len(data) > 100:  # a record: some of it lands, then the disk is full
            real_write(fd, bytes(data[:50]))
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full_disk)
    status, err = run_batch_cli(capsys, batch_input, out)
    monkeypatch.undo()
    assert status == cli.EXIT_INPUT
    assert "No space left on device" in err and "rerun to resume" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert out.read_bytes() == RECORD_A.encode() + b"\n"  # no half line
    assert finished_ids(out) == {"a"}


def test_a_full_disk_while_writing_a_parquet_part_leaves_no_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "o.parquet"

    def full_disk(table: object, where: Path, **kwargs: object) -> None:
        Path(where).write_bytes(b"PAR1 half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(pq, "write_table", full_disk)
    writer = ParquetRecordWriter(out)
    writer.write(BriefRecord.failed("a", "E", "m"))
    with pytest.raises(InputError, match="No space left on device"):
        writer.close()
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("kind", ["damaged", "foreign"])
def test_a_bad_parquet_part_is_an_error_naming_the_file(
    tmp_path: Path,
    kind: str,
    batch_input: Path,
    briefers: list[Briefer],
    capsys: pytest.CaptureFixture[str],
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = tmp_path / "o.parquet"
    with ParquetRecordWriter(out) as writer:
        writer.write(BriefRecord.failed("a", "E", "m"))
    bad = out / "zz.parquet"
    if kind == "damaged":
        good = writer.parts[0].read_bytes()
        bad.write_bytes(good[: len(good) // 2] + b"\0" * 64 + good[-16:])
    else:
        pq.write_table(pa.table({"name": ["x"], "value": [1]}), bad)
    for read in (lambda: finished_ids(out), lambda: read_briefs(out)):
        with pytest.raises(InputError, match=r"zz\.parquet: not a newsbrief Parquet part"):
            read()
    status, err = run_batch_cli(capsys, batch_input, out)
    assert status == cli.EXIT_INPUT and "zz.parquet" in err and "Traceback" not in err
    bad.unlink()  # moved out, as the message says: the output reads again
    assert [r["id"] for r in read_parquet_records(out)] == ["a"]


def test_a_deeply_nested_line_in_the_output_is_refused_in_one_line(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(b"[" * 100_000 + b"]" * 100_000 + b"\n")
    with pytest.raises(InputError, match="nested too deeply"):
        finished_ids(out)
    with pytest.raises(InputError, match="not a newsbrief record"):
        read_briefs(out)


# -- item 10: the output inside a directory input --------------------------------------


def test_an_output_inside_the_input_directory_is_not_briefed(
    tmp_path: Path, briefers: list[Briefer], capsys: pytest.CaptureFixture[str]
) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "bridge.txt").write_text(ARTICLE, encoding="utf-8")
    out = articles / "briefs.txt"
    status, _ = run_batch_cli(capsys, articles, out, "--no-summary", "--target", "the plan")
    assert status == cli.EXIT_OK
    assert [item.id for item in read_inputs(str(articles), InputOptions(), output=out)] == [
        "bridge"
    ]
    status, err = run_batch_cli(capsys, articles, out, "--no-summary", "--target", "the plan")
    assert status == cli.EXIT_OK and "0 done, 1 skipped, 0 failed" in err
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["bridge"]


# -- item 12: JSONL lines that str.splitlines() keeps whole ----------------------------


def test_jsonl_escapes_the_characters_splitlines_breaks_on(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    texts = ["a\u2028b", "c\u2029d", "e\x85f", "g\x1ch\x1di\x1ej\x0bk\x0cl"]
    with RecordWriter(out) as writer:
        for i, text in enumerate(texts):
            writer.write(BriefRecord.failed(str(i), "InputError", text))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(texts)
    assert [json.loads(line)["error"]["message"] for line in lines] == texts  # verbatim


def test_a_brief_to_jsonl_keeps_offsets_through_the_escapes(tmp_path: Path) -> None:
    text = ARTICLE.replace("the town,", "the\u2028town,")
    brief = scripted_briefer().brief(text, None, "the plan", summary=False)
    line = BriefRecord(id="a", brief=brief).json_line()
    assert len(line.splitlines()) == 1
    again = json.loads(line)["brief"]["quotes"]
    assert again and all(text[q["start"] : q["end"]] == q["text"] for q in again)


# -- item 3: nothing from the article acts on the terminal ------------------------------

HOSTILE = "\x1b]8;;http://evil.example/\x1b\\bridge\x1b]8;;\x1b\\ \x1b[2J\x1bc\x9b31m\x07\r"
HOSTILE_ARTICLE = ARTICLE.replace("bridge for the town", HOSTILE + " for the town")
#: What a terminal acts on: ESC, CSI (U+009B), BEL, a carriage return.
ACTIVE = re.compile("[\x1b\x9b\x07\r]")


def test_terminal_text_makes_every_control_visible() -> None:
    assert terminal_text("a\x1b[2Jb\x9bc\x07\td\r\ne\rf\x85") == (
        "a\\x1b[2Jb\\x9bc\\x07\td\ne\\x0df\\x85"
    )
    plain = "José “quoted” \u200f عربي 😀 tab\tnewline\n"
    assert terminal_text(plain) is plain  # printable text untouched


def test_one_line_json_is_the_same_json() -> None:
    value = {"t": "a\u2028b\x85c\x9bd\x7fe\x1bf"}
    dumped = one_line_json(json.dumps(value, ensure_ascii=False))
    assert json.loads(dumped) == value
    assert not re.search("[\x7f-\x9f\u2028\u2029\x1b]", dumped)


@pytest.mark.parametrize("fmt", [None, "markdown", "html", "json"])
def test_article_control_sequences_never_reach_the_terminal(
    tmp_path: Path,
    fmt: str | None,
    briefers: list[Briefer],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    article = tmp_path / "bridge.txt"
    article.write_text(HOSTILE_ARTICLE, encoding="utf-8")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    extra = ["--format", fmt] if fmt else []
    status = cli.main(["brief", str(article), "--title", "Vote\x1b[2J", *extra])
    out = capsys.readouterr().out
    assert status == 0
    styles = re.compile(r"\x1b\[[0-9;]*m")  # rich's own bold and colours (the default view)
    assert not ACTIVE.search(styles.sub("", out))
    if fmt == "json":  # the JSON keeps the verbatim text and offsets
        brief = json.loads(out)
        quote = next(q for q in brief["quotes"] if "for the town" in q["text"])
        assert HOSTILE in quote["text"]
        assert HOSTILE_ARTICLE[quote["start"] : quote["end"]] == quote["text"]
    else:
        assert "\\x1b]8;;http://evil.example/" in out  # shown, not acted on


def test_markdown_output_has_no_control_characters(tmp_path: Path) -> None:
    from newsbrief.surfaces.display import brief_markdown

    brief = scripted_briefer().brief(HOSTILE_ARTICLE, "Vote\x1bc", "the plan", summary=False)
    markdown = brief_markdown(brief)
    assert not ACTIVE.search(markdown) and "\\x1b" in markdown


def test_messages_on_stderr_show_control_characters(
    tmp_path: Path, briefers: list[Briefer], capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "gone\x1b[2J.txt"
    status = cli.main(["brief", str(missing)])
    err = capsys.readouterr().err
    assert status == cli.EXIT_INPUT
    assert "gone\\x1b[2J.txt" in err and "\x1b" not in err


def test_a_deeply_nested_input_line_is_one_error_record_and_the_batch_goes_on(
    tmp_path: Path, briefers: list[Briefer], capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.jsonl"
    deep = "[" * 100_000 + "]" * 100_000
    good = json.dumps({"id": "ok", "text": ARTICLE})
    source.write_text(f"{deep}\n{good}\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    status, err = run_batch_cli(capsys, source, out, "--no-summary", "--target", "the plan")
    assert status == cli.EXIT_FAILED and "Traceback" not in err
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], "brief" in r) for r in lines] == [("1", False), ("ok", True)]
    assert "nested too deeply" in lines[0]["error"]["message"]
