"""Tests for ``newsbrief eval``: reports written, exit codes, bad gold, baselines."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from fake_many import BriefsMany

from newsbrief.errors import ModelLoadError
from newsbrief.eval import cli as eval_cli
from newsbrief.eval.cli import EXIT_INPUT, EXIT_MODEL, EXIT_OK, EXIT_REGRESSION, EXIT_USAGE
from newsbrief.models import Brief, Provenance, Quote, Stance
from newsbrief.surfaces.cli import main

TEXT_1 = 'Ann Lee said "The new park is a great idea." The council agreed.'
TEXT_2 = 'Tom Fox said "The park costs far too much." Voters decide in May.'


def gold_line(
    record_id: str, text: str, quote: str, speaker: str, label: str, **extra: object
) -> str:
    start = text.index(quote)
    record = {
        "id": record_id,
        "title": None,
        "text": text,
        "source": "https://example.invalid",
        "licence": "CC0",
        "summaries": [text.split(".")[0] + "."],
        "quotes": [
            {
                "text": quote,
                "start": start,
                "end": start + len(quote),
                "speaker": speaker,
                "kind": "direct",
            }
        ],
        "stances": [{"speaker": speaker, "target": "the park", "label": label}],
        "annotator": "test",
    }
    record.update(extra)
    return json.dumps(record)


GOOD = [
    gold_line("p1", TEXT_1, "The new park is a great idea.", "Ann Lee", "supportive"),
    gold_line("p2", TEXT_2, "The park costs far too much.", "Tom Fox", "opposed"),
]


class Fake(BriefsMany):
    style = "base"
    seed = 0

    class backend:
        model_id = "fake-cli"

    def __init__(self, summary_words: int = 99) -> None:
        self.summary_words = summary_words

    def summarize(self, text: str, title: str | None = None) -> str:
        return " ".join(text.split(".")[0].split()[: self.summary_words])

    def quotes(self, text: str) -> list[Quote]:
        start = text.index('"') + 1
        end = text.index('"', start)
        return [Quote(text=text[start:end], start=start, end=end, kind="direct", speaker=None)]

    def stance(
        self, text: str, target: str, *, speaker: str | None = None, labels: Sequence[str] = ()
    ) -> Stance:
        return Stance(speaker=speaker, target=target, label="opposed", confidence=1.0, scores={})

    def brief(
        self,
        text: str,
        title: str | None = None,
        target: str | None = None,
        *,
        summary: bool = True,
        stances: bool = True,
        labels: Sequence[str] = (),
    ) -> Brief:
        quotes = self.quotes(text)
        return Brief(
            summary=self.summarize(text),
            quotes=quotes,
            stances=[self.stance(text, "the park", speaker="Ann Lee")] if stances else [],
            issue="the new park" if stances else "",
            title=title,
            provenance=Provenance(model_id="fake-cli", package_version="0"),
        )


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """Replace the model with ``Fake``; records the ``--model`` asked for."""
    asked: list[str | None] = []

    def load(model: str | None, device: str | None = None) -> Fake:
        asked.append(model)
        return Fake()

    monkeypatch.setattr(eval_cli, "load_briefer", load)
    return asked


def write(path: Path, lines: Sequence[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_eval_writes_three_reports_and_prints_the_headline(
    tmp_path: Path, fake: list[str | None], capsys: pytest.CaptureFixture[str]
) -> None:
    gold = write(tmp_path / "gold.jsonl", GOOD)
    out = tmp_path / "out"
    status = main(["eval", str(gold), "--out", str(out), "--model", "m1", "--no-progress"])
    assert status == EXIT_OK
    assert fake == ["m1"]
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "report.json", "report.md"]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["gold"]["ids"] == ["p1", "p2"]
    assert report["provenance"]["model_id"] == "fake-cli"
    assert report["provenance"]["command"][:3] == ["newsbrief", "eval", str(gold)]
    assert "model_load" in report["provenance"]["timings"]
    stdout = capsys.readouterr().out
    assert "2 articles, 0 failures" in stdout
    assert "newsbrief | 1.000" in stdout  # the summary is the first sentence, as the gold
    assert f"wrote {out / 'report.html'}" in stdout


def test_tasks_limit_and_ids_file(tmp_path: Path, fake: list[str | None]) -> None:
    gold = write(tmp_path / "gold.jsonl", GOOD)
    out = tmp_path / "out"
    assert main(["eval", str(gold), "--tasks", "stance", "--limit", "1", "--out", str(out)]) == 0
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [t["task"] for t in report["tasks"]] == ["stance"]
    assert report["gold"]["ids"] == ["p1"]
    ids = write(tmp_path / "ids.txt", ["# the second one", "p2"])
    assert main(["eval", str(gold), "--ids-file", str(ids), "--out", str(out)]) == 0
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["gold"]["ids"] == ["p2"]


def test_brief_task_and_splits_beside_the_gold(
    tmp_path: Path, fake: list[str | None], capsys: pytest.CaptureFixture[str]
) -> None:
    gold_dir = tmp_path / "evals" / "gold"
    gold_dir.mkdir(parents=True)
    write(gold_dir / "g.jsonl", GOOD)
    splits = {"_comment": "x", "dev": ["p1"], "heldout": ["p2"]}
    (tmp_path / "evals" / "splits.json").write_text(json.dumps(splits), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["eval", str(gold_dir), "--tasks", "brief", "--out", str(out)]) == 0
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [t["task"] for t in report["tasks"]] == [
        "brief-issue",
        "brief-speakers",
        "brief-stance",
        "brief-summary",
    ]
    assert report["gold"]["splits"] == {"dev": ["p1"], "heldout": ["p2"]}
    issue = report["tasks"][0]
    assert set(issue["splits"]) == {"dev", "heldout"}
    assert issue["margins"][0]["over"] == "headline"
    printed = capsys.readouterr().out
    assert "margin (dev)" in printed and "margin (heldout)" in printed
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "### heldout (1 articles)" in markdown

    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    assert main(["eval", str(gold_dir), "--splits", str(bad)]) == EXIT_INPUT
    assert "splits must be a JSON object" in capsys.readouterr().err
    assert main(["eval", str(gold_dir), "--splits", str(tmp_path / "no.json")]) == EXIT_INPUT


@pytest.mark.parametrize(
    ("second_line", "message"),
    [
        (GOOD[1].replace('"start": 14', '"start": 15'), "gold.jsonl:2: invalid gold record"),
        (GOOD[0], "gold.jsonl:2: duplicate id 'p1' (first at"),
        (GOOD[1].replace('"opposed"', '"furious"'), "gold.jsonl:2: invalid gold record: stances"),
        ('{"id": "p2", ', "gold.jsonl:2: broken JSON"),
    ],
)
def test_bad_gold_is_an_error_naming_the_line(
    tmp_path: Path,
    fake: list[str | None],
    capsys: pytest.CaptureFixture[str],
    second_line: str,
    message: str,
) -> None:
    assert second_line != GOOD[1]
    gold = write(tmp_path / "gold.jsonl", [GOOD[0], second_line])
    out = tmp_path / "out"
    assert main(["eval", str(gold), "--out", str(out)]) == EXIT_INPUT
    assert message in capsys.readouterr().err
    assert not out.exists()  # no report of a half-read gold file
    assert fake == []  # the model is not even loaded


def test_empty_gold_is_an_error_not_a_report_of_zeros(
    tmp_path: Path, fake: list[str | None], capsys: pytest.CaptureFixture[str]
) -> None:
    gold = write(tmp_path / "gold.jsonl", ["", "  "])
    out = tmp_path / "out"
    assert main(["eval", str(gold), "--out", str(out)]) == EXIT_INPUT
    assert "no gold records (the file is empty)" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["eval"], "give gold files"),
        (["eval", "g.jsonl", "--tasks", "summary,poems"], "unknown task(s) poems"),
        (["eval", "g.jsonl", "--limit", "0"], "--limit must be at least 1"),
        (["eval", "g.jsonl", "--compare", "a", "b"], "--compare takes two reports and no gold"),
    ],
)
def test_usage_errors(
    argv: list[str], message: str, fake: list[str | None], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == EXIT_USAGE
    assert message in capsys.readouterr().err


def test_unknown_ids_and_model_load_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = write(tmp_path / "gold.jsonl", GOOD)
    ids = write(tmp_path / "ids.txt", ["p9"])
    assert main(["eval", str(gold), "--ids-file", str(ids)]) == EXIT_INPUT
    assert "ids not in the gold set: p9" in capsys.readouterr().err

    def refuse(model: str | None, device: str | None = None) -> Fake:
        raise ModelLoadError("cannot load nope: no such model")

    monkeypatch.setattr(eval_cli, "load_briefer", refuse)
    assert main(["eval", str(gold), "--model", "nope"]) == EXIT_MODEL
    assert "cannot load nope" in capsys.readouterr().err


def test_update_then_check_baseline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = write(tmp_path / "gold.jsonl", GOOD)
    baseline = tmp_path / "evals" / "baseline.json"
    monkeypatch.setattr(eval_cli, "load_briefer", lambda model, device=None: Fake())
    assert main(["eval", str(gold), "--check-baseline", str(baseline)]) == EXIT_INPUT
    assert "--update-baseline" in capsys.readouterr().err

    assert main(["eval", str(gold), "--update-baseline", str(baseline)]) == EXIT_OK
    written = json.loads(baseline.read_text(encoding="utf-8"))
    assert written["gold_ids"] == ["p1", "p2"]
    assert written["schema_version"] == 2
    assert written["model_id"] == "fake-cli"
    # The fake's summary is the first sentence: no better than lead-1, a margin of 0.
    assert written["margins"]["summary/rougeL_f1"]["value"] == 0.0
    assert "review the change" in capsys.readouterr().out

    assert main(["eval", str(gold), "--check-baseline", str(baseline)]) == EXIT_OK
    assert "baseline check: ok" in capsys.readouterr().out

    # A worse model: summaries of two words only.
    monkeypatch.setattr(eval_cli, "load_briefer", lambda model, device=None: Fake(summary_words=2))
    assert main(["eval", str(gold), "--check-baseline", str(baseline)]) == EXIT_REGRESSION
    out = capsys.readouterr().out
    assert "baseline check: REGRESSION" in out
    assert "BAD margin summary/rougeL_f1" in out

    # Re-baselining on the worse model is refused without a reason, kept with one.
    before = baseline.read_text(encoding="utf-8")
    assert main(["eval", str(gold), "--update-baseline", str(baseline)]) == EXIT_REGRESSION
    assert "--allow-lower" in capsys.readouterr().err
    assert baseline.read_text(encoding="utf-8") == before
    status = main(
        ["eval", str(gold), "--update-baseline", str(baseline), "--allow-lower", "new tokenizer"]
    )
    assert status == EXIT_OK
    written = json.loads(baseline.read_text(encoding="utf-8"))
    (lowering,) = written["lowerings"]
    assert lowering["reason"] == "new tokenizer"
    assert lowering["lowered"]["summary/rougeL_f1"][0] == 0.0
    assert written["margins"]["summary/rougeL_f1"]["value"] < 0


def test_allow_lower_needs_update_and_a_reason(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "g.jsonl", "--allow-lower", "why"]) == EXIT_USAGE
    assert "--update-baseline" in capsys.readouterr().err
    assert main(["eval", "g.jsonl", "--update-baseline", "b", "--allow-lower", " "]) == EXIT_USAGE


def test_update_and_check_together_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["eval", "g", "--check-baseline", "a", "--update-baseline", "b"])
    assert exc.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("where", "flag", "message"),
    [
        ("file", "--out", "is a file; give a directory for report.json/.md/.html"),
        ("under-a-file", "--out", "is a file, not a directory"),
        ("directory", "--update-baseline", "is a directory; give a file"),
    ],
)
def test_an_unwritable_output_is_refused_before_the_evaluation(
    tmp_path: Path,
    fake: list[str | None],
    capsys: pytest.CaptureFixture[str],
    where: str,
    flag: str,
    message: str,
) -> None:
    """Issue 23: `--out EXISTING_FILE` ran the whole evaluation, then lost the report."""
    gold = write(tmp_path / "gold.jsonl", GOOD)
    existing = tmp_path / "existing"
    if where == "directory":
        existing.mkdir()
    else:
        existing.write_text("keep me")
    target = existing / "reports" if where == "under-a-file" else existing
    assert main(["eval", str(gold), flag, str(target), "--no-progress"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert fake == []  # refused before the model loads
    if where != "directory":
        assert existing.read_text() == "keep me"


def test_compare_refuses_a_file_as_out_before_comparing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    existing = tmp_path / "existing"
    existing.write_text("keep me")
    argv = ["eval", "--compare", "a.json", "b.json", "--out", str(existing)]
    assert main(argv) == EXIT_USAGE
    assert "is a file; give a directory" in capsys.readouterr().err
