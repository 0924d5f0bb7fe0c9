"""Batch briefing: reading inputs, resuming from the output, error records, the CLI."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newsbrief.briefer import Briefer
from newsbrief.errors import InputError
from newsbrief.models import Brief
from newsbrief.options import BriefOptions, BriefRecord
from newsbrief.surfaces import cli
from newsbrief.surfaces.batch import (
    Article,
    BadInput,
    BatchPlan,
    BatchSummary,
    InputOptions,
    ParquetRecordWriter,
    finished_ids,
    plan_batch,
    read_inputs,
    read_parquet_records,
    run_batch,
)
from tests.unit.surfaces.test_cli import ARTICLE, briefers, scripted_briefer  # noqa: F401 - fixture


def write_lines(path: Path, lines: list[str | bytes]) -> Path:
    data = b"".join((x if isinstance(x, bytes) else x.encode()) + b"\n" for x in lines)
    path.write_bytes(data)
    return path


def records(path: Path) -> list[dict[str, Any]]:
    """The records of a JSONL output, or of a Parquet output directory."""
    if path.suffix == ".parquet":
        return list(read_parquet_records(path))
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# -- reading --------------------------------------------------------------------------


def test_jsonl_ids_come_from_the_id_field_or_the_line_number(tmp_path: Path) -> None:
    source = write_lines(
        tmp_path / "in.jsonl",
        [
            json.dumps({"id": "a", "text": "one", "title": "T"}),
            "",
            json.dumps({"text": "three"}),
            json.dumps({"id": 7, "text": "four"}),
        ],
    )
    items = read_inputs(str(source))
    assert items == [
        Article("a", "one", "T", f"{source}:1"),
        Article("3", "three", None, f"{source}:3"),
        Article("7", "four", None, f"{source}:4"),
    ]


def test_jsonl_fields_are_configurable(tmp_path: Path) -> None:
    source = write_lines(
        tmp_path / "in.jsonl", [json.dumps({"doc": "x1", "body": "words", "headline": "H"})]
    )
    options = InputOptions(text_field="body", id_field="doc", title_field="headline")
    assert read_inputs(str(source), options) == [Article("x1", "words", "H", f"{source}:1")]


def test_bad_jsonl_lines_become_bad_inputs_naming_the_line(tmp_path: Path) -> None:
    source = write_lines(
        tmp_path / "in.jsonl",
        [
            "{not json",
            json.dumps({"id": "b", "body": "x"}),
            json.dumps({"id": "c", "text": 5}),
            "[1, 2]",
            '{"id": "e", "text": "caf\xe9"}'.encode("latin-1"),
            json.dumps({"id": None, "text": "x"}),
        ],
    )
    bad = read_inputs(str(source))
    assert all(isinstance(item, BadInput) for item in bad)
    assert [(b.id, b.where) for b in bad] == [
        ("1", f"{source}:1"),
        ("b", f"{source}:2"),
        ("c", f"{source}:3"),
        ("4", f"{source}:4"),
        ("5", f"{source}:5"),
        ("6", f"{source}:6"),
    ]
    messages = [b.message for b in bad if isinstance(b, BadInput)]
    assert messages[0].startswith("not JSON")
    assert messages[1] == "no 'text' field (fields: body, id); choose one with --text-field"
    assert messages[2] == "field 'text' is int, not text"
    assert messages[3] == "expected a JSON object, got list"
    assert messages[4].startswith("not UTF-8")
    assert messages[5] == "field 'id' must be a string or int"


def test_a_duplicate_id_is_reported_without_a_record(tmp_path: Path) -> None:
    source = write_lines(
        tmp_path / "in.jsonl",
        [json.dumps({"id": "a", "text": "one"}), json.dumps({"id": "a", "text": "two"})],
    )
    first, second = read_inputs(str(source))
    assert first == Article("a", "one", None, f"{source}:1")
    assert isinstance(second, BadInput) and second.record is False
    assert second.message == (
        f"duplicate id 'a' (first at {source}:1); skipped: give every record its own 'id' "
        "(--id-field names the field), or remove the repeat"
    )


def test_directory_ids_are_file_stems(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("second", encoding="utf-8")
    (tmp_path / "a.txt").write_text("\ufefffirst", encoding="utf-8")  # BOM dropped
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    (tmp_path / "c.txt").write_bytes("caf\xe9".encode("latin-1"))
    items = read_inputs(str(tmp_path))
    assert items[:2] == [
        Article("a", "first", None, str(tmp_path / "a.txt")),
        Article("b", "second", None, str(tmp_path / "b.txt")),
    ]
    assert isinstance(items[2], BadInput) and items[2].id == "c"
    assert items[2].message.startswith("not UTF-8")


def test_a_directory_without_text_files_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match=r"no \.txt or \.html files"):
        read_inputs(str(tmp_path))


def test_a_missing_input_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or directory"):
        read_inputs(str(tmp_path / "missing.jsonl"))


def test_stdin_is_read_as_jsonl() -> None:
    stream = io.BytesIO(b'{"id": "s", "text": "from stdin"}\n')
    assert read_inputs("-", stdin=stream) == [Article("s", "from stdin", None, "<stdin>:1")]


def test_html_records_are_reduced_to_text(tmp_path: Path) -> None:
    pytest.importorskip("trafilatura")
    from tests.unit.surfaces.test_cli import PAGE

    source = write_lines(tmp_path / "in.jsonl", [json.dumps({"id": "p", "text": PAGE})])
    (item,) = read_inputs(str(source))
    assert isinstance(item, Article)
    assert item.title == "Bridge vote"
    assert "Tom Reed, a local shop owner" in item.text and "<p>" not in item.text


# -- the output file ------------------------------------------------------------------


def test_finished_ids_read_briefs_and_errors(tmp_path: Path) -> None:
    out = write_lines(
        tmp_path / "out.jsonl",
        [
            json.dumps({"id": "a", "brief": {}}),
            json.dumps({"id": "b", "error": {"type": "InputError", "message": "m"}}),
            "",
        ],
    )
    assert finished_ids(out) == {"a", "b"}
    assert finished_ids(out, retry_failed=True) == {"a"}
    assert finished_ids(tmp_path / "absent.jsonl") == set()


def test_a_cut_off_last_record_is_removed(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    whole = json.dumps({"id": "a", "brief": {}}) + "\n"
    out.write_text(whole + '{"id": "b", "bri', encoding="utf-8")
    assert finished_ids(out) == {"a"}
    assert out.read_text(encoding="utf-8") == whole


# -- running --------------------------------------------------------------------------


def test_run_batch_writes_briefs_and_error_records(tmp_path: Path) -> None:
    briefer = scripted_briefer()
    plan = BatchPlan(
        articles=[Article("ok", ARTICLE, "T", "in:1"), Article("empty", " ", None, "in:2")],
        bad=[BadInput("3", "in:3", "not JSON")],
        skipped=4,
    )
    out = tmp_path / "out.jsonl"
    options = BriefOptions(target="the plan")
    summary = run_batch(plan, briefer, out, options=options, progress=False)
    assert (summary.done, summary.skipped, summary.failed) == (1, 4, 2)
    bad, ok, empty = records(out)
    assert bad == {"id": "3", "error": {"type": "InputError", "message": "in:3: not JSON"}}
    assert ok["id"] == "ok" and Brief.model_validate(ok["brief"]).title == "T"
    assert empty["id"] == "empty" and empty["error"]["type"] == "InputError"
    assert empty["error"]["message"].startswith("in:2: text is empty")


class FailingOn(Briefer):
    """The scripted Briefer, raising ``error`` for an article whose text ends in ``marker``."""

    def __init__(self, marker: str, error: BaseException) -> None:
        super().__init__(backend=scripted_briefer().backend)
        self.marker, self.error = marker, error

    def brief(self, text: str, *args: Any, **kwargs: Any) -> Brief:
        if text.endswith(self.marker):
            raise self.error
        return super().brief(text, *args, **kwargs)


def test_an_unexpected_exception_is_recorded_and_the_run_goes_on(tmp_path: Path) -> None:
    briefer = FailingOn("boom", RuntimeError("CUDA out of memory"))
    plan = BatchPlan(
        [Article("boom", ARTICLE + "boom", None, "x:1"), Article("fine", ARTICLE)], [], 0
    )
    options = BriefOptions(stances=False, summary=False)
    summary = run_batch(plan, briefer, tmp_path / "out.jsonl", options=options, progress=False)
    assert (summary.done, summary.failed) == (1, 1)
    boom, fine = records(tmp_path / "out.jsonl")
    assert boom["error"] == {"type": "RuntimeError", "message": "x:1: CUDA out of memory"}
    assert "brief" in fine


@pytest.mark.parametrize("name", ["out.jsonl", "out.parquet"])
def test_ctrl_c_keeps_every_finished_record(tmp_path: Path, name: str) -> None:
    briefer = FailingOn("3", KeyboardInterrupt())
    plan = BatchPlan([Article(str(i), ARTICLE + str(i)) for i in range(1, 6)], [], 0)
    options = BriefOptions(stances=False, summary=False)
    summary = run_batch(plan, briefer, tmp_path / name, options=options, progress=False)
    assert summary.interrupted and summary.done == 2
    assert [r["id"] for r in records(tmp_path / name)] == ["1", "2"]
    assert summary.line().startswith("interrupted: 2 done, 0 skipped, 0 failed in ")


def test_plan_skips_done_ids(tmp_path: Path) -> None:
    out = write_lines(tmp_path / "out.jsonl", [json.dumps({"id": "a", "brief": {}})])
    items: list[Article | BadInput] = [
        Article("a", "x"),
        Article("b", "y"),
        BadInput("c", "in:3", "not JSON"),
    ]
    plan = plan_batch(items, out)
    assert [a.id for a in plan.articles] == ["b"]
    assert [b.id for b in plan.bad] == ["c"]
    assert plan.skipped == 1


# -- Parquet output -------------------------------------------------------------------


def test_parquet_output_holds_the_jsonl_records(tmp_path: Path) -> None:
    briefer = scripted_briefer()
    plan = BatchPlan(
        articles=[Article("ok", ARTICLE, "Café", "in:1"), Article("empty", " ", None, "in:2")],
        bad=[BadInput("3", "in:3", "not JSON")],
        skipped=0,
    )
    for name in ("out.jsonl", "out.parquet"):
        options = BriefOptions(target="the plan")
        summary = run_batch(plan, briefer, tmp_path / name, options=options, progress=False)
        assert (summary.done, summary.failed) == (1, 2)
    jsonl, parquet = records(tmp_path / "out.jsonl"), records(tmp_path / "out.parquet")
    assert parquet == jsonl
    assert Brief.model_validate(parquet[1]["brief"]).title == "Café"
    assert finished_ids(tmp_path / "out.parquet") == {"ok", "empty", "3"}
    assert finished_ids(tmp_path / "out.parquet", retry_failed=True) == {"ok"}


def test_parquet_rows_hold_the_brief_as_json_text(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    brief = scripted_briefer().brief(ARTICLE, None, "the plan", summary=False)
    with ParquetRecordWriter(tmp_path / "o.parquet") as writer:
        writer.write(BriefRecord(id="a", brief=brief))
        writer.write(BriefRecord.failed("b", "InputError", "m"))
    (part,) = writer.parts
    assert pq.read_schema(part).names == ["id", "brief", "error", "meta"]
    a, b = pq.read_table(part).to_pylist()
    assert Brief.model_validate_json(a["brief"]) == brief and a["error"] is None
    assert b == {
        "id": "b",
        "brief": None,
        "error": {"type": "InputError", "message": "m"},
        "meta": None,  # the input's other fields, as JSON text, when it had any
    }


def test_parquet_parts_are_written_every_n_records_and_on_close(tmp_path: Path) -> None:
    out = tmp_path / "o.parquet"
    writer = ParquetRecordWriter(out, rows_per_part=2)
    for i in range(5):
        writer.write(BriefRecord.failed(str(i), "E", "m"))
    assert len(writer.parts) == 2 and finished_ids(out) == {"0", "1", "2", "3"}
    writer.close()
    assert len(writer.parts) == 3 and finished_ids(out) == {"0", "1", "2", "3", "4"}
    assert [r["id"] for r in writer.written()] == ["0", "1", "2", "3", "4"]


def test_parquet_part_is_written_when_the_oldest_record_has_waited(tmp_path: Path) -> None:
    writer = ParquetRecordWriter(tmp_path / "o.parquet", seconds_per_part=0.0)
    writer.write(BriefRecord.failed("a", "E", "m"))
    assert len(writer.parts) == 1


def test_a_half_written_parquet_part_is_removed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out = tmp_path / "o.parquet"
    with ParquetRecordWriter(out) as writer:
        writer.write(BriefRecord.failed("a", "E", "m"))
    cut = out / ".part-1-2.parquet.tmp"
    cut.write_bytes(b"PAR1 cut off")
    assert finished_ids(out) == {"a"}
    assert not cut.exists() and "interrupted write" in caplog.text


def test_a_parquet_output_must_be_a_directory(tmp_path: Path) -> None:
    out = tmp_path / "o.parquet"
    out.write_bytes(b"")
    with pytest.raises(InputError, match="directory of part files"):
        finished_ids(out)
    with pytest.raises(InputError, match="directory of part files"):
        ParquetRecordWriter(out)


@pytest.mark.parametrize(
    ("seconds", "done", "failed", "expected"),
    [
        (12.34, 4, 0, "4 done, 1 skipped, 0 failed in 12.3s, 3.1 s/article"),
        (125, 0, 0, "0 done, 1 skipped, 0 failed in 2m05s"),
        (3725, 1, 4, "1 done, 1 skipped, 4 failed in 1h02m05s, 745.0 s/article"),
    ],
)
def test_summary_line(seconds: float, done: int, failed: int, expected: str) -> None:
    summary = BatchSummary(done=done, skipped=1, failed=failed, seconds=seconds)
    assert summary.line() == expected


# -- through the command --------------------------------------------------------------


def test_cli_batch_runs_records_failures_and_resumes(
    briefers: list[Briefer],  # noqa: F811 - the fixture imported above
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = write_lines(
        tmp_path / "in.jsonl",
        [
            json.dumps({"id": "a", "text": ARTICLE}),
            "{broken",
            json.dumps({"id": "c", "text": ""}),
            json.dumps({"id": "d", "body": ARTICLE}),
            json.dumps({"id": "e", "text": ARTICLE, "title": "Bridge"}),
        ],
    )
    out = tmp_path / "briefs.jsonl"
    argv = ["brief", "--batch", str(source), "--out", str(out), "--target", "the plan"]
    assert cli.main([*argv, "--no-progress"]) == cli.EXIT_FAILED
    err = capsys.readouterr().err
    assert f"{source}:2: not JSON" in err
    assert f"{source}:3: text is empty" in err
    assert f"{source}:4: no 'text' field" in err
    last = err.rstrip().splitlines()[-1]
    assert re.fullmatch(
        rf"newsbrief: 2 done, 0 skipped, 3 failed in [\d.]+s, [\d.]+ s/article -> {out}", last
    )
    first = records(out)
    assert sorted(r["id"] for r in first) == ["2", "a", "c", "d", "e"]
    assert Brief.model_validate(next(r for r in first if r["id"] == "e")["brief"]).title == "Bridge"

    # A rerun finds everything recorded: nothing new, no model loaded, no bar; the failed
    # records it keeps still make the exit status 1, with what to do about them.
    assert cli.main([*argv, "--progress"]) == cli.EXIT_FAILED
    err = capsys.readouterr().err
    assert "0 done, 5 skipped, 0 failed" in err
    assert "3 failed records kept; --retry-failed to retry" in err
    assert "briefing" not in err and "\r" not in err  # no empty progress bar
    assert records(out) == first
    assert len(briefers) == 1

    # --retry-failed tries the failures again (they fail again, each recorded once more).
    assert cli.main([*argv, "--no-progress", "--retry-failed"]) == cli.EXIT_FAILED
    assert "0 done, 2 skipped, 3 failed" in capsys.readouterr().err
    assert len(records(out)) == 8


def test_cli_batch_over_a_directory_with_progress_bar(
    briefers: list[Briefer],  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    for name in ("one", "two", "three"):
        (articles / f"{name}.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "briefs.jsonl"
    argv = ["brief", "--batch", str(articles), "--out", str(out), "--no-summary"]
    assert cli.main(argv) == cli.EXIT_OK
    assert "briefing" not in capsys.readouterr().err  # no bar: stderr is not a terminal
    out.unlink()
    assert cli.main([*argv, "--progress"]) == cli.EXIT_OK  # asked for
    err = capsys.readouterr().err
    final_bar = err.split("\r")[-1].splitlines()[0]  # tqdm redraws the bar after a \r
    assert re.match(
        r"briefing: 100%\|.*\| 3/3 \[\d\d:\d\d<00:00, .*(article/s|s/article)", final_bar
    )
    assert sorted(r["id"] for r in records(out)) == ["one", "three", "two"]


def test_cli_batch_reads_jsonl_from_stdin(
    briefers: list[Briefer],  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = json.dumps({"id": "s1", "text": ARTICLE}).encode() + b"\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    out = tmp_path / "o.jsonl"
    argv = ["brief", "--batch", "-", "--out", str(out), "--no-summary", "--no-stance"]
    assert cli.main([*argv, "--no-progress"]) == 0
    assert [r["id"] for r in records(out)] == ["s1"]


def test_cli_batch_writes_parquet_and_resumes(
    briefers: list[Briefer],  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = write_lines(
        tmp_path / "in.jsonl",
        [json.dumps({"id": i, "text": ARTICLE if i != 2 else ""}) for i in range(1, 4)],
    )
    jsonl, parquet = tmp_path / "briefs.jsonl", tmp_path / "briefs.parquet"
    argv = ["brief", "--batch", str(source), "--no-summary", "--no-progress"]
    assert cli.main([*argv, "--out", str(jsonl)]) == cli.EXIT_FAILED
    assert cli.main([*argv, "--out", str(parquet)]) == cli.EXIT_FAILED
    assert records(parquet) == records(jsonl)
    capsys.readouterr()
    assert cli.main([*argv, "--out", str(parquet)]) == cli.EXIT_FAILED  # one error kept
    err = capsys.readouterr().err
    assert "0 done, 3 skipped, 0 failed" in err and "1 failed record kept" in err
    assert len(records(parquet)) == 3


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--actors", "2"], "--actors need --ray"),
        (["--address", "auto", "--cpus-per-actor", "2"], "--address, --cpus-per-actor need --ray"),
        (["--ray", "--actors", "0"], "--actors must be at least 1"),
        (["--ray", "--cpus-per-actor", "0"], "--cpus-per-actor must be positive"),
    ],
)
def test_cli_ray_options_are_checked(
    briefers: list[Briefer],  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    source = write_lines(tmp_path / "in.jsonl", [json.dumps({"id": "a", "text": ARTICLE})])
    out = tmp_path / "o.jsonl"
    assert cli.main(["brief", "--batch", str(source), "--out", str(out), *argv]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists() and briefers == []


def test_cli_ray_is_for_batches(
    briefers: list[Briefer],  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert cli.main(["brief", str(article), "--ray"]) == 2
    assert "--ray and its options are for --batch" in capsys.readouterr().err


def test_cli_ray_without_ray_says_what_to_install(
    briefers: list[Briefer],  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import fails as if not installed
    source = write_lines(tmp_path / "in.jsonl", [json.dumps({"id": "a", "text": ARTICLE})])
    argv = ["brief", "--batch", str(source), "--out", str(tmp_path / "o.jsonl"), "--ray"]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "pip install 'newsbrief[ray]'" in err and "Traceback" not in err


def test_batch_and_the_command_do_not_import_ray() -> None:
    code = (
        "import sys, newsbrief, newsbrief.surfaces.batch, newsbrief.surfaces.cli, "
        "newsbrief.surfaces.distributed; "
        "print('ray' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


@pytest.mark.parametrize(
    ("setup", "message", "status"),
    [
        ("missing", "missing.jsonl: no such file or directory", 3),
        ("empty_dir", "no .txt or .html files in this directory", 3),
        ("empty_file", "no articles in the input", 3),
        ("out_dir", "is a directory; give a file name", 2),
        ("no_parent", "no such directory for --out", 3),
    ],
)
def test_cli_batch_input_errors(
    briefers: list[Briefer],  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    setup: str,
    message: str,
    status: int,
) -> None:
    source, out = tmp_path / "missing.jsonl", tmp_path / "out.jsonl"
    if setup == "empty_dir":
        source = tmp_path / "empty"
        source.mkdir()
    elif setup in ("empty_file", "out_dir", "no_parent"):
        source = write_lines(tmp_path / "in.jsonl", [] if setup == "empty_file" else ["{}"])
    if setup == "out_dir":
        out = tmp_path
    elif setup == "no_parent":
        out = tmp_path / "nowhere" / "out.jsonl"
    assert cli.main(["brief", "--batch", str(source), "--out", str(out)]) == status
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert briefers == []
