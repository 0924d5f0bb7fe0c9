"""What people pass to ``newsbrief brief`` and ``Briefer``: paths as text, Word/PDF files,
web addresses, pages whose extracted text the offsets index into, a text file as a batch."""

from __future__ import annotations

import functools
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsbrief.errors import InputError
from newsbrief.models import Brief
from newsbrief.text import files
from tests.unit.surfaces import test_cli as cli_tests
from tests.unit.surfaces.test_cli import ARTICLE, PAGE, run, scripted_briefer
from tests.unit.text import test_files

# The fixtures of the command's own tests.
_restore_output_settings = cli_tests._restore_output_settings
article = cli_tests.article
briefers = cli_tests.briefers
site = test_files.site


def test_brief_of_a_path_string_says_to_read_the_file(article: Path) -> None:
    with pytest.raises(InputError, match=r"path of a file.*brief_file"):
        scripted_briefer().brief(str(article))
    with pytest.raises(InputError, match=r"path of a file"):
        scripted_briefer().quotes(str(article))


def test_brief_file_reads_text_and_pages(article: Path, tmp_path: Path) -> None:
    briefer = scripted_briefer()
    brief = briefer.brief_file(article, stances=False, summary=False)
    assert {q.speaker for q in brief.quotes} == {"Ann Lopez", "Tom Reed"}
    assert brief.extracted_text is None  # plain text: the caller has it
    pytest.importorskip("trafilatura")
    page = tmp_path / "bridge.html"
    page.write_text(PAGE, encoding="utf-8")
    brief = briefer.brief_file(page, stances=False, summary=False)
    assert brief.title == "Bridge vote" and brief.extracted_text is not None
    assert all(brief.extracted_text[q.start : q.end] == q.text for q in brief.quotes)


def test_a_word_file_gets_advice_not_iconv(
    briefers: list[object], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docx = tmp_path / "story.docx"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    status, _, err = run(capsys, "brief", str(docx))
    assert status == 3
    assert "Word document" in err and "iconv" not in err
    assert not briefers  # refused before the model loads


def test_html_input_returns_the_extracted_text_in_json(
    briefers: list[object], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("trafilatura")
    page = tmp_path / "bridge.html"
    page.write_text(PAGE, encoding="utf-8")
    status, out, err = run(capsys, "brief", str(page), "--no-summary", "--no-stance")
    assert status == 0, err
    brief = Brief.model_validate_json(out)
    assert brief.extracted_text is not None
    assert all(brief.extracted_text[q.start : q.end] == q.text for q in brief.quotes)


def test_a_web_address_without_fetch_says_how(
    briefers: list[object], capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "brief", "https://example.org/news/story.html")
    assert status == 3
    assert "--fetch" in err and "no such file" not in err
    assert not briefers


@pytest.fixture
def local_fetch(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Let --fetch reach the test's own server on 127.0.0.1."""
    monkeypatch.setattr(
        files, "fetch_article", functools.partial(files.fetch_article, allow_private=True)
    )
    yield


def test_fetch_briefs_a_page_from_a_server(
    briefers: list[object],
    site: str,
    local_fetch: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    pytest.importorskip("trafilatura")
    status, out, err = run(
        capsys, "brief", "--fetch", f"{site}/story.html", "--no-summary", "--no-stance"
    )
    assert status == 0, err
    brief = Brief.model_validate_json(out)
    assert brief.title == "Bridge vote"
    assert brief.extracted_text and "Lopez told reporters" in brief.extracted_text
    assert {q.speaker for q in brief.quotes} == {"Ann Lopez"}


def test_fetch_takes_only_an_address(
    briefers: list[object], article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "brief", "--fetch", str(article))
    assert status == 2 and "http" in err


def test_a_text_file_as_a_batch_is_refused_before_anything_is_written(
    briefers: list[object], article: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "briefs.jsonl"
    status, _, err = run(capsys, "brief", "--batch", str(article), "--out", str(out))
    assert status == 3
    assert "not JSONL" in err and f"newsbrief brief {article}" in err
    assert not out.exists() and not briefers


def test_a_jsonl_batch_with_one_bad_line_still_runs(
    briefers: list[object], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a", "text": ARTICLE}) + "\nnot json\n", encoding="utf-8")
    out = tmp_path / "briefs.jsonl"
    status, _, _ = run(capsys, "brief", "--batch", str(source), "--out", str(out), "--no-stance")
    assert status == 1  # the bad line is an error record, the good one a brief
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2


GERMAN = (
    "Die Regierung hat am Dienstag beschlossen, die Steuern für kleine Unternehmen zu senken. "
    "„Wir müssen jetzt handeln“, sagte der Minister vor Journalisten in Berlin. Die Opposition "
    "kritisierte den Plan als zu teuer und forderte eine Abstimmung im Parlament.\n"
)


def test_a_german_article_is_refused_before_the_model_loads(
    briefers: list[object], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "artikel.txt"
    path.write_text(GERMAN, encoding="utf-8")
    status, _, err = run(capsys, "brief", str(path))
    assert status == 3 and "German" in err
    assert not briefers  # no model loaded for it


def test_a_terminal_sees_what_is_happening_a_pipe_does_not(
    briefers: list[object],
    article: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    status, _, err = run(capsys, "brief", str(article), "--no-summary")
    assert status == 0 and err == ""  # not a terminal: nothing
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    status, _, err = run(capsys, "brief", str(article), "--no-summary")
    assert status == 0
    assert "loading the model" in err and f"briefing {article.name}" in err
    status, _, err = run(capsys, "brief", str(article), "--no-summary", "--quiet")
    assert err == ""


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_batch_metadata_is_carried_to_each_output_record(
    briefers: list[object], tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    from newsbrief.surfaces.tables import read_briefs

    meta = {
        "url": "https://example.org/bridge",
        "date": "2026-11-30",
        "outlet": "Example Gazette",
        "title": "Bridge vote",
    }
    source = tmp_path / "in.jsonl"
    lines = [{"id": "a", "text": ARTICLE, **meta}, {"id": "b", "text": "", "url": "u2"}]
    source.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    out = tmp_path / f"briefs{suffix}"
    argv = ["brief", "--batch", str(source), "--out", str(out), "--no-stance", "--no-summary"]
    status, _, _ = run(capsys, *argv)
    assert status == 1  # "b" has no text: an error record
    if suffix == ".jsonl":
        records = {
            r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())
        }
    else:
        from newsbrief.surfaces.batch import read_parquet_records

        records = {r["id"]: r for r in read_parquet_records(out)}
    assert records["a"]["meta"] == meta and "brief" in records["a"]
    assert "error" in records["b"] and "meta" not in records["b"]  # an unreadable input
    assert read_briefs(out)["a"].title == "Bridge vote"


def test_a_batch_of_pages_keeps_each_extracted_text(
    briefers: list[object], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("trafilatura")
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "bridge.html").write_text(PAGE, encoding="utf-8")
    (pages / "plain.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "briefs.jsonl"
    argv = ["brief", "--batch", str(pages), "--out", str(out), "--no-stance", "--no-summary"]
    status, _, err = run(capsys, *argv)
    assert status == 0, err
    records = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    page = Brief.model_validate(records["bridge"]["brief"])
    assert page.extracted_text is not None and page.quotes
    assert all(page.extracted_text[q.start : q.end] == q.text for q in page.quotes)
    assert Brief.model_validate(records["plain"]["brief"]).extracted_text is None
