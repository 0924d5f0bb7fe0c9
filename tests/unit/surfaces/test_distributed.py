"""Briefing on a local Ray runtime (scripted model): the records of batch mode, resumable."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from newsbrief.briefer import Briefer
from newsbrief.errors import ModelLoadError
from newsbrief.options import BriefOptions, BriefRecord
from newsbrief.surfaces import cli
from newsbrief.surfaces.batch import (
    finished_ids,
    plan_batch,
    read_inputs,
    read_parquet_records,
    run_batch,
)
from newsbrief.surfaces.distributed import (
    brief_files,
    brief_ray_dataset,
    iter_records,
)
from tests.unit.surfaces.test_cli import ARTICLE, briefers, scripted_briefer  # noqa: F401 - fixture

pytest.importorskip("ray")

ARTICLES = [
    {"id": "a", "text": ARTICLE, "title": "Bridge"},
    {"id": "b", "text": ARTICLE.replace("on Tuesday", "on Monday")},
    {"id": "empty", "text": ""},
    {"id": "c", "text": ARTICLE.replace("next month", "in June"), "title": "June vote"},
]


@dataclass(frozen=True)
class LoggedBriefer:
    """Makes the scripted Briefer and notes the id of the process that made it."""

    log: Path

    def __call__(self) -> Briefer:
        with self.log.open("a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\n")
        return scripted_briefer()


def no_model(args: Any) -> Briefer:
    raise ModelLoadError("no model here (test)")


def by_id(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(records, key=lambda r: str(r["id"]))


def jsonl_records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("input") / "articles.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def single_process(source: Path, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The records of the same articles briefed by batch mode in this process."""
    out = tmp_path_factory.mktemp("single") / "briefs.jsonl"
    briefer = scripted_briefer()
    plan = plan_batch(read_inputs(str(source)), out)
    run_batch(plan, briefer, out, progress=False)
    records = jsonl_records(out)
    # An unusable text is found while reading: its error record comes first.
    assert [r["id"] for r in records] == ["empty", "a", "b", "c"]
    assert [("brief" in r) for r in records] == [False, True, True, True]
    return records


def test_ray_records_equal_batch_mode_and_a_rerun_resumes(
    ray_local: Any, source: Path, single_process: list[dict[str, Any]], tmp_path: Path
) -> None:
    out = tmp_path / "briefs.jsonl"
    # A run that already wrote "a" before it stopped.
    out.write_text(json.dumps(single_process[1]) + "\n", encoding="utf-8")
    log = tmp_path / "made.txt"
    summary = brief_files(str(source), out, LoggedBriefer(log), actors=2, progress=False)
    assert (summary.done, summary.skipped, summary.failed) == (2, 1, 1)
    assert by_id(jsonl_records(out)) == by_id(single_process)  # same ids, same briefs
    empty = next(r for r in jsonl_records(out) if r["id"] == "empty")
    assert empty["error"]["type"] == "InputError"
    assert empty["error"]["message"].startswith(f"{source}:3: text is empty")
    # One model per actor: each actor process made its Briefer once, for all its articles.
    made = log.read_text(encoding="utf-8").split()
    assert 1 <= len(made) <= 2 and len(set(made)) == len(made)

    before = out.read_bytes()
    again = brief_files(str(source), out, LoggedBriefer(log), actors=2, progress=False)
    assert (again.done, again.skipped, again.failed) == (0, 4, 0)
    assert out.read_bytes() == before
    assert log.read_text(encoding="utf-8").split() == made  # nothing left: no actor started


def test_parquet_output_holds_the_same_records_and_ray_reads_it(
    ray_local: Any, source: Path, single_process: list[dict[str, Any]], tmp_path: Path
) -> None:
    out = tmp_path / "briefs.parquet"
    summary = brief_files(str(source), out, scripted_briefer, actors=1, progress=False)
    assert (summary.done, summary.failed) == (3, 1)
    assert by_id(list(read_parquet_records(out))) == by_id(single_process)
    rows = ray_local.data.read_parquet(str(out)).take_all()
    assert by_id([BriefRecord.from_row(row).to_json() for row in rows]) == by_id(single_process)


