"""Loading a corpus: batch outputs with bad records, metadata, dates, briefs, datasets."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from newsbrief.corpus.core import Corpus
from newsbrief.corpus.loading import parse_date
from newsbrief.errors import InputError
from tests.unit.corpus.briefs import make_brief, write_batch

COALE = make_brief([("John Coale", "We will lift the sanctions")], title="Envoy visits")


def test_a_bad_batch_output_loads_what_it_can_and_counts_the_rest(tmp_path: Path) -> None:
    old = COALE.model_dump(mode="json") | {"retired_field": 1}  # another record version
    batch = write_batch(
        tmp_path / "briefs.jsonl",
        [
            ("a1", COALE),
            ("a2", "InputError"),
            ("a3", "GenerationError"),
            ("a3", COALE),  # retried: the brief wins, the error is not counted
            ("a1", COALE),  # duplicate id
        ],
        tail='{"id": "a4", "brief": {"summ',  # cut off by a crash
    )
    with batch.open("a", encoding="utf-8") as handle:  # after the cut line: not JSON mid-file
        handle.write("\n" + json.dumps({"id": "a5", "brief": old}) + "\nnot json\n")
        handle.write(json.dumps({"no_id": 1}) + "\n")
    corpus = Corpus.from_batch(batch)
    assert sorted(corpus.briefs) == ["a1", "a3"]
    skipped = dict(corpus.report.skipped)
    assert skipped == {
        "error record (InputError)": 1,
        "duplicate id (the later brief kept)": 1,
        "line is not JSON": 2,
        "brief does not validate (another record version?): retired_field": 1,
        "not a newsbrief record (no id)": 1,
    }
    assert corpus.report.examples["line is not JSON"] == f"{batch}:6"


def test_a_truncated_last_line_is_counted(tmp_path: Path) -> None:
    batch = write_batch(tmp_path / "b.jsonl", [("a1", COALE)], tail='{"id": "a2", "bri')
    corpus = Corpus.from_batch(batch)
    assert list(corpus.briefs) == ["a1"]
    assert corpus.report.skipped == {"truncated last line": 1}
    assert any("truncated last line" in line for line in corpus.report.lines())


def test_a_missing_batch_output_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such batch output"):
        Corpus.from_batch(tmp_path / "missing.jsonl")


def test_parquet_outputs_load_like_jsonl(tmp_path: Path) -> None:
    from newsbrief.options import BriefRecord, RecordError
    from newsbrief.surfaces.batch import open_records

    out = tmp_path / "briefs.parquet"
    with open_records(out) as writer:
        writer.write(BriefRecord(id="a1", brief=COALE))
        writer.write(BriefRecord(id="a2", error=RecordError(type="InputError", message="empty")))
    corpus = Corpus.from_batch(out)
    assert list(corpus.briefs) == ["a1"]
    assert corpus.report.skipped == {"error record (InputError)": 1}


def test_metadata_comes_from_the_articles_and_a_bad_date_is_reported(tmp_path: Path) -> None:
    batch = write_batch(tmp_path / "b.jsonl", [("a1", COALE), ("a2", COALE), ("a3", COALE)])
    articles = tmp_path / "articles.jsonl"
    rows = [
        {"id": "a1", "text": "x", "date": "2019-01-04", "url": "https://en.wikinews.org/wiki/X"},
        {"id": "a2", "text": "x", "date": "04/01/2019", "outlet": "The Paper", "title": "T2"},
        {"id": "a3", "text": "x"},
    ]
    articles.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    corpus = Corpus.from_batch(batch, articles=articles)
    a1, a2, a3 = (corpus.articles[k] for k in ("a1", "a2", "a3"))
    assert (a1.date, a1.outlet, a1.title) == (
        dt.date(2019, 1, 4),
        "en.wikinews.org",
        "Envoy visits",
    )
    assert (a2.date, a2.outlet, a2.title) == (None, "The Paper", "T2")
    assert a3.date is None and a3.outlet is None
    assert corpus.report.bad_dates == {"a2": "04/01/2019"}  # never guessed (day or month?)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-01-04", dt.date(2019, 1, 4)),
        ("2019-01-04T23:30:00Z", dt.date(2019, 1, 4)),
        (dt.datetime(2020, 5, 1, 12), dt.date(2020, 5, 1)),
        ("January 4, 2019", None),
        ("2019-13-01", None),
        (20190104, None),
    ],
)
def test_parse_date_reads_iso_only(value: object, expected: dt.date | None) -> None:
    assert parse_date(value) == expected


def test_from_briefs_and_from_dataset() -> None:
    corpus = Corpus.from_briefs([COALE, COALE], articles={"1": {"date": "2020-02-02"}})
    assert list(corpus.briefs) == ["0", "1"]
    assert corpus.articles["1"].date == dt.date(2020, 2, 2)
    with pytest.raises(TypeError, match="not a Brief"):
        Corpus.from_briefs(["not a brief"])  # type: ignore[list-item]
    rows = [
        {"id": "x", "brief_json": COALE.model_dump_json(), "date": "2019-03-03", "source": "AP"},
        {"id": "y", "brief_json": None, "brief_error": "InputError: empty"},
        {"id": "z", "brief_json": "{}"},
    ]
    corpus = Corpus.from_dataset(rows)
    assert list(corpus.briefs) == ["x"]
    assert corpus.articles["x"].outlet == "AP"
    assert sum(corpus.report.skipped.values()) == 2


def test_the_plain_repr_is_short() -> None:
    corpus = Corpus.from_briefs([COALE] * 50)
    assert repr(corpus) == "<Corpus: 50 articles, 1 speakers, 1 issue groups>"
