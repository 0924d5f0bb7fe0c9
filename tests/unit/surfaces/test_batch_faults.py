"""Hostile batch inputs and outputs (issue 17): surrogates, id clashes, outputs not files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from test_cli import ARTICLE, briefers  # noqa: F401 - fixture

from newsbrief.backends import ScriptedBackend
from newsbrief.briefer import Briefer
from newsbrief.errors import InputError
from newsbrief.surfaces import cli
from newsbrief.surfaces.batch import Article, BadInput, finished_ids, read_inputs
from newsbrief.text.inputs import check_article


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# -- lone surrogates ------------------------------------------------------------------


def test_quotes_with_a_lone_surrogate_raise_input_error() -> None:
    briefer = Briefer(backend=ScriptedBackend([]))
    with pytest.raises(InputError, match=r"lone surrogate U\+D800 at character 4"):
        briefer.quotes('"Hi \ud800," said Maria Lopez.')
    with pytest.raises(InputError, match="lone surrogate"):
        check_article("A whole sentence with words \udc00 in it.")


def test_escaped_surrogates_are_valid_unicode_and_stable() -> None:
    from newsbrief.text.inputs import escape_surrogates

    assert escape_surrogates("a\ud83db") == "a\\ud83db"
    assert escape_surrogates("a\ud83db").encode("utf-8") == b"a\\ud83db"
    assert escape_surrogates("plain \U0001f600") == "plain \U0001f600"  # a whole emoji stays


# The JSON text of the lines, as a JavaScript tool that cut a string mid-emoji writes it.
SURROGATE_LINES = [
    '{"id": "\\ud83d", "text": ' + json.dumps(ARTICLE) + "}",
    '{"id": "t", "text": "Mayor Ann Lopez said \\ud83d it was good."}',
    '{"id": "h", "title": "Cut \\ud83d", "text": ' + json.dumps(ARTICLE) + "}",
    '{"id": "k", "\\ud83d": 1}',
    '{"id": "after", "text": ' + json.dumps(ARTICLE) + "}",
]


def test_surrogates_in_ids_are_escaped_and_in_texts_become_bad_inputs(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", SURROGATE_LINES)
    cut_id, text, title, key, after = read_inputs(str(source))
    assert isinstance(cut_id, Article) and cut_id.id == "\\ud83d"
    assert isinstance(text, BadInput) and "text contains a lone surrogate" in text.message
    assert isinstance(title, BadInput)
    assert "field 'title' contains a lone surrogate" in title.message
    assert isinstance(key, BadInput) and "no 'text' field" in key.message
    assert isinstance(after, Article) and after.id == "after"


def test_a_batch_with_surrogates_goes_on_and_a_rerun_skips_them(
    briefers: list[Briefer],  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", SURROGATE_LINES)
    out = tmp_path / "briefs.jsonl"
    argv = ["brief", "--batch", str(source), "--out", str(out), "--no-summary", "--no-stance"]
    assert cli.main(argv) == cli.EXIT_FAILED
    written = out.read_bytes()
    written.decode("utf-8")  # valid UTF-8 throughout
    by_id = {r["id"]: r for r in records(out)}
    assert set(by_id) == {"\\ud83d", "t", "h", "k", "after"}
    assert "brief" in by_id["\\ud83d"] and "brief" in by_id["after"]
    assert by_id["t"]["error"]["type"] == "InputError"
    assert "\\ud83d" in by_id["k"]["error"]["message"]  # the key, escaped in the message
    capsys.readouterr()
    # The rerun recognises every id, the escaped one too: nothing is briefed twice.
    assert cli.main(argv) == cli.EXIT_FAILED
    assert "0 done, 5 skipped, 0 failed" in capsys.readouterr().err
    assert out.read_bytes() == written


def test_a_record_with_a_surrogate_that_reaches_the_writer_is_still_written(
    tmp_path: Path,
) -> None:
    from newsbrief.options import BriefRecord
    from newsbrief.surfaces.batch import RecordWriter

    out = tmp_path / "o.jsonl"
    with RecordWriter(out) as writer:
        writer.write(BriefRecord.failed("x", "E", "cut \ud83d"))
        writer.write(BriefRecord.failed("y", "E", "fine é"))
    first, second = records(out)
    assert first["error"]["message"] == "cut \\ud83d"  # escaped, as ids are
    assert second["error"]["message"] == "fine é"


# -- ids ------------------------------------------------------------------------------


def test_a_line_number_id_steps_aside_for_an_explicit_one(tmp_path: Path) -> None:
    source = write_jsonl(
        tmp_path / "in.jsonl",
        [
            json.dumps({"text": "one"}),
            json.dumps({"text": "two"}),
            json.dumps({"id": "2", "text": "three"}),
            "{broken",
            json.dumps({"id": 4, "text": "five"}),
        ],
    )
    items = read_inputs(str(source))
    assert [item.id for item in items] == ["1", "line-2", "2", "line-4", "4"]
    assert all(isinstance(item, Article) for item in items[:3])
    assert isinstance(items[3], BadInput) and items[3].record


def test_json_error_messages_read_right(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", ['{"id": "a", "text": "tab\there"}'])
    (bad,) = read_inputs(str(source))
    assert isinstance(bad, BadInput)
    assert bad.message == "not JSON (Invalid control character at column 25)"


# -- outputs that are not record files ------------------------------------------------


def test_out_equal_to_the_input_is_refused_and_the_input_kept(
    briefers: list[Briefer],  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [json.dumps({"id": "a", "text": ARTICLE})])
    before = source.read_bytes()
    alias = tmp_path / "link.jsonl"
    alias.symlink_to(source)
    for out in (source, alias):
        status = cli.main(["brief", "--batch", str(source), "--out", str(out)])
        assert status == cli.EXIT_INPUT
        assert "is the input file" in capsys.readouterr().err
    assert source.read_bytes() == before and briefers == []


@pytest.mark.parametrize("device", ["/dev/full", "/dev/null"])
def test_a_device_as_out_is_refused_without_reading_it(
    briefers: list[Briefer],  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    device: str,
) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [json.dumps({"id": "a", "text": ARTICLE})])
    status = cli.main(["brief", "--batch", str(source), "--out", device])
    assert status == cli.EXIT_INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a regular file" in err
    assert briefers == []
    with pytest.raises(InputError, match="not a regular file"):
        finished_ids(Path(device))  # the library path refuses it too


def test_a_pipe_as_out_is_refused_at_once(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [json.dumps({"id": "a", "text": ARTICLE})])
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    # Nobody opens the other end: reading the pipe to resume would block forever.
    result = subprocess.run(
        [sys.executable, "-m", "newsbrief", "brief", "--batch", str(source), "--out", str(fifo)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == cli.EXIT_INPUT
    assert "not a regular file" in result.stderr and "Traceback" not in result.stderr


def test_out_dev_stdout_into_a_pipe_does_not_hang(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [json.dumps({"id": "a", "text": ARTICLE})])
    command = [sys.executable, "-m", "newsbrief", "brief", "--batch", str(source)]
    process = subprocess.Popen(
        [*command, "--out", "/dev/stdout"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    timer = threading.Timer(120, process.kill)
    timer.start()
    try:
        out, err = process.communicate()
    finally:
        timer.cancel()
    assert process.returncode == cli.EXIT_INPUT, err
    assert out == "" and "not a regular file" in err


def test_a_batch_of_unusable_texts_never_loads_the_model(
    briefers: list[Briefer],  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = write_jsonl(
        tmp_path / "in.jsonl",
        [json.dumps({"id": "a", "text": "  "}), json.dumps({"id": "b", "text": "12 34"})],
    )
    out = tmp_path / "o.jsonl"
    assert cli.main(["brief", "--batch", str(source), "--out", str(out)]) == cli.EXIT_FAILED
    assert briefers == []  # checked while reading, before any model loads
    messages = [r["error"]["message"] for r in records(out)]
    assert messages == [
        f"{source}:1: text is empty or whitespace only",
        f"{source}:2: text has no letters: nothing to brief",
    ]