def test_brief_dataset_briefs_any_ray_dataset(
    ray_local: Any, single_process: list[dict[str, Any]], tmp_path: Path
) -> None:
    articles = ray_local.data.from_items(
        [{"doc": 1, "body": ARTICLE, "headline": "Bridge"}, {"doc": 2, "body": None}]
    )
    records = brief_ray_dataset(
        articles,
        scripted_briefer,
        id_column="doc",
        text_column="body",
        title_column="headline",
    )
    # Written by Ray itself, the records still resume: finished_ids reads the parts.
    out = tmp_path / "briefs.parquet"
    records.write_parquet(str(out))
    assert finished_ids(out) == {"1", "2"}
    assert finished_ids(out, retry_failed=True) == {"1"}
    first, second = by_id(list(read_parquet_records(out)))
    assert first == {"id": "1", "brief": single_process[1]["brief"]}
    assert second["error"]["message"].startswith("2: ")
    with pytest.raises(ValueError, match="no column 'text'"):
        brief_ray_dataset(articles, scripted_briefer, id_column="doc")


def test_options_reach_the_actors(ray_local: Any) -> None:
    articles = ray_local.data.from_items([{"id": "a", "text": ARTICLE}])
    options = BriefOptions(target="the plan", summary=False, labels=("supportive", "opposed"))
    (record,) = list(iter_records(brief_ray_dataset(articles, scripted_briefer, options)))
    assert record.brief is not None
    assert (record.brief.summary, record.brief.issue) == ("", "the plan")
    assert [s.label for s in record.brief.stances] == ["supportive", "opposed"]
    assert set(record.brief.stances[0].scores) == {"supportive", "opposed"}


def test_model_load_error_in_the_actors_is_raised(ray_local: Any) -> None:
    articles = ray_local.data.from_items([{"id": "a", "text": ARTICLE}])
    with pytest.raises(ModelLoadError, match="no model here"):
        list(iter_records(brief_ray_dataset(articles, lambda: no_model(None))))


def test_cli_ray_writes_what_cli_batch_writes(
    briefers: list[Briefer],  # noqa: F811 - the fixture imported above
    ray_local: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        "".join(json.dumps(a) + "\n" for a in ARTICLES[:3]) + "{broken\n", encoding="utf-8"
    )
    argv = ["brief", "--batch", str(source), "--target", "the plan", "--no-progress"]
    local, distributed = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    assert cli.main([*argv, "--out", str(local)]) == cli.EXIT_FAILED
    capsys.readouterr()
    assert cli.main([*argv, "--out", str(distributed), "--ray", "--actors", "2"]) == 1
    err = capsys.readouterr().err
    assert f"{source}:4: not JSON" in err and f"{source}:3: text is empty" in err
    last = err.rstrip().splitlines()[-1]
    assert re.fullmatch(
        rf"newsbrief: 2 done, 0 skipped, 2 failed in [\d.]+s, [\d.]+ s/article -> {distributed}",
        last,
    )
    assert by_id(jsonl_records(distributed)) == by_id(jsonl_records(local))
    assert len(briefers) == 1  # the local run's; the actors made theirs in their processes


def test_cli_ray_model_load_error_exits_4(
    ray_local: Any,
    source: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cli, "_make_briefer", no_model)
    out = tmp_path / "o.jsonl"
    argv = ["brief", "--batch", str(source), "--out", str(out), "--ray", "--no-progress"]
    assert cli.main(argv) == cli.EXIT_MODEL
    err = capsys.readouterr().err
    assert "no model here (test)" in err and "Traceback" not in err
    assert finished_ids(out) == {"empty"}  # only the error known before any model loaded
