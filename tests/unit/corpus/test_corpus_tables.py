"""The corpus tables, their files, the SQL views, the report and the command."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from newsbrief.corpus.core import Corpus
from newsbrief.corpus.frames import EXAMPLE_QUERIES, connect, csv_frame, frames, write_tables
from newsbrief.corpus.report import render_report
from newsbrief.surfaces.cli import main
from tests.unit.corpus.briefs import make_brief, write_batch

HOSTILE = '=HYPERLINK("http://x")<script>alert(1)</script>**bold**'


def corpus() -> Corpus:
    briefs = {
        "a1": make_brief(
            [("Donald Trump", "The wall will be built"), ("John Coale", "Sanctions go")],
            [("Donald Trump", "supportive", 0.8), ("John Coale", None, 0.2)],
            issue="the border wall",
        ),
        "a2": make_brief(
            [("Trump", "I never threaten anybody"), (HOSTILE, "+1 " + HOSTILE)],
            [("Trump", "opposed", 0.7)],
            issue="funding the border wall",
        ),
        "a3": make_brief([("police", "Two were arrested")], issue="arrests in Toronto"),
    }
    meta = {
        "a1": {"date": "2019-01-04", "outlet": "Wikinews"},
        "a2": {"date": "2019-02-01", "outlet": "Wikinews"},
        "a3": {"date": "nonsense"},
    }
    return Corpus.from_briefs(briefs, articles=meta)


def test_frames_join_quotes_and_stances_to_merged_speakers() -> None:
    tables = frames(corpus())
    speakers, quotes, stances = tables["speakers"], tables["quotes"], tables["stances"]
    trump = speakers[speakers["name"] == "Donald Trump"].iloc[0]
    assert (trump["quotes"], trump["articles"]) == (2, 2)
    assert str(trump["first_seen"].date()) == "2019-01-04"
    assert str(trump["last_seen"].date()) == "2019-02-01"
    assert sorted(trump["variants"]) == ["Donald Trump", "Trump"]
    assert set(quotes[quotes["speaker"] == "Donald Trump"]["article_id"]) == {"a1", "a2"}
    labelled = stances[stances["speaker_id"] == trump["speaker_id"]]
    assert list(labelled["label"]) == ["supportive", "opposed"]
    assert labelled["issue_group"].nunique() == 1  # "the border wall" ~ "funding the border wall"
    assert stances["label"].isna().sum() == 1  # the abstention stays, as a null
    assert list(tables["articles"]["date"].isna()) == [False, False, True]


def test_written_tables_are_queryable_and_csv_cells_are_formula_safe(tmp_path: Path) -> None:
    write_tables(corpus(), tmp_path)
    with (tmp_path / "quotes.csv").open(encoding="utf-8") as handle:
        cells = [c for row in csv.reader(handle) for c in row]
    assert "'" + HOSTILE in cells and "'+1 " + HOSTILE in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    sql = connect(tmp_path)
    for query in EXAMPLE_QUERIES.values():
        sql.sql(query).fetchall()
    rows = sql.sql(EXAMPLE_QUERIES["a speaker's stances over time"]).fetchall()
    assert [r[2] for r in rows] == ["supportive", "opposed"]
    with pytest.raises(FileNotFoundError, match="no such table"):
        connect(tmp_path / "nowhere")


def test_csv_cells_lists_and_numbers() -> None:
    import pandas

    frame = pandas.DataFrame(
        {"text": ["=1+1", "-2", "plain"], "names": [["=a", "b"], [], ["c"]], "n": [1, 2, 3]}
    )
    out = csv_frame(frame)
    assert list(out["text"]) == ["'=1+1", "'-2", "plain"]
    assert list(out["names"]) == ["'=a; b", "", "c"]
    assert list(out["n"]) == [1, 2, 3]
    assert list(frame["text"]) == ["=1+1", "-2", "plain"]  # the frame itself stays verbatim


def test_the_report_shows_hostile_names_as_text() -> None:
    page = render_report(corpus())
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<svg") == 3
    assert "date not read for &#39;a3&#39;" in page
    assert "<script>alert" not in corpus()._repr_html_()


def test_the_command_writes_tables_and_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    c = corpus()
    batch = write_batch(tmp_path / "b.jsonl", [(k, b) for k, b in c.briefs.items()], tail='{"id"')
    articles = tmp_path / "articles.jsonl"
    articles.write_text(json.dumps({"id": "a1", "date": "2019-01-04"}) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["corpus", str(batch), "--articles", str(articles), "--out", str(out)]) == 0
    assert {p.name for p in out.iterdir()} >= {"speakers.parquet", "quotes.csv", "report.html"}
    assert "1 skipped: truncated last line" in capsys.readouterr().err
    assert main(["corpus", str(tmp_path / "missing.jsonl"), "--out", str(out)]) == 3
    assert "newsbrief: " in capsys.readouterr().err
    aliases = tmp_path / "aliases.tsv"
    aliases.write_text("Nobody Here\tDonald Trump\n", encoding="utf-8")
    assert main(["corpus", str(batch), "--aliases", str(aliases), "--out", str(out)]) == 3
    assert f"{aliases}:1: unknown speaker 'Nobody Here'" in capsys.readouterr().err
    assert main(["corpus", str(batch), "--out", str(batch)]) == 3
    with pytest.raises(SystemExit) as usage:
        main(["corpus", str(batch)])
    assert usage.value.code == 2


def test_an_empty_corpus_writes_empty_tables_and_a_report(tmp_path: Path) -> None:
    empty = Corpus.from_briefs([])
    write_tables(empty, tmp_path)
    assert connect(tmp_path).sql("SELECT count(*) FROM quotes").fetchall() == [(0,)]
    assert "<strong>0</strong> articles" in render_report(empty)
