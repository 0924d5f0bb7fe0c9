"""Briefs as pandas DataFrames: one row per brief, quote and stance; batch outputs read back."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from newsbrief.briefer import Briefer
from newsbrief.errors import InputError
from newsbrief.models import Brief, Quote, StepFailure
from newsbrief.surfaces import cli
from newsbrief.surfaces.tables import (
    briefs_frame,
    quotes_frame,
    read_briefs,
    read_errors,
    stances_frame,
)
from tests.unit.surfaces.test_cli import ARTICLE, briefers, scripted_briefer  # noqa: F401 - fixture

pandas = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def brief() -> Brief:
    return scripted_briefer().brief(ARTICLE, "Bridge", "the new bridge plan", summary=False)


def test_quotes_frame_has_one_row_per_quote_with_integer_offsets(brief: Brief) -> None:
    frame = quotes_frame({"a": brief, "b": brief})
    assert len(frame) == 2 * len(brief.quotes) == 6
    assert list(frame["id"]) == ["a"] * 3 + ["b"] * 3
    assert list(frame["quote"]) == [0, 1, 2, 0, 1, 2]
    assert str(frame["start"].dtype) == "int64" and str(frame["end"].dtype) == "int64"
    assert str(frame["speaker_start"].dtype) == "Int64"  # nullable, not float
    for row in frame.itertuples():
        assert ARTICLE[row.start : row.end] == row.text
    assert list(frame["speaker"][:3]) == [q.speaker for q in brief.quotes]


def test_a_missing_speaker_mention_stays_an_integer_column(brief: Brief) -> None:
    unattributed = Quote(text="We need", start=0, end=7, kind="direct")
    mixed = brief.model_copy(update={"quotes": [*brief.quotes, unattributed]})
    frame = quotes_frame(mixed)
    assert str(frame["speaker_start"].dtype) == "Int64"
    assert frame["speaker_start"].isna().tolist() == [False, False, False, True]
    assert frame["speaker_start"].iloc[0] == brief.quotes[0].speaker_start  # not 12.0


def test_stances_frame_has_a_score_column_per_label(brief: Brief) -> None:
    frame = stances_frame(brief)
    assert list(frame["speaker"]) == ["Ann Lopez", "Tom Reed"]
    assert list(frame["label"]) == ["supportive", "opposed"]
    assert list(frame["abstained"]) == [False, False]
    assert {"score_supportive", "score_opposed", "score_cautious", "score_neutral"} <= set(
        frame.columns
    )
    assert frame.loc[1, "score_opposed"] == brief.stances[1].scores["opposed"]
    assert frame["confidence"].dtype == "float64"


def test_empty_inputs_keep_their_columns_and_types() -> None:
    frame = quotes_frame([])
    assert len(frame) == 0 and str(frame["start"].dtype) == "int64"
    assert "score_neutral" in stances_frame([]).columns


def test_briefs_frame_lists_failed_steps(brief: Brief) -> None:
    failed = brief.model_copy(
        update={"failures": [StepFailure(step="summary", error="RetryExhaustedError", message="x")]}
    )
    frame = briefs_frame([brief, failed])
    assert list(frame["quotes"]) == [3, 3] and str(frame["quotes"].dtype) == "int64"
    assert list(frame["failed_steps"]) == [[], ["summary"]]
    assert list(frame["title"]) == ["Bridge", "Bridge"]


def test_wrong_inputs_are_type_errors(brief: Brief) -> None:
    with pytest.raises(TypeError, match="item 1 is str"):
        quotes_frame([brief, "not a brief"])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="got str"):
        quotes_frame("text")  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["briefs.jsonl", "briefs.parquet"])
def test_a_batch_output_reads_back_into_frames(
    briefers: list[Briefer],  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
) -> None:
    source = tmp_path / "in.jsonl"
    lines = [{"id": "a", "text": ARTICLE}, {"id": "b", "text": " "}, {"id": "c", "text": ARTICLE}]
    source.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    out = tmp_path / name
    cli.main(["brief", "--batch", str(source), "--out", str(out), "--no-summary"])
    briefs = read_briefs(out)
    assert sorted(briefs) == ["a", "c"]
    frame = quotes_frame(briefs)
    assert sorted(set(frame["id"])) == ["a", "c"] and len(frame) == 6
    errors = read_errors(out)
    assert list(errors["id"]) == ["b"] and list(errors["type"]) == ["InputError"]


def test_reading_a_missing_or_foreign_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such batch output"):
        read_briefs(tmp_path / "none.jsonl")
    other = tmp_path / "other.jsonl"
    other.write_text('{"x": 1}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"other.jsonl:1: not a newsbrief record"):
        read_briefs(other)


def test_a_malformed_record_is_an_input_error(tmp_path: Path) -> None:
    bad_brief = tmp_path / "bad_brief.jsonl"
    bad_brief.write_text('{"id": "a", "brief": {"summary": 3}}\n', encoding="utf-8")
    with pytest.raises(InputError, match="is not a Brief"):
        read_briefs(bad_brief)
    for line in ('{"id": "a", "error": "boom"}', '{"id": "a"}'):
        bad_error = tmp_path / "bad_error.jsonl"
        bad_error.write_text(line + "\n", encoding="utf-8")
        with pytest.raises(InputError, match="neither a brief nor an error"):
            read_errors(bad_error)


def test_without_pandas_the_message_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, brief: Brief
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pip install 'newsbrief\[pandas\]'"):
        quotes_frame(brief)


# -- issue 23: CSV cells no spreadsheet runs -------------------------------------------


def test_to_csv_cells_are_safe_from_formula_injection() -> None:
    import csv
    import io

    from newsbrief.surfaces.tables import briefs_frame, csv_safe

    text = (
        'Mayor Ann Lopez said on Tuesday: "=HYPERLINK(\\"http://evil.example\\",\\"x\\")".\n\n'
        '"+1 for the plan," Lopez told reporters.\n\n'
        '"-2 votes short," Tom Reed said.\n\n'
        '"@SUM(A1)," Lopez added.\n'
    )
    brief = scripted_briefer().brief(text, "=cmd|' /C calc'!A0", "the plan", summary=False)
    frame = quotes_frame(brief)
    assert any(t.startswith(("=", "+", "-", "@")) for t in frame["text"])  # verbatim in frame
    assert all(text[r.start : r.end] == r.text for r in frame.itertuples())
    for written in (frame.to_csv(index=False), csv_safe(frame).to_csv(index=False)):
        cells = [cell for row in csv.reader(io.StringIO(written)) for cell in row]
        assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
        assert "'=HYPERLINK(" in written
    titles = briefs_frame(brief).to_csv(index=False)
    assert "'=cmd|" in titles
    assert frame[["text", "start"]].to_csv(index=False).count("'") >= 4  # a selection too


def test_csv_safe_covers_string_dtype_columns_of_any_frame() -> None:
    """A caller's own frame whose text columns use pandas' ``str`` dtype (the default under
    pandas 3) is made safe too, not only ``object`` columns."""
    from newsbrief.surfaces.tables import csv_safe

    frame = pandas.DataFrame({"cell": pandas.array(["=1+1", "ok", "@SUM(A1)"], dtype="string")})
    written = csv_safe(frame).to_csv(index=False)
    assert "'=1+1" in written and "'@SUM(A1)" in written and "\nok\n" in written
